"""Events as iCalendar text (written by core.ics): CRLF, UTC times, stable UIDs, escaped titles; the feed."""

import datetime as dt

import pytest
from django.urls import reverse

from core.ics import utc
from events import ics
from tests.events.builders import make_event

pytestmark = pytest.mark.django_db


def test_calendar_has_crlf_utc_times_and_a_uid():
    starts = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=4)))
    event = make_event(
        title_ka="შეხვედრა, ახალი; წესი",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        registration_deadline=starts - dt.timedelta(days=1),
    )
    text = ics.calendar([event])
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTART:20260501T060000Z\r\n" in text
    assert "DTEND:20260501T080000Z\r\n" in text
    assert f"UID:event-{event.pk}@" in text
    assert "SUMMARY:შეხვედრა\\, ახალი\\; წესი\r\n" in text


def test_feed_lists_published_events_only(client):
    shown = make_event(title_ka="გამოქვეყნებული")
    make_event(title_ka="დამალული", published=False)
    response = client.get(reverse("events:feed"))
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert f"UID:event-{shown.pk}@" in text
    assert "დამალული" not in text


def test_feed_carries_open_calls_deadlines(client):
    from tests.calls.builders import make_call

    call = make_call(slug="feed-call")
    text = client.get(reverse("events:feed")).content.decode()
    assert f"UID:call-deadline-{call.pk}@" in text
    assert f"DTSTART:{utc(call.closes_at)}" in text
