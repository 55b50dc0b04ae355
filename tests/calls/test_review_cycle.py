"""The review cycle: the minimum of reviews for a decision (and its override), the reviewer's statement,
confidence and abstention, revised scores after a resubmission, the review deadline, reminders and late reviews."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from calls import services
from calls.models import (
    Application,
    ApplicationEvent,
    Assignment,
    OutboxMessage,
    ReviewerStatement,
    ReviewRevision,
    Status,
)
from calls.services import CallsError
from tests.calls.builders import in_review, make_call, scores_for
from tests.factories import UserFactory, give_role


@pytest.fixture
def second_reviewer(db):
    from accounts.models import Role

    return give_role(UserFactory(email="second@example.org", full_name_ka="ლევან გელაშვილი"), Role.REVIEWER)


def assigned(application, reviewer, staff, *, declare=True):
    assignment = services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
    if declare:
        services.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
    assignment.refresh_from_db()
    return assignment


def submit(assignment, reviewer, call, *values, confidence=""):
    return services.save_review(
        assignment=assignment,
        by=reviewer,
        scores=scores_for(call, *values),
        comments="კარგი",
        recommendation="accept",
        submit=True,
        confidence=confidence,
    )


# --- the minimum of submitted reviews ------------------------------------------------------------------


def test_a_decision_below_the_minimum_is_refused_and_allowed_at_it(learner, reviewer, second_reviewer, staff):
    call = make_call(min_reviews=2)
    application = in_review(call, learner, staff)
    submit(assigned(application, reviewer, staff), reviewer, call, 8, 4)
    application.refresh_from_db()
    with pytest.raises(CallsError) as refused:
        services.decide(application=application, by=staff, outcome="accepted")
    assert refused.value.code == "min_reviews" and "1" in refused.value.message
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW and not OutboxMessage.objects.exists()
    submit(assigned(application, second_reviewer, staff), second_reviewer, call, 6, 3)
    application.refresh_from_db()
    services.decide(application=application, by=staff, outcome="accepted")
    application.refresh_from_db()
    assert application.status == Status.DECIDED
    assert not ApplicationEvent.objects.filter(action="review_override").exists()


def test_an_override_needs_a_reason_and_is_kept_in_the_history_and_audit_log(learner, staff):
    application = in_review(make_call(min_reviews=1), learner, staff)
    with pytest.raises(CallsError):
        services.decide(application=application, by=staff, outcome="rejected", override_reason="   ")
    services.decide(
        application=application,
        by=staff,
        outcome="rejected",
        override_reason="ერთადერთი რეცენზენტი ავად არის",
    )
    application.refresh_from_db()
    assert (application.status, application.outcome) == (Status.DECIDED, "rejected")
    event = ApplicationEvent.objects.get(application=application, action="review_override")
    assert (event.actor, event.note) == (staff, "ერთადერთი რეცენზენტი ავად არის")
    audit = AuditEntry.objects.get(action="calls.application.decide_below_minimum")
    assert audit.actor == staff and audit.note == "0/1: ერთადერთი რეცენზენტი ავად არის"


def test_an_abstention_does_not_count_for_the_minimum_or_the_score(learner, reviewer, staff):
    call = make_call(min_reviews=1)
    application = in_review(call, learner, staff)
    assignment = assigned(application, reviewer, staff)
    services.abstain_review(assignment=assignment, by=reviewer, reason="ამ სფეროში არ ვარ კომპეტენტური")
    application.refresh_from_db()
    assert application.review_count == 0 and application.score is None
    with pytest.raises(CallsError):
        services.decide(application=application, by=staff, outcome="accepted")
    assert AuditEntry.objects.get(action="calls.review.abstain").actor == reviewer


def test_staff_decide_below_the_minimum_on_the_page_only_with_a_reason(client_for, learner, staff):
    application = in_review(make_call(min_reviews=1), learner, staff)
    client = client_for(staff)
    url = reverse("calls:staff_action", args=[application.pk])
    response = client.post(f"/en{url}", {"action": "decide", "outcome": "accepted"})
    assert response.status_code == 400
    assert "A decision needs 1 submitted review" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    response = client.post(
        url, {"action": "decide", "outcome": "accepted", "override_reason": "კომისიამ ასე გადაწყვიტა"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.DECIDED
    history = client.get(reverse("calls:manage_application", args=[application.pk])).content.decode()
    assert "კომისიამ ასე გადაწყვიტა" in history
    # The applicant never reads staff's reason.
    page = (
        client_for(learner).get(reverse("calls:application_detail", args=[application.pk])).content.decode()
    )
    assert "კომისიამ ასე გადაწყვიტა" not in page


def test_bulk_decisions_below_the_minimum_are_refused_unless_a_reason_is_given(
    client_for, learner, other_learner, staff
):
    call = make_call(min_reviews=1)
    first, second = in_review(call, learner, staff), in_review(call, other_learner, staff)
    client = client_for(staff)
    url = reverse("calls:bulk_decide", args=[call.slug])
    response = client.post(f"/en{url}", {"application": [first.pk], "outcome": "rejected"}, follow=True)
    assert "A decision needs 1 submitted review" in response.content.decode()
    first.refresh_from_db()
    assert first.status == Status.IN_REVIEW
    client.post(
        url,
        {
            "application": [first.pk, second.pk],
            "outcome": "rejected",
            "override_reason": "დაფინანსება ამოიწურა",
        },
    )
    assert Application.objects.filter(status=Status.DECIDED).count() == 2
    assert ApplicationEvent.objects.filter(action="review_override", note="დაფინანსება ამოიწურა").count() == 2
    assert AuditEntry.objects.filter(action="calls.application.decide_below_minimum").count() == 2


# --- the reviewer's statement ------------------------------------------------------------------------


def test_the_first_review_of_a_call_needs_the_statement_confirmed_once(
    client_for, learner, other_learner, reviewer, staff
):
    call = make_call(
        reviewer_statement_ka="ვიცავ კონფიდენციალურობას.", reviewer_statement_en="I keep it confidential."
    )
    first = assigned(in_review(call, learner, staff), reviewer, staff, declare=False)
    second = assigned(in_review(call, other_learner, staff), reviewer, staff, declare=False)
    client = client_for(reviewer)
    page = client.get(reverse("calls:review", args=[first.pk])).content.decode()
    assert "ვიცავ კონფიდენციალურობას." in page and 'name="accept_statement"' in page
    assert 'name="submit"' not in page  # the statement and the declaration instead of the form
    client.post(reverse("calls:review", args=[first.pk]), {"conflict": "no"})
    first.refresh_from_db()
    assert first.conflict == "pending" and not ReviewerStatement.objects.exists()
    client.post(reverse("calls:review", args=[first.pk]), {"conflict": "no", "accept_statement": "on"})
    statement = ReviewerStatement.objects.get(reviewer=reviewer, call=call)
    assert "ვიცავ კონფიდენციალურობას." in statement.text and "I keep it confidential." in statement.text
    assert AuditEntry.objects.filter(action="calls.review.statement", actor=reviewer).count() == 1
    page = client.get(reverse("calls:review", args=[first.pk])).content.decode()
    assert 'name="submit"' in page
    # The second application of the same call asks only for the declaration.
    page = client.get(reverse("calls:review", args=[second.pk])).content.decode()
    assert 'name="accept_statement"' not in page and "ვიცავ კონფიდენციალურობას." not in page
    client.post(reverse("calls:review", args=[second.pk]), {"conflict": "no"})
    assert ReviewerStatement.objects.count() == 1


def test_a_reviewer_who_declared_before_statements_existed_confirms_it_first(
    client_for, learner, reviewer, staff
):
    call = make_call()
    assignment = assigned(in_review(call, learner, staff), reviewer, staff)
    ReviewerStatement.objects.all().delete()
    with pytest.raises(CallsError) as refused:
        submit(assignment, reviewer, call, 5, 3)
    assert refused.value.code == "statement"
    client = client_for(reviewer)
    page = client.get(f"/en{reverse('calls:review', args=[assignment.pk])}").content.decode()
    assert "I will keep the applications" in page and 'name="confirm_statement"' in page
    client.post(reverse("calls:review", args=[assignment.pk]), {"confirm_statement": "1"})
    assert ReviewerStatement.objects.filter(reviewer=reviewer, call=call).exists()
    submit(assignment, reviewer, call, 5, 3)


# --- confidence and abstention -------------------------------------------------------------------------


def test_confidence_is_kept_and_an_abstention_is_done_for_the_queue_with_its_reason_for_staff(
    client_for, learner, other_learner, reviewer, staff
):
    call = make_call()
    first = assigned(in_review(call, learner, staff), reviewer, staff)
    second = assigned(in_review(call, other_learner, staff), reviewer, staff)
    client = client_for(reviewer)
    client.post(
        reverse("calls:review", args=[first.pk]),
        {
            **{f"score_{k}": v for k, v in scores_for(call, 7, 4).items()},
            "recommendation": "accept",
            "confidence": "high",
            "submit": "1",
        },
    )
    first.refresh_from_db()
    assert first.review.confidence == "high" and first.review.is_submitted
    response = client.post(reverse("calls:review", args=[second.pk]), {"abstain": "1", "reason": ""})
    assert (
        response.status_code == 200
        and not second.application.assignments.filter(review__isnull=False).exists()
    )
    client.post(
        reverse("calls:review", args=[second.pk]), {"abstain": "1", "reason": "ავტორს ვიცნობ ნაწილობრივ"}
    )
    second.refresh_from_db()
    assert second.review.abstained and second.review.is_submitted and second.review.total is None
    queue = client.get("/en/calls/reviews/").content.decode()
    assert "Abstained" in queue and "Not started" not in queue
    page = (
        client_for(staff)
        .get(reverse("calls:manage_application", args=[second.application_id]))
        .content.decode()
    )
    assert "ავტორს ვიცნობ ნაწილობრივ" in page
    page = client_for(staff).get(f"/en/calls/manage/applications/{first.application_id}/").content.decode()
    assert "confidence: High" in page


# --- revised scores after a resubmission -------------------------------------------------------------


def _resubmitted(application, learner, staff, **answers):
    services.request_more_information(
        application=application, by=staff, question="დააზუსტეთ მოტივაცია", open_fields=list(answers)
    )
    application.refresh_from_db()
    services.save_draft(application=application, by=learner, values=answers)
    services.resubmit_application(application=application, by=learner, answer="დავაზუსტე")
    application.refresh_from_db()
    return application


def test_after_a_resubmission_the_reviewer_sees_the_exchange_and_the_diff_and_may_revise(
    client_for, learner, reviewer, staff
):
    call = make_call()
    application = in_review(call, learner, staff)
    assignment = assigned(application, reviewer, staff)
    submit(assignment, reviewer, call, 4, 2, confidence="low")
    client = client_for(reviewer)
    url = reverse("calls:review", args=[assignment.pk])
    assert 'name="revise"' not in client.get(url).content.decode()  # nothing to revise before a resubmission
    _resubmitted(application, learner, staff, motivation="ახალი, დაზუსტებული მოტივაცია")
    page = client.get(url).content.decode()
    assert "დააზუსტეთ მოტივაცია" in page and "დავაზუსტე" in page
    assert "ახალი, დაზუსტებული მოტივაცია" in page and "<del>" in page and 'name="revise"' in page
    response = client.post(
        url, {**{f"score_{k}": v for k, v in scores_for(call, 10, 5).items()}, "revise": "1"}
    )
    assert (
        response.status_code == 200 and ReviewRevision.objects.count() == 1
    )  # the reason and recommendation
    client.post(
        url,
        {
            **{f"score_{k}": v for k, v in scores_for(call, 10, 5).items()},
            "recommendation": "accept",
            "confidence": "high",
            "reason": "პასუხმა ეჭვი გაფანტა",
            "revise": "1",
        },
    )
    revisions = list(ReviewRevision.objects.order_by("number"))
    assert [(r.number, r.reason, r.confidence) for r in revisions] == [
        (1, "", "low"),
        (2, "პასუხმა ეჭვი გაფანტა", "high"),
    ]
    application.refresh_from_db()
    assert application.score == revisions[1].total == 100
    assert AuditEntry.objects.get(action="calls.review.revise").note == "პასუხმა ეჭვი გაფანტა"
    assert 'name="revise"' not in client.get(url).content.decode()  # once per resubmission
    with pytest.raises(CallsError):
        services.revise_review(
            assignment=assignment,
            by=reviewer,
            scores=scores_for(call, 1, 1),
            comments="",
            recommendation="reject",
            reason="again",
        )
    staff_page = client_for(staff).get(f"/en/calls/manage/applications/{application.pk}/").content.decode()
    assert "Score history" in staff_page and "პასუხმა ეჭვი გაფანტა" in staff_page


def test_the_diff_of_a_blind_call_shows_no_identifying_answer(client_for, learner, reviewer, staff):
    call = make_call(blind=True)
    application = in_review(call, learner, staff)
    assignment = assigned(application, reviewer, staff)
    _resubmitted(application, learner, staff, motivation="დაზუსტებული", full_name="ნინო ბერიძე-ახალი")
    page = client_for(reviewer).get(reverse("calls:review", args=[assignment.pk])).content.decode()
    assert "დაზუსტებული" in page
    assert "ბერიძე" not in page and learner.email not in page


# --- the review deadline, reminders and late reviews --------------------------------------------------


def test_reviewers_see_the_deadline_on_their_queue_and_review_page(client_for, learner, reviewer, staff):
    deadline = timezone.now() + timedelta(days=5)
    call = make_call(review_deadline=deadline)
    assignment = assigned(in_review(call, learner, staff), reviewer, staff)
    client = client_for(reviewer)
    expected = timezone.localtime(deadline).strftime("%H:%M")
    for url in (reverse("calls:review_queue"), reverse("calls:review", args=[assignment.pk])):
        page = client.get(url).content.decode()
        assert "შეფასების ვადა:" in page and expected in page


def test_reminders_go_three_days_and_one_day_before_the_deadline_once_each_in_the_reviewers_language(
    learner, other_learner, reviewer, second_reviewer, staff
):
    deadline = timezone.now() + timedelta(days=10)
    call = make_call(review_deadline=deadline)
    reviewer.language = "en"
    reviewer.save(update_fields=["language"])
    pending = assigned(in_review(call, learner, staff), reviewer, staff)
    done = assigned(in_review(call, other_learner, staff), reviewer, staff)
    submit(done, reviewer, call, 5, 3)
    georgian = assigned(pending.application, second_reviewer, staff)
    mail.outbox.clear()
    assert services.send_review_reminders(now=deadline - timedelta(days=4)) == 0
    assert services.send_review_reminders(now=deadline - timedelta(days=3)) == 2
    assert services.send_review_reminders(now=deadline - timedelta(days=2)) == 0
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {reviewer.email, second_reviewer.email}
    assert "the deadline is near" in by_person[reviewer.email].subject
    assert "Review deadline:" in by_person[reviewer.email].body
    assert "შეფასების ვადა:" in by_person[second_reviewer.email].body
    assert learner.display_name not in by_person[reviewer.email].body  # never the applicant's name
    assert services.send_review_reminders(now=deadline - timedelta(hours=20)) == 2
    assert services.send_review_reminders(now=deadline - timedelta(hours=19)) == 0
    assert len(mail.outbox) == 4
    pending.refresh_from_db()
    georgian.refresh_from_db()
    assert pending.reminded_3d_at and pending.reminded_1d_at and georgian.reminded_1d_at


def test_an_assignment_made_within_a_day_of_the_deadline_gets_one_reminder(learner, reviewer, staff):
    deadline = timezone.now() + timedelta(hours=12)
    assigned(in_review(make_call(review_deadline=deadline), learner, staff), reviewer, staff)
    mail.outbox.clear()
    assert services.send_review_reminders() == 1
    assert services.send_review_reminders() == 0
    assert len(mail.outbox) == 1


def _late_world(n, staff):
    from accounts.models import Role

    deadline = timezone.now() - timedelta(days=3)
    call = make_call(
        review_deadline=deadline,
        opens_at=deadline - timedelta(days=20),
        closes_at=deadline - timedelta(days=10),
    )
    assignments = []
    with time_machine.travel(deadline - timedelta(days=12), tick=False):
        for _ in range(n):
            reviewer = give_role(UserFactory(), Role.REVIEWER)
            assignments.append(assigned(in_review(call, UserFactory(), staff), reviewer, staff))
    return call, assignments


@pytest.mark.parametrize("n", [1, 3])
def test_staff_see_who_is_late_with_constant_queries(client_for, staff, n, django_assert_num_queries):
    call, assignments = _late_world(n, staff)
    client = client_for(staff)
    url = reverse("calls:late_reviews", args=[call.slug])
    client.get(url)
    with django_assert_num_queries(7):
        page = client.get(url).content.decode()
    for assignment in assignments:
        assert assignment.application.reference in page and assignment.reviewer.email in page
    assert "<td>3</td>" in page  # days late


def test_a_submitted_review_is_not_late_and_a_nudge_is_one_email_audited(
    client_for, staff, django_capture_on_commit_callbacks
):
    call, (late, done) = _late_world(2, staff)
    submit(done, done.reviewer, call, 5, 3)
    client = client_for(staff)
    url = reverse("calls:late_reviews", args=[call.slug])
    page = client.get(url).content.decode()
    assert late.application.reference in page and done.application.reference not in page
    mail.outbox.clear()
    assert client.post(url, {"assignment": done.pk}).status_code == 404  # not late: nothing to nudge
    for _ in range(2):  # a double click sends one email
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, {"assignment": late.pk}).status_code == 302
    assert [m.to for m in mail.outbox] == [[late.reviewer.email]]
    assert "overdue" in mail.outbox[0].subject or "ვადა" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action="calls.review.nudge", actor=staff).count() == 1
    late.refresh_from_db()
    assert late.nudged_at is not None
    assert (
        reverse("calls:late_reviews", args=[call.slug])
        in client.get(reverse("calls:manage_call", args=[call.slug])).content.decode()
    )


# --- the waiting list on staff's page ----------------------------------------------------------------


def test_staff_accept_a_waitlisted_application_from_its_page(client_for, learner, staff):
    application = in_review(make_call(), learner, staff)
    services.decide(application=application, by=staff, outcome="waitlisted")
    client = client_for(staff)
    page = client.get(f"/en/calls/manage/applications/{application.pk}/").content.decode()
    assert 'value="accept_waitlisted"' in page and 'value="reject_waitlisted"' in page
    response = client.post(
        reverse("calls:staff_action", args=[application.pk]),
        {"action": "accept_waitlisted", "note": "ადგილი გათავისუფლდა"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.outcome) == (Status.DECIDED, "accepted")
    assert OutboxMessage.objects.filter(application=application).count() == 2
    assert Assignment.objects.count() == 0


# --- demo ----------------------------------------------------------------------------------------------------


def test_the_demo_shows_deadlines_a_statement_and_a_revised_review_with_its_history(client_for, staff):
    from accounts import demo as accounts_demo
    from calls import demo
    from calls.models import Call

    accounts_demo.seed()
    demo.seed()
    demo.seed()
    call = Call.objects.get(slug="individual-certification-2026")
    assert call.review_deadline is not None and call.review_deadline > call.closes_at
    assert ReviewerStatement.objects.filter(call=call, reviewer__email="expert@demo.civichub.ge").count() == 1
    nino = Application.objects.get(applicant__email="nino@demo.civichub.ge", call=call)
    assert nino.status == Status.IN_REVIEW and nino.version == 2
    revisions = list(ReviewRevision.objects.filter(review__assignment__application=nino).order_by("number"))
    assert [r.number for r in revisions] == [1, 2] and revisions[1].reason
    page = client_for(staff).get(f"/en/calls/manage/applications/{nino.pk}/").content.decode()
    assert "Score history" in page
