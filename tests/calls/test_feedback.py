"""Feedback to applicants: staff summarise the reviews per criterion (reviewers numbered, never named); the
feedback goes into the decision letter through the outbox, a waiting letter is rewritten when it changes, an
approved one freezes it, and the applicant reads it once the letter has been sent."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEntry
from calls import services
from calls.models import Application, DeclineReason, Feedback, OutboxMessage, OutboxStatus, Status
from calls.services import CallsError
from tests.calls.builders import in_review, make_call, scores_for

REVIEWER_COMMENT = "კარგად დასაბუთებული მოტივაცია"


def reviewed(call, applicant, reviewer, staff, *, comments=REVIEWER_COMMENT):
    application = in_review(call, applicant, staff)
    assignment = services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
    services.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
    services.confirm_statement(reviewer=reviewer, call=call)  # the call's confidentiality statement
    assignment.refresh_from_db()
    services.save_review(
        assignment=assignment,
        by=reviewer,
        scores=scores_for(call, 8, 4),
        comments=comments,
        recommendation="accept",
        submit=True,
    )
    application.refresh_from_db()
    return application


def criterion_keys(call):
    return [str(pk) for pk in call.criteria.values_list("pk", flat=True)]


def names_of(user):
    return [user.full_name_ka, user.full_name_latin, user.email]


def test_the_feedback_page_shows_scores_and_comments_with_reviewers_numbered_never_named(
    client_for, learner, reviewer, staff
):
    call = make_call()
    application = reviewed(call, learner, reviewer, staff)
    html = client_for(staff).get("/en" + reverse("calls:feedback", args=[application.pk])).content.decode()
    assert "Reviewer 1" in html and REVIEWER_COMMENT in html
    assert "Experience" in html and "Motivation" in html and ">8<" in html and ">4<" in html
    for name in names_of(reviewer):
        assert name not in html


def test_start_from_the_comments_fills_the_overall_summary_without_saving(
    client_for, learner, reviewer, staff
):
    call = make_call()
    application = reviewed(call, learner, reviewer, staff)
    url = reverse("calls:feedback", args=[application.pk])
    response = client_for(staff).post(url, {"prefill": "1", "overall": ""})
    assert response.status_code == 200
    assert response.context["form"]["overall"].value() == REVIEWER_COMMENT
    assert not Feedback.objects.exists()


def test_feedback_goes_into_the_decision_letter_in_the_applicants_language_without_reviewer_names(
    client_for, learner, reviewer, staff, django_capture_on_commit_callbacks
):
    learner.language = "en"
    learner.save(update_fields=["language"])
    call = make_call()
    application = reviewed(call, learner, reviewer, staff)
    experience, motivation = criterion_keys(call)
    client = client_for(staff)
    response = client.post(
        reverse("calls:feedback", args=[application.pk]),
        {f"criterion_{experience}": "ძლიერი გამოცდილება", "overall": "კარგი განაცხადი"},
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get(application=application)
    assert feedback.criteria == {experience: "ძლიერი გამოცდილება"} and feedback.updated_by == staff
    assert AuditEntry.objects.filter(action="calls.feedback.save", actor=staff).count() == 1

    services.decide(application=application, by=staff, outcome="accepted")
    letter = OutboxMessage.objects.get(application=application)
    assert "Feedback on your application" in letter.body  # the applicant's language: English
    assert "Experience:\nძლიერი გამოცდილება" in letter.body and "კარგი განაცხადი" in letter.body
    assert "Motivation:" not in letter.body  # no summary for it: left out
    for name in names_of(reviewer):
        assert name not in letter.body

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_outbox(messages=[letter], by=staff)
    assert "ძლიერი გამოცდილება" in mail.outbox[-1].body and mail.outbox[-1].to == [learner.email]
    html = (
        client_for(learner).get(reverse("calls:application_detail", args=[application.pk])).content.decode()
    )
    assert "ძლიერი გამოცდილება" in html and "კარგი განაცხადი" in html
    for name in names_of(reviewer):
        assert name not in html


def test_the_feedback_heading_follows_a_georgian_applicants_language(learner, reviewer, staff):
    call = make_call()
    application = reviewed(call, learner, reviewer, staff)
    services.save_feedback(application=application, by=staff, criteria={}, overall="კარგი განაცხადი")
    services.decide(application=application, by=staff, outcome="rejected")
    body = OutboxMessage.objects.get(application=application).body
    assert "Feedback on your application" not in body
    assert body.rstrip().endswith("კარგი განაცხადი")


def test_a_letter_without_feedback_is_unchanged(learner, reviewer, staff):
    call = make_call()
    application = reviewed(call, learner, reviewer, staff)
    services.save_feedback(application=application, by=staff, criteria={}, overall="   ")
    services.decide(application=application, by=staff, outcome="accepted")
    subject, body = services._letter_without_feedback(application, "accepted")
    assert OutboxMessage.objects.get(application=application).body == body


def test_editing_feedback_rewrites_the_waiting_letter(client_for, learner, reviewer, staff):
    call = make_call()
    application = reviewed(call, learner, reviewer, staff)
    services.save_feedback(application=application, by=staff, criteria={}, overall="პირველი ვერსია")
    services.decide(application=application, by=staff, outcome="accepted")
    assert "პირველი ვერსია" in OutboxMessage.objects.get(application=application).body
    response = client_for(staff).post(
        "/en" + reverse("calls:feedback", args=[application.pk]), {"overall": "მეორე ვერსია"}, follow=True
    )
    assert "now carries it" in response.content.decode()
    body = OutboxMessage.objects.get(application=application).body
    assert "მეორე ვერსია" in body and "პირველი ვერსია" not in body


def test_feedback_cannot_change_once_its_letter_is_approved(client_for, learner, reviewer, staff):
    call = make_call()
    application = reviewed(call, learner, reviewer, staff)
    services.save_feedback(application=application, by=staff, criteria={}, overall="გაგზავნილი ვერსია")
    services.decide(application=application, by=staff, outcome="accepted")
    letter = OutboxMessage.objects.get(application=application)
    services.approve_outbox(messages=[letter], by=staff)
    with pytest.raises(CallsError) as refused:
        services.save_feedback(application=application, by=staff, criteria={}, overall="გვიანი ცვლილება")
    assert refused.value.code == "locked"
    assert Feedback.objects.get(application=application).overall == "გაგზავნილი ვერსია"
    letter.refresh_from_db()
    assert letter.status == OutboxStatus.APPROVED and "გვიანი ცვლილება" not in letter.body
    response = client_for(staff).post(reverse("calls:feedback", args=[application.pk]), {"overall": "x"})
    assert response.status_code == 400
    page = client_for(staff).get("/en" + reverse("calls:feedback", args=[application.pk])).content.decode()
    assert "can no longer change" in page and "Save the feedback" not in page


def test_a_cancelled_letter_does_not_freeze_the_feedback(learner, reviewer, staff):
    call = make_call()
    application = reviewed(call, learner, reviewer, staff)
    services.decide(application=application, by=staff, outcome="accepted")
    services.cancel_outbox(message=OutboxMessage.objects.get(application=application), by=staff)
    feedback, rewritten = services.save_feedback(
        application=application, by=staff, criteria={}, overall="ახალი"
    )
    assert feedback.overall == "ახალი" and rewritten == 0


def test_the_applicant_sees_no_feedback_before_the_letter_is_sent(client_for, learner, reviewer, staff):
    call = make_call()
    application = reviewed(call, learner, reviewer, staff)
    services.save_feedback(application=application, by=staff, criteria={}, overall="ჯერ არ ჩანს")
    services.decide(application=application, by=staff, outcome="accepted")
    html = (
        client_for(learner).get(reverse("calls:application_detail", args=[application.pk])).content.decode()
    )
    assert "ჯერ არ ჩანს" not in html


def test_feedback_is_refused_before_review_and_for_non_staff(learner, other_learner, reviewer, staff):
    call = make_call()
    application = in_review(call, learner, staff)
    services.withdraw_application(application=application, by=learner)
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    with pytest.raises(CallsError):
        services.save_feedback(application=application, by=staff, criteria={}, overall="x")
    other = reviewed(make_call(), other_learner, reviewer, staff)
    with pytest.raises(CallsError):
        services.save_feedback(application=other, by=reviewer, criteria={}, overall="x")


def test_unknown_criteria_are_ignored(learner, reviewer, staff):
    call = make_call()
    other_call = make_call()
    application = reviewed(call, learner, reviewer, staff)
    stray = criterion_keys(other_call)[0]
    feedback, _n = services.save_feedback(
        application=application,
        by=staff,
        criteria={stray: "სხვა", criterion_keys(call)[1]: " ტექსტი "},
        overall="",
    )
    assert feedback.criteria == {criterion_keys(call)[1]: "ტექსტი"}


def test_the_management_page_links_to_the_feedback(client_for, learner, reviewer, staff):
    application = reviewed(make_call(), learner, reviewer, staff)
    html = client_for(staff).get(reverse("calls:manage_application", args=[application.pk])).content.decode()
    assert reverse("calls:feedback", args=[application.pk]) in html


def test_the_demo_has_a_rejection_with_two_reasons_and_a_letter_with_feedback_waiting(db):
    from accounts import demo as accounts_demo
    from calls import demo

    accounts_demo.seed()
    demo.seed()
    demo.seed()  # idempotent
    giorgi = Application.objects.get(
        applicant__email="giorgi@demo.civichub.ge", call__slug="individual-certification-2026"
    )
    assert giorgi.status == Status.DECIDED and giorgi.outcome == "rejected"
    assert giorgi.decline_reasons.count() == 2
    assert DeclineReason.objects.filter(call__slug="small-grants-2026").count() == 3
    (letter,) = OutboxMessage.objects.filter(application=giorgi)
    assert letter.status == OutboxStatus.PENDING and demo.DEMO_OVERALL in letter.body
    assert "expert@demo.civichub.ge" not in letter.body
