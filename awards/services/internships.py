"""Internships: services (every state change, with its audit entry).

Two transition tables: ``POSITION_TRANSITIONS`` (a placement: draft → published ⇄ closed) and ``TRANSITIONS``
(an internship: agreement pending → active → completed | not completed, or discontinued). ``_move`` is the only
code that changes either status: it checks the table, moves the row by a conditional UPDATE (two people acting at
once produce one outcome) and writes the audit entry. Mail goes through ``awards.tasks`` after commit, in each
recipient's own language.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from accounts.api import Membership, User, record
from awards.models.internships import (
    RUBRIC,
    EvaluationKind,
    InternCandidate,
    Internship,
    InternshipEvaluation,
    InternshipReflection,
    InternshipStatus,
    Position,
    PositionStatus,
)
from awards.services.transitions import Transition
from core.api import enqueue_on_commit
from credentials.api import AchievementKind, ensure_achievement, issue_credential
from learning.api import completions_among


class InternshipError(Exception):
    """Something a person cannot do now; ``message`` is translated and safe to show."""

    def __init__(self, message, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.code = code


# --- the transition tables ------------------------------------------------------------------------------

HOST, INTERN, SYSTEM = (
    "host",
    "intern",
    "system",
)  # host: the host organisation's managers and programme staff


POSITION_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.action): t
    for t in [
        Transition("publish", PositionStatus.DRAFT, PositionStatus.PUBLISHED, HOST),
        Transition("close", PositionStatus.PUBLISHED, PositionStatus.CLOSED, HOST),
        Transition("reopen", PositionStatus.CLOSED, PositionStatus.PUBLISHED, HOST),
    ]
}
POSITION_ACTIONS = sorted({t.action for t in POSITION_TRANSITIONS.values()})

TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.action): t
    for t in [
        Transition("acknowledge", InternshipStatus.AGREEMENT_PENDING, InternshipStatus.ACTIVE, INTERN),
        Transition("discontinue", InternshipStatus.AGREEMENT_PENDING, InternshipStatus.DISCONTINUED, HOST),
        Transition("discontinue", InternshipStatus.ACTIVE, InternshipStatus.DISCONTINUED, HOST),
        # Both the final evaluation and the intern's reflection are in: the evaluation's verdict decides.
        Transition("complete", InternshipStatus.ACTIVE, InternshipStatus.COMPLETED, SYSTEM),
        Transition("end_unsuccessful", InternshipStatus.ACTIVE, InternshipStatus.NOT_COMPLETED, SYSTEM),
    ]
}
ACTIONS = sorted({t.action for t in TRANSITIONS.values()})


def allowed(table: dict, state: str, action: str, role: str) -> Transition | None:
    step = table.get((state, action))
    return step if step is not None and step.role == role else None


def _move(obj, *, table: dict, action: str, role: str, by, note: str = "", **changes):
    """Move ``obj`` (a Position or an Internship) by ``action``; inside the caller's transaction."""
    step = allowed(table, obj.status, action, role)
    if step is None:
        raise InternshipError(_("This action is not possible now."), code="not_allowed")
    moved = type(obj).objects.filter(pk=obj.pk, status=step.source).update(status=step.target, **changes)
    if moved != 1:
        obj.refresh_from_db()
        raise InternshipError(_("This changed meanwhile. Nothing was done."), code="conflict")
    obj.status = step.target
    for name, value in changes.items():
        setattr(obj, name, value)
    kind = "position" if isinstance(obj, Position) else "internship"
    record(
        actor=by,
        action=f"awards.{kind}.{action}",
        target=obj,
        note=f"{step.source} → {step.target}" + (f": {note}" if note else ""),
    )
    return obj


# --- candidates -----------------------------------------------------------------------------------------


def offer_accepted(*, offer, by) -> InternCandidate:
    """The person behind an accepted internship offer is ready to be placed: one candidate row per
    application, however often this runs (the offers service calls it when the offer is accepted)."""
    application = offer.application
    existing = InternCandidate.objects.filter(application_id=application.pk).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            candidate = InternCandidate.objects.create(
                application_id=application.pk, call_id=application.call_id, person_id=application.applicant_id
            )
    except IntegrityError:
        return InternCandidate.objects.get(application_id=application.pk)
    record(actor=by, action="awards.internship.candidate", target=candidate, note=str(application))
    return candidate


# --- placements (positions) -----------------------------------------------------------------------------

