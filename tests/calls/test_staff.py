"""Programme staff: screening, information requests with versions, decisions through the outbox, the ranking
table, exports, reminders, and the public api for credentials."""

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from calls import api, services
from calls.models import Application, Call, DecisionTemplate, OutboxMessage, OutboxStatus, Status
from calls.services import CallsError
from tests.calls.builders import GOOD, draft, in_review, make_call, pdf, submitted
from tests.factories import UserFactory


def test_screening_out_needs_a_reason_and_tells_the_applicant(
    client_for, learner, staff, django_capture_on_commit_callbacks
):
    application = submitted(make_call(), learner)
    client = client_for(staff)
    url = reverse("calls:staff_action", args=[application.pk])
    response = client.post("/en" + url, {"action": "screen", "compliant": "no", "note": ""})
    assert response.status_code == 400 and "Give the reason" in response.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "screen", "compliant": "no", "note": "ბიუჯეტი აკლია"})
    application.refresh_from_db()
    assert application.status == Status.SCREENED_OUT
    assert [e.action for e in application.events.all()] == ["submit", "start_screening", "screen_out"]
    assert "ბიუჯეტი აკლია" in mail.outbox[0].body and mail.outbox[0].to == [learner.email]
    assert "ბიუჯეტი აკლია" in client_for(learner).get(application.get_absolute_url()).content.decode()


