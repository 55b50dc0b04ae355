"""Events for tests, built through the models the admin writes (there is no create service: staff use the admin)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from events.models import Audience, Event, EventKind


def make_event(**overrides) -> Event:
    now = timezone.now()
    fields = {
        "kind": EventKind.CONFERENCE,
        "title_ka": "კონფერენცია",
        "title_en": "Conference",
        "description_ka": "აღწერა",
        "starts_at": now + dt.timedelta(days=10),
        "ends_at": now + dt.timedelta(days=10, hours=6),
        "venue": "დარბაზი",
        "address": "თბილისი",
        "capacity": 2,
        "registration_deadline": now + dt.timedelta(days=8),
        "audience": Audience.SIGNED_IN,
        "published": True,
        **overrides,
    }
    return Event.objects.create(**fields)


def make_questionnaire():
    """Two registration questions like the demo conference's: a required choice and an optional short text."""
    from calls.api import FormField, Questionnaire

    questionnaire = Questionnaire.objects.create(title_ka="კითხვები", title_en="Questions")
    FormField.objects.create(
        questionnaire=questionnaire,
        key="diet",
        position=1,
        kind="choice",
        label_ka="კვების საჭიროებები",
        label_en="Dietary needs",
        choices="არ მაქვს | None\nვეგეტარიანული | Vegetarian",
        required=True,
    )
    FormField.objects.create(
        questionnaire=questionnaire,
        key="discuss",
        position=2,
        kind="short_text",
        label_ka="რისი განხილვა გსურთ?",
        label_en="What do you want to discuss?",
        required=False,
    )
    return questionnaire
