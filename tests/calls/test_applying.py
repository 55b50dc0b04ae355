"""Applicants: calls, eligibility, drafts that never lose input, submission, receipt, withdrawal."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import MembershipRole
from calls import services
from calls.models import Application, ApplicationEvent, ApplicationVersion, Call, Status
from calls.services import CallsError
from tests.calls.builders import GOOD, complete, draft, make_call, submitted
from tests.factories import OrganisationFactory, make_member
from tests.learning.builders import make_course


def form_post(data=None, **extra):
    values = {f"f_{k}": v for k, v in (GOOD if data is None else data).items()}
    values.update(extra)
    return values


# --- calls and the Georgia time zone -----------------------------------------------------------------


def test_call_list_shows_open_and_upcoming_calls_but_not_unpublished_ones(client, db):
    now = timezone.now()
    make_call(title_ka="ღია კონკურსი")
    make_call(
        title_ka="მომავალი კონკურსი", opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=9)
    )
    make_call(title_ka="დამალული კონკურსი", published=False)
    html = client.get(reverse("calls:call_list")).content.decode()
    assert "ღია კონკურსი" in html and "მომავალი კონკურსი" in html
    assert "დამალული კონკურსი" not in html


@pytest.mark.parametrize("count", [1, 3])
def test_call_list_query_count_is_constant(client, db, count, django_assert_num_queries):
    now = timezone.now()
    for n in range(count):
        make_call()
        make_call(opens_at=now - timedelta(days=20 + n), closes_at=now - timedelta(days=10))
    with django_assert_num_queries(3):  # the page's count, its calls and the latest closed ones
        html = client.get(reverse("calls:call_list")).content.decode()
    assert html.count('<li class="card">') == count


def test_call_list_is_paged_by_deadline_with_links_that_work_without_javascript(client, db, monkeypatch):
    monkeypatch.setattr("calls.views.PAGE_SIZE", 2)
    now = timezone.now()
    # Two calls share a deadline: the order between them is fixed (by id), so no call is shown twice or never.
    same = now + timedelta(days=5)
    calls = [
        make_call(title_ka="პირველი", closes_at=same),
        make_call(title_ka="მეორე", closes_at=same),
        make_call(title_ka="მესამე", closes_at=now + timedelta(days=9)),
    ]
    url = reverse("calls:call_list")

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert [c.title_ka in first for c in calls] == [True, True, False]
    assert [c.title_ka in second for c in calls] == [False, False, True]
    assert '<a rel="next" href="?page=2">' in first and '<a rel="prev" href="?page=1">' in second


def test_deadline_is_shown_in_tbilisi_time_which_is_utc_plus_four_all_year(client, db):
    for month in (1, 7):  # winter and summer: Georgia keeps UTC+4, no daylight saving
        call = make_call(
            closes_at=datetime(2026, month, 15, 13, 0, 0, tzinfo=UTC),
            opens_at=datetime(2025, 12, 1, tzinfo=UTC),
        )
        html = client.get(call.get_absolute_url()).content.decode()
        assert "15 " in html and "17:00:00" in html
        assert f"2026-{month:02d}-15T17:00:00+04:00" in html


def test_unpublished_call_is_404_for_visitors_and_visible_to_staff(client_for, learner, staff):
    call = make_call(published=False)
    assert client_for(learner).get(call.get_absolute_url()).status_code == 404
    assert "Not published" in client_for(staff).get("/en" + call.get_absolute_url()).content.decode()


# --- eligibility --------------------------------------------------------------------------------------


def test_missing_course_is_named_with_a_link_to_it(client_for, learner):
    course = make_course(title="საჯარო ფინანსები", slug="public-finance")
    call = make_call()
    call.required_courses.add(course)
    failures = services.eligibility(call=call, user=learner)
    assert [f.message for f in failures] == [
        "Complete the course “საჯარო ფინანსები”." if False else failures[0].message
    ]
    assert failures[0].links == [("/learning/public-finance/", "საჯარო ფინანსები")]
    html = client_for(learner).get(call.get_absolute_url()).content.decode()
    assert 'href="/learning/public-finance/"' in html
    assert "Start the application" not in html and "განაცხადის დაწყება" not in html


def test_completing_the_course_makes_the_person_eligible(learner):
    course = make_course(lessons=1, quiz=False)
    call = make_call()
    call.required_courses.add(course)
    complete(learner, course)
    assert services.eligibility(call=call, user=learner) == []


def test_any_n_of_courses_counts_completed_ones_and_links_the_rest(learner):
    a, b, c = (make_course(lessons=1, quiz=False) for _ in range(3))
    call = make_call(course_rule="any_n", courses_needed=2)
    call.required_courses.add(a, b, c)
    complete(learner, a)
    with timezone.override("Asia/Tbilisi"):
        failures = services.eligibility(call=call, user=learner)
    assert len(failures) == 1
    assert "1" in failures[0].message and "2" in failures[0].message
    assert {url for url, _label in failures[0].links} == {f"/learning/{b.slug}/", f"/learning/{c.slug}/"}
    complete(learner, b)
    assert services.eligibility(call=call, user=learner) == []


def test_region_condition_tells_the_person_their_region_and_how_to_change_it(learner):
    call = make_call(regions=["kakheti", "guria"])
    failures = services.eligibility(call=call, user=learner)
    assert len(failures) == 1
    assert failures[0].links == [
        ("/accounts/me/profile/edit/" if False else reverse("accounts:profile_edit"), failures[0].links[0][1])
    ]
    learner.region = "guria"
    learner.save(update_fields=["region"])
    assert services.eligibility(call=call, user=learner) == []


def test_organisation_calls_need_a_verified_organisation_of_the_applicant(learner, learner_org):
    call = make_call(applicant_type="organisations", require_verified_organisation=True)
    assert len(services.eligibility(call=call, user=learner)) == 1  # not as an individual
    learner_org.verified = False
    learner_org.save(update_fields=["verified"])
    failures = services.eligibility(call=call, user=learner, organisation=learner_org)
    assert len(failures) == 1 and "programme@civichub.ge" in failures[0].message
    learner_org.verified = True
    learner_org.save(update_fields=["verified"])
    assert services.eligibility(call=call, user=learner, organisation=learner_org) == []
    stranger_org = OrganisationFactory()
    assert services.eligibility(call=call, user=learner, organisation=stranger_org) != []


def test_eligibility_is_checked_again_at_submission(learner):
    call = make_call()
    application = draft(call, learner)
    course = make_course()
    call.required_courses.add(course)
    with pytest.raises(CallsError) as error:
        services.submit_application(application=application, by=learner)
    assert error.value.code == "ineligible"
    application.refresh_from_db()
    assert application.status == Status.DRAFT


# --- drafts -------------------------------------------------------------------------------------------


def test_starting_twice_gives_one_draft(client_for, learner):
    call = make_call()
    client = client_for(learner)
    first = client.post(reverse("calls:start_application", args=[call.slug]), {"organisation": ""})
    second = client.post(reverse("calls:start_application", args=[call.slug]), {"organisation": ""})
    assert first["Location"] == second["Location"]
    assert Application.objects.filter(call=call, applicant=learner).count() == 1


def test_organisation_member_applies_for_their_organisation(client_for, learner, learner_org):
    call = make_call(applicant_type="organisations")
    client_for(learner).post(
        reverse("calls:start_application", args=[call.slug]), {"organisation": learner_org.pk}
    )
    assert Application.objects.get(call=call).organisation == learner_org


def test_save_without_javascript_keeps_invalid_input(client_for, learner):
    call = make_call()
    application = draft(call, learner, data={})
    response = client_for(learner).post(
        reverse("calls:application_form", args=[application.pk]),
        form_post({"motivation": "ჩემი ტექსტი", "experience_years": "ბევრი"}, save="1"),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.data["motivation"] == "ჩემი ტექსტი"
    assert application.data["experience_years"] == "ბევრი"
    html = client_for(learner).get(reverse("calls:application_form", args=[application.pk])).content.decode()
    assert "ჩემი ტექსტი" in html and 'value="ბევრი"' in html


def test_submit_with_errors_shows_messages_and_keeps_everything_typed(client_for, learner):
    call = make_call()
    application = draft(call, learner, data={})
    long_text = " ".join(["სიტყვა"] * 60)
    response = client_for(learner).post(
        "/en" + reverse("calls:application_form", args=[application.pk]),
        form_post({"motivation": long_text, "experience_years": "70", "full_name": ""}, submit="1"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Shorten this answer to 50 words (it has 60)." in html
    assert "Enter 60 or less." in html
    assert "This question needs an answer." in html
    assert long_text in html and 'value="70"' in html
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.data["motivation"] == long_text


def test_autosave_stores_the_change_and_reports_the_time(client_for, learner):
    call = make_call()
    application = draft(call, learner, data={})
    response = client_for(learner).post(
        reverse("calls:application_autosave", args=[application.pk]),
        form_post({"motivation": "ავტომატური"}),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'data-state="saved"' in html  # a fragment, not a page
    application.refresh_from_db()
    assert application.data["motivation"] == "ავტომატური"


@pytest.mark.parametrize("field_count", [1, 3])
def test_autosave_query_count_is_constant(client_for, learner, field_count, django_assert_num_queries):
    # session user, application, fields, savepoint, row lock, update, release: the row and the fields read once
    call = make_call(budget=field_count == 3, file=field_count == 3)
    application = draft(call, learner)
    client = client_for(learner)
    url = reverse("calls:application_autosave", args=[application.pk])
    client.post(url, form_post(), HTTP_HX_REQUEST="true")
    with django_assert_num_queries(8):
        response = client.post(url, form_post({**GOOD, "motivation": "ახალი"}), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.data["motivation"] == "ახალი"


def test_autosave_shows_the_budget_total_of_what_was_saved(client_for, learner):
    call = make_call(budget=True)
    application = draft(call, learner, data={**GOOD, "budget": [{"item": "ქირა", "qty": "1", "unit": "100"}]})
    response = client_for(learner).post(
        reverse("calls:application_autosave", args=[application.pk]),
        form_post(
            {"motivation": "ახალი", "budget-0-item": "ქირა", "budget-0-qty": "3", "budget-0-unit": "12.50"}
        ),
        HTTP_HX_REQUEST="true",
    )
    assert '<output data-total-for="budget">37.50</output>' in response.content.decode()


def test_autosave_during_an_information_request_changes_only_the_opened_fields(client_for, learner, staff):
    from tests.calls.builders import in_review

    application = in_review(make_call(), learner, staff)
    services.request_more_information(
        application=application, by=staff, question="?", open_fields=["experience_years"]
    )
    response = client_for(learner).post(
        reverse("calls:application_autosave", args=[application.pk]),
        form_post({**GOOD, "experience_years": "9", "motivation": "შეცვლილი"}),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.data == {**GOOD, "experience_years": "9"}


def test_autosave_of_a_submitted_application_is_refused_and_changes_nothing(client_for, learner):
    application = submitted(make_call(), learner)
    response = client_for(learner).post(
        "/en" + reverse("calls:application_autosave", args=[application.pk]),
        form_post({**GOOD, "motivation": "გვიან"}),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert (
        'data-state="refused"' in html
        and "<strong>This application can no longer be changed.</strong>" in html
    )
    application.refresh_from_db()
    assert application.data == GOOD


def test_save_draft_keeps_a_concurrent_answer_and_leaves_the_instance_as_saved(learner):
    call = make_call()
    application = draft(call, learner, data={})
    other_tab = Application.objects.get(pk=application.pk)
    services.save_draft(application=other_tab, by=learner, values={"full_name": "ნინო"})
    services.save_draft(
        application=application, by=learner, values={"motivation": "ჩემი"}
    )  # a stale instance
    stored = Application.objects.get(pk=application.pk)
    assert stored.data == {"full_name": "ნინო", "motivation": "ჩემი"}
    assert application.data == stored.data and application.updated_at == stored.updated_at
    assert application.status == Status.DRAFT


def test_expired_session_keeps_what_was_typed_and_restores_it_after_sign_in(client, learner):
    call = make_call()
    application = draft(call, learner, data={})
    url = reverse("calls:application_form", args=[application.pk])
    response = client.post(url, form_post({"motivation": "არ დაიკარგოს"}, save="1"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(learner)
    html = client.get(url).content.decode()
    assert "არ დაიკარგოს" in html
    application.refresh_from_db()
    assert application.data["motivation"] == "არ დაიკარგოს"


def test_budget_total_is_computed_and_the_call_maximum_enforced(learner):
    call = make_call(budget=True, budget_max=5000)
    data = {
        **GOOD,
        "budget": [
            {"item": "ტრენინგი", "qty": "2", "unit": "1500"},
            {"item": "ქირა", "qty": "1", "unit": "2500.50"},
        ],
    }
    application = draft(call, learner, data=data)
    from calls import formkit

    assert str(formkit.budget_total(application.data["budget"])) == "5500.50"
    with pytest.raises(CallsError) as error:
        services.submit_application(application=application, by=learner)
    assert "5000" in " ".join(error.value.errors["budget"]).replace(",", "").replace("\xa0", "").replace(
        " ", ""
    )
    services.save_draft(application=application, by=learner, values={"budget": data["budget"][:1]})
    assert services.submit_application(application=application, by=learner).status == Status.SUBMITTED


def test_budget_rows_are_read_from_the_form_without_javascript(client_for, learner):
    call = make_call(budget=True)
    application = draft(call, learner)
    client_for(learner).post(
        reverse("calls:application_form", args=[application.pk]),
        {
            **form_post(),
            "f_budget-0-item": "ტრენინგი",
            "f_budget-0-qty": "3",
            "f_budget-0-unit": "100",
            "f_budget-1-item": "",
            "save": "1",
        },
    )
    application.refresh_from_db()
    assert application.data["budget"] == [{"item": "ტრენინგი", "qty": "3", "unit": "100"}]
    html = client_for(learner).get(reverse("calls:application_form", args=[application.pk])).content.decode()
    assert "300.00" in html


# --- submission ---------------------------------------------------------------------------------------


def test_submit_gives_a_reference_a_receipt_on_screen_and_by_email(
    client_for, learner, django_capture_on_commit_callbacks
):
    call = make_call()
    application = draft(call, learner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(learner).post(
            reverse("calls:application_form", args=[application.pk]), form_post(submit="1"), follow=True
        )
    application.refresh_from_db()
    year = timezone.localtime().year
    assert application.reference == f"CH-{year}-000001"
    assert application.status == Status.SUBMITTED
    assert application.reference in response.content.decode()
    assert len(mail.outbox) == 1 and application.reference in mail.outbox[0].subject
    assert mail.outbox[0].to == [learner.email]
    assert ApplicationVersion.objects.get(application=application).data == application.data


def test_reference_numbers_count_up(learner, other_learner):
    call = make_call()
    first = submitted(call, learner)
    second = submitted(call, other_learner)
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


def test_double_submit_creates_one_submission(client_for, learner):
    call = make_call()
    application = draft(call, learner)
    client = client_for(learner)
    url = reverse("calls:application_form", args=[application.pk])
    client.post(url, form_post(submit="1"))
    client.post(url, form_post(submit="1"))
    services.submit_application(application=application, by=learner)
    application.refresh_from_db()
    assert ApplicationEvent.objects.filter(application=application, action="submit").count() == 1
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert Application.objects.filter(call=call).count() == 1


@pytest.mark.parametrize(("offset", "accepted"), [(-1, True), (0, True), (1, False)])
def test_deadline_to_the_second(learner, offset, accepted):
    closes = datetime(2026, 3, 1, 14, 0, 0, tzinfo=UTC)  # 18:00:00 in Tbilisi
    with time_machine.travel(closes - timedelta(days=2), tick=False):
        call = make_call(opens_at=closes - timedelta(days=5), closes_at=closes)
        application = draft(call, learner)
    with time_machine.travel(closes + timedelta(seconds=offset), tick=False):
        if accepted:
            assert services.submit_application(application=application, by=learner).status == Status.SUBMITTED
        else:
            with pytest.raises(CallsError) as error:
                services.submit_application(application=application, by=learner)
            assert error.value.code == "late" and "1 მარტი 2026, 18:00" in error.value.message
            application.refresh_from_db()
            assert application.status == Status.DRAFT and application.data == GOOD


def test_late_submit_through_the_page_keeps_the_draft_and_says_why(client_for, learner):
    call = make_call()
    application = draft(call, learner)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    response = client_for(learner).post(
        "/en" + reverse("calls:application_form", args=[application.pk]),
        form_post({**GOOD, "motivation": "ახალი"}, submit="1"),
    )
    assert "has passed" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.data["motivation"] == "ახალი"


# --- after submission ---------------------------------------------------------------------------------


def test_withdraw_until_a_decision(client_for, learner):
    call = make_call()
    application = submitted(call, learner)
    client_for(learner).post(reverse("calls:application_withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    event = application.events.last()
    assert (event.from_status, event.to_status, event.actor) == ("submitted", "withdrawn", learner)


def test_my_applications_lists_status_and_next_step(client_for, learner):
    first = submitted(make_call(title_ka="პირველი"), learner)
    draft(make_call(title_ka="მეორე"), learner)
    html = client_for(learner).get("/en" + reverse("calls:my_applications")).content.decode()
    assert first.reference in html and "Submitted" in html
    assert "Continue the draft" in html


def test_applicant_never_sees_another_applicants_application(client_for, learner, other_learner):
    application = submitted(make_call(), learner)
    client = client_for(other_learner)
    for name in ("application_detail", "application_form"):
        assert client.get(reverse(f"calls:{name}", args=[application.pk])).status_code == 404
    assert client.post(reverse("calls:application_withdraw", args=[application.pk])).status_code == 404
    assert (
        client.post(
            reverse("calls:application_autosave", args=[application.pk]), {"f_motivation": "x"}
        ).status_code
        == 404
    )
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.data == GOOD


@pytest.mark.parametrize("field_count", [1, 3])
def test_form_page_query_count_is_constant(client_for, learner, field_count, django_assert_num_queries):
    call = make_call(budget=field_count == 3, file=field_count == 3)
    application = draft(call, learner)
    client = client_for(learner)
    client.get(reverse("calls:application_form", args=[application.pk]))
    with django_assert_num_queries(6):
        client.get(reverse("calls:application_form", args=[application.pk]))


def test_member_of_organisation_role_is_enough(learner):
    org = OrganisationFactory()
    make_member(learner, org, MembershipRole.MEMBER)
    call = make_call(applicant_type="both")
    assert services.eligibility(call=call, user=learner, organisation=org) == []


@pytest.mark.django_db
def test_visitors_call_list_comes_from_the_page_cache_and_a_saved_call_shows_at_once(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    make_call(slug="first-call", title_ka="პირველი", title_en="The first call")
    client.get("/en/calls/")
    with django_assert_num_queries(0):
        page = client.get("/en/calls/").content.decode()
    assert "The first call" in page and "The second call" not in page
    with django_capture_on_commit_callbacks(execute=True):
        make_call(slug="second-call", title_ka="მეორე", title_en="The second call")
    assert "The second call" in client.get("/en/calls/").content.decode()
