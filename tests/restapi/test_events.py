"""Public events in the API (when the events domain is on): upcoming or past, no personal data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from tests.restapi.conftest import body

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not apps.is_installed("events"), reason="the events domain is switched off"),
]


def test_upcoming_and_past_published_events(client, django_assert_num_queries):
    from tests.events.builders import make_event

    now = timezone.now()
    soon = make_event(
        title_ka="კონფერენცია", starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=4)
    )
    make_event(title_ka="დამალული", published=False)
    make_event(
        title_ka="წარსული", starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=9, hours=-2)
    )

    with django_assert_num_queries(2):
        upcoming = body(client.get("/api/v1/events"))
    assert [e["title"] for e in upcoming["items"]] == ["კონფერენცია"]
    assert upcoming["items"][0]["id"] == soon.pk and upcoming["items"][0]["starts_at"].endswith("+04:00")
    assert [e["title"] for e in body(client.get("/api/v1/events?when=past"))["items"]] == ["წარსული"]
    make_event(title_ka="მეორე", starts_at=now + timedelta(days=5), ends_at=now + timedelta(days=5, hours=1))
    make_event(title_ka="მესამე", starts_at=now + timedelta(days=6), ends_at=now + timedelta(days=6, hours=1))
    with django_assert_num_queries(2):
        assert body(client.get("/api/v1/events"))["count"] == 3
