"""Permission-matrix rows of awards' mentoring: Nino (learner) is the mentee, Levan (mentor) her mentor, Ana (staff)
oversees; everyone else — other mentors included — gets 404 for a mentorship."""

from django.utils import timezone

from awards.models import ActionOwner, RiskLevel
from awards.services import mentoring as services
from tests.factories import UserFactory
from tests.matrix import SIGNED_IN, Row, expect


def build(world):
    active = services.open_mentorship(by=world.staff, mentee=world.learner, goals="მიზნები")
    services.assign_mentor(mentorship=active, mentor=world.mentor, by=world.staff)
    active.refresh_from_db()
    services.declare_conflict(mentorship=active, by=world.mentor, conflict=False)
    active.refresh_from_db()
    world.mentoring_active = active
    world.mentoring_action = services.add_action(
        mentorship=active,
        by=world.mentor,
        text="გეგმა",
        owner=ActionOwner.MENTOR,
        due_on=timezone.localdate(),
    )
    world.mentoring_risk = services.raise_risk(
        mentorship=active, by=world.mentor, level=RiskLevel.LOW, text="რისკი"
    )
    # Nino is a member of this organisation: she is its mentee too.
    pending = services.open_mentorship(by=world.staff, organisation=world.learner.organisations.first())
    services.assign_mentor(mentorship=pending, mentor=world.mentor, by=world.staff)
    pending.refresh_from_db()
    world.mentoring_pending = pending
    world.mentoring_waiting = services.open_mentorship(
        by=world.staff, mentee=UserFactory(email="mentee-waiting@example.org", full_name_ka="ლია ნოზაძე")
    )


def _active(w):
    return [w.mentoring_active.pk]


STAFF_POST = expect(404, anon=302, staff=302)
MENTOR_PAGE = expect(404, anon=302, mentor=200)
BOTH_SIDES_POST = expect(404, anon=302, learner=302, mentor=302)

ROWS = [
    Row("awards:mentoring_overview", expect(403, anon=302, staff=200)),
    Row(
        "awards:mentoring_overview",
        expect(403, anon=302, staff=200),
        query="?status=active&open_risks=on&stale=on",
    ),
    Row("awards:mentoring_mine", SIGNED_IN),
    Row("awards:mentorship_detail", expect(404, anon=302, learner=200, mentor=200, staff=200), args=_active),
    Row(
        "awards:mentorship_detail",
        expect(404, anon=302, learner=200, mentor=200, staff=200),
        args=lambda w: [w.mentoring_pending.pk],
        note="mentor's declaration pending",
    ),
    Row(
        "awards:mentorship_declare",
        expect(404, anon=302, mentor=302),
        args=lambda w: [w.mentoring_pending.pk],
        method="post",
        data=lambda w: {"conflict": "no"},
    ),
    Row(
        "awards:mentorship_assign",
        STAFF_POST,
        args=lambda w: [w.mentoring_waiting.pk],
        method="post",
        data=lambda w: {"mentor": w.mentor.pk},
    ),
    Row("awards:mentorship_end", STAFF_POST, args=_active, method="post"),
    Row("awards:mentorship_plan", expect(404, anon=302, staff=200, mentor=200), args=_active),
    Row("awards:mentoring_session_add", MENTOR_PAGE, args=_active),
    Row("awards:mentoring_action_add", MENTOR_PAGE, args=_active),
    Row("awards:mentoring_risk_add", MENTOR_PAGE, args=_active),
    Row(
        "awards:mentoring_message",
        BOTH_SIDES_POST,
        args=_active,
        method="post",
        data=lambda w: {"body": "გამარჯობა"},
    ),
    Row(
        "awards:mentoring_action_status",
        BOTH_SIDES_POST,
        args=lambda w: [w.mentoring_action.pk],
        method="post",
        data=lambda w: {"status": "done"},
    ),
    Row("awards:mentoring_risk_ack", STAFF_POST, args=lambda w: [w.mentoring_risk.pk], method="post"),
]

ROWS += [
    Row("awards:mentorship_open", expect(403, anon=302, staff=200)),
    Row(
        "awards:mentorship_open",
        expect(403, anon=302, staff=302),
        method="post",
        data=lambda w: {"email": w.other.email, "goals": "მიზნები"},
        note="for a person",
    ),
]
