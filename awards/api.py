"""The awards domain's public surface: other apps import from here, never from awards' other modules.

* ``work_items`` / ``header_entries`` — what waits for a person here ("my work") and the header links their roles open;
* offers: ``Offer``, ``OfferStatus``, ``make_offer``, ``accept_offer``, ``decline_offer`` — the offer made for an
  accepted application (the REST api and reports read it);
* internships: ``Internship``, ``InternshipStatus``, ``Position``, ``PositionStatus``, ``published_positions`` —
  placements and internships (the REST api and reports read them);
* ``award_figures`` — aggregates only (no person's data) for the indicators dashboard.
"""

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from awards.models.internships import Internship, InternshipStatus, Position, PositionStatus
from awards.models.offers import Offer, OfferStatus
from awards.models.projects import GrantProject, Milestone, Payment
from awards.queries.internships import published_positions
from awards.services.offers import accept_offer, decline_offer, make_offer
from awards.work import header_entries, work_items

__all__ = [
    "Internship",
    "InternshipStatus",
    "Offer",
    "OfferStatus",
    "Position",
    "PositionStatus",
    "accept_offer",
    "award_figures",
    "decline_offer",
    "header_entries",
    "make_offer",
    "published_positions",
    "work_items",
]


def award_figures() -> dict[str, list[dict]]:
    """Grants awarded (projects, approved amounts), paid (payments), milestones reported on time or late, internships
    per status; each per month and the organisation's region and type. Four queries."""
    grants = [
        dict(row)
        for row in GrantProject.objects.annotate(month=TruncMonth("created_at"))
        .values("month", "organisation__region", "organisation__kind", "grantee__gender")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by()
    ]
    payments = [
        dict(row)
        for row in Payment.objects.annotate(month=TruncMonth("paid_on"))
        .values("month", "tranche__project__organisation__region", "tranche__project__organisation__kind")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by()
    ]
    milestones = [
        dict(row)
        for row in Milestone.objects.filter(due_on__lt=timezone.localdate())
        .annotate(month=TruncMonth("due_on"))
        .values("month", "project__organisation__region", "project__organisation__kind")
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(report__submitted_at__date__lte=F("due_on"))),
        )
        .order_by()
    ]
    internships = [
        dict(row)
        for row in Internship.objects.annotate(month=TruncMonth("starts_on"))
        .values("status", "month", "position__host__region", "position__host__kind", "intern__gender")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    return {"grants": grants, "payments": payments, "milestones": milestones, "internships": internships}
