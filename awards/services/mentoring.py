"""Mentoring: services (every state change, with its audit entry).

The transition table (``TRANSITIONS``) says which action moves a mentorship from which status to which and who
takes it; :func:`_move` is the only code that changes ``Mentorship.status`` (a conditional UPDATE, so two people
acting at once produce one outcome). A mentor is *assigned* while the mentorship waits (``mentor`` set, status
still "waiting"), and the mentorship becomes active once that mentor declares no conflict of interest; a declared
conflict clears the mentor, and the assignment row stays so that mentor is never assigned to it again.

Emails leave after commit through ``awards.tasks.send_mentoring_mail`` (:func:`deliver_mail`), each in its
recipient's language.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import NoReturn

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.api import Membership, Role, User, has_role, is_programme_staff, record
from awards.models.mentoring import (
    ActionOwner,
    ActionStatus,
    AgreedAction,
    MentorAssignment,
    MentorConflict,
    MentoringMessage,
    MentoringSession,
    Mentorship,
    MentorshipStatus,
    RiskFlag,
)
from calls.api import conflicted_person_ids
from core.api import enqueue_on_commit

log = logging.getLogger(__name__)


class MentoringError(Exception):
    """Something a person cannot do now; ``message`` is translated and safe to show."""

    def __init__(self, message, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


STAFF = "staff"
MENTOR = "mentor"  # the mentor assigned to the mentorship


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    actor: str


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.action): t
    for t in [
        Transition("assign", MentorshipStatus.WAITING, MentorshipStatus.WAITING, STAFF),
        Transition("declare_none", MentorshipStatus.WAITING, MentorshipStatus.ACTIVE, MENTOR),
        Transition("declare_conflict", MentorshipStatus.WAITING, MentorshipStatus.WAITING, MENTOR),
        Transition("end", MentorshipStatus.WAITING, MentorshipStatus.ENDED, STAFF),
        Transition("end", MentorshipStatus.ACTIVE, MentorshipStatus.ENDED, STAFF),
    ]
}
ACTIONS = sorted({t.action for t in TRANSITIONS.values()})


def _refuse(message=None, code: str = "not_allowed") -> NoReturn:
    raise MentoringError(message or _("This is not possible for this mentorship now."), code=code)


def _may_act(actor: str, mentorship: Mentorship, by) -> bool:
    if actor == STAFF:
        return is_programme_staff(by)
    return by is not None and mentorship.mentor_id == getattr(by, "pk", None)


def _move(mentorship: Mentorship, action: str, *, by, note: str = "", **fields) -> Mentorship:
    """Move the mentorship by ``action`` (inside the caller's transaction): checks the table and the actor,
    updates only if the row is still in the status read, and records the audit entry."""
    transition = TRANSITIONS.get((mentorship.status, action))
    if transition is None or not _may_act(transition.actor, mentorship, by):
        _refuse()
    moved = Mentorship.objects.filter(pk=mentorship.pk, status=mentorship.status).update(
        status=transition.target, **fields
    )
    if not moved:
        _refuse()
    for name, value in fields.items():
        setattr(mentorship, name, value)
    mentorship.status = transition.target
    record(actor=by, action=f"awards.mentorship.{action}", target=mentorship, note=note)
    return mentorship


def _locked(mentorship: Mentorship) -> Mentorship:
    return Mentorship.objects.select_for_update().get(pk=mentorship.pk)


# --- opening --------------------------------------------------------------------------------------------------


def offer_accepted(*, offer, by) -> Mentorship:
    """An offer of a mentoring call was accepted: open a mentorship for the organisation (when the application
    was made for one) or the person, waiting for a mentor. Idempotent: one mentorship per offer."""
    existing = Mentorship.objects.filter(offer=offer).first()
    if existing is not None:
        return existing
    application = offer.application
    fields = (
        {"organisation_id": application.organisation_id}
        if application.organisation_id
        else {"mentee_id": application.applicant_id}
    )
    try:
        with transaction.atomic():
            mentorship = Mentorship.objects.create(offer=offer, status=MentorshipStatus.WAITING, **fields)
            record(actor=by, action="awards.mentorship.open", target=mentorship, note=f"offer {offer.pk}")
    except IntegrityError:
        # Two acceptances at once: the other one created it.
        return Mentorship.objects.get(offer=offer)
    return mentorship


def open_mentorship(*, by, project=None, mentee=None, organisation=None, goals: str = "") -> Mentorship:
    """Staff open a mentorship for a grant project, an organisation or one person (exactly one)."""
    if not is_programme_staff(by):
        _refuse()
    if sum(x is not None for x in (project, mentee, organisation)) != 1:
        raise ValueError("a mentorship mentors exactly one project, organisation or person")
    current = Mentorship.objects.filter(project=project, mentee=mentee, organisation=organisation).exclude(
        status=MentorshipStatus.ENDED
    )
    if current.exists():
        _refuse(_("This mentee already has a mentorship that has not ended."), code="duplicate")
    with transaction.atomic():
        mentorship = Mentorship.objects.create(
            project=project, mentee=mentee, organisation=organisation, goals=goals
        )
        record(actor=by, action="awards.mentorship.open", target=mentorship)
    return mentorship


# --- conflicts of interest and assigning a mentor ------------------------------------------------------------


def mentee_people_and_organisations(mentorship: Mentorship) -> tuple[list[int], list[int]]:
    """The people and organisations a mentor of this mentorship assesses (for the conflict-of-interest rule)."""
    people = [mentorship.mentee_id]
    organisations = [mentorship.organisation_id]
    project = mentorship.project if mentorship.project_id else None
    if project is not None:
        people.append(project.grantee_id)
        organisations.append(project.organisation_id)
    return [p for p in people if p], [o for o in organisations if o]


def mentee_people_ids(mentorship: Mentorship) -> set[int]:
    """Who is mentored: the person, or every member of the organisation (and a project's grantee)."""
    people, organisations = mentee_people_and_organisations(mentorship)
    return set(people) | set(
        Membership.objects.filter(organisation_id__in=organisations).values_list("user_id", flat=True)
    )


def conflict_reason(*, mentorship: Mentorship, mentor) -> str | None:
    """Why ``mentor`` may not mentor this mentorship, or None. The same rule as for reviewers (calls.api)."""
    previous = mentorship.assignments.filter(mentor_id=mentor.pk).first()
    if previous is not None:
        if previous.conflict == MentorConflict.CONFLICT:
            return _("This mentor declared a conflict of interest with this mentorship.")
        return _("This mentor is already assigned.")
    people, organisations = mentee_people_and_organisations(mentorship)
    if mentor.pk in people:
        return _("A mentor cannot mentor themselves.")
    if mentor.pk in conflicted_person_ids(person_ids=people, organisation_ids=organisations):
        return _("This mentor belongs to the mentee's organisation.")
    return None


def assign_mentor(*, mentorship: Mentorship, mentor, by) -> MentorAssignment:
    if not is_programme_staff(by):
        _refuse()
    if not has_role(mentor, Role.MENTOR):
        _refuse(_("This person does not have the mentor role."), code="not_mentor")
    with transaction.atomic():
        mentorship = _locked(mentorship)
        if mentorship.mentor_id is not None:
            _refuse(_("This mentorship already has a mentor."), code="state")
        reason = conflict_reason(mentorship=mentorship, mentor=mentor)
        if reason:
            _refuse(reason, code="conflict")
        assignment = MentorAssignment.objects.create(mentorship=mentorship, mentor=mentor, assigned_by=by)
        _move(mentorship, "assign", by=by, note=f"mentor {mentor.pk}", mentor_id=mentor.pk)
        enqueue_on_commit("awards.tasks.send_mentoring_mail", "assigned", assignment.pk)
    return assignment


def declare_conflict(*, mentorship: Mentorship, by, conflict: bool, note: str = "") -> Mentorship:
    """The assigned mentor declares, before seeing more than the mentee's name. A conflict ends the assignment
    (and that mentor is never assigned again); no conflict makes the mentorship active."""
    with transaction.atomic():
        mentorship = _locked(mentorship)
        assignment = MentorAssignment.objects.filter(
            mentorship=mentorship, mentor_id=getattr(by, "pk", None), conflict=MentorConflict.PENDING
        ).first()
        if assignment is None or mentorship.mentor_id != by.pk:
            _refuse()
        assignment.conflict = MentorConflict.CONFLICT if conflict else MentorConflict.NONE
        assignment.conflict_note = note
        assignment.declared_at = timezone.now()
        assignment.save(update_fields=["conflict", "conflict_note", "declared_at"])
        if conflict:
            _move(mentorship, "declare_conflict", by=by, note=note, mentor_id=None)
        else:
            _move(
                mentorship,
                "declare_none",
                by=by,
                starts_on=mentorship.starts_on or timezone.localdate(),
            )
            enqueue_on_commit("awards.tasks.send_mentoring_mail", "confirmed", assignment.pk)
    return mentorship


def end_mentorship(*, mentorship: Mentorship, by, note: str = "") -> Mentorship:
    with transaction.atomic():
        mentorship = _locked(mentorship)
        fields: dict = {"ends_on": timezone.localdate()}
        if mentorship.status == MentorshipStatus.WAITING:
            fields["mentor_id"] = None  # an undeclared assignment ends with it
        return _move(mentorship, "end", by=by, note=note, **fields)


def update_plan(*, mentorship: Mentorship, by, goals: str, starts_on, ends_on) -> Mentorship:
    """Staff (or the mentor) set the goals and the planned dates."""
    if not (
        is_programme_staff(by)
        or (mentorship.mentor_id == by.pk and mentorship.status == MentorshipStatus.ACTIVE)
    ):
        _refuse()
    if starts_on and ends_on and ends_on < starts_on:
        _refuse(_("The end date cannot be before the start date."), code="dates")
    mentorship.goals = goals
    mentorship.starts_on = starts_on
    mentorship.ends_on = ends_on
    with transaction.atomic():
        mentorship.save(update_fields=["goals", "starts_on", "ends_on"])
        record(actor=by, action="awards.mentorship.plan", target=mentorship)
    return mentorship


# --- the mentoring log -------------------------------------------------------------------------------------


def _require_active_mentor(mentorship: Mentorship, by) -> None:
    if mentorship.status != MentorshipStatus.ACTIVE or mentorship.mentor_id != getattr(by, "pk", None):
        _refuse()


def _check_owner(mentorship: Mentorship, owner: str, owner_person) -> None:
    if (
        owner == ActionOwner.MENTEE
        and owner_person is not None
        and owner_person.pk not in mentee_people_ids(mentorship)
    ):
        _refuse(_("This person is not among the mentees."), code="owner")
    if owner == ActionOwner.MENTOR and owner_person is not None:
        _refuse(_("Name a person only for the mentee's actions."), code="owner")


def log_session(
    *,
    mentorship: Mentorship,
    by,
    held_on,
    duration_minutes: int,
    format: str,
    topics: str,
    notes: str = "",
    action: dict | None = None,
) -> MentoringSession:
    """The mentor logs a session, optionally with an action agreed in it (``action``: text, owner,
    owner_person, due_on)."""
    _require_active_mentor(mentorship, by)
    if duration_minutes is None or duration_minutes <= 0:
        _refuse(_("The duration must be a positive number of minutes."), code="duration")
    if held_on > timezone.localdate():
        _refuse(_("A session cannot be logged before it is held."), code="date")
    if action:
        _check_owner(mentorship, action["owner"], action.get("owner_person"))
    with transaction.atomic():
        mentorship = _locked(mentorship)
        _require_active_mentor(mentorship, by)
        session = MentoringSession.objects.create(
            mentorship=mentorship,
            held_on=held_on,
            duration_minutes=duration_minutes,
            format=format,
            topics=topics,
            notes=notes,
            created_by=by,
        )
        if mentorship.last_session_on is None or held_on > mentorship.last_session_on:
            Mentorship.objects.filter(pk=mentorship.pk).update(last_session_on=held_on)
        record(actor=by, action="awards.mentoring.session", target=mentorship, note=str(held_on))
        if action:
            _create_action(mentorship=mentorship, by=by, session=session, **action)
    return session


def _create_action(*, mentorship, by, text, owner, due_on, owner_person=None, session=None) -> AgreedAction:
    item = AgreedAction.objects.create(
        mentorship=mentorship,
        session=session,
        text=text,
        owner=owner,
        owner_person=owner_person,
        due_on=due_on,
    )
    record(actor=by, action="awards.mentoring.action", target=mentorship, note=text[:100])
    return item


def add_action(
    *, mentorship: Mentorship, by, text: str, owner: str, due_on, owner_person=None
) -> AgreedAction:
    _require_active_mentor(mentorship, by)
    _check_owner(mentorship, owner, owner_person)
    with transaction.atomic():
        return _create_action(
            mentorship=mentorship, by=by, text=text, owner=owner, owner_person=owner_person, due_on=due_on
        )


def set_action_status(*, action: AgreedAction, by, status: str) -> AgreedAction:
    """Mentor and mentee keep an action's status (open, done, dropped) while the mentorship is active."""
    mentorship = action.mentorship
    if status not in ActionStatus.values:
        _refuse()
    if mentorship.status != MentorshipStatus.ACTIVE:
        _refuse()
    if not (mentorship.mentor_id == by.pk or by.pk in mentee_people_ids(mentorship)):
        _refuse()
    if action.status == status:
        return action
    with transaction.atomic():
        previous = action.status
        action.status = status
        action.updated_at = timezone.now()
        action.save(update_fields=["status", "updated_at"])
        record(
            actor=by,
            action="awards.mentoring.action_status",
            target=mentorship,
            note=f"{action.pk}: {previous} → {status}",
        )
    return action


def raise_risk(*, mentorship: Mentorship, by, level: str, text: str) -> RiskFlag:
    """The mentor flags a risk for staff; staff are emailed."""
    _require_active_mentor(mentorship, by)
    with transaction.atomic():
        flag = RiskFlag.objects.create(mentorship=mentorship, level=level, text=text, raised_by=by)
        record(actor=by, action="awards.mentoring.risk", target=mentorship, note=level)
        enqueue_on_commit("awards.tasks.send_mentoring_mail", "risk", flag.pk)
    return flag


def acknowledge_risk(*, flag: RiskFlag, by) -> RiskFlag:
    if not is_programme_staff(by):
        _refuse()
    now = timezone.now()
    with transaction.atomic():
        if not RiskFlag.objects.filter(pk=flag.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=by
        ):
            _refuse(_("This risk flag is already acknowledged."), code="state")
        flag.acknowledged_at, flag.acknowledged_by = now, by
        record(actor=by, action="awards.mentoring.risk_ack", target=flag.mentorship, note=str(flag.pk))
    return flag


def send_message(*, mentorship: Mentorship, by, body: str) -> MentoringMessage:
    """Mentor and mentee write to each other while the mentorship is active; the other side is emailed."""
    if mentorship.status != MentorshipStatus.ACTIVE:
        _refuse()
    if not (mentorship.mentor_id == by.pk or by.pk in mentee_people_ids(mentorship)):
        _refuse()
    body = body.strip()
    if not body:
        _refuse(_("Write a message first."), code="empty")
    with transaction.atomic():
        message = MentoringMessage.objects.create(mentorship=mentorship, author=by, body=body)
        record(actor=by, action="awards.mentoring.message", target=mentorship)
        enqueue_on_commit("awards.tasks.send_mentoring_mail", "message", message.pk)
    return message


# --- emails (run by the task worker, after commit) ------------------------------------------------------------


def _absolute(url: str) -> str:
    return settings.SITE_URL + url


def _mail(recipients, subject_and_body) -> int:
    """Send one email per recipient in their own language; ``subject_and_body(user)`` is called with that
    language active. Returns how many were sent."""
    sent = 0
    for user in recipients:
        if not user.is_active or not user.email:
            continue
        with override(user.language):
            subject, body = subject_and_body(user)
        send_mail(str(subject)[:200], str(body), None, [user.email])
        sent += 1
    return sent


# How far back an overdue action is still worth a reminder (older ones were missed long ago, e.g. recorded late).
OVERDUE_REMINDER_WINDOW = dt.timedelta(days=30)


def action_owners(action: AgreedAction) -> list:
    """Who an agreed action's reminder goes to: the mentor, the named mentee person, or every mentee person."""
    mentorship = action.mentorship
    if action.owner == ActionOwner.MENTOR:
        return [mentorship.mentor] if mentorship.mentor_id else []
    if action.owner_person_id:
        return [action.owner_person]
    return list(User.objects.filter(pk__in=mentee_people_ids(mentorship)).order_by("pk"))


def send_action_reminders(*, today: dt.date | None = None) -> int:
    """Tell the owner of each open agreed action of an active mentorship, once, that it is overdue (daily; actions
    overdue for more than 30 days are left alone). Each action is claimed by a conditional update before its mail
    goes, so two runs at once send it once."""
    today = today or timezone.localdate()
    actions = (
        AgreedAction.objects.filter(
            status=ActionStatus.OPEN,
            due_on__lt=today,
            due_on__gte=today - OVERDUE_REMINDER_WINDOW,
            overdue_reminded_at__isnull=True,
            mentorship__status=MentorshipStatus.ACTIVE,
        )
        .select_related("mentorship__mentor", "owner_person")
        .order_by("due_on", "pk")
    )
    sent = 0
    for action in actions:
        claimed = AgreedAction.objects.filter(pk=action.pk, overdue_reminded_at__isnull=True).update(
            overdue_reminded_at=timezone.now()
        )
        if not claimed:
            continue  # another run took it
        url = _absolute(action.mentorship.get_absolute_url())
        sent += _mail(
            action_owners(action),
            lambda user, action=action, url=url: (
                _("[civichub] An agreed action is overdue"),
                _(
                    "Mentorship: %(mentee)s\nAction: %(text)s\nDue date: %(date)s\n\n"
                    "Mark it done, or agree a new date in the mentoring log: %(url)s"
                )
                % {
                    "mentee": action.mentorship.mentee_name,
                    "text": action.text,
                    "date": date_format(action.due_on, "DATE_FORMAT"),
                    "url": url,
                },
            ),
        )
    return sent


def _staff_people():
    return User.objects.filter(is_active=True, role_grants__role__in=[Role.STAFF, Role.ADMIN]).distinct()


def deliver_mail(kind: str, pk: int) -> int:
    """Email what happened (``kind``: assigned, confirmed, message, risk) to the people it concerns."""
    if kind in ("assigned", "confirmed"):
        assignment = MentorAssignment.objects.select_related("mentorship", "mentor").filter(pk=pk).first()
        if assignment is None:
            return 0
        mentorship, mentor = assignment.mentorship, assignment.mentor
        url = _absolute(mentorship.get_absolute_url())
        if kind == "assigned":
            return _mail(
                [mentor],
                lambda user: (
                    _("[civichub] You are asked to mentor"),
                    _(
                        "Programme staff asked you to mentor: %(mentee)s.\n\nBefore you see more, please declare "
                        "whether you have a conflict of interest: %(url)s"
                    )
                    % {"mentee": mentorship.mentee_name, "url": url},
                ),
            )
        mentees = User.objects.filter(pk__in=mentee_people_ids(mentorship))
        return _mail(
            mentees,
            lambda user: (
                _("[civichub] Your mentor"),
                _("Your mentor is %(mentor)s. You can see their profile and write to them here: %(url)s")
                % {"mentor": mentor.name_in(user.language), "url": url},
            ),
        ) + _mail(
            [mentor],
            lambda user: (
                _("[civichub] Mentoring has started"),
                _("Thank you. The mentorship is active; the log and the messages are here: %(url)s")
                % {"url": url},
            ),
        )
    if kind == "message":
        message = MentoringMessage.objects.select_related("mentorship", "author").filter(pk=pk).first()
        if message is None:
            return 0
        mentorship = message.mentorship
        if message.author_id == mentorship.mentor_id:
            recipients = User.objects.filter(pk__in=mentee_people_ids(mentorship))
        else:
            recipients = User.objects.filter(pk__in=[mentorship.mentor_id])
        url = _absolute(mentorship.get_absolute_url())
        return _mail(
            recipients.exclude(pk=message.author_id),
            lambda user: (
                _("[civichub] A new mentoring message"),
                _("%(author)s wrote to you:\n\n%(body)s\n\nAnswer here: %(url)s")
                % {"author": message.author.name_in(user.language), "body": message.body, "url": url},
            ),
        )
    if kind == "risk":
        flag = RiskFlag.objects.select_related("mentorship", "raised_by").filter(pk=pk).first()
        if flag is None:
            return 0
        url = _absolute(flag.mentorship.get_absolute_url())
        return _mail(
            _staff_people(),
            lambda user: (
                _("[civichub] A mentor flagged a risk"),
                _("Mentor: %(mentor)s\nMentorship: %(mentee)s\nLevel: %(level)s\n\n%(text)s\n\n%(url)s")
                % {
                    "mentor": flag.raised_by.name_in(user.language),
                    "mentee": flag.mentorship.mentee_name,
                    "level": flag.get_level_display(),
                    "text": flag.text,
                    "url": url,
                },
            ),
        )
    raise ValueError(f"unknown mentoring mail {kind!r}")
