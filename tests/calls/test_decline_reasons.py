"""Structured decline reasons: staff define a call's list, choose one or more when rejecting (single or bulk) or
screening out (required when the call offers reasons), and read statistics per call and across calls, exported
as CSV and XLSX at a constant query count."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEntry
from calls import services
from calls.models import DeclineReason, DeclineReasonUse, Status
from calls.services import CallsError
from tests.calls.builders import in_review, make_call, scores_for, submitted
from tests.factories import UserFactory


def reviewed(call, applicant, reviewer, staff):
    application = in_review(call, applicant, staff)
    assignment = services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
    services.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
    services.confirm_statement(reviewer=reviewer, call=call)  # the call's confidentiality statement
    assignment.refresh_from_db()
    services.save_review(
        assignment=assignment,
        by=reviewer,
        scores=scores_for(call, 3, 2),
        comments="",
        recommendation="reject",
        submit=True,
    )
    application.refresh_from_db()
    return application


def reasons(call, staff, *labels):
    return [
        services.save_decline_reason(call=call, by=staff, label_ka=ka, label_en=en, position=n)
        for n, (ka, en) in enumerate(labels, start=1)
    ]


BUDGET = ("ბიუჯეტი არარეალისტურია", "Unrealistic budget")
SCOPE = ("არ შეესაბამება კონკურსის მიზნებს", "Outside the call's aims")
LATE = ("დოკუმენტები აკლია", "Missing documents")


def test_staff_define_reasons_on_the_calls_page_with_audit_entries(client_for, staff):
    call = make_call()
    client = client_for(staff)
    url = reverse("calls:decline_reasons", args=[call.slug])
    response = client.post(
        url, {"new-label_ka": BUDGET[0], "new-label_en": BUDGET[1], "new-position": "1", "new-active": "on"}
    )
    assert response.status_code == 302
    reason = DeclineReason.objects.get(call=call)
    assert (reason.label_ka, reason.label_en, reason.active) == (*BUDGET, True)
    response = client.post(
        url,
        {
            "reason": str(reason.pk),
            f"r{reason.pk}-label_ka": BUDGET[0],
            f"r{reason.pk}-label_en": "Budget not realistic",
            f"r{reason.pk}-position": "2",
        },
    )
    reason.refresh_from_db()
    assert reason.label_en == "Budget not realistic" and not reason.active and reason.position == 2
    assert list(AuditEntry.objects.filter(actor=staff).values_list("action", flat=True).order_by("pk")) == [
        "calls.decline_reason.create",
        "calls.decline_reason.update",
    ]
    assert response.status_code == 302
    html = client.get("/en" + url).content.decode()
    assert "Budget not realistic" in html


def test_a_reason_of_another_call_cannot_be_changed_here(client_for, staff):
    call, other = make_call(), make_call()
    (foreign,) = reasons(other, staff, BUDGET)
    response = client_for(staff).post(
        reverse("calls:decline_reasons", args=[call.slug]), {"reason": str(foreign.pk)}
    )
    assert response.status_code == 404


def test_a_label_in_georgian_is_required(client_for, staff):
    call = make_call()
    response = client_for(staff).post(
        reverse("calls:decline_reasons", args=[call.slug]), {"new-label_en": "Only English"}
    )
    assert response.status_code == 400 and not DeclineReason.objects.exists()


def test_rejecting_needs_a_reason_when_the_call_offers_them(learner, reviewer, staff):
    call = make_call()
    budget, scope = reasons(call, staff, BUDGET, SCOPE)
    application = reviewed(call, learner, reviewer, staff)
    with pytest.raises(CallsError) as refused:
        services.decide(application=application, by=staff, outcome="rejected")
    assert refused.value.code == "reasons"
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW and not application.outbox.exists()
    services.decide(
        application=application,
        by=staff,
        outcome="rejected",
        decline_reasons=[budget.pk, scope.pk, budget.pk],
    )
    assert set(application.decline_reasons.all()) == {budget, scope}
    entry = AuditEntry.objects.get(action="calls.decline_reason.assign")
    assert entry.actor == staff and BUDGET[0] in entry.note and SCOPE[0] in entry.note


def test_accepting_needs_no_reason_and_records_none(learner, reviewer, staff):
    call = make_call()
    (budget,) = reasons(call, staff, BUDGET)
    application = reviewed(call, learner, reviewer, staff)
    services.decide(application=application, by=staff, outcome="accepted", decline_reasons=[budget.pk])
    assert not DeclineReasonUse.objects.exists()


def test_a_call_without_reasons_rejects_as_before(learner, reviewer, staff):
    application = reviewed(make_call(), learner, reviewer, staff)
    services.decide(application=application, by=staff, outcome="rejected")
    application.refresh_from_db()
    assert application.status == Status.DECIDED and not DeclineReasonUse.objects.exists()


def test_reasons_no_longer_offered_or_of_another_call_are_refused(learner, reviewer, staff):
    call, other = make_call(), make_call()
    budget, scope = reasons(call, staff, BUDGET, SCOPE)
    services.save_decline_reason(call=call, by=staff, reason=scope, label_ka=SCOPE[0], active=False)
    (foreign,) = reasons(other, staff, LATE)
    application = reviewed(call, learner, reviewer, staff)
    for chosen in ([scope.pk], [foreign.pk]):
        with pytest.raises(CallsError):
            services.decide(application=application, by=staff, outcome="rejected", decline_reasons=chosen)
    assert not DeclineReasonUse.objects.exists()


def test_screening_out_on_the_staff_page_takes_reasons(client_for, learner, staff):
    call = make_call()
    (late,) = reasons(call, staff, LATE)
    application = submitted(call, learner)
    client = client_for(staff)
    page = client.get(reverse("calls:manage_application", args=[application.pk])).content.decode()
    assert LATE[0] in page and 'name="decline_reasons"' in page
    url = reverse("calls:staff_action", args=[application.pk])
    response = client.post("/en" + url, {"action": "screen", "compliant": "no", "note": "CV აკლია"})
    assert (
        response.status_code == 400
        and "Choose at least one reason for declining" in response.content.decode()
    )
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    client.post(
        url, {"action": "screen", "compliant": "no", "note": "CV აკლია", "decline_reasons": [late.pk]}
    )
    application.refresh_from_db()
    assert application.status == Status.SCREENED_OUT and list(application.decline_reasons.all()) == [late]


def test_passing_screening_needs_no_reason(learner, staff):
    call = make_call()
    reasons(call, staff, LATE)
    application = submitted(call, learner)
    services.screen(application=application, by=staff, compliant=True, note="")
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


def test_bulk_rejection_gives_every_application_the_chosen_reasons(
    client_for, learner, other_learner, reviewer, staff
):
    call = make_call()
    budget, _scope = reasons(call, staff, BUDGET, SCOPE)
    first = reviewed(call, learner, reviewer, staff)
    second = reviewed(call, other_learner, reviewer, staff)
    client = client_for(staff)
    assert BUDGET[0] in client.get(reverse("calls:manage_call", args=[call.slug])).content.decode()
    url = reverse("calls:bulk_decide", args=[call.slug])
    client.post(url, {"application": [first.pk, second.pk], "outcome": "rejected"})
    assert not DeclineReasonUse.objects.exists()  # refused: no reason chosen
    client.post(
        url, {"application": [first.pk, second.pk], "outcome": "rejected", "decline_reasons": [budget.pk]}
    )
    assert set(DeclineReasonUse.objects.values_list("application_id", "reason_id")) == {
        (first.pk, budget.pk),
        (second.pk, budget.pk),
    }


def _declined_calls(count, staff, reviewer):
    """``count`` calls with the same two reasons; in each, two rejections (one with both reasons, one with the
    budget reason) and one screened out without a reason recorded (reasons defined after it)."""
    calls = []
    for n in range(count):
        call = make_call()
        people = [UserFactory(email=f"p{n}-{i}@example.org") for i in range(3)]
        screened = submitted(call, people[2])
        services.screen(application=screened, by=staff, compliant=False, note="არასრული")
        budget, scope = reasons(call, staff, BUDGET, SCOPE)
        first = reviewed(call, people[0], reviewer, staff)
        services.decide(
            application=first, by=staff, outcome="rejected", decline_reasons=[budget.pk, scope.pk]
        )
        second = reviewed(call, people[1], reviewer, staff)
        services.decide(application=second, by=staff, outcome="rejected", decline_reasons=[budget.pk])
        calls.append(call)
    return calls


@pytest.mark.parametrize("count", [1, 3])
def test_statistics_page_has_a_constant_query_count(
    client_for, staff, reviewer, count, django_assert_num_queries
):
    calls = _declined_calls(count, staff, reviewer)
    client = client_for(staff)
    url = "/en" + reverse("calls:decline_statistics")
    client.get(url)
    with django_assert_num_queries(8):  # session, user, roles and two-factor state, then four for the figures
        response = client.get(url)
    html = response.content.decode()
    for call in calls:
        assert call.title_en in html
    stats = response.context["stats"]
    assert [(label, total) for label, _counts, total in stats.labels] == [
        ("Unrealistic budget", 2 * count),
        ("Outside the call's aims", count),
    ]
    entry = stats.calls[0]
    assert (entry.declined, entry.without_reason) == (3, 1)
    assert [(r.label_en, n, share) for r, n, share in entry.reasons] == [
        ("Unrealistic budget", 2, 66.7),
        ("Outside the call's aims", 1, 33.3),
    ]


def test_statistics_export_csv_and_xlsx(client_for, staff, reviewer):
    (call,) = _declined_calls(1, staff, reviewer)
    client = client_for(staff)
    csv_url, xlsx_url = reverse("calls:decline_statistics_csv"), reverse("calls:decline_statistics_xlsx")
    response = client.get("/en" + csv_url)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Reason", call.title_en, "Total"]
    assert rows[1] == ["Unrealistic budget", "2", "2"]
    assert rows[-1] == ["Declined applications", "3", "3"]
    response = client.get("/en" + xlsx_url + "?table=calls")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Call", "Reason", "Offered", "Applications", "Share of declined (%)"]
    assert values[1] == [call.title_en, "Unrealistic budget", "yes", "2", "66.7"]
    assert values[-1] == [call.title_en, "No reason recorded", None, "1", "33.3"]


def test_statistics_in_georgian_group_reasons_by_their_georgian_label(client_for, staff, reviewer):
    _declined_calls(2, staff, reviewer)
    response = client_for(staff).get(reverse("calls:decline_statistics"))
    assert response.context["stats"].labels[0][0] == BUDGET[0]


def test_the_call_management_and_outbox_pages_link_to_the_reasons_and_statistics(client_for, staff):
    call = make_call()
    client = client_for(staff)
    manage = client.get(reverse("calls:manage_call", args=[call.slug])).content.decode()
    assert reverse("calls:decline_reasons", args=[call.slug]) in manage
    assert reverse("calls:decline_statistics") in manage
    assert reverse("calls:decline_statistics") in client.get(reverse("calls:outbox")).content.decode()
