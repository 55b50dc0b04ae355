"""'My work': each person's home after sign-in gathers what waits for them in every domain (issue 19)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.api import as_viewer
from calls import services as calls
from community import services as community
from community.models import Member
from tests.calls.builders import make_call, submitted
from tests.factories import TEST_PASSWORD, UserFactory, make_member
from tests.learning.builders import make_course
from tests.workspace import builders

pytestmark = pytest.mark.django_db

HOME = "/workspace/"


def page(client) -> str:
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 200
    return response.content.decode()


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def labels(html: str) -> list[str]:
    """Every item of the page as text: label, count ("Number: 3") and urgent mark."""
    return [
        _text(li)
        for li in re.findall(r'<li(?: class="work-urgent")?>\s*<a href="[^"]*">.*?</li>', html, re.DOTALL)
    ]


def item(html: str, url: str) -> str:
    """The list item of the page's sections that links to ``url`` (its label, count and urgent mark), as text."""
    html = html[html.index('class="work-sections"') :]
    match = re.search(rf'<li[^>]*>\s*<a href="{re.escape(url)}">(.*?)</li>', html, re.DOTALL)
    assert match, f"no item links to {url}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_my_work_is_at_workspace():
    assert reverse("workspace:home") == HOME


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_signing_in_lands_on_my_work(client, learner):
    response = client.post(reverse("account_login"), {"login": learner.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_someone_with_nothing_waiting_is_shown_where_to_start(client_for, other_learner):
    html = page(client_for(other_learner))
    assert "ახლა არაფერი გელოდებათ" in html or "Nothing waits for you now." in html
    assert f'href="{reverse("learning:catalogue")}"' in html
    assert f'href="{reverse("calls:call_list")}"' in html


def test_the_learner_sees_drafts_with_their_deadline_and_the_urgent_one_marked(client_for, learner):
    soon = builders.drafts(learner, 1, closes_in=timedelta(hours=20))[0]
    later = builders.drafts(learner, 1, closes_in=timedelta(days=10))[0]
    with_english = client_for(learner)
    html = with_english.get("/en/workspace/").content.decode()
    urgent = item(html, reverse("calls:application_form", args=[soon.pk]))
    calm = item(html, reverse("calls:application_form", args=[later.pk]))
    assert soon.call.title_en in urgent and "deadline:" in urgent and "Urgent" in urgent
    assert later.call.title_en in calm and "Urgent" not in calm
    assert "One thing is urgent" in html
    assert item(html, reverse("calls:my_applications")) == "All my applications Number: 2"


def test_a_draft_whose_call_closed_is_not_listed(client_for, learner):
    application = builders.drafts(learner, 1)[0]
    application.call.opens_at = timezone.now() - timedelta(days=20)
    application.call.closes_at = timezone.now() - timedelta(days=1)
    application.call.save(update_fields=["opens_at", "closes_at"])
    html = page(client_for(learner))
    assert reverse("calls:application_form", args=[application.pk]) not in html
    assert reverse("calls:my_applications") in html


def test_the_learner_sees_a_question_from_staff_and_a_published_decision(
    client_for, learner, staff, reviewer, django_capture_on_commit_callbacks
):
    asked = submitted(make_call(), learner)
    calls.screen(application=asked, by=staff, compliant=True, note="")
    calls.request_more_information(
        application=asked, by=staff, question="დაამატეთ ბიუჯეტი", open_fields=["motivation"]
    )
    decided = builders.reviewed(make_call(), learner, reviewer, staff)
    calls.decide(application=decided, by=staff, outcome="accepted")
    with django_capture_on_commit_callbacks(execute=True):
        calls.approve_outbox(messages=list(decided.outbox.all()), by=staff)
    html = client_for(learner).get("/en/workspace/").content.decode()
    question = item(html, reverse("calls:application_form", args=[asked.pk]))
    assert question.startswith(f"Question from staff to answer: {asked.call.title_en} (answer by:")
    assert "Urgent" not in question  # a week to answer
    decision = item(html, reverse("calls:application_detail", args=[decided.pk]))
    assert decision == f"Decision published: {decided.call.title_en}"


def test_the_learner_sees_courses_in_progress_with_their_progress(client_for, learner):
    course = builders.courses_in_progress(learner, 1)[0]
    html = client_for(learner).get("/en/workspace/").content.decode()
    assert re.search(rf"{re.escape(course.title)} \(done: 0%\)", html)
    assert reverse("learning:lesson", args=[course.slug, "lesson-1"]) in html
    assert item(html, reverse("learning:my_learning")) == "All my courses Number: 1"


def test_the_learner_sees_their_certificates(client_for, learner):
    builders.certificates(learner, 2)
    html = client_for(learner).get("/en/workspace/").content.decode()
    assert item(html, reverse("credentials:my_credentials")) == "My certificates Number: 2"


def test_a_co_applicant_sees_the_organisations_draft(client_for, org_admin, learner, admin_org):
    make_member(learner, admin_org)
    call = make_call(applicant_type="organisations")
    application = calls.start_application(call=call, user=org_admin, organisation=admin_org)
    calls.invite_collaborator(application=application, by=org_admin, email=learner.email, role="viewer")
    html = page(client_for(learner))
    assert reverse("calls:application_detail", args=[application.pk]) in html  # a viewer reads it
    calls.invite_collaborator(application=application, by=org_admin, email=learner.email, role="editor")
    html = page(client_for(learner))
    assert reverse("calls:application_form", args=[application.pk]) in html  # an editor edits it


def test_the_organisations_admin_sees_a_draft_a_member_started_to_submit_it(
    client_for, org_admin, learner, admin_org
):
    make_member(learner, admin_org)
    call = make_call(applicant_type="organisations")
    application = calls.start_application(call=call, user=learner, organisation=admin_org)
    form_url = reverse("calls:application_form", args=[application.pk])
    assert form_url in page(client_for(learner))  # the member who started it edits it
    assert call.title_ka in item(
        page(client_for(org_admin)), form_url
    )  # the admin, who submits it, is led to it
    outsider = UserFactory()
    make_member(outsider, admin_org)  # a plain member of the same organisation: not theirs
    assert form_url not in page(client_for(outsider))


def test_the_reviewer_sees_reviews_to_write_with_the_review_deadline(client_for, reviewer, staff):
    deadline = timezone.now() + timedelta(hours=30)
    builders.assignments(reviewer, staff, 2, review_deadline=deadline)
    pending = builders.assignments(reviewer, staff, 1, declared=False)[0]
    html = client_for(reviewer).get("/en/workspace/").content.decode()
    shown = labels(html)
    to_write = [label for label in shown if label.startswith("Reviews to write")]
    assert len(to_write) == 2  # one per call
    assert all(
        "review deadline:" in label and "Number: 1" in label and "Urgent" in label for label in to_write
    )
    assert "Conflicts of interest to declare Number: 1" in shown
    assert pending.application.call.title_en not in " ".join(to_write)  # not declared yet: nothing to write


def test_staff_see_the_work_of_every_domain(client_for, staff, reviewer, learner):
    screen = builders.submitted_to(2)[0].call
    decide = builders.reviewed(make_call(), learner, reviewer, staff).call
    calls.decide(application=decide.applications.get(), by=staff, outcome="rejected")
    builders.flags(2)
    hidden = make_course(published=False)
    html = client_for(staff).get("/en/workspace/").content.decode()
    manage = reverse("calls:manage_call", args=[screen.slug])
    assert item(html, manage) == screen.title_en
    assert f"Applications to screen: {screen.title_en} Number: 1" in labels(html)
    assert item(html, reverse("calls:outbox")) == "Letters waiting for approval Number: 1"
    assert item(html, reverse("community:moderation")) == "Reports to moderate Number: 2"
    assert reverse("credentials:manage") in html and reverse("credentials:bulk_issue") in html
    assert reverse("credentials:ceremonies") in html
    assert item(html, reverse("learning:course_detail", args=[hidden.slug])) == hidden.title


def test_staff_see_applications_with_enough_reviews_awaiting_a_decision(client_for, staff, reviewer, learner):
    call = make_call(min_reviews=1)
    builders.reviewed(call, learner, reviewer, staff)
    builders.submitted_to(1, staff=staff, slug="no-reviews-yet", min_reviews=1)
    html = client_for(staff).get("/en/workspace/").content.decode()
    awaiting = reverse("calls:manage_call", args=[call.slug]) + "?status=in_review"
    assert item(html, awaiting) == f"Applications awaiting a decision: {call.title_en} Number: 1"
    assert reverse("calls:manage_call", args=["no-reviews-yet"]) + "?status=in_review" not in html


def test_staff_see_late_reviews_marked_urgent(client_for, staff, reviewer):
    builders.assignments(reviewer, staff, 1, review_deadline=timezone.now() - timedelta(days=2))
    html = client_for(staff).get("/en/workspace/").content.decode()
    late = [label for label in labels(html) if label.startswith("Reviews late: ")]
    assert len(late) == 1 and late[0].endswith("Number: 1 Urgent")


def test_a_practitioner_sees_the_questions_waiting_for_their_answer(client_for, learner):
    person = UserFactory()
    practitioner = community.save_practitioner(
        user=person,
        kind="practitioner",
        bio="ბიო",
        expertise=["civic_budget"],
        regions=["imereti"],
        languages=["ka"],
        accepting_questions=True,
    )
    community.ask_question(asker=learner, practitioner=practitioner, title="როგორ?", body="დეტალები")
    html = client_for(person).get("/en/workspace/").content.decode()
    assert item(html, reverse("community:questions")) == "Questions waiting for your answer Number: 1"


def test_a_member_made_moderator_sees_the_reports(client_for, other_learner):
    builders.flags(1)
    Member.objects.update_or_create(user=other_learner, defaults={"is_moderator": True})
    html = client_for(other_learner).get("/en/workspace/").content.decode()
    assert item(html, reverse("community:moderation")) == "Reports to moderate Number: 1"


def test_outsiders_see_nothing_of_other_peoples_work(client_for, learner, other_learner, staff):
    [draft] = builders.drafts(learner, 1)
    builders.flags(1)
    html = page(client_for(other_learner))
    assert draft.call.title not in html
    assert reverse("calls:application_form", args=[draft.pk]) not in html
    assert reverse("community:moderation") not in html
    assert reverse("calls:outbox") not in html


# --- query counts: the same for 1 and 3 of everything ----------------------------------------------------------

# The page's queries beside the other domains' providers: the session, the user, the roles (and the two-factor state of a
# privileged role), our providers (see the next test) and, for staff, the organisations.
PAGE = {"learner": 12, "reviewer": 12, "staff": 17}


OURS = {"learning.api", "calls.api", "credentials.api", "community.api"}


def _other_domains_queries(user) -> int:
    """What the other domains' providers cost (awards, events, …: other helpers' code, counted as it is, so it may
    change on its own)."""
    from workspace.providers import domain_apis

    viewer = as_viewer(user)
    viewer.roles, viewer.has_mfa  # noqa: B018 — loaded by every signed-in page already
    with CaptureQueriesContext(connection) as queries:
        for api in domain_apis():
            if api.__name__ not in OURS:
                api.work_items(viewer)
    return len(queries.captured_queries)


def _everything(n, learner, reviewer, staff):
    builders.drafts(learner, n)
    builders.courses_in_progress(learner, n)
    builders.certificates(learner, n)
    builders.assignments(reviewer, staff, n)
    builders.submitted_to(n)
    builders.submitted_to(n, staff=staff)
    builders.flags(n)


@pytest.mark.parametrize("n", [1, 3])
def test_the_page_costs_the_same_for_one_or_three_of_everything(
    n, client_for, learner, reviewer, staff, django_assert_num_queries
):
    _everything(n, learner, reviewer, staff)
    for persona, user in (("learner", learner), ("reviewer", reviewer), ("staff", staff)):
        client = client_for(user)
        with django_assert_num_queries(PAGE[persona] + _other_domains_queries(user)):
            client.get(HOME)


@pytest.mark.parametrize("n", [1, 3])
def test_each_of_our_providers_costs_a_fixed_number_of_queries(n, learner, reviewer, staff):
    from calls import api as calls_api
    from community import api as community_api
    from credentials import api as credentials_api
    from learning import api as learning_api

    _everything(n, learner, reviewer, staff)
    counted = {}
    for persona, user in (("learner", learner), ("reviewer", reviewer), ("staff", staff)):
        viewer = as_viewer(user)
        viewer.roles, viewer.has_mfa  # noqa: B018 — loaded by every signed-in page already
        for name, api in (
            ("learning", learning_api),
            ("calls", calls_api),
            ("credentials", credentials_api),
            ("community", community_api),
        ):
            with CaptureQueriesContext(connection) as queries:
                api.work_items(viewer)
            counted[f"{persona} {name}"] = len(queries.captured_queries)
    # learning: enrolments (+ their lessons when there are any; + unpublished courses for staff); calls: the
    # person's applications (+ their rows when there are any; + calls to review; + letters and calls managed);
    # credentials: certificates held (+ print runs); community: notifications, answers, practitioner profile,
    # member row (moderators among members) or, for staff, flags and question reports.
    assert counted == {
        "learner learning": 2,
        "learner calls": 2,
        "learner credentials": 1,
        "learner community": 4,
        "reviewer learning": 1,
        "reviewer calls": 2,
        "reviewer credentials": 1,
        "reviewer community": 4,
        "staff learning": 2,
        "staff calls": 3,
        "staff credentials": 2,
        "staff community": 5,
    }


def test_an_organisation_admin_page_lists_no_one_elses_organisations(client_for, org_admin, learner_org):
    html = page(client_for(org_admin))
    assert reverse("accounts:organisation_detail", args=[learner_org.slug]) not in html


def test_staff_see_organisations_not_yet_verified_first(client_for, staff, admin_org):
    from tests.factories import OrganisationFactory

    waiting = OrganisationFactory(verified=False, name_en="Waiting Org")
    html = client_for(staff).get("/en/workspace/").content.decode()
    first = html.index(reverse("accounts:organisation_detail", args=[waiting.slug]))
    assert first < html.index(reverse("accounts:organisation_detail", args=[admin_org.slug]))
    assert "Waiting Org (not yet verified)" in labels(html)


def test_the_page_speaks_only_the_persons_language(client_for, learner, reviewer, staff):
    """Like tests/test_interface_language.py, with something in every section of every persona's page."""
    from tests.test_interface_language import foreign_words, typed_by_people, visible_text

    builders.drafts(learner, 1, closes_in=timedelta(hours=20))
    builders.courses_in_progress(learner, 1)
    builders.certificates(learner, 1)
    builders.assignments(reviewer, staff, 1, review_deadline=timezone.now() - timedelta(days=1))
    builders.assignments(reviewer, staff, 1, declared=False)
    builders.submitted_to(1)
    builders.reviewed(make_call(), UserFactory(), reviewer, staff)
    builders.flags(1)
    make_course(published=False)
    allowed = typed_by_people()
    problems = []
    for user in (learner, reviewer, staff):
        client = client_for(user)
        for prefix, language in (("", "ka"), ("/en", "en")):
            words = foreign_words(
                visible_text(client.get(f"{prefix}{HOME}").content.decode()), language, allowed
            )
            if words:
                problems.append(f"{language} as {user.email}: {words}")
    assert problems == []


def test_sections_are_the_same_in_both_languages(client_for, staff, reviewer, learner):
    """Items of one section (from several domains) share its heading in Georgian as in English."""
    builders.reviewed(make_call(), learner, reviewer, staff)
    builders.flags(1)
    client = client_for(staff)
    headings = {
        language: re.findall(
            r'<h2 id="work-section-\d+">(.*?)</h2>', client.get(f"{prefix}{HOME}").content.decode()
        )
        for prefix, language in (("", "ka"), ("/en", "en"))
    }
    assert len(headings["ka"]) == len(headings["en"]) == len(set(headings["en"])) == len(set(headings["ka"]))