POSITION_FIELDS = (
    "title_ka",
    "title_en",
    "region",
    "starts_on",
    "ends_on",
    "slots",
    "tasks",
    "call",
    "supervisor",
)


def _check_position(*, host, fields: dict) -> None:
    if fields["ends_on"] < fields["starts_on"]:
        raise InternshipError(_("The end date is before the start date."), code="dates")
    if not fields.get("slots") or fields["slots"] < 1:
        raise InternshipError(_("A placement needs at least one place."), code="slots")
    supervisor = fields["supervisor"]
    if not Membership.objects.filter(organisation_id=host.pk, user_id=supervisor.pk).exists():
        raise InternshipError(
            _("The supervisor must be a member of the host organisation."), code="supervisor"
        )
    call = fields.get("call")
    if call is not None and call.kind != "internship":
        raise InternshipError(_("Choose an internship call."), code="call")


def create_position(*, host, by, required_courses=(), **fields) -> Position:
    _check_position(host=host, fields=fields)
    with transaction.atomic():
        position = Position.objects.create(
            host=host, created_by=by, **{k: fields.get(k) for k in POSITION_FIELDS}
        )
        position.required_courses.set(required_courses)
        record(actor=by, action="awards.position.create", target=position, note=str(host))
    return position


def update_position(*, position: Position, by, required_courses=(), **fields) -> Position:
    _check_position(host=position.host, fields=fields)
    with transaction.atomic():
        for name in POSITION_FIELDS:
            setattr(position, name, fields.get(name))
        position.updated_at = timezone.now()
        position.save(update_fields=[*POSITION_FIELDS, "updated_at"])
        position.required_courses.set(required_courses)
        record(actor=by, action="awards.position.edit", target=position)
    return position


def move_position(*, position: Position, action: str, by) -> Position:
    with transaction.atomic():
        return _move(
            position, table=POSITION_TRANSITIONS, action=action, role=HOST, by=by, updated_at=timezone.now()
        )


# --- selection ------------------------------------------------------------------------------------------


def missing_courses(*, position: Position, person_ids) -> dict[int, list]:
    """For each person, the placement's required courses they have not completed (two queries)."""
    courses = list(position.required_courses.all())
    done = completions_among(user_ids=list(person_ids), course_ids=[c.pk for c in courses])
    return {pid: [c for c in courses if (pid, c.pk) not in done] for pid in person_ids}


def select_intern(
    *,
    position: Position,
    candidate: InternCandidate,
    by,
    objectives: str,
    agreed_tasks: str,
    schedule: str,
    starts_on=None,
    ends_on=None,
) -> Internship:
    """Place ``candidate`` on ``position``: the slot count is re-checked under a row lock on the position, so
    two people selecting at once cannot fill more places than it has."""
    starts_on = starts_on or position.starts_on
    ends_on = ends_on or position.ends_on
    if ends_on < starts_on:
        raise InternshipError(_("The end date is before the start date."), code="dates")
    with transaction.atomic():
        position = Position.objects.select_for_update().get(pk=position.pk)
        candidate = InternCandidate.objects.select_for_update().get(pk=candidate.pk)
        if position.status != PositionStatus.PUBLISHED:
            raise InternshipError(_("Only a published placement takes interns."), code="not_published")
        if position.call_id is None or candidate.call_id != position.call_id:
            raise InternshipError(_("This person did not apply through this placement's call."), code="call")
        if Internship.objects.filter(candidate=candidate).exists():
            raise InternshipError(_("This person has already been placed."), code="placed")
        if missing_courses(position=position, person_ids=[candidate.person_id])[candidate.person_id]:
            raise InternshipError(_("This person has not completed the required courses."), code="courses")
        taken = position.internships.exclude(status=InternshipStatus.DISCONTINUED).count()
        if taken >= position.slots:
            raise InternshipError(_("Every place of this placement is taken."), code="full")
        try:
            with transaction.atomic():
                internship = Internship.objects.create(
                    position=position,
                    intern_id=candidate.person_id,
                    candidate=candidate,
                    supervisor_id=position.supervisor_id,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    objectives=objectives,
                    agreed_tasks=agreed_tasks,
                    schedule=schedule,
                    selected_by=by,
                )
        except IntegrityError:
            raise InternshipError(_("This person has already been placed."), code="placed") from None
        record(actor=by, action="awards.internship.select", target=internship, note=str(position))
        notify(internship, "selected", internship.intern_id)
        notify(internship, "supervise", internship.supervisor_id)
    return internship