def test_more_information_round_trip_keeps_versions_and_shows_staff_the_difference(
    client_for, learner, staff, django_capture_on_commit_callbacks
):
    call = make_call()
    application = in_review(call, learner, staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_more_information(
            application=application,
            by=staff,
            question="დააზუსტეთ გამოცდილება",
            open_fields=["experience_years"],
        )
    assert "დააზუსტეთ გამოცდილება" in mail.outbox[-1].body
    client = client_for(learner)
    form_url = reverse("calls:application_form", args=[application.pk])
    assert "დააზუსტეთ გამოცდილება" in client.get(form_url).content.decode()
    client.post(
        form_url,
        {
            "f_experience_years": "7",
            "f_motivation": "შეცვლილი?",
            "info_answer": "7 წელი მაქვს",
            "submit": "1",
        },
    )
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW and application.version == 2
    assert application.data["experience_years"] == "7"
    assert application.data["motivation"] == GOOD["motivation"]  # not opened by staff: unchanged
    assert list(application.versions.values_list("number", flat=True)) == [1, 2]
    assert application.versions.get(number=1).data["experience_years"] == "3"
    html = client_for(staff).get(reverse("calls:manage_application", args=[application.pk])).content.decode()
    assert "<del>3</del>" in html and "<ins>7</ins>" in html and "7 წელი მაქვს" in html


def test_late_answer_to_an_information_request_is_refused(learner, staff):
    application = in_review(make_call(), learner, staff)
    request = services.request_more_information(
        application=application, by=staff, question="?", open_fields=[]
    )
    request.respond_by = timezone.now() - timedelta(seconds=1)
    request.save(update_fields=["respond_by"])
    with pytest.raises(CallsError) as error:
        services.resubmit_application(application=application, by=learner, answer="გვიან")
    assert error.value.code == "late"


def test_decision_letter_waits_for_staff_then_the_worker_sends_it(
    client_for, learner, staff, django_capture_on_commit_callbacks
):
    call = make_call()
    DecisionTemplate.objects.create(
        call=call,
        outcome="accepted",
        subject_ka="გილოცავთ",
        subject_en="Congratulations",
        body_ka="ძვირფასო {name}, {reference} მიღებულია.",
        body_en="Dear {name}, {reference} is accepted.",
    )
    application = in_review(call, learner, staff)
    Application.objects.filter(pk=application.pk).update(review_count=1)  # a reviewer has scored it
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(
            reverse("calls:staff_action", args=[application.pk]), {"action": "decide", "outcome": "accepted"}
        )
    application.refresh_from_db()
    assert (application.status, application.outcome) == (Status.DECIDED, "accepted")
    assert mail.outbox == []
    letter = OutboxMessage.objects.get()
    assert letter.status == OutboxStatus.PENDING
    assert f"ძვირფასო ნინო ბერიძე, {application.reference} მიღებულია." in letter.body
    assert f"Dear Nino Beridze, {application.reference} is accepted." in letter.body
    learner_client = client_for(learner)
    assert "მიღებულია" not in learner_client.get(application.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(reverse("calls:outbox"), {"message": [letter.pk], "approve": "1"})
    letter.refresh_from_db()
    assert letter.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "გილოცავთ / Congratulations"
    html = client_for(learner).get("/en" + application.get_absolute_url()).content.decode()
    assert "Accepted" in html and "is accepted." in html


def test_bulk_decision_decides_those_it_can_and_reports_the_others(client_for, learner, other_learner, staff):
    call = make_call(min_reviews=1)
    ready = in_review(call, learner, staff)
    Application.objects.filter(pk=ready.pk).update(review_count=1)
    not_ready = submitted(call, other_learner)
    unreviewed = in_review(call, UserFactory(), staff)
    response = client_for(staff).post(
        reverse("calls:bulk_decide", args=[call.slug]),
        {"application": [ready.pk, not_ready.pk, unreviewed.pk], "outcome": "waitlisted"},
        follow=True,
    )
    ready.refresh_from_db()
    not_ready.refresh_from_db()
    unreviewed.refresh_from_db()
    assert (ready.status, ready.outcome) == (Status.DECIDED, "waitlisted")
    assert not_ready.status == Status.SUBMITTED and unreviewed.status == Status.IN_REVIEW
    assert OutboxMessage.objects.count() == 1
    assert "გადაწყვეტილებისთვის საჭირო წარდგენილი შეფასებები: 1" in response.content.decode()


def test_no_decision_before_the_calls_minimum_of_reviews_without_a_reason(client_for, learner, staff):
    # review: the rule lives in services.decide now (tests/calls/test_review_cycle.py tests the override)
    call = make_call(min_reviews=1)
    application = in_review(call, learner, staff)
    client = client_for(staff)
    page = client.get(f"/en/calls/manage/applications/{application.pk}/").content.decode()
    assert "A decision needs 1 submitted review" in page and 'name="override_reason"' in page
    client.post(
        reverse("calls:staff_action", args=[application.pk]), {"action": "decide", "outcome": "accepted"}
    )
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW and not OutboxMessage.objects.exists()
    Application.objects.filter(pk=application.pk).update(review_count=1)
    page = client.get(f"/en/calls/manage/applications/{application.pk}/").content.decode()
    assert 'value="decide"' in page


def test_decision_and_withdrawal_at_once_give_one_outcome(learner, staff):
    application = in_review(make_call(), learner, staff)
    stale = Application.objects.get(pk=application.pk)  # the applicant's page, loaded before the decision
    services.decide(application=application, by=staff, outcome="rejected")
    with pytest.raises(CallsError):
        services.withdraw_application(application=stale, by=learner)
    application.refresh_from_db()
    assert (application.status, application.outcome) == (Status.DECIDED, "rejected")
    assert [e.action for e in application.events.all()][-1] == "decide"


def _bulk_applications(call, count):
    users = UserFactory.create_batch(count)
    Application.objects.bulk_create(
        [
            Application(
                call=call,
                applicant=u,
                status=Status.IN_REVIEW,
                reference=f"CH-2026-{i:06d}",
                submitted_at=timezone.now(),
                score=Decimal(i % 100),
                review_count=2,
            )
            for i, u in enumerate(users, start=1)
        ]
    )


@pytest.mark.parametrize("count", [1, 3])
def test_ranking_table_query_count_is_constant(client_for, staff, count, django_assert_num_queries):
    call = make_call()
    _bulk_applications(call, count)
    client = client_for(staff)
    url = reverse("calls:manage_call", args=[call.slug]) + "?sort=score"
    client.get(url)
    with django_assert_num_queries(
        9
    ):  # with the viewer's roles and two-factor state, and the call's decline reasons
        response = client.get(url)
    assert response.content.decode().count('name="application"') == count


def test_ranking_table_rows_show_rank_link_label_status_score_and_spread(
    client_for, staff, learner, other_learner
):
    from tests.factories import OrganisationFactory

    call = make_call()
    organisation = OrganisationFactory(name_ka="ორგანიზაცია", name_en="Civic <Lab>")
    Application.objects.bulk_create(
        [
            Application(
                call=call,
                applicant=learner,
                organisation=organisation,
                status=Status.DECIDED,
                outcome="accepted",
                reference="CH-2026-000001",
                submitted_at=timezone.now(),
                score=Decimal("87.5"),
                review_count=3,
                score_spread=Decimal("40.25"),
                disagreement=True,
            ),
            Application(
                call=call,
                applicant=other_learner,
                status=Status.SUBMITTED,
                reference="CH-2026-000002",
                submitted_at=timezone.now(),
                score=None,
                review_count=0,
            ),
        ]
    )
    first, second = Application.objects.filter(call=call).order_by("reference")
    link = f"/calls/manage/applications/{first.pk}/"
    html = client_for(staff).get(f"/en/calls/{call.slug}/manage/").content.decode()
    assert (
        f'<td><input type="checkbox" name="application" value="{first.pk}" id="sel-{first.pk}" '
        f'aria-label="Select CH-2026-000001"></td>\n  <td>1</td>\n  <td><a href="/en{link}">CH-2026-000001</a></td>\n'
        '  <td>Nino Beridze<br><span class="small muted">Civic &lt;Lab&gt;</span></td>\n'
        "  <td>Decided: Accepted</td>\n  <td>87.50</td>\n  <td>3</td>\n"
        '  <td><span class="badge warn">spread 40.25</span></td>'
    ) in html
    # not reviewed yet: nothing to select for a decision
    assert f'id="sel-{second.pk}"' not in html and "<td></td>\n  <td>2</td>\n" in html
    assert "<td>Submitted</td>\n  <td>—</td>\n  <td>0</td>\n  <td></td>" in html
    html = client_for(staff).get(f"/calls/{call.slug}/manage/").content.decode()
    assert (
        'aria-label="განაცხადის CH-2026-000001 მონიშვნა"' in html
        and "გაბნევა 40.25" in html
        and "ორგანიზაცია" in html
    )
    assert f'href="{link}"' in html and f'id="sel-{first.pk}"' in html


def test_ranking_table_ranks_continue_on_the_next_page(client_for, staff):
    call = make_call()
    _bulk_applications(call, 30)
    html = (
        client_for(staff)
        .get(reverse("calls:manage_call", args=[call.slug]) + "?sort=reference&page=2")
        .content.decode()
    )
    assert html.count('name="application"') == 5
    assert 'aria-label="განაცხადის CH-2026-000026 მონიშვნა"></td>\n  <td>26</td>' in html
    assert 'aria-label="განაცხადის CH-2026-000030 მონიშვნა"></td>\n  <td>30</td>' in html
    assert "?sort=reference&amp;page=1" in html


def test_ranking_filters_show_each_request_its_own_choices_and_errors(client_for, staff):
    call = make_call()
    client = client_for(staff)
    url = f"/en/calls/{call.slug}/manage/"
    for _ in range(2):  # the second time from the kept HTML
        html = client.get(url + "?status=submitted&sort=reviews").content.decode()
        assert '<option value="submitted" selected>' in html and '<option value="reviews" selected>' in html
        html = client.get(url + "?status=in_review").content.decode()
        assert '<option value="in_review" selected>' in html and '<option value="submitted">' in html
        assert (
            '<option value="score">' in html
            and " selected>" not in html.split('name="sort"')[1].split("</select>")[0]
        )
        html = client.get(url + "?status=nonsense").content.decode()
        assert "Select a valid choice. nonsense is not one of the available choices." in html
        html = client.get(f"/calls/{call.slug}/manage/").content.decode()
        assert 'name="outcome" value="accepted"' in html and "მიღებულია" in html
        assert "Select a valid choice" not in client.get(url).content.decode()


def test_staff_list_of_a_thousand_applications_sorted_by_score_in_at_most_twelve_queries(
    client_for, staff, django_assert_max_num_queries
):
    call = make_call()
    _bulk_applications(call, 1000)
    client = client_for(staff)
    url = reverse("calls:manage_call", args=[call.slug]) + "?sort=score&page=3"
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    assert (
        html.count('name="application"') == 25 and "Page 3 of 40" in client.get("/en" + url).content.decode()
    )


def test_exports_csv_xlsx_and_attachments_zip(client_for, learner, staff):
    call = make_call(file=True)
    application = draft(call, learner, files={"cv": pdf("ჩემი.pdf")})
    application = services.submit_application(application=application, by=learner)
    client = client_for(staff)
    text = client.get(reverse("calls:export_csv", args=[call.slug])).content.decode("utf-8-sig")
    assert application.reference in text and learner.email in text and "ჩემი.pdf" in text
    workbook = load_workbook(io.BytesIO(client.get(reverse("calls:export_xlsx", args=[call.slug])).content))
    assert workbook.active["A2"].value == application.reference
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("calls:export_attachments", args=[call.slug])).content)
    )
    names = archive.namelist()
    assert (
        len(names) == 1 and names[0].startswith(application.reference + "/") and names[0].endswith("ჩემი.pdf")
    )


def test_deadline_reminder_goes_once_to_unsubmitted_drafts_48_hours_before(learner, other_learner):
    soon = make_call(closes_at=timezone.now() + timedelta(hours=47))
    later = make_call(closes_at=timezone.now() + timedelta(hours=49))
    draft(soon, learner)
    draft(later, learner)
    submitted(soon, other_learner)
    mail.outbox.clear()
    assert services.send_deadline_reminders() == 1
    assert services.send_deadline_reminders() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [learner.email]


def test_api_lists_certification_calls_and_accepted_applicants(learner, other_learner, staff):
    call = make_call(kind="certification")
    make_call(kind="small_grant")
    accepted = in_review(call, learner, staff)
    rejected = in_review(call, other_learner, staff)
    services.decide(application=accepted, by=staff, outcome="accepted")
    services.decide(application=rejected, by=staff, outcome="rejected")
    assert list(api.certification_calls()) == [call]
    assert api.accepted_applicants(call=call) == [learner]
    assert api.call_by_pk(call.pk) == call


def test_call_must_close_after_it_opens(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_call(closes_at=timezone.now() - timedelta(days=5))
    assert Call.objects.count() == 0
