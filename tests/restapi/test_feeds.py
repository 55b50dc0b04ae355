"""Feeds: RSS and Atom for calls and opportunities, iCalendar for call deadlines; linked from their pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from restapi.feeds import calendar_text
from tests.calls.builders import make_call
from tests.restapi.conftest import make_opportunity

pytestmark = pytest.mark.django_db


def test_calls_feeds_in_rss_and_atom(client):
    make_call(slug="grant", title_ka="მცირე გრანტები")
    make_call(
        slug="closed",
        closes_at=timezone.now() - timedelta(days=1),
        opens_at=timezone.now() - timedelta(days=5),
    )
    rss = client.get(reverse("restapi:calls_rss"))
    atom = client.get(reverse("restapi:calls_atom"))
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    assert atom.status_code == 200 and atom["Content-Type"].startswith("application/atom+xml")
    for response in (rss, atom):
        text = response.content.decode()
        assert "მცირე გრანტები" in text and "/calls/grant/" in text and "/calls/closed/" not in text
        assert "programme@civichub.ge" not in text


def test_opportunities_feeds(client):
    make_opportunity(title="აკადემია")
    make_opportunity(title="ძველი", deadline=timezone.now() - timedelta(days=1))
    for name in ("restapi:opportunities_rss", "restapi:opportunities_atom"):
        text = client.get(reverse(name)).content.decode()
        assert "აკადემია" in text and "ძველი" not in text


def test_the_calendar_has_one_event_per_call_with_utc_times_crlf_and_escaping(client):
    deadline = datetime(2027, 3, 1, 14, 0, tzinfo=UTC)  # 18:00 in Tbilisi
    call = make_call(
        slug="grant", title_ka="გრანტები; რეგიონები, თემები", opens_at=timezone.now(), closes_at=deadline
    )
    response = client.get(reverse("restapi:calls_ics"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    assert f"UID:call-deadline-{call.pk}@" in unfolded
    assert "DTSTART:20270301T140000Z" in unfolded
    assert "გრანტები\\; რეგიონები\\, თემები" in unfolded
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_an_empty_calendar_is_still_a_calendar():
    text = calendar_text([])
    assert text.count("BEGIN:VEVENT") == 0
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")


def test_a_deadline_has_the_same_uid_and_time_in_the_api_file_and_the_events_feed(client):
    call = make_call(slug="both-feeds", opens_at=timezone.now())

    def deadline_of(url):
        unfolded = client.get(url).content.decode().replace("\r\n ", "")
        block = next(b for b in unfolded.split("BEGIN:VEVENT") if f"call-deadline-{call.pk}@" in b)
        return sorted(
            line for line in block.split("\r\n") if line.startswith(("UID:", "DTSTART:", "SUMMARY:"))
        )

    assert deadline_of(reverse("restapi:calls_ics")) == deadline_of(reverse("events:feed"))


def test_the_call_list_and_opportunities_pages_link_their_feeds(client):
    calls_page = client.get(reverse("calls:call_list")).content.decode()
    assert f'rel="alternate" type="application/rss+xml" href="{reverse("restapi:calls_rss")}"' in calls_page
    assert f'href="{reverse("restapi:calls_ics")}"' in calls_page
    opportunities = client.get(reverse("community:opportunities")).content.decode()
    assert (
        f'rel="alternate" type="application/atom+xml" href="{reverse("restapi:opportunities_atom")}"'
        in opportunities
    )
    assert f'href="{reverse("restapi:opportunities_rss")}"' in opportunities


def test_the_calendars_speak_the_page_language(client):
    """Their texts were inside f-strings, which makemessages does not read: Georgian calendars said "Deadline"."""
    call = make_call(slug="ka-feed", title_ka="მცირე გრანტები", opens_at=timezone.now())
    api_file = client.get(reverse("restapi:calls_ics")).content.decode().replace("\r\n ", "")
    assert "X-WR-CALNAME:civichub: კონკურსების ვადები" in api_file
    assert "SUMMARY:წარდგენის ბოლო ვადა — მცირე გრანტები" in api_file
    events_feed = client.get(reverse("events:feed")).content.decode().replace("\r\n ", "")
    assert f"UID:call-deadline-{call.pk}@" in events_feed
    assert "SUMMARY:წარდგენის ბოლო ვადა — მცირე გრანტები" in events_feed
    assert "Deadline" not in api_file + events_feed