def update_agreement(
    *, internship: Internship, by, objectives: str, agreed_tasks: str, schedule: str
) -> Internship:
    with transaction.atomic():
        moved = Internship.objects.filter(pk=internship.pk, status=InternshipStatus.AGREEMENT_PENDING).update(
            objectives=objectives, agreed_tasks=agreed_tasks, schedule=schedule
        )
        if moved != 1:
            raise InternshipError(
                _("The agreement has been acknowledged and can no longer change."), code="locked"
            )
        internship.objectives, internship.agreed_tasks, internship.schedule = (
            objectives,
            agreed_tasks,
            schedule,
        )
        record(actor=by, action="awards.internship.agreement", target=internship)
    return internship


def acknowledge_agreement(*, internship: Internship, by) -> Internship:
    if by.pk != internship.intern_id:
        raise InternshipError(_("Only the intern acknowledges the agreement."), code="not_allowed")
    with transaction.atomic():
        _move(
            internship,
            table=TRANSITIONS,
            action="acknowledge",
            role=INTERN,
            by=by,
            acknowledged_at=timezone.now(),
        )
        notify(internship, "acknowledged", internship.supervisor_id)
    return internship


def discontinue(*, internship: Internship, by, note: str = "") -> Internship:
    with transaction.atomic():
        _move(
            internship,
            table=TRANSITIONS,
            action="discontinue",
            role=HOST,
            by=by,
            note=note,
            ended_at=timezone.now(),
        )
        notify(internship, "discontinued", internship.intern_id)
    return internship


# --- evaluations, reflection, completion ------------------------------------------------------------------


def submit_evaluation(
    *, internship: Internship, kind: str, ratings: dict, overall: str, successful: bool | None, by
) -> InternshipEvaluation:
    """The supervisor's mid-term or final evaluation (once each); the intern is told it is there."""
    clean = {}
    for key, _label in RUBRIC:
        entry = ratings.get(key) or {}
        score = entry.get("score")
        if score not in (1, 2, 3, 4, 5):
            raise InternshipError(_("Rate every criterion from 1 to 5."), code="ratings")
        clean[key] = {"score": score, "comment": str(entry.get("comment") or "")}
    if kind == EvaluationKind.FINAL and successful is None:
        raise InternshipError(_("Say whether the internship was successfully completed."), code="verdict")
    if kind != EvaluationKind.FINAL:
        successful = None
    with transaction.atomic():
        internship = Internship.objects.select_for_update().get(pk=internship.pk)
        if internship.status != InternshipStatus.ACTIVE:
            raise InternshipError(
                _("Evaluations are written while the internship is active."), code="not_active"
            )
        try:
            with transaction.atomic():
                evaluation = InternshipEvaluation.objects.create(
                    internship=internship,
                    kind=kind,
                    ratings=clean,
                    overall=overall,
                    successful=successful,
                    author=by,
                )
        except IntegrityError:
            raise InternshipError(_("This evaluation has already been submitted."), code="exists") from None
        record(actor=by, action=f"awards.internship.evaluation.{kind}", target=internship)
        notify(internship, "evaluated", internship.intern_id)
        _finish_if_ready(internship, by=by)
    return evaluation


def submit_reflection(
    *, internship: Internship, by, learnt: str, hard: str, next_steps: str
) -> InternshipReflection:
    if by.pk != internship.intern_id:
        raise InternshipError(_("Only the intern writes the reflection."), code="not_allowed")
    with transaction.atomic():
        internship = Internship.objects.select_for_update().get(pk=internship.pk)
        if internship.status != InternshipStatus.ACTIVE:
            raise InternshipError(
                _("The reflection is written while the internship is active."), code="not_active"
            )
        try:
            with transaction.atomic():
                reflection = InternshipReflection.objects.create(
                    internship=internship, learnt=learnt, hard=hard, next_steps=next_steps
                )
        except IntegrityError:
            raise InternshipError(_("Your reflection has already been submitted."), code="exists") from None
        record(actor=by, action="awards.internship.reflection", target=internship)
        notify(internship, "reflected", internship.supervisor_id)
        _finish_if_ready(internship, by=by)
    return reflection


