"""generate_data's events (the services' invariants kept, --replace removes them) and the indicators snapshot it
computes at the end; make bench's events and dashboard scenarios open for visitors, staff and donor viewers."""

import random

import pytest
from django.apps import apps
from django.db.models import Count, Q
from django.test import Client

from tests.bench.helpers import client_with, generate_tiny

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (apps.is_installed("events") and apps.is_installed("insights")),
        reason="events or insights not installed",
    ),
]


def test_generated_events_keep_the_invariants_and_the_dashboard_has_figures():
    from django.utils import timezone

    from accounts.api import Role, User
    from benchmarks.datagen import GEN_EMAIL_DOMAIN
    from benchmarks.datagen.events import generated_events
    from events.models import Invitation, Registration
    from insights.models import Snapshot

    out = generate_tiny()
    assert "events:" in out and "insights:" in out

    events = list(generated_events().annotate(n=Count("registrations")))
    now = timezone.now()
    past = [e for e in events if e.ends_at < now]
    assert len(past) >= 3 and all(e.kind == "training" for e in past)
    assert all(e.published and e.n > 0 for e in events if e.kind != "ceremony")
    registrations = Registration.objects.filter(event__in=events)
    assert all(r.email.endswith("@" + GEN_EMAIL_DOMAIN) and r.user_id for r in registrations)
    assert len({(r.event_id, r.user_id) for r in registrations}) == registrations.count()
    assert len({r.code for r in registrations}) == registrations.count()
    checked = registrations.filter(checked_in_at__isnull=False)
    assert checked.exists(), "the past trainings have attendance"
    assert all(r.status == "confirmed" and r.event.starts_at <= now and r.checked_in_by_id for r in checked)
    assert not checked.filter(event__starts_at__gt=now).exists()
    for event in events:
        confirmed = registrations.filter(event=event, status="confirmed").count()
        assert confirmed <= event.capacity

    conference = next(e for e in events if e.kind == "conference")
    assert conference.starts_at > now
    held = registrations.filter(event=conference, status="confirmed").count()
    waiting = list(registrations.filter(event=conference, status="waitlisted").order_by("placed_at", "pk"))
    assert held == conference.capacity and waiting, "full, with a waitlist"
    last_place = registrations.filter(event=conference, status="confirmed").order_by("-placed_at").first()
    assert all(w.placed_at > last_place.placed_at for w in waiting)

    ceremony = next(e for e in events if e.kind == "ceremony")
    assert ceremony.certification_call.kind == "certification" and ceremony.audience == "invited"
    invited = set(Invitation.objects.filter(event=ceremony).values_list("user_id", flat=True))
    assert invited and set(registrations.filter(event=ceremony).values_list("user_id", flat=True)) <= invited

    snapshot = Snapshot.objects.latest()
    facts = snapshot.data["facts"]
    assert {f["f"] for f in facts} >= {"enrolments", "events"}
    attended = sum(f["n"] for f in facts if f["f"] == "events" and f["s"] == "attended")
    assert attended == checked.count()
    assert (
        User.objects.filter(email__endswith="@" + GEN_EMAIL_DOMAIN, role_grants__role=Role.DONOR).count() == 2
    )

    from benchmarks.prepare import build

    scenarios = build(random.Random(1), sessions=3)["scenarios"]
    for url in scenarios["events_list"]["urls"] + scenarios["event_detail"]["urls"][:5]:
        response = Client().get(url)
        assert response.status_code == 200, url
    for name in ("event_registrations", "insights_dashboard"):
        assert scenarios[name]["sessions"], name
        for session in scenarios[name]["sessions"]:
            client = client_with(session["cookie"])
            for url in session["urls"]:
                response = client.get(url)
                assert response.status_code == 200, url
    page = client_with(scenarios["event_registrations"]["sessions"][0]["cookie"]).get(
        scenarios["event_registrations"]["sessions"][0]["urls"][0]
    )
    assert conference.title_ka in page.content.decode()

    counts = registrations.aggregate(
        total=Count("pk"), waiting=Count("pk", filter=Q(status="waitlisted")), checked=Count("checked_in_at")
    )
    generate_tiny(replace=True)
    again = Registration.objects.filter(event__in=generated_events()).aggregate(
        total=Count("pk"), waiting=Count("pk", filter=Q(status="waitlisted")), checked=Count("checked_in_at")
    )
    assert again == counts
    assert generated_events().count() == len(events)


def test_names_and_classes_list_the_events_and_dashboard_scenarios():
    from benchmarks import locustfile_names
    from benchmarks.run import TARGETS

    for name, cls in (
        ("events_list", "EventsList"),
        ("event_detail", "EventDetail"),
        ("event_registrations", "EventRegistrations"),
        ("insights_dashboard", "InsightsDashboard"),
    ):
        assert name in locustfile_names.ORDER and locustfile_names.CLASSES[name] == cls
        assert 0 < TARGETS[name] <= 1


def test_the_report_says_whether_each_target_was_met():
    from benchmarks.run import target_line

    line = target_line(
        [
            {"scenario": "events_list", "ratio": 0.62},
            {"scenario": "insights_dashboard", "ratio": 0.05},
            {"scenario": "profile", "ratio": 0.1},
        ]
    )[1]
    assert "events_list ≥ 0.5: met (0.62)" in line
    assert "insights_dashboard ≥ 0.1: **missed** (0.05)" in line
    assert "profile" not in line
