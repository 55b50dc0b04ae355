"""Waitlisted applications decided later: the table keyed on outcome, exhaustively; letters; audit; the api."""

import itertools

import pytest

from accounts.models import AuditEntry
from calls import api, services
from calls.models import Application, ApplicationEvent, OutboxMessage, OutboxStatus, Outcome, Status
from calls.services import ACTIONS, APPLICANT, REVIEWER, ROLES, STAFF, TRANSITIONS, CallsError
from tests.calls.builders import in_review, make_call, scores_for

# Every state the table can see: each status, and a decided application with each outcome.
STATES = [(status, "") for status in Status.values] + [(Status.DECIDED, o) for o in Outcome.values]
CASES = [(s, o, a, r) for (s, o), a, r in itertools.product(STATES, ACTIONS, ROLES)]


@pytest.fixture
def actors(learner, staff, reviewer):
    return {APPLICANT: learner, STAFF: staff, REVIEWER: reviewer}


def test_the_table_lets_staff_decide_the_waiting_list_later():
    edges = {(t.source, t.action, t.target, t.role) for t in TRANSITIONS.values()}
    assert ("decided:waitlisted", "accept_waitlisted", "decided:accepted", STAFF) in edges
    assert ("decided:waitlisted", "reject_waitlisted", "decided:rejected", STAFF) in edges
    # Nothing leaves an accepted or rejected decision.
    assert not any(
        t.source in ("decided:accepted", "decided:rejected", "decided") for t in TRANSITIONS.values()
    )


@pytest.mark.parametrize(("status", "outcome", "action", "role"), CASES, ids=["-".join(c) for c in CASES])
def test_every_state_with_its_outcome_allows_exactly_what_the_table_says(
    status, outcome, action, role, actors
):
    application = Application.objects.create(
        call=make_call(), applicant=actors[APPLICANT], status=status, outcome=outcome
    )
    state = services.state_of(application)
    assert state == (f"{status}:{outcome}" if outcome else status)
    expected = TRANSITIONS.get((state, action))
    if expected is not None and expected.role == role:
        services.transition(application=application, action=action, by=actors[role], role=role, note="n")
        application.refresh_from_db()
        assert services.state_of(application) == expected.target
        event = ApplicationEvent.objects.get(application=application)
        assert (event.from_status, event.to_status, event.action, event.actor) == (
            status,
            application.status,
            action,
            actors[role],
        )
    else:
        with pytest.raises(CallsError):
            services.transition(application=application, action=action, by=actors[role], role=role)
        application.refresh_from_db()
        assert (application.status, application.outcome) == (status, outcome)
        assert not ApplicationEvent.objects.filter(application=application).exists()


def _waitlisted(call, learner, staff, reviewer):
    application = in_review(call, learner, staff)
    assignment = services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
    services.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
    services.save_review(
        assignment=assignment,
        by=reviewer,
        scores=scores_for(call, 7, 4),
        comments="",
        recommendation="waitlist",
        submit=True,
    )
    services.decide(application=application, by=staff, outcome=Outcome.WAITLISTED)
    message = OutboxMessage.objects.get(application=application)
    services.approve_outbox(messages=[message], by=staff)
    assert services.deliver_outbox_message(message.pk)
    application.refresh_from_db()
    assert application.decision_published_at is not None
    return application


@pytest.mark.parametrize(
    ("function", "outcome"),
    [(api.accept_waitlisted, Outcome.ACCEPTED), (api.reject_waitlisted, Outcome.REJECTED)],
)
def test_a_waitlisted_application_is_decided_later_with_a_letter_in_the_outbox(
    function, outcome, learner, staff, reviewer
):
    call = make_call()
    application = _waitlisted(call, learner, staff, reviewer)
    function(application=application, by=staff, note="a place became free")
    application.refresh_from_db()
    assert (application.status, application.outcome) == (Status.DECIDED, outcome)
    # The applicant sees the new outcome when its letter is sent, not before.
    assert application.decision_published_at is None
    letter = OutboxMessage.objects.filter(application=application).latest("pk")
    assert letter.status == OutboxStatus.PENDING
    assert letter.to_email == learner.email
    event = ApplicationEvent.objects.filter(application=application).latest("pk")
    assert (event.action, event.actor, event.note) == (function.__name__, staff, "a place became free")
    audit = AuditEntry.objects.get(action=f"calls.application.{function.__name__}")
    assert (audit.actor, audit.note) == (staff, "a place became free")
    services.approve_outbox(messages=[letter], by=staff)
    assert services.deliver_outbox_message(letter.pk)
    application.refresh_from_db()
    assert application.decision_published_at is not None


def test_only_a_waitlisted_application_can_be_promoted_and_only_once(learner, staff, reviewer):
    call = make_call()
    application = _waitlisted(call, learner, staff, reviewer)
    api.accept_waitlisted(application=application, by=staff)
    with pytest.raises(api.CallsError):
        api.accept_waitlisted(application=application, by=staff)
    with pytest.raises(api.CallsError):
        api.reject_waitlisted(application=application, by=staff)
    assert OutboxMessage.objects.filter(application=application).count() == 2


def test_only_staff_decide_the_waiting_list(learner, staff, reviewer):
    application = _waitlisted(make_call(), learner, staff, reviewer)
    for person in (learner, reviewer):
        with pytest.raises(CallsError):
            api.accept_waitlisted(application=application, by=person)
    application.refresh_from_db()
    assert application.outcome == Outcome.WAITLISTED
    assert not AuditEntry.objects.filter(action__startswith="calls.application.").exists()