def _finish_if_ready(internship: Internship, *, by) -> None:
    """With the final evaluation and the reflection both in, the internship ends: completed (and the credential
    issued) when the supervisor says it was successful, otherwise ended without completion."""
    final = InternshipEvaluation.objects.filter(internship=internship, kind=EvaluationKind.FINAL).first()
    if final is None or not InternshipReflection.objects.filter(internship=internship).exists():
        return
    now = timezone.now()
    if final.successful:
        _move(internship, table=TRANSITIONS, action="complete", role=SYSTEM, by=by, ended_at=now)
        issue_internship_credential(internship=internship, by=by)
        notify(internship, "completed", internship.intern_id)
    else:
        _move(internship, table=TRANSITIONS, action="end_unsuccessful", role=SYSTEM, by=by, ended_at=now)
        notify(internship, "ended", internship.intern_id)


def achievement_for_position(position: Position):
    host = position.host
    title_ka = position.title_ka[:120]
    title_en = (position.title_en or position.title_ka)[:120]
    return ensure_achievement(
        key=f"internship:{position.pk}",
        defaults={
            "kind": AchievementKind.INTERNSHIP,
            "name_ka": f"სტაჟირება: {title_ka}"[:200],
            "name_en": f"Internship: {title_en}"[:200],
            "description_ka": f"სტაჟირება მასპინძელ ორგანიზაციაში. ორგანიზაცია: {host.name_ka}",
            "description_en": f"Internship at a host organisation. Organisation: {host.name_en or host.name_ka}",
            "criteria_ka": "სასწავლო შეთანხმება, ხელმძღვანელის შუალედური და საბოლოო შეფასება "
            "(წარმატებით დასრულებული) და სტაჟიორის რეფლექსია.",
            "criteria_en": "A learning agreement, the supervisor's mid-term and final evaluations "
            "(successfully completed) and the intern's reflection.",
        },
    )


def issue_internship_credential(*, internship: Internship, by=None):
    """The internship credential, once per internship (credentials returns the active one if it exists)."""
    credential, _created = issue_credential(
        user=internship.intern, achievement=achievement_for_position(internship.position), by=by
    )
    if internship.credential_id != credential.pk:
        Internship.objects.filter(pk=internship.pk).update(credential_id=credential.pk)
        internship.credential_id = credential.pk
    return credential


# --- mail -----------------------------------------------------------------------------------------------

SUBJECTS = {
    "selected": lambda: _("You have been selected for an internship"),
    "supervise": lambda: _("You supervise a new intern"),
    "acknowledged": lambda: _("The intern acknowledged the learning agreement"),
    "discontinued": lambda: _("Your internship has been discontinued"),
    "evaluated": lambda: _("Your supervisor has evaluated your internship"),
    "reflected": lambda: _("The intern has written their reflection"),
    "completed": lambda: _("Your internship is complete: your certificate is ready"),
    "ended": lambda: _("Your internship has ended"),
}


def notify(internship: Internship, event: str, recipient_id: int) -> None:
    """Mail ``recipient`` about ``event`` once the transaction commits (by the task worker)."""
    enqueue_on_commit("awards.tasks.send_internship_mail", internship.pk, event, recipient_id)


def send_internship_mail(internship_id: int, event: str, recipient_id: int) -> None:
    """Run by the task worker: one plain-text mail in the recipient's language."""
    internship = Internship.objects.select_related("position__host", "intern", "supervisor").get(
        pk=internship_id
    )
    recipient = User.objects.get(pk=recipient_id)
    with override(recipient.language or settings.LANGUAGE_CODE):
        position = internship.position
        lines = [
            SUBJECTS[event](),
            _("Placement: %(title)s") % {"title": position.title},
            _("Host organisation: %(name)s") % {"name": position.host.name},
            _("Intern: %(name)s") % {"name": _name(internship.intern)},
            _("Dates: %(start)s – %(end)s")
            % {
                "start": date_format(internship.starts_on, "DATE_FORMAT"),
                "end": date_format(internship.ends_on, "DATE_FORMAT"),
            },
            settings.SITE_URL + reverse("awards:internship_detail", args=[internship.pk]),
        ]
        subject = _("[civichub] %(text)s") % {"text": SUBJECTS[event]()}
    send_mail(subject[:200], "\n\n".join(str(line) for line in lines), None, [recipient.email])


def _name(user) -> str:
    if get_language() == "en":
        return user.full_name_latin or user.full_name_ka or user.email
    return user.full_name_ka or user.full_name_latin or user.email
