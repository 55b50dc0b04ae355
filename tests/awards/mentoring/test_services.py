"""Mentoring services: opening from an offer, the transition table, conflicts of interest, the log and emails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import AuditEntry
from awards.models import (
    ActionOwner,
    ActionStatus,
    AgreedAction,
    MentorAssignment,
    MentorConflict,
    MentoringMessage,
    Mentorship,
    MentorshipStatus,
    RiskLevel,
    SessionFormat,
)
from awards.services import mentoring as services
from awards.services.mentoring import TRANSITIONS, MentoringError
from tests.awards.mentoring.builders import active, another_mentor, individual, offer_for
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def actions(action):
    return list(AuditEntry.objects.filter(action=action).values_list("action", flat=True))


# --- opening ------------------------------------------------------------------------------------------------


def test_offer_accepted_opens_one_waiting_mentorship_for_the_person(learner, staff):
    offer = offer_for(learner)
    first = services.offer_accepted(offer=offer, by=learner)
    again = services.offer_accepted(offer=offer, by=learner)
    assert first.pk == again.pk
    assert Mentorship.objects.count() == 1
    assert (first.mentee, first.organisation, first.project, first.status) == (
        learner,
        None,
        None,
        MentorshipStatus.WAITING,
    )
    assert actions("awards.mentorship.open") == ["awards.mentorship.open"]


def test_offer_accepted_for_an_organisation_mentors_the_organisation(org_admin, admin_org):
    mentorship = services.offer_accepted(offer=offer_for(org_admin, organisation=admin_org), by=org_admin)
    assert (mentorship.organisation, mentorship.mentee) == (admin_org, None)


def test_a_mentorship_mentors_exactly_one_project_organisation_or_person(learner, learner_org):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Mentorship.objects.create(mentee=learner, organisation=learner_org)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mentorship.objects.create()


# --- the transition table -------------------------------------------------------------------------------------

ALL_ACTIONS = ["assign", "declare_none", "declare_conflict", "end"]


@pytest.mark.parametrize("status", MentorshipStatus.values)
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_every_status_and_action_is_allowed_or_refused_as_the_table_says(
    status, action, learner, staff, mentor
):
    mentorship = individual(learner, staff)
    Mentorship.objects.filter(pk=mentorship.pk).update(status=status)
    mentorship.refresh_from_db()
    expected = TRANSITIONS.get((status, action))
    if action == "assign":
        call = lambda: services.assign_mentor(mentorship=mentorship, mentor=mentor, by=staff)  # noqa: E731
    elif action == "end":
        call = lambda: services.end_mentorship(mentorship=mentorship, by=staff)  # noqa: E731
    else:
        MentorAssignment.objects.create(mentorship=mentorship, mentor=mentor, assigned_by=staff)
        Mentorship.objects.filter(pk=mentorship.pk).update(mentor=mentor)
        mentorship.refresh_from_db()
        call = lambda: services.declare_conflict(  # noqa: E731
            mentorship=mentorship, by=mentor, conflict=action == "declare_conflict"
        )
    if expected is None:
        with pytest.raises(MentoringError):
            call()
        assert Mentorship.objects.get(pk=mentorship.pk).status == status
    else:
        call()
        assert Mentorship.objects.get(pk=mentorship.pk).status == expected.target
        assert AuditEntry.objects.filter(action=f"awards.mentorship.{action}").count() == 1


def test_only_staff_assign_and_end(waiting, mentor, learner):
    with pytest.raises(MentoringError):
        services.assign_mentor(mentorship=waiting, mentor=mentor, by=learner)
    with pytest.raises(MentoringError):
        services.end_mentorship(mentorship=waiting, by=mentor)


# --- conflicts of interest --------------------------------------------------------------------------------------


def test_a_mentor_may_not_mentor_themselves(mentor, staff):
    mentorship = individual(mentor, staff)
    with pytest.raises(MentoringError) as refused:
        services.assign_mentor(mentorship=mentorship, mentor=mentor, by=staff)
    assert refused.value.code == "conflict"
    assert not MentorAssignment.objects.exists()


def test_a_mentor_may_not_mentor_their_own_organisations_project(project, admin_org, staff):
    colleague = another_mentor()
    make_member(colleague, admin_org)
    mentorship = services.open_mentorship(by=staff, project=project)
    with pytest.raises(MentoringError) as refused:
        services.assign_mentor(mentorship=mentorship, mentor=colleague, by=staff)
    assert refused.value.code == "conflict"


def test_a_mentor_may_not_mentor_a_colleague(learner, learner_org, staff):
    colleague = another_mentor()
    make_member(colleague, learner_org)  # Nino's organisation
    mentorship = individual(learner, staff)
    with pytest.raises(MentoringError):
        services.assign_mentor(mentorship=mentorship, mentor=colleague, by=staff)


def test_only_people_with_the_mentor_role_are_assigned(waiting, other_learner, staff):
    with pytest.raises(MentoringError) as refused:
        services.assign_mentor(mentorship=waiting, mentor=other_learner, by=staff)
    assert refused.value.code == "not_mentor"


def test_declared_conflict_ends_the_assignment_and_the_mentor_is_never_assigned_again(waiting, mentor, staff):
    services.assign_mentor(mentorship=waiting, mentor=mentor, by=staff)
    waiting.refresh_from_db()
    services.declare_conflict(mentorship=waiting, by=mentor, conflict=True, note="ნათესავი")
    waiting.refresh_from_db()
    assert (waiting.status, waiting.mentor) == (MentorshipStatus.WAITING, None)
    assignment = MentorAssignment.objects.get()
    assert (assignment.conflict, assignment.conflict_note) == (MentorConflict.CONFLICT, "ნათესავი")
    with pytest.raises(MentoringError) as refused:
        services.assign_mentor(mentorship=waiting, mentor=mentor, by=staff)
    assert refused.value.code == "conflict"
    from awards.queries.mentoring import mentor_candidates

    assert mentor not in mentor_candidates(waiting)
    assert actions("awards.mentorship.declare_conflict") == ["awards.mentorship.declare_conflict"]
    # Another mentor can be assigned.
    services.assign_mentor(mentorship=waiting, mentor=another_mentor(), by=staff)


def test_assignment_emails_the_mentor_and_confirmation_the_mentee_each_in_their_language(
    waiting, mentor, staff, learner, committed
):
    mentor.language = "en"
    mentor.save(update_fields=["language"])
    with committed():
        services.assign_mentor(mentorship=waiting, mentor=mentor, by=staff)
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    assert "conflict of interest" in mail.outbox[0].body
    mail.outbox.clear()
    waiting.refresh_from_db()
    with committed():
        services.declare_conflict(mentorship=waiting, by=mentor, conflict=False)
    to_learner = [m for m in mail.outbox if m.to == [learner.email]]
    assert len(to_learner) == 1
    assert "ლევან გელაშვილი" in to_learner[0].body  # Georgian mail, the mentor's Georgian name
    assert "მენტორი" in to_learner[0].subject
    waiting.refresh_from_db()
    assert waiting.status == MentorshipStatus.ACTIVE
    assert waiting.starts_on == timezone.localdate()


def test_only_the_assigned_mentor_declares(waiting, mentor, staff):
    services.assign_mentor(mentorship=waiting, mentor=mentor, by=staff)
    waiting.refresh_from_db()
    with pytest.raises(MentoringError):
        services.declare_conflict(mentorship=waiting, by=another_mentor(), conflict=False)


# --- the log ------------------------------------------------------------------------------------------------


def test_logging_a_session_with_an_action_keeps_the_last_session_date(mentorship, mentor, learner):
    today = timezone.localdate()
    session = services.log_session(
        mentorship=mentorship,
        by=mentor,
        held_on=today - timedelta(days=3),
        duration_minutes=60,
        format=SessionFormat.ONLINE,
        topics="ანგარიშგება",
        action={
            "text": "გეგმის დაწერა",
            "owner": ActionOwner.MENTEE,
            "owner_person": learner,
            "due_on": today,
        },
    )
    services.log_session(
        mentorship=mentorship,
        by=mentor,
        held_on=today - timedelta(days=10),
        duration_minutes=30,
        format=SessionFormat.PHONE,
        topics="ძველი",
    )
    mentorship.refresh_from_db()
    assert mentorship.last_session_on == today - timedelta(days=3)
    action = AgreedAction.objects.get()
    assert (action.session, action.owner_person, action.status) == (session, learner, ActionStatus.OPEN)


@pytest.mark.parametrize("minutes", [0, -5])
def test_a_session_needs_a_positive_duration(mentorship, mentor, minutes):
    with pytest.raises(MentoringError) as refused:
        services.log_session(
            mentorship=mentorship,
            by=mentor,
            held_on=timezone.localdate(),
            duration_minutes=minutes,
            format=SessionFormat.ONLINE,
            topics="x",
        )
    assert refused.value.code == "duration"


def test_only_the_mentor_of_an_active_mentorship_logs(mentorship, waiting, learner, staff):
    for who in (learner, staff, another_mentor()):
        with pytest.raises(MentoringError):
            services.log_session(
                mentorship=mentorship,
                by=who,
                held_on=timezone.localdate(),
                duration_minutes=30,
                format=SessionFormat.ONLINE,
                topics="x",
            )


def test_an_action_owned_by_a_stranger_is_refused(mentorship, mentor, other_learner):
    with pytest.raises(MentoringError) as refused:
        services.add_action(
            mentorship=mentorship,
            by=mentor,
            text="x",
            owner=ActionOwner.MENTEE,
            owner_person=other_learner,
            due_on=timezone.localdate(),
        )
    assert refused.value.code == "owner"


def test_mentee_and_mentor_change_an_actions_status_others_cannot(
    mentorship, mentor, learner, staff, other_learner
):
    action = services.add_action(
        mentorship=mentorship,
        by=mentor,
        text="ბიუჯეტის ცხრილი",
        owner=ActionOwner.MENTOR,
        due_on=timezone.localdate(),
    )
    services.set_action_status(action=action, by=learner, status=ActionStatus.DONE)
    assert AgreedAction.objects.get().status == ActionStatus.DONE
    services.set_action_status(action=action, by=mentor, status=ActionStatus.DROPPED)
    assert AgreedAction.objects.get().status == ActionStatus.DROPPED
    for who in (staff, other_learner):
        with pytest.raises(MentoringError):
            services.set_action_status(action=action, by=who, status=ActionStatus.OPEN)
    with pytest.raises(MentoringError):
        services.set_action_status(action=action, by=mentor, status="nonsense")
    notes = list(
        AuditEntry.objects.filter(action="awards.mentoring.action_status")
        .order_by("pk")
        .values_list("note", flat=True)
    )
    assert notes == [f"{action.pk}: open → done", f"{action.pk}: done → dropped"]


def test_an_organisations_members_are_its_mentees(project, org_admin, staff, mentor):
    mentorship = active(services.open_mentorship(by=staff, project=project), mentor, staff)
    action = services.add_action(
        mentorship=mentorship,
        by=mentor,
        text="x",
        owner=ActionOwner.MENTEE,
        owner_person=org_admin,
        due_on=timezone.localdate(),
    )
    services.set_action_status(action=action, by=org_admin, status=ActionStatus.DONE)
    assert AgreedAction.objects.get().status == ActionStatus.DONE


def test_a_risk_flag_emails_staff_and_staff_acknowledge_it_once(mentorship, mentor, staff, committed):
    mail.outbox.clear()
    with committed():
        flag = services.raise_risk(
            mentorship=mentorship, by=mentor, level=RiskLevel.HIGH, text="ანგარიში აგვიანდება"
        )
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert "ანგარიში აგვიანდება" in mail.outbox[0].body
    services.acknowledge_risk(flag=flag, by=staff)
    flag.refresh_from_db()
    assert flag.acknowledged_by == staff
    with pytest.raises(MentoringError):
        services.acknowledge_risk(flag=flag, by=staff)
    assert actions("awards.mentoring.risk_ack") == ["awards.mentoring.risk_ack"]


def test_messages_email_the_other_side(mentorship, mentor, learner, committed):
    mail.outbox.clear()
    with committed():
        services.send_message(mentorship=mentorship, by=learner, body="გამარჯობა, **ლევან**")
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    mail.outbox.clear()
    with committed():
        services.send_message(mentorship=mentorship, by=mentor, body="გამარჯობა")
    assert [m.to for m in mail.outbox] == [[learner.email]]
    assert MentoringMessage.objects.count() == 2


def test_strangers_and_ended_mentorships_take_no_messages(mentorship, mentor, other_learner, staff):
    with pytest.raises(MentoringError):
        services.send_message(mentorship=mentorship, by=other_learner, body="x")
    services.end_mentorship(mentorship=mentorship, by=staff)
    mentorship.refresh_from_db()
    with pytest.raises(MentoringError):
        services.send_message(mentorship=mentorship, by=mentor, body="x")


def test_a_mentoring_calls_accepted_offer_runs_to_an_active_mentorship(learner, staff, mentor, committed):
    """From the offers sub-domain: accepting a mentoring call's offer opens the mentorship; staff assign Levan,
    he declares no conflict and logs the first session."""
    from awards.services import offers as offer_services
    from tests.awards.offers.builders import accepted
    from tests.calls.builders import make_call

    application = accepted(make_call(kind="mentoring"), learner, staff)
    offer = offer_services.make_offer(application=application, by=staff)
    offer_services.accept_offer(offer=offer, by=learner, acknowledged=True)
    offer_services.accept_offer(offer=offer, by=learner, acknowledged=True)  # a double submit
    mentorship = Mentorship.objects.get()
    assert (mentorship.offer, mentorship.mentee, mentorship.status) == (
        offer,
        learner,
        MentorshipStatus.WAITING,
    )
    active(mentorship, mentor, staff)
    services.log_session(
        mentorship=mentorship,
        by=mentor,
        held_on=timezone.localdate(),
        duration_minutes=60,
        format=SessionFormat.IN_PERSON,
        topics="პირველი შეხვედრა",
    )
    mentorship.refresh_from_db()
    assert (mentorship.status, mentorship.last_session_on) == (MentorshipStatus.ACTIVE, timezone.localdate())
