"""The transition table, exhaustively: every (state, action, role) is allowed exactly when the table says."""

import contextlib
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calls import services
from calls.models import Application, ApplicationEvent, Status
from calls.services import ACTIONS, APPLICANT, REVIEWER, ROLES, STAFF, TRANSITIONS, CallsError
from tests.calls.builders import make_call

CASES = list(itertools.product(Status.values, ACTIONS, ROLES))


@pytest.fixture
def actors(learner, staff, reviewer):
    return {APPLICANT: learner, STAFF: staff, REVIEWER: reviewer}


def test_the_table_has_the_workflow_of_the_issue():
    edges = {(t.source, t.action, t.target, t.role) for t in TRANSITIONS.values()}
    assert ("draft", "submit", "submitted", APPLICANT) in edges
    assert ("in_review", "request_info", "more_info_requested", STAFF) in edges
    assert ("more_info_requested", "resubmit", "in_review", APPLICANT) in edges
    assert ("in_review", "decide", "decided", STAFF) in edges
    withdrawable = {t.source for t in TRANSITIONS.values() if t.action == "withdraw"}
    assert withdrawable == {"draft", "submitted", "screening", "in_review", "more_info_requested"}
    assert not any(t.role == REVIEWER for t in TRANSITIONS.values())


@pytest.mark.parametrize(("status", "action", "role"), CASES, ids=["-".join(c) for c in CASES])
def test_transition_is_allowed_exactly_when_the_table_says(status, action, role, actors):
    call = make_call()
    application = Application.objects.create(call=call, applicant=actors[APPLICANT], status=status)
    expected = TRANSITIONS.get((status, action))
    allowed = expected is not None and expected.role == role
    if allowed:
        services.transition(application=application, action=action, by=actors[role], role=role, note="n")
        application.refresh_from_db()
        assert application.status == expected.target
        event = ApplicationEvent.objects.get(application=application)
        assert (event.from_status, event.to_status, event.actor, event.note) == (
            status,
            expected.target,
            actors[role],
            "n",
        )
    else:
        with pytest.raises(CallsError):
            services.transition(application=application, action=action, by=actors[role], role=role)
        application.refresh_from_db()
        assert application.status == status
        assert not ApplicationEvent.objects.filter(application=application).exists()


@pytest.mark.parametrize(
    ("action", "source", "role"), [(t.action, t.source, t.role) for t in TRANSITIONS.values()]
)
def test_a_person_without_the_role_cannot_take_an_allowed_transition(
    action, source, role, other_learner, learner
):
    call = make_call()
    application = Application.objects.create(call=call, applicant=learner, status=source)
    with pytest.raises(CallsError):
        services.transition(application=application, action=action, by=other_learner, role=role)
    application.refresh_from_db()
    assert application.status == source


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(ROLES)), max_size=12))
def test_random_action_sequences_never_reach_an_invalid_state(steps, actors):
    call = make_call()
    application = Application.objects.create(call=call, applicant=actors[APPLICANT])
    path = [application.status]
    for action, role in steps:
        with contextlib.suppress(CallsError):
            services.transition(application=application, action=action, by=actors[role], role=role)
        application.refresh_from_db()
        assert application.status in Status.values
        if application.status != path[-1]:
            assert (path[-1], action) in TRANSITIONS
            path.append(application.status)
    events = list(ApplicationEvent.objects.filter(application=application).order_by("pk"))
    assert [e.to_status for e in events] == path[1:]
    assert all(a.to_status == b.from_status for a, b in itertools.pairwise(events))
    if Status.DECIDED in path:
        assert path[path.index(Status.DECIDED) - 1] == Status.IN_REVIEW
    if path[-1] in (Status.DECIDED, Status.WITHDRAWN, Status.SCREENED_OUT):
        assert not any(t.source == path[-1] for t in TRANSITIONS.values())
