"""The registration transition table, every (state, action) pair: allowed or refused."""

import pytest

from events import services
from events.models import Registration
from events.models import RegistrationStatus as S
from tests.events.builders import make_event

EXPECTED = {
    ("pending", "confirm_email"): True,
    ("pending", "rejoin"): False,
    ("pending", "cancel"): True,
    ("pending", "promote"): False,
    ("pending", "check_in"): False,
    ("confirmed", "confirm_email"): False,
    ("confirmed", "rejoin"): False,
    ("confirmed", "cancel"): True,
    ("confirmed", "promote"): False,
    ("confirmed", "check_in"): True,
    ("waitlisted", "confirm_email"): False,
    ("waitlisted", "rejoin"): False,
    ("waitlisted", "cancel"): True,
    ("waitlisted", "promote"): True,
    ("waitlisted", "check_in"): False,
    ("cancelled", "confirm_email"): False,
    ("cancelled", "rejoin"): True,
    ("cancelled", "cancel"): False,
    ("cancelled", "promote"): False,
    ("cancelled", "check_in"): False,
}


def test_table_covers_every_state_and_action():
    assert {(s, a) for s in S.values for a in services.TRANSITIONS} == set(EXPECTED)


@pytest.mark.parametrize(("state", "action"), sorted(EXPECTED))
def test_transition(db, state, action):
    assert services.allowed(state, action) is EXPECTED[(state, action)]
    event = make_event()
    registration = Registration.objects.create(
        event=event, name="ა", email=f"{state}@example.org", status=state
    )
    target = next(iter(services.TRANSITIONS[action][1]))
    if EXPECTED[(state, action)]:
        services._move(registration, action, target, actor=None)
        registration.refresh_from_db()
        assert registration.status == target
    else:
        with pytest.raises(services.RegistrationError):
            services._move(registration, action, target, actor=None)
        registration.refresh_from_db()
        assert registration.status == state
