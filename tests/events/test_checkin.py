"""Check-in at the door: typed code (JavaScript off), idempotent, counts on the page, staff only."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from events import services
from events.models import Registration
from tests.events.builders import make_event

pytestmark = pytest.mark.django_db


def test_staff_checks_a_person_in_by_typed_code_once(learner, staff, client_for):
    event = make_event()
    registration, _ = services.register(event=event, user=learner)
    client = client_for(staff)
    url = reverse("events:checkin", args=[event.pk])
    typed = registration.display_code.lower().replace("-", " ")
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 12, 16, 10, 5)), tick=False):
        first = client.post(url, {"code": typed}).content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at is not None and registration.checked_in_by == staff
    assert "checked in: 1" in first or "შემოსულია: 1" in first or ": 1" in first
    second = client.post(url, {"code": registration.code}).content.decode()
    assert "10:05" in second
    registration.refresh_from_db()
    assert registration.checked_in_at == timezone.make_aware(dt.datetime(2026, 12, 16, 10, 5))
    assert AuditEntry.objects.filter(action="events.registration.check_in").count() == 1


def test_unknown_code_and_waitlisted_people_are_refused(learner, other_learner, staff, client_for):
    event = make_event(capacity=1)
    services.register(event=event, user=learner)
    waiting, _ = services.register(event=event, user=other_learner)
    client = client_for(staff)
    url = reverse("events:checkin", args=[event.pk])
    unknown = client.post(url, {"code": "ZZZZZ-ZZZZZ"})
    assert unknown.status_code == 200 and 'class="errorlist' in unknown.content.decode()
    client.post(url, {"code": waiting.code})
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None


def test_a_code_of_another_event_is_unknown_here(learner, staff):
    registration, _ = services.register(event=make_event(), user=learner)
    with pytest.raises(services.RegistrationError):
        services.check_in(event=make_event(title_ka="სხვა"), code=registration.code, by=staff)


def test_checkin_page_is_staff_only(learner, client_for):
    event = make_event()
    registration, _ = services.register(event=event, user=learner)
    response = client_for(learner).post(
        reverse("events:checkin", args=[event.pk]), {"code": registration.code}
    )
    assert response.status_code == 404
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_codes_are_unguessable_and_typeable(learner, other_learner):
    event = make_event()
    a, _ = services.register(event=event, user=learner)
    b, _ = services.register(event=event, user=other_learner)
    assert a.code != b.code and len(a.code) == 10
    assert not set(a.code) & set("01OIL")
    assert len(a.token) >= 32


def test_the_counts_follow_check_ins_at_the_other_doors(learner, other_learner, staff, client_for):
    """The page polls itself (htmx, every 15 s) and swaps in only its counts; a poll reads the counts of now."""
    import re

    event = make_event(capacity=5)
    first, _ = services.register(event=event, user=learner)
    services.register(event=event, user=other_learner)
    url = reverse("events:checkin", args=[event.pk])
    client = client_for(staff)

    def counts(html: str) -> str:
        block = re.search(r'<div id="checkin-counts"([^>]*)>(.*?)</div>', html, re.DOTALL)
        assert block, "no counts block"
        assert f'hx-get="{url}"' in block.group(1) and 'hx-select="#checkin-counts"' in block.group(1)
        return re.sub(r"<[^>]+>", "", block.group(2))

    assert "2" in counts(client.get(url).content.decode()) and ": 0" in counts(
        client.get(url).content.decode()
    )
    services.check_in(event=event, code=first.code, by=staff)  # at another door
    assert ": 1" in counts(client.get(url, headers={"HX-Request": "true"}).content.decode())
