"""Events as iCalendar entries (the writing itself is ``core.ics``): the public feed of events and call deadlines,
and the file that goes with a registration."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from calls.api import deadline_entry
from core.api import CalendarEntry, write_calendar


def event_entry(event) -> CalendarEntry:
    return CalendarEntry(
        key=f"event-{event.pk}",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        url=settings.SITE_URL + reverse("events:detail", args=[event.pk]),
        location=", ".join(part for part in (event.venue, event.address) if part) or event.online_url,
        description=event.description,
    )


def calendar(events: Iterable, *, deadlines: Iterable = (), name: str = "", language: str = "ka") -> str:
    """A VCALENDAR with one VEVENT per event and per call deadline, texts in ``language``."""
    with override(language):
        entries = [event_entry(event) for event in events] + [deadline_entry(call) for call in deadlines]
        return write_calendar(entries, name=str(name))
