"""Mentoring pages: what each person sees, what their forms change (state, emails, audit), outsiders' 404,
bad input kept, and constant query counts on the lists."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, Membership
from awards.models import (
    ActionOwner,
    ActionStatus,
    AgreedAction,
    MentoringMessage,
    MentoringSession,
    Mentorship,
    MentorshipStatus,
    RiskFlag,
    RiskLevel,
    SessionFormat,
)
from awards.services import mentoring as services
from tests.awards.mentoring.builders import action_due, active, another_mentor, individual
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def detail_url(mentorship):
    return reverse("awards:mentorship_detail", args=[mentorship.pk])


def text(response):
    return response.content.decode()


def log(mentorship, mentor, n=1, **fields):
    for i in range(n):
        services.log_session(
            mentorship=mentorship,
            by=mentor,
            held_on=timezone.localdate() - timedelta(days=i + 1),
            duration_minutes=45,
            format=SessionFormat.IN_PERSON,
            topics=f"თემა {i}",
            notes="შენიშვნები",
            action={"text": f"ნაბიჯი {i}", "owner": ActionOwner.MENTOR, "due_on": timezone.localdate()},
            **fields,
        )


# --- who sees what --------------------------------------------------------------------------------------------


def test_the_mentee_sees_their_mentor_without_contact_details(client_for, mentorship, mentor, learner):
    mentor.bio = "საჯარო ფინანსების ექსპერტი"
    mentor.save(update_fields=["bio"])
    response = client_for(learner).get(detail_url(mentorship))
    assert response.status_code == 200
    page = text(response)
    assert "ლევან გელაშვილი" in page
    assert "საჯარო ფინანსების ექსპერტი" in page
    assert mentor.email not in page
    assert 'name="body"' in page  # the mentee can write to the mentor


def test_outsiders_and_other_mentors_get_404(client_for, mentorship, other_learner, org_admin):
    for who in (other_learner, org_admin, another_mentor()):
        assert client_for(who).get(detail_url(mentorship)).status_code == 404


def test_before_declaring_the_mentor_sees_only_the_name(client_for, waiting, mentor, staff):
    services.assign_mentor(mentorship=waiting, mentor=mentor, by=staff)
    page = text(client_for(mentor).get(detail_url(waiting)))
    assert "ნინო ბერიძე" in page
    assert "საჯარო შესყიდვების მონიტორინგი" not in page  # the goals wait for the declaration
    assert 'name="conflict"' in page


def test_declaring_no_conflict_opens_the_mentorship(client_for, waiting, mentor, staff, learner, committed):
    services.assign_mentor(mentorship=waiting, mentor=mentor, by=staff)
    mail.outbox.clear()
    with committed():
        response = client_for(mentor).post(
            reverse("awards:mentorship_declare", args=[waiting.pk]), {"conflict": "no"}
        )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == MentorshipStatus.ACTIVE
    assert learner.email in [m.to[0] for m in mail.outbox]
    assert "საჯარო შესყიდვების მონიტორინგი" in text(client_for(mentor).get(detail_url(waiting)))


def test_declaring_a_conflict_unassigns_and_hides_the_mentorship(client_for, waiting, mentor, staff):
    services.assign_mentor(mentorship=waiting, mentor=mentor, by=staff)
    client_for(mentor).post(
        reverse("awards:mentorship_declare", args=[waiting.pk]), {"conflict": "yes", "note": "ყოფილი კოლეგა"}
    )
    waiting.refresh_from_db()
    assert (waiting.status, waiting.mentor) == (MentorshipStatus.WAITING, None)
    assert client_for(mentor).get(detail_url(waiting)).status_code == 404
    staff_page = text(client_for(staff).get(detail_url(waiting)))
    assert "ყოფილი კოლეგა" in staff_page
    # Levan is no longer offered.
    assert f'value="{mentor.pk}"' not in staff_page


def test_staff_assign_a_mentor_and_the_mentor_is_emailed(client_for, waiting, mentor, staff, committed):
    with committed():
        response = client_for(staff).post(
            reverse("awards:mentorship_assign", args=[waiting.pk]), {"mentor": mentor.pk}
        )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.mentor == mentor
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    assert AuditEntry.objects.filter(action="awards.mentorship.assign", actor=staff).exists()


def test_staff_cannot_assign_a_conflicted_mentor(client_for, staff, mentor):
    own = individual(mentor, staff)
    response = client_for(staff).post(
        reverse("awards:mentorship_assign", args=[own.pk]), {"mentor": mentor.pk}
    )
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.mentor is None


# --- the log ------------------------------------------------------------------------------------------------


def test_the_mentor_logs_a_session_with_an_action(client_for, mentorship, mentor, learner):
    response = client_for(mentor).post(
        reverse("awards:mentoring_session_add", args=[mentorship.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "duration_minutes": "90",
            "format": "online",
            "topics": "ანგარიშის მომზადება",
            "notes": "განვიხილეთ ბიუჯეტი",
            "action_text": "ქვითრების შეგროვება",
            "action_owner": str(learner.pk),
            "action_due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert (session.duration_minutes, session.topics) == (90, "ანგარიშის მომზადება")
    action = AgreedAction.objects.get()
    assert (action.owner, action.owner_person, action.session) == (ActionOwner.MENTEE, learner, session)
    page = text(client_for(learner).get(detail_url(mentorship)))
    assert "ქვითრების შეგროვება" in page
    assert "განვიხილეთ ბიუჯეტი" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("duration_minutes", "-30"),
        ("duration_minutes", "ერთი საათი"),
        ("held_on", "2026-02-31"),
        ("held_on", "ხვალ"),
        ("notes", "ა" * 5001),
    ],
)
def test_bad_input_is_refused_and_the_typed_text_kept(client_for, mentorship, mentor, field, value):
    data = {
        "held_on": timezone.localdate().isoformat(),
        "duration_minutes": "60",
        "format": "phone",
        "topics": "ჩემი აკრეფილი თემა",
        "notes": "ჩემი შენიშვნა",
    }
    data[field] = value
    response = client_for(mentor).post(reverse("awards:mentoring_session_add", args=[mentorship.pk]), data)
    assert response.status_code == 200
    page = text(response)
    assert "ჩემი აკრეფილი თემა" in page
    assert 'class="errorlist' in page
    assert not MentoringSession.objects.exists()


def test_a_session_in_the_future_is_refused(client_for, mentorship, mentor):
    response = client_for(mentor).post(
        reverse("awards:mentoring_session_add", args=[mentorship.pk]),
        {
            "held_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "duration_minutes": "60",
            "format": "phone",
            "topics": "x",
        },
    )
    assert response.status_code == 200
    assert not MentoringSession.objects.exists()


def test_an_action_without_owner_or_due_date_is_refused(client_for, mentorship, mentor):
    response = client_for(mentor).post(
        reverse("awards:mentoring_session_add", args=[mentorship.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "duration_minutes": "60",
            "format": "phone",
            "topics": "x",
            "action_text": "ჩემი ნაბიჯი",
        },
    )
    assert response.status_code == 200
    assert "ჩემი ნაბიჯი" in text(response)
    assert not MentoringSession.objects.exists()


def test_the_mentee_marks_an_action_done(client_for, mentorship, mentor, learner):
    action = services.add_action(
        mentorship=mentorship, by=mentor, text="x", owner=ActionOwner.MENTEE, due_on=timezone.localdate()
    )
    response = client_for(learner).post(
        reverse("awards:mentoring_action_status", args=[action.pk]), {"status": "done"}
    )
    assert response.status_code == 302
    assert AgreedAction.objects.get().status == ActionStatus.DONE


def test_the_mentor_flags_a_risk_and_staff_acknowledge_it(client_for, mentorship, mentor, staff, committed):
    with committed():
        client_for(mentor).post(
            reverse("awards:mentoring_risk_add", args=[mentorship.pk]),
            {"level": "high", "text": "ორგანიზაციამ დირექტორი დაკარგა"},
        )
    flag = RiskFlag.objects.get()
    assert (flag.level, flag.raised_by) == (RiskLevel.HIGH, mentor)
    assert [m.to for m in mail.outbox] == [[staff.email]]
    overview = text(client_for(staff).get(reverse("awards:mentoring_overview") + "?open_risks=on"))
    assert "ნინო ბერიძე" in overview
    client_for(staff).post(reverse("awards:mentoring_risk_ack", args=[flag.pk]))
    flag.refresh_from_db()
    assert flag.acknowledged_by == staff
    overview = text(client_for(staff).get(reverse("awards:mentoring_overview") + "?open_risks=on"))
    assert "ნინო ბერიძე" not in overview


# --- messages -------------------------------------------------------------------------------------------------


def test_messages_are_sanitised_markdown_and_email_the_mentor(
    client_for, mentorship, mentor, learner, committed
):
    with committed():
        response = client_for(learner).post(
            reverse("awards:mentoring_message", args=[mentorship.pk]),
            {"body": "**გამარჯობა** <script>alert(1)</script>"},
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    page = text(client_for(mentor).get(detail_url(mentorship)))
    assert "<strong>გამარჯობა</strong>" in page
    assert "<script>alert(1)</script>" not in page


def test_an_oversized_message_is_refused_and_kept(client_for, mentorship, learner):
    body = "ა" * 4001
    response = client_for(learner).post(
        reverse("awards:mentoring_message", args=[mentorship.pk]), {"body": body}
    )
    assert response.status_code == 400
    assert body in text(response)
    assert not MentoringMessage.objects.exists()


# --- home and lists ------------------------------------------------------------------------------------------


def test_each_persons_home_leads_to_their_mentoring(client_for, mentorship, mentor, learner, staff):
    from accounts.api import as_viewer
    from awards.api import work_items

    labels = {i.label: i for i in work_items(as_viewer(mentor))}
    assert labels["My mentees"].count == 1 if "My mentees" in labels else True
    mine = reverse("awards:mentoring_mine")
    assert any(i.url == mine for i in work_items(as_viewer(mentor)))
    assert any(i.url == mine for i in work_items(as_viewer(learner)))
    assert any(i.url.startswith(reverse("awards:mentoring_overview")) for i in work_items(as_viewer(staff)))
    assert detail_url(mentorship) in text(client_for(mentor).get(mine))
    assert detail_url(mentorship) in text(client_for(learner).get(mine))


def _mentorships(n, staff, mentor):
    made = []
    for i in range(n):
        mentee = UserFactory(email=f"mentee{i}@example.org", full_name_ka=f"მენტი {i}")
        m = active(individual(mentee, staff), mentor, staff)
        log(m, mentor)
        services.raise_risk(mentorship=m, by=mentor, level=RiskLevel.LOW, text="x")
        made.append(m)
    return made


@pytest.mark.parametrize("n", [1, 3])
def test_staff_overview_query_count_is_constant(client_for, staff, mentor, n, django_assert_num_queries):
    _mentorships(n, staff, mentor)
    client = client_for(staff)
    with django_assert_num_queries(6):
        response = client.get(reverse("awards:mentoring_overview"))
    assert text(response).count("მენტი ") == n


@pytest.mark.parametrize("n", [1, 3])
def test_mentors_list_query_count_is_constant(client_for, staff, mentor, n, django_assert_num_queries):
    _mentorships(n, staff, mentor)
    client = client_for(mentor)
    with django_assert_num_queries(8):
        response = client.get(reverse("awards:mentoring_mine"))
    assert text(response).count("მენტი ") == 2 * n  # the list and the actions due


@pytest.mark.parametrize("n", [1, 3])
def test_mentorship_page_query_count_is_constant(
    client_for, mentorship, mentor, n, django_assert_num_queries
):
    log(mentorship, mentor, n)
    for _ in range(n):
        services.send_message(mentorship=mentorship, by=mentor, body="გამარჯობა")
        services.raise_risk(mentorship=mentorship, by=mentor, level=RiskLevel.LOW, text="x")
    client = client_for(mentor)
    with django_assert_num_queries(9):
        response = client.get(detail_url(mentorship))
    assert text(response).count("თემა ") == n


def test_ending_a_mentorship(client_for, mentorship, staff, mentor):
    client_for(staff).post(reverse("awards:mentorship_end", args=[mentorship.pk]), {"note": "დასრულდა"})
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ENDED
    page = text(client_for(mentor).get(detail_url(mentorship)))
    assert 'name="body"' not in page
    assert Mentorship.objects.get().ends_on == timezone.localdate()


def test_the_project_pages_mentor_place(project, staff, mentor):
    from django.template.loader import render_to_string

    from awards.queries.mentoring import mentorship_of_project

    assert mentorship_of_project(project) is None
    mentorship = active(services.open_mentorship(by=staff, project=project), mentor, staff)
    found = mentorship_of_project(project)
    assert found == mentorship
    html = render_to_string("awards/mentoring/_project_mentor.html", {"mentorship": found})
    assert "ლევან გელაშვილი" in html
    assert detail_url(mentorship) in html


def test_staff_open_a_mentorship_for_a_project_or_a_person(client_for, staff, project, other_learner):
    client = client_for(staff)
    url = reverse("awards:mentorship_open")
    assert project.title in text(client.get(url))
    response = client.post(url, {"project": project.pk, "goals": "ანგარიშგება"})
    mentorship = Mentorship.objects.get(project=project)
    assert response["Location"] == detail_url(mentorship)
    assert project.title not in text(client.get(url))  # one mentorship at a time
    client.post(url, {"email": other_learner.email.upper()})
    assert Mentorship.objects.get(mentee=other_learner).status == MentorshipStatus.WAITING
    again = client.post(url, {"email": other_learner.email})
    assert again.status_code == 200
    assert Mentorship.objects.filter(mentee=other_learner).count() == 1
    assert AuditEntry.objects.filter(action="awards.mentorship.open", actor=staff).count() == 2


@pytest.mark.parametrize(
    "data", [{}, {"email": "nobody@example.org"}, {"email": "not an address"}, {"project": "999999"}]
)
def test_opening_needs_exactly_one_known_mentee(client_for, staff, data):
    response = client_for(staff).post(reverse("awards:mentorship_open"), {**data, "goals": "ჩემი მიზნები"})
    assert response.status_code == 200
    assert "ჩემი მიზნები" in text(response)
    assert not Mentorship.objects.exists()


def test_overview_filters(client_for, staff, mentor, learner, other_learner):
    quiet = active(individual(learner, staff), mentor, staff)
    busy = active(individual(other_learner, staff), mentor, staff)
    log(busy, mentor)
    waiting = individual(UserFactory(email="w@example.org", full_name_ka="მოლოდინში"), staff)
    client = client_for(staff)
    stale = text(client.get(reverse("awards:mentoring_overview") + "?stale=on"))
    assert detail_url(quiet) in stale
    assert detail_url(busy) not in stale
    assert detail_url(waiting) not in stale
    only_waiting = text(client.get(reverse("awards:mentoring_overview") + "?status=waiting"))
    assert detail_url(waiting) in only_waiting
    assert detail_url(quiet) not in only_waiting


def test_the_projects_mentor_reads_the_project_and_cannot_edit_its_reports(
    client_for, project, mentor, staff
):
    project_url = reverse("awards:project", args=[project.pk])
    assert client_for(mentor).get(project_url).status_code == 404  # not (yet) its mentor
    mentorship = active(services.open_mentorship(by=staff, project=project), mentor, staff)
    page = client_for(mentor).get(project_url)
    assert page.status_code == 200 and project.title in page.content.decode()
    assert client_for(mentor).post(reverse("awards:project_editors", args=[project.pk])).status_code == 403
    services.end_mentorship(mentorship=mentorship, by=staff)
    assert client_for(mentor).get(project_url).status_code == 404  # an ended mentorship no longer opens it


# --- a mentee's own actions ------------------------------------------------------------------------------------


def _mentee_action(mentorship, mentor, text_, *, days, owner=ActionOwner.MENTEE, person=None):
    return action_due(mentorship, mentor, text_, days=days, owner=owner, person=person)


def test_a_mentee_sees_their_own_actions_due_on_their_home_and_mentoring_page(
    client_for, mentorship, mentor, learner
):
    from accounts.api import as_viewer
    from awards.api import work_items

    _mentee_action(mentorship, mentor, "ანგარიშის მონახაზი", days=-2, person=learner)
    _mentee_action(mentorship, mentor, "ბიუჯეტის ცხრილი", days=5)  # the mentee's, nobody named
    _mentee_action(mentorship, mentor, "მენტორის საქმე", days=1, owner=ActionOwner.MENTOR)
    _mentee_action(mentorship, mentor, "შორეული", days=30)
    done = _mentee_action(mentorship, mentor, "შესრულებული", days=-1)
    services.set_action_status(action=done, by=learner, status=ActionStatus.DONE)

    items = {i.label: i for i in work_items(as_viewer(learner))}
    own = items["ჩემი შესასრულებელი ნაბიჯები"]
    assert own.count == 2 and own.urgent  # one is overdue
    assert own.url == reverse("awards:mentoring_mine") + "#my-actions"

    page = text(client_for(learner).get(reverse("awards:mentoring_mine")))
    section = page.split('id="my-actions"', 1)[1].split("</section>", 1)[0]
    assert "ანგარიშის მონახაზი" in section and "ბიუჯეტის ცხრილი" in section
    assert "მენტორის საქმე" not in section and "შორეული" not in section and "შესრულებული" not in section
    assert section.index("ანგარიშის მონახაზი") < section.index("ბიუჯეტის ცხრილი")  # soonest first
    assert "ვადაგადაცილებული" in section


def test_an_action_named_for_another_member_is_not_on_my_list(client_for, project, org_admin, staff, mentor):
    from accounts.api import as_viewer
    from awards.api import work_items

    colleague = UserFactory(email="colleague@example.org")
    mentorship = active(services.open_mentorship(by=staff, project=project), mentor, staff)
    Membership.objects.create(user=colleague, organisation=project.organisation)
    _mentee_action(mentorship, mentor, "კოლეგის ნაბიჯი", days=3, person=colleague)
    assert "ჩემი შესასრულებელი ნაბიჯები" not in {i.label for i in work_items(as_viewer(org_admin))}
    assert "ჩემი შესასრულებელი ნაბიჯები" in {i.label for i in work_items(as_viewer(colleague))}
    assert "კოლეგის ნაბიჯი" in text(client_for(colleague).get(reverse("awards:mentoring_mine")))
    assert "კოლეგის ნაბიჯი" not in text(client_for(org_admin).get(reverse("awards:mentoring_mine")))


@pytest.mark.parametrize("n", [1, 3])
def test_a_mentees_page_query_count_is_constant(
    client_for, mentorship, mentor, learner, n, django_assert_num_queries
):
    for i in range(n):
        _mentee_action(mentorship, mentor, f"ნაბიჯი {i}", days=i + 1, person=learner)
    client = client_for(learner)
    client.get(reverse("awards:mentoring_mine"))
    with django_assert_num_queries(6):
        response = client.get(reverse("awards:mentoring_mine"))
    assert text(response).count("ნაბიჯი ") == n
