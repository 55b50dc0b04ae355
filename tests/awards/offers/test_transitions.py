"""The offer transition table, exhaustively: every (state, action, role) is allowed or refused as the table says."""

import itertools

import pytest

from accounts.models import AuditEntry
from awards.models.offers import Offer, OfferEvent, OfferStatus
from awards.services import offers as services
from awards.services.offers import OFFER_TRANSITIONS, RESPONDENT, ROLES, STAFF, SYSTEM, OfferError

TABLE_ACTIONS = sorted({t.action for t in OFFER_TRANSITIONS.values()})
CASES = list(itertools.product(OfferStatus.values, TABLE_ACTIONS, ROLES))


def test_the_table_says_who_moves_an_offer_where():
    edges = {(t.source, t.action, t.target, t.role) for t in OFFER_TRANSITIONS.values()}
    assert edges == {
        ("made", "accept", "accepted", RESPONDENT),
        ("made", "decline", "declined", RESPONDENT),
        ("made", "expire", "expired", SYSTEM),
        ("made", "withdraw", "withdrawn", STAFF),
        ("declined", "promote", "declined", STAFF),
        ("expired", "promote", "expired", STAFF),
    }


@pytest.mark.parametrize(("status", "action", "role"), CASES, ids=["-".join(c) for c in CASES])
def test_every_state_allows_exactly_what_the_table_says(status, action, role, offer, learner, staff):
    actors = {RESPONDENT: learner, STAFF: staff, SYSTEM: None}
    Offer.objects.filter(pk=offer.pk).update(status=status)
    offer.refresh_from_db()
    OfferEvent.objects.all().delete()
    AuditEntry.objects.filter(action__startswith="awards.offer.").delete()
    expected = OFFER_TRANSITIONS.get((status, action))
    if expected is not None and expected.role == role:
        services._transition(offer=offer, action=action, by=actors[role], role=role, note="n")
        offer.refresh_from_db()
        assert offer.status == expected.target
        event = OfferEvent.objects.get(offer=offer)
        assert (event.from_status, event.to_status, event.action, event.by) == (
            status,
            expected.target,
            action,
            actors[role],
        )
        assert AuditEntry.objects.filter(action=f"awards.offer.{action}", actor=actors[role]).count() == 1
    else:
        with pytest.raises(OfferError):
            services._transition(offer=offer, action=action, by=actors[role], role=role)
        offer.refresh_from_db()
        assert offer.status == status
        assert not OfferEvent.objects.filter(offer=offer).exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_wrong_person_cannot_take_a_role(role, offer, other_learner):
    with pytest.raises(OfferError):
        services._transition(offer=offer, action="accept", by=other_learner, role=RESPONDENT)
    with pytest.raises(OfferError):
        services._transition(offer=offer, action="withdraw", by=other_learner, role=STAFF)
    with pytest.raises(OfferError):
        services._transition(offer=offer, action="expire", by=other_learner, role=SYSTEM)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.MADE
