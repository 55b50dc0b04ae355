"""What waits in the events domain for a person (core.api.WorkItem rows for "my work", header entries)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import is_programme_staff
from core.api import HeaderEntry, WorkItem
from events.models import Event, Registration
from events.models import RegistrationStatus as S


def work_items(viewer) -> list[WorkItem]:
    """A person's coming registrations (one aggregate query); for staff the coming events (one count)."""
    if not viewer.is_authenticated:
        return []
    now = timezone.now()
    items = []
    mine = Registration.objects.filter(user_id=viewer.pk, event__ends_at__gte=now).aggregate(
        placed=Count("pk", filter=Q(status=S.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=S.WAITLISTED)),
        soon=Count("pk", filter=Q(status=S.CONFIRMED, event__starts_at__lte=now + dt.timedelta(days=2))),
    )
    if mine["placed"] or mine["waiting"]:
        section = _("My events")
        url = reverse("events:mine")
        if mine["placed"]:
            items.append(
                WorkItem(
                    section,
                    _("Events you are registered for"),
                    url,
                    mine["placed"],
                    urgent=bool(mine["soon"]),
                )
            )
        if mine["waiting"]:
            items.append(WorkItem(section, _("Events where you are on the waitlist"), url, mine["waiting"]))
    if is_programme_staff(viewer):
        coming = Event.objects.filter(ends_at__gte=now).count()
        items.append(WorkItem(_("Programme staff"), _("Events"), reverse("events:manage"), coming))
    return items


def header_entries(viewer) -> list[HeaderEntry]:
    """No query: the events menu entry is in the header's sections for everyone."""
    return []
