"""The indicators snapshot: each figure right against real objects of the other domains, gender, no personal data."""

import json

import pytest
import time_machine
from django.utils import timezone, translation

from accounts.api import User
from calls.models import Status
from credentials import services as credentials_services
from insights import queries, services
from insights.models import Snapshot
from tests.calls.builders import make_call, submitted
from tests.factories import UserFactory
from tests.learning.builders import enrol, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _people(n, **fields):
    return [UserFactory(**fields) for _ in range(n)]


def _table(snapshot, slug, filters=None):
    facts = [f for f in queries.facts_of(snapshot) if (filters or queries.Filters()).keep(f)]
    return queries.figure_table(queries.FIGURES_BY_SLUG[slug], facts)


def test_enrolments_per_course_with_completions_and_gender():
    course = make_course(title="საჯარო ფინანსები")
    women = _people(6, gender="woman", region="guria")
    men = _people(2, gender="man", region="tbilisi")
    for person in [*women, *men]:
        enrol(person, course)
    course.enrolments.filter(user__in=women[:3]).update(completed_at=timezone.now())

    snapshot = services.refresh_indicators()

    table = _table(snapshot, "enrolments")
    assert table.rows == [("საჯარო ფინანსები", [8, 3])]
    assert table.bars[0].value == 8
    guria = _table(snapshot, "enrolments", queries.Filters(region="guria"))
    assert guria.rows == [("საჯარო ფინანსები", [6, 3])]
    gender = dict(queries.gender_table(queries.facts_of(snapshot)).rows)
    enrolled = gender["Learners enrolled and completed per course: Enrolled"]
    # woman, man, other, prefer not to say, not given: the 2 men are a small cell, shown without a number
    assert enrolled == [6, "fewer than 5", 0, 0, 0]


def test_applications_per_call_status_and_acceptance_rate(learner, other_learner):
    call = make_call(title_ka="სერტიფიცირება 2026", title_en="Certification 2026")
    applicants = [learner, other_learner, *_people(3)]
    applications = [submitted(call, person) for person in applicants]
    outcomes = ["accepted", "accepted", "rejected", "waitlisted"]
    for application, outcome in zip(applications, outcomes, strict=False):
        type(application).objects.filter(pk=application.pk).update(status=Status.DECIDED, outcome=outcome)

    snapshot = services.refresh_indicators()

    table = _table(snapshot, "applications")
    # submitted, in progress, accepted, rejected, waitlisted, not compliant, withdrawn, acceptance rate
    assert table.rows == [("Certification 2026", [5, 1, 2, 1, 1, 0, 0, 50])]
    with translation.override("ka"):
        assert _table(snapshot, "applications").rows[0][0] == "სერტიფიცირება 2026"


def test_credentials_issued_and_revoked(achievement, signing_key, issuer, staff):
    people = _people(3)
    issued = [credentials_services.issue_credential(user=p, achievement=achievement)[0] for p in people]
    credentials_services.revoke_credential(credential=issued[0], reason="შეცდომით გაიცა", by=staff)

    table = _table(services.refresh_indicators(), "credentials")

    assert table.rows == [("Public policy analysis", [3, 1])]


def test_periods_filter_by_year_quarter_and_month():
    course = make_course(title="კურსი")
    with time_machine.travel("2026-02-10 10:00 +04:00"):
        enrol(UserFactory(), course)
    with time_machine.travel("2026-05-10 10:00 +04:00"):
        enrol(UserFactory(), course)
        enrol(UserFactory(), course)
    snapshot = services.refresh_indicators()

    assert queries.periods(snapshot) == ["2026", "2026-Q2", "2026-Q1", "2026-05", "2026-02"]
    assert _table(snapshot, "enrolments", queries.Filters(period="2026")).rows[0][1] == [3, 0]
    assert _table(snapshot, "enrolments", queries.Filters(period="2026-Q1")).rows[0][1] == [1, 0]
    assert _table(snapshot, "enrolments", queries.Filters(period="2026-05")).rows[0][1] == [2, 0]
    assert _table(snapshot, "enrolments", queries.Filters(period="2025")).rows == []


def test_the_snapshot_holds_no_personal_data(learner, other_learner):
    course = make_course(title="კურსი")
    for person in (learner, other_learner):
        enrol(person, course)
    submitted(make_call(), learner)

    text = json.dumps(services.refresh_indicators().data, ensure_ascii=False)

    for person in User.objects.all():
        for value in (person.email, person.full_name_ka, person.full_name_latin, person.phone):
            if value:
                assert value not in text
    assert "user" not in text and "email" not in text


def test_refresh_by_staff_is_audited_and_old_snapshots_are_pruned(staff):
    from accounts.models import AuditEntry

    for _ in range(services.KEEP + 2):
        Snapshot.objects.create(data={"facts": []})

    snapshot = services.refresh_indicators(actor=staff)

    assert Snapshot.objects.count() == services.KEEP
    assert queries.latest_snapshot() == snapshot
    assert AuditEntry.objects.filter(action="insights.refresh", actor=staff).count() == 1


def test_the_periodic_task_computes_a_snapshot():
    from insights.tasks import refresh_indicators

    refresh_indicators.enqueue()

    assert Snapshot.objects.count() == 1


def test_event_registrations_and_attendance(learner, other_learner, staff):
    from events import services as events_services
    from tests.events.builders import make_event

    event = make_event(capacity=5, title_en="Closing conference")
    registrations = [events_services.register(event=event, user=p) for p in (learner, other_learner, staff)]
    first = registrations[0][0] if isinstance(registrations[0], tuple) else registrations[0]
    events_services.check_in(event=event, code=first.code, by=staff)

    table = _table(services.refresh_indicators(), "events")

    assert table.rows == [("Closing conference", [3, 1])]


def test_a_snapshot_keeps_each_rows_titles_once_and_the_cells_get_them_back():
    from insights.services import compact

    cells = [
        {
            "f": "enrolments",
            "k": "7",
            "ka": "საჯარო ფინანსები",
            "en": "Public finance",
            "s": "enrolled",
            "n": n,
        }
        for n in (1, 2, 3)
    ]
    data = compact([dict(cell) for cell in cells])
    assert data["labels"] == {"enrolments:7": ["საჯარო ფინანსები", "Public finance"]}
    assert all("ka" not in fact and "en" not in fact for fact in data["facts"])
    assert queries.facts_of(Snapshot(data=data)) == cells
    # A snapshot written before (version 1: the titles on every cell) reads the same.
    assert queries.facts_of(Snapshot(data={"version": 1, "facts": cells})) == cells
    assert queries.facts_of(None) == []
