"""Permission rules of the offers sub-domain."""

from accounts.api import is_programme_staff, rule
from awards.services.offers import is_respondent


@rule("awards.offer.respond")
def _respond(viewer, offer) -> bool:
    """The applicant, or for an organisation's application the organisation's administrator, answers the offer."""
    return is_respondent(viewer, offer)


@rule("awards.offer.view")
def _view(viewer, offer) -> bool:
    """The offer page and its agreement: the people who answer it, and programme staff."""
    return is_respondent(viewer, offer) or is_programme_staff(viewer)


@rule("awards.offer.manage")
def _manage(viewer, obj) -> bool:
    """Programme staff make, withdraw and export offers and promote the waiting list."""
    return is_programme_staff(viewer)
