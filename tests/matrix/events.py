"""Permission-matrix rows of the events domain."""

import datetime as dt

from django.utils import timezone

from events import services
from events.models import Audience, Event, EventKind
from tests.matrix import PUBLIC, SIGNED_IN, STAFF_ONLY, Row, expect


def _event(**overrides) -> Event:
    now = timezone.now()
    fields = {
        "kind": EventKind.CONFERENCE,
        "title_ka": "მატრიცის კონფერენცია",
        "title_en": "Matrix conference",
        "starts_at": now + dt.timedelta(days=10),
        "ends_at": now + dt.timedelta(days=10, hours=4),
        "capacity": 50,
        "registration_deadline": now + dt.timedelta(days=9),
        "audience": Audience.SIGNED_IN,
        "published": True,
        **overrides,
    }
    return Event.objects.create(**fields)


def build(world):
    world.event = _event()
    world.event_draft = _event(title_ka="მონახაზი", published=False)
    world.event_open = _event(title_ka="ღია", audience=Audience.ANYONE)
    world.event_registration, _ = services.register(event=world.event, user=world.learner)
    world.event_visitor, _ = services.register(
        event=world.event_open, name="სტუმარი", email="guest@example.org"
    )


def _own(world):
    return [world.event_registration.token]


OWNER = expect(404, anon=302, learner=200)
OWNER_POST = expect(404, anon=302, learner=302)
STAFF_OBJECT = expect(404, anon=302, staff=200)

ROWS = [
    Row("events:list", PUBLIC),
    Row("events:feed", PUBLIC),
    Row("events:detail", PUBLIC, args=lambda w: [w.event.pk]),
    Row("events:detail", expect(404, staff=200), args=lambda w: [w.event_draft.pk], note="draft"),
    Row("events:register", SIGNED_IN, args=lambda w: [w.event.pk]),
    Row("events:register", PUBLIC, args=lambda w: [w.event_open.pk], note="open to visitors"),
    Row("events:register", expect(404, anon=404, staff=200), args=lambda w: [w.event_draft.pk], note="draft"),
    Row("events:mine", SIGNED_IN),
    Row("events:registration", OWNER, args=_own),
    Row(
        "events:registration", PUBLIC, args=lambda w: [w.event_visitor.token], note="a visitor's emailed link"
    ),
    Row("events:registration", expect(404), args=lambda w: ["no-such-token"], note="unknown"),
    Row("events:qr", OWNER, args=_own),
    Row("events:registration_ics", OWNER, args=_own),
    Row("events:cancel", OWNER_POST, args=_own, method="post"),
    Row("events:confirm", expect(302), args=lambda w: [w.event_visitor.token], method="post"),
    Row("events:manage", STAFF_ONLY),
    Row("events:registrations", STAFF_OBJECT, args=lambda w: [w.event.pk]),
    Row("events:export", STAFF_OBJECT, args=lambda w: [w.event.pk, "csv"]),
    Row("events:checkin", STAFF_OBJECT, args=lambda w: [w.event.pk]),
    Row(
        "events:ceremony_pdf",
        expect(404, anon=302, staff=302),
        args=lambda w: [w.event.pk],
        method="post",
        note="no certification call: staff are told",
    ),
    Row(
        "events:invite_certified",
        expect(404, anon=302, staff=302),
        args=lambda w: [w.event.pk],
        method="post",
        note="no certification call: staff are told",
    ),
    Row(
        "events:checkin",
        STAFF_OBJECT,
        args=lambda w: [w.event.pk],
        method="post",
        data=lambda w: {"code": w.event_registration.code},
    ),
]
