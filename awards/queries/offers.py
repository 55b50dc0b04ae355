"""Offers: reads and the access helpers (404 for outsiders)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import require
from awards.models.offers import Offer, OfferEvent, OfferStatus
from awards.services.offers import next_waitlisted
from calls.api import (
    Application,
    Call,
    accepted_applications,
    calls_with_accepted,
    spreadsheet_cell,
    waitlisted_applications,
)

__all__ = [
    "accepted_rows",
    "application_for_offer",
    "export_table",
    "waitlisted_of",
    "call_for_staff",
    "events_of",
    "next_waitlisted",
    "offer_for",
    "offers_of",
    "offers_of_call",
    "offers_to_promote",
    "staff_calls",
    "staff_counts",
]

_RELATED = ("application__call", "application__applicant", "application__organisation")


def offer_for(viewer, pk: int) -> Offer:
    """An offer for the people who answer it and for programme staff; 404 for anyone else."""
    if not viewer.is_authenticated:
        raise Http404
    offer = get_object_or_404(Offer.objects.select_related(*_RELATED), pk=pk)
    require(viewer, "awards.offer.view", offer)
    return offer


def _respondent_filter(viewer) -> Q:
    return Q(application__applicant_id=viewer.pk) | Q(
        application__organisation_id__in=list(viewer.admin_organisation_ids)
    )


def offers_of(viewer) -> QuerySet[Offer]:
    """The offers this person answers (their own and their organisations' as admin), open ones first."""
    return (
        Offer.objects.filter(_respondent_filter(viewer))
        .select_related(*_RELATED)
        .order_by("-response_deadline", "-pk")
    )


def events_of(offer: Offer) -> QuerySet[OfferEvent]:
    return offer.events.select_related("by").order_by("at", "pk")


def staff_calls() -> QuerySet[Call]:
    """Calls with accepted applications, with counts of their offers by state (for the staff index)."""
    return calls_with_accepted().annotate(
        offered=Count("applications__offer"),
        waiting=Count("applications__offer", filter=Q(applications__offer__status=OfferStatus.MADE)),
        accepted_offers=Count(
            "applications__offer", filter=Q(applications__offer__status=OfferStatus.ACCEPTED)
        ),
    )


def staff_counts() -> dict[str, int]:
    """Offers waiting for an answer, and closed offers (declined or expired) not yet replaced: one query."""
    return Offer.objects.aggregate(
        waiting=Count("pk", filter=Q(status=OfferStatus.MADE)),
        to_promote=Count(
            "pk",
            filter=Q(status__in=(OfferStatus.DECLINED, OfferStatus.EXPIRED), promoted__isnull=True),
        ),
    )


def call_for_staff(viewer, slug: str) -> Call:
    """A call's offers are for programme staff; anyone else gets 404."""
    call = get_object_or_404(Call, slug=slug)
    require(viewer, "awards.offer.manage", call)
    return call


def accepted_rows(call: Call):
    """The call's accepted applications, each with its offer (or none): one query per page."""
    return accepted_applications(call).select_related("offer")


def offers_of_call(call: Call) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(application__call=call)
        .select_related(*_RELATED)
        .order_by("application__reference", "pk")
    )


def offers_to_promote(call: Call) -> QuerySet[Offer]:
    """The call's declined or expired offers no waitlisted application has replaced yet."""
    return offers_of_call(call).filter(
        status__in=(OfferStatus.DECLINED, OfferStatus.EXPIRED), promoted__isnull=True
    )


def application_for_offer(viewer, pk: int) -> Application:
    """An accepted application staff may make an offer for (404 otherwise, and for anyone but staff)."""
    application = get_object_or_404(
        Application.objects.select_related("call", "applicant", "organisation", "offer").filter(
            status="decided", outcome="accepted"
        ),
        pk=pk,
    )
    require(viewer, "awards.offer.manage", application)
    return application


def waitlisted_of(call: Call, pk_text: str) -> Application:
    """The waitlisted application of ``call`` staff chose to promote (404 when it is not one)."""
    if not pk_text.isdigit() or len(pk_text) > 18:
        raise Http404
    return get_object_or_404(waitlisted_applications(call), pk=int(pk_text))


def export_table(call: Call) -> list[list]:
    """Header and one row per offer of the call (CSV and XLSX exports); values safe from spreadsheet formulas."""
    header = [
        _("Reference"),
        _("Applicant"),
        _("Email"),
        _("Organisation"),
        _("Status"),
        _("Amount (GEL)"),
        _("Answer by"),
        _("Made at"),
        _("Answered at"),
        _("Answered by"),
        _("Agreement"),
        _("Reason for declining"),
    ]
    rows: list[list] = [header]

    def stamp(value):
        return timezone.localtime(value).isoformat(timespec="minutes") if value else ""

    for offer in offers_of_call(call).select_related("responded_by"):
        application = offer.application
        rows.append(
            [
                spreadsheet_cell(value)
                for value in (
                    application.reference,
                    application.applicant.display_name,
                    application.applicant.email,
                    application.organisation.name if application.organisation else "",
                    offer.get_status_display(),
                    "" if offer.amount is None else f"{offer.amount:.2f}",
                    stamp(offer.response_deadline),
                    stamp(offer.created_at),
                    stamp(offer.responded_at),
                    offer.responded_by.display_name if offer.responded_by else "",
                    offer.get_agreement_mode_display(),
                    offer.decline_reason,
                )
            ]
        )
    return rows
