"""generate_data's mentoring and internships (services' invariants kept, --replace removes them) and make bench's
mentor page and placements scenarios, which open for their mentors and for visitors."""

import dataclasses
import random

import pytest
from django.apps import apps
from django.test import Client

from tests.bench.helpers import client_with, generate_tiny

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,
    pytest.mark.skipif(not apps.is_installed("awards"), reason="awards not installed"),
]


@pytest.fixture
def three_calls(monkeypatch):
    """The tiny scale with a third call, an internship one (calls cycle certification, small grant, internship)."""
    from benchmarks.datagen import SCALES

    monkeypatch.setitem(SCALES, "tiny", dataclasses.replace(SCALES["tiny"], calls=3, applications=60))


def test_generated_mentoring_and_internships_keep_the_invariants_and_the_bench_pages_open(three_calls):
    from accounts.api import Role
    from awards.models import (
        GrantProject,
        InternCandidate,
        Internship,
        InternshipEvaluation,
        MentorAssignment,
        Mentorship,
        Position,
    )

    out = generate_tiny()
    assert "mentorships" in out and "placements" in out
    projects = GrantProject.objects.count()
    mentorships = list(Mentorship.objects.prefetch_related("sessions", "actions", "assignments"))
    assert len(mentorships) == (projects + 1) // 2
    for m in mentorships:
        assert (
            m.status == "active" and m.project_id and m.mentor.role_grants.filter(role=Role.MENTOR).exists()
        )
        assert [(a.mentor_id, a.conflict) for a in m.assignments.all()] == [(m.mentor_id, "none")]
        assert len(m.sessions.all()) == 3 and len(m.actions.all()) == 2
        assert m.last_session_on == max(s.held_on for s in m.sessions.all())
    positions = list(Position.objects.select_related("host"))
    assert positions and all(p.status == "published" and p.host.verified for p in positions)
    for p in positions:
        assert p.host.memberships.filter(user_id=p.supervisor_id, role="admin").exists()
        assert p.supervisor.role_grants.filter(role=Role.HOST).exists()
        assert p.internships.count() <= p.slots
    internships = list(Internship.objects.select_related("candidate", "position"))
    assert internships, "the internship call's accepted applications are placed"
    for i in internships:
        assert i.status == "active" and i.acknowledged_at
        assert i.candidate.call_id == i.position.call_id and i.candidate.person_id == i.intern_id
        assert i.candidate.application.offer.status == "accepted"
    assert InternshipEvaluation.objects.filter(kind="midterm").count() == len(internships)

    from benchmarks.prepare import build

    scenarios = build(random.Random(1), sessions=3)["scenarios"]
    for session in scenarios["mentor_page"]["sessions"]:
        client = client_with(session["cookie"])
        for url in session["urls"]:
            assert client.get(url).status_code == 200, url
    for url in scenarios["placements"]["urls"][:5]:
        assert Client().get(url).status_code == 200, url

    generate_tiny(replace=True)
    assert Mentorship.objects.count() == len(mentorships)
    assert Position.objects.count() == len(positions)
    assert InternCandidate.objects.count() >= Internship.objects.count() == len(internships)
    assert MentorAssignment.objects.count() == len(mentorships)


def test_names_and_classes_list_the_awards_scenarios():
    from benchmarks import locustfile_names

    for name, cls in (("mentor_page", "MentorPage"), ("placements", "Placements")):
        assert name in locustfile_names.ORDER and locustfile_names.CLASSES[name] == cls
