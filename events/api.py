"""The events domain's public surface: other apps import from here, never from events' other modules."""

from events.models import Event, EventKind, Registration, RegistrationStatus
from events.queries import published_events
from events.work import header_entries, work_items

__all__ = [
    "Event",
    "EventKind",
    "Registration",
    "RegistrationStatus",
    "header_entries",
    "published_events",
    "work_items",
]


# --- insights: aggregates only (no person's data) for the indicators dashboard
def registration_figures() -> list[dict]:
    """Per event and the month it starts: places held (confirmed registrations) and people checked in. One query."""
    from django.db.models import Count, F, Q
    from django.db.models.functions import TruncMonth

    rows = (
        Event.objects.annotate(month=TruncMonth("starts_at"))
        .values("month", "title_ka", "title_en", event_id=F("pk"))
        .annotate(
            registered=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        )
        .filter(registered__gt=0)
        .order_by()
    )
    return [dict(row) for row in rows]


__all__ += ["registration_figures"]
# --- end insights
