"""Permission-matrix rows of awards' offers: the applicant (learner) answers; staff make, withdraw, promote and
export; everyone else gets 404 for an offer or a call's offers, 403 for the staff index."""

from awards.services import offers as services
from calls.models import Outcome
from tests.awards.offers.builders import accepted, decided
from tests.calls.builders import make_call
from tests.matrix import SIGNED_IN, STAFF_ONLY, Row, expect


def build(world):
    world.offers_call = make_call(slug="matrix-offers")
    application = accepted(world.offers_call, world.learner, world.staff)
    world.offers_offer = services.make_offer(application=application, by=world.staff)
    # A declined offer with a waiting list behind it (for the promotion row).
    declined = accepted(world.offers_call, world.org_admin, world.staff)
    world.offers_declined = services.make_offer(application=declined, by=world.staff)
    services.decline_offer(offer=world.offers_declined, by=world.org_admin)
    world.offers_waitlisted = decided(world.offers_call, world.other, world.staff, outcome=Outcome.WAITLISTED)
    # An accepted application still without an offer (the single-offer form).
    world.offers_no_offer = accepted(world.offers_call, world.mentor, world.staff)


def _offer(w):
    return [w.offers_offer.pk]


def _call(w):
    return [w.offers_call.slug]


RESPONDENT = expect(404, anon=302, learner=200, staff=200)
ANSWER = expect(404, anon=302, learner=302)
STAFF_404 = expect(404, anon=302, staff=200)
STAFF_POST = expect(404, anon=302, staff=302)

ROWS = [
    Row("awards:my_offers", SIGNED_IN),
    Row("awards:offer_detail", RESPONDENT, args=_offer),
    Row("awards:offer_accept", ANSWER, method="post", args=_offer, data=lambda w: {"acknowledge": "on"}),
    Row("awards:offer_decline", ANSWER, method="post", args=_offer, data=lambda w: {"reason": ""}),
    Row("awards:offer_agreement", RESPONDENT, args=_offer),
    Row("awards:offer_signed_copy", expect(404, anon=302), args=_offer, note="no signed copy uploaded"),
    Row("awards:offer_withdraw", STAFF_POST, method="post", args=_offer, data=lambda w: {"note": ""}),
    Row(
        "awards:offer_promote",
        STAFF_POST,
        method="post",
        args=lambda w: [w.offers_declined.pk],
        data=lambda w: {"application": str(w.offers_waitlisted.pk)},
    ),
    Row("awards:staff_offers", STAFF_ONLY),
    Row("awards:call_offers", STAFF_404, args=_call),
    Row(
        "awards:make_offers",
        STAFF_POST,
        method="post",
        args=_call,
        data=lambda w: {
            "response_deadline": "2099-01-01T12:00",
            "agreement_mode": "acknowledge",
            "scope": "all",
        },
    ),
    Row("awards:make_offer", STAFF_404, args=lambda w: [w.offers_no_offer.pk]),
    Row("awards:offers_csv", STAFF_404, args=_call),
    Row("awards:offers_xlsx", STAFF_404, args=_call),
]
