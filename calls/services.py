"""Every state change and multi-step write of the calls domain.

The one transition table (``TRANSITIONS``) says which action moves an application from which state to
which, and who may take it. :func:`transition` is the only code that changes ``Application.status``: it
checks the table and the actor, moves the row with a conditional UPDATE (so two people acting at once
produce one outcome, on SQLite and PostgreSQL alike) and writes the audit entry.
"""

from __future__ import annotations

import hashlib
import logging
import statistics
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts.api import Membership, Role, User, has_role, is_programme_staff
from calls import drafts, formkit
from calls.models import (
    SENDING_LEASE,
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Assignment,
    Attachment,
    Call,
    Conflict,
    CourseRule,
    DecisionTemplate,
    FieldKind,
    FormField,
    InfoRequest,
    OutboxMessage,
    OutboxStatus,
    Outcome,
    ReferenceCounter,
    Review,
    Status,
)
from core.api import enqueue_on_commit, safe_filename, validate_upload

log = logging.getLogger(__name__)


class CallsError(Exception):
    """Something a person cannot do now; ``message`` is translated and safe to show."""

    def __init__(self, message, code: str = "invalid", errors: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.errors = errors or {}


# --- the transition table ---------------------------------------------------------------------------

APPLICANT, STAFF, REVIEWER = "applicant", "staff", "reviewer"
ROLES = (APPLICANT, STAFF, REVIEWER)


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    role: str


PRE_DECISION = (Status.DRAFT, Status.SUBMITTED, Status.SCREENING, Status.IN_REVIEW, Status.MORE_INFO)

TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.action): t
    for t in [
        Transition("submit", Status.DRAFT, Status.SUBMITTED, APPLICANT),
        Transition("start_screening", Status.SUBMITTED, Status.SCREENING, STAFF),
        Transition("screen_out", Status.SCREENING, Status.SCREENED_OUT, STAFF),
        Transition("pass_screening", Status.SCREENING, Status.IN_REVIEW, STAFF),
        Transition("request_info", Status.IN_REVIEW, Status.MORE_INFO, STAFF),
        Transition("resubmit", Status.MORE_INFO, Status.IN_REVIEW, APPLICANT),
        Transition("decide", Status.IN_REVIEW, Status.DECIDED, STAFF),
        *[Transition("withdraw", source, Status.WITHDRAWN, APPLICANT) for source in PRE_DECISION],
    ]
}
ACTIONS = sorted({t.action for t in TRANSITIONS.values()})
ACTION_LABELS = {
    "submit": gettext_lazy("Submitted"),
    "start_screening": gettext_lazy("Screening started"),
    "screen_out": gettext_lazy("Found not compliant"),
    "pass_screening": gettext_lazy("Passed screening"),
    "request_info": gettext_lazy("More information requested"),
    "resubmit": gettext_lazy("Answered and resubmitted"),
    "decide": gettext_lazy("Decided"),
    "withdraw": gettext_lazy("Withdrawn"),
    "conflict": gettext_lazy("A reviewer declared a conflict of interest"),
}


def allowed(status: str, action: str, role: str) -> Transition | None:
    found = TRANSITIONS.get((status, action))
    return found if found is not None and found.role == role else None


def actions_for(status: str, role: str) -> list[str]:
    return [t.action for t in TRANSITIONS.values() if t.source == status and t.role == role]


def acts_as(user, application: Application, role: str) -> bool:
    if role == APPLICANT:
        return application.applicant_id == user.pk
    if role == STAFF:
        return is_programme_staff(user)
    return False  # reviewers never move an application


def transition(
    *, application: Application, action: str, by, role: str, note: str = "", **changes
) -> Application:
    """Move ``application`` by ``action`` if the table allows it for ``role`` and ``by`` holds that role.

    Runs inside the caller's transaction. The UPDATE is conditional on the state read, so a concurrent
    change makes this raise instead of overwriting it.
    """
    step = allowed(application.status, action, role)
    if step is None or not acts_as(by, application, role):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    now = timezone.now()
    moved = Application.objects.filter(pk=application.pk, status=step.source).update(
        status=step.target, updated_at=now, **changes
    )
    if moved != 1:
        application.refresh_from_db()
        raise CallsError(
            _("The application changed meanwhile (it is now: %(status)s). Nothing was done.")
            % {"status": application.get_status_display()},
            code="conflict",
        )
    application.status = step.target
    application.updated_at = now
    for name, value in changes.items():
        setattr(application, name, value)
    ApplicationEvent.objects.create(
        application=application,
        actor=by,
        action=action,
        from_status=step.source,
        to_status=step.target,
        note=note,
        at=now,
    )
    return application


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "applicant", "organisation")
        .get(pk=application.pk)
    )


# --- email ------------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def send_bilingual(*, to: list[str], subject: str | Promise, template: str, context: dict) -> None:
    """One message in Georgian then English (we do not know each reader's language)."""
    parts, subjects = [], []
    for lang in ("ka", "en"):
        with override(lang):
            subjects.append(str(subject) % context.get("subject_params", {}))
            parts.append(render_to_string(template, {**context, "LANG": lang}).strip())
    title = subjects[0] if subjects[0] == subjects[1] else f"{subjects[0]} / {subjects[1]}"
    send_mail(title, "\n\n———\n\n".join(parts), None, to)


def _notify_applicant(application: Application, subject: str | Promise, template: str, **extra) -> None:
    context = {
        "application": application,
        "call": application.call,
        "url": _absolute(reverse("calls:application_detail", args=[application.pk])),
        "subject_params": {"reference": application.reference or ""},
        **extra,
    }
    # After commit (no mail server is talked to inside a transaction); robust: the write stands if mail fails.
    transaction.on_commit(
        lambda: send_bilingual(
            to=[application.applicant.email], subject=subject, template=template, context=context
        ),
        robust=True,
    )


# --- eligibility ------------------------------------------------------------------------------------


@dataclass
class Failure:
    message: str
    links: list[tuple[str, str]] = field(default_factory=list)


def eligibility(*, call: Call, user, organisation=None) -> list[Failure]:
    """Every condition of ``call`` that ``user`` (applying alone or for ``organisation``) does not meet."""
    from accounts.api import Region
    from learning import api as learning

    failures: list[Failure] = []
    if organisation is None and not call.allows_individuals:
        failures.append(
            Failure(
                _("This call is for organisations: apply on behalf of an organisation you belong to."),
                [(reverse("accounts:organisation_list"), _("Your organisations"))],
            )
        )
    if organisation is not None and not call.allows_organisations:
        failures.append(Failure(_("This call is for individuals: apply in your own name.")))
    if (
        organisation is not None
        and not Membership.objects.filter(organisation=organisation, user=user).exists()
    ):
        failures.append(Failure(_("You are not a member of this organisation.")))
    if call.regions:
        region = organisation.region if organisation is not None else user.region
        names = ", ".join(str(Region(code).label) for code in call.regions if code in Region.values)
        if region not in call.regions:
            if organisation is not None:
                failures.append(
                    Failure(
                        _(
                            "This call is open to organisations from: %(regions)s. Your organisation's region is %(region)s."
                        )
                        % {
                            "regions": names,
                            "region": Region(region).label if region in Region.values else _("not set"),
                        },
                        [
                            (
                                reverse("accounts:organisation_edit", args=[organisation.slug]),
                                _("Edit the organisation"),
                            )
                        ],
                    )
                )
            else:
                failures.append(
                    Failure(
                        _(
                            "This call is open to people from: %(regions)s. Your profile's region is %(region)s."
                        )
                        % {
                            "regions": names,
                            "region": Region(region).label if region in Region.values else _("not set"),
                        },
                        [(reverse("accounts:profile_edit"), _("Edit your profile"))],
                    )
                )
    if call.require_verified_organisation and organisation is not None and not organisation.verified:
        failures.append(
            Failure(
                _(
                    "Your organisation must be verified by programme staff. Ask them to verify it (contact: %(email)s)."
                )
                % {"email": call.contact_email}
            )
        )
    courses = list(call.required_courses.all())
    if courses:
        done = learning.completed_course_ids(user)
        missing = [c for c in courses if c.pk not in done]
        links = [(reverse("learning:course_detail", args=[c.slug]), c.title) for c in missing]
        if call.course_rule == CourseRule.ALL:
            for course, link in zip(missing, links, strict=True):
                failures.append(
                    Failure(_("Complete the course “%(course)s”.") % {"course": course.title}, [link])
                )
        else:
            needed = min(call.courses_needed, len(courses))
            count = len(courses) - len(missing)
            if count < needed:
                failures.append(
                    Failure(
                        _("Complete at least %(needed)s of these courses (you have completed %(count)s):")
                        % {"needed": needed, "count": count},
                        links,
                    )
                )
    return failures


# --- drafts -----------------------------------------------------------------------------------------


def start_application(*, call: Call, user: User, organisation=None) -> Application:
    """The person's application to ``call`` (created as a draft once; starting twice returns the same one)."""
    if (
        organisation is not None
        and not Membership.objects.filter(organisation=organisation, user=user).exists()
    ):
        raise CallsError(_("You are not a member of this organisation."))
    existing = Application.objects.filter(call=call, applicant=user).first()
    if existing is not None:
        return existing
    if not call.is_open():
        raise CallsError(_("This call is not open for applications."), code="closed")
    try:
        with transaction.atomic():
            return Application.objects.create(call=call, applicant=user, organisation=organisation)
    except IntegrityError:
        return Application.objects.get(call=call, applicant=user)


def editable_keys(application: Application) -> set[str] | None:
    """Keys the applicant may change now: every field in a draft, the fields staff opened when they asked
    for more information, none otherwise (empty set)."""
    if application.status == Status.DRAFT:
        return None
    if application.status == Status.MORE_INFO:
        request = application.info_requests.filter(answered_at__isnull=True).last()
        return set(request.open_fields) if request else set()
    return set()


@dataclass
class DraftSave:
    """What a save did: upload errors by key, answers changed both here and elsewhere (to choose between),
    the base the page holds now (see calls/drafts.py) and the draft's revision."""

    upload_errors: dict[str, list[str]]
    conflicts: list[drafts.Conflict]
    base: dict[str, str]
    revision: int
    written: set[str]


def save_draft(
    *,
    application: Application,
    by: User,
    values: dict,
    files: dict | None = None,
    fields: list[FormField] | None = None,
    base: dict[str, str] | None = None,
    resolutions: dict[str, str] | None = None,
) -> DraftSave:
    """Store what was typed (valid or not) and any uploaded files, merged into what is stored now.

    ``base`` is the fingerprint of each answer as the page showed it: an answer the page did not change never
    overwrites a newer one, and one changed both here and elsewhere is left for the person to choose
    (``resolutions``, see calls/drafts.py). Only the keys the applicant may change now (``editable_keys``,
    read under the row lock) are stored. ``fields`` are the call's form fields if the caller has them already
    (saves a query). Afterwards ``application`` shows the row as saved: no need to read it again."""
    if application.applicant_id != by.pk:
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    # Files are checked and stored before the row is locked: writing to storage (S3 in production) is a network
    # call, and none may run inside a transaction. A file kept for a question that is closed by the time the
    # row is locked is simply not linked to the answers.
    upload_errors: dict[str, list[str]] = {}
    attached: dict[str, Attachment] = {}
    if files:
        open_keys = editable_keys(application)
        by_key = {f.key: f for f in (application.call.fields.all() if fields is None else fields)}
        for key, upload in files.items():
            form_field = by_key.get(key)
            if (
                form_field is None
                or form_field.kind != FieldKind.FILE
                or (open_keys is not None and key not in open_keys)
            ):
                continue
            try:
                attached[key] = attach_file(application=application, form_field=form_field, upload=upload)
            except ValidationError as error:
                upload_errors[key] = [str(m) for m in error.messages]
    with transaction.atomic():
        locked = _locked(application)
        keys = editable_keys(locked)
        if keys == set() and locked.status != Status.MORE_INFO:
            raise CallsError(_("This application can no longer be changed."), code="locked")
        allowed = {key: value for key, value in values.items() if keys is None or key in keys}
        result = drafts.merge(locked.data, allowed, base, resolutions)
        data = result.data
        for key, attachment in attached.items():
            if keys is not None and key not in keys:
                continue
            if data.get(key) != attachment.pk:
                data[key] = attachment.pk
                result.written.add(key)
            result.base[key] = drafts.fingerprint(attachment.pk)
        if result.written:
            now = timezone.now()
            revision = locked.revision + 1
            Application.objects.filter(pk=locked.pk).update(data=data, revision=revision, updated_at=now)
            locked.data, locked.revision, locked.updated_at = data, revision, now
    for model_field in Application._meta.concrete_fields:
        setattr(application, model_field.attname, getattr(locked, model_field.attname))
    return DraftSave(
        upload_errors=upload_errors,
        conflicts=result.conflicts,
        base=result.base,
        revision=locked.revision,
        written=result.written,
    )


def attach_file(*, application: Application, form_field: FormField, upload) -> Attachment:
    """Check the file by content and size and keep it; the same file uploaded twice is kept once."""
    kind = validate_upload(upload, kinds=form_field.kinds(), max_bytes=form_field.max_file_mb * 1024 * 1024)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha = digest.hexdigest()
    upload.seek(0)
    existing = Attachment.objects.filter(
        application=application, field_key=form_field.key, sha256=sha
    ).first()
    if existing is not None:
        return existing
    name = safe_filename(upload.name or "file")
    attachment = Attachment(
        application=application,
        field_key=form_field.key,
        original_name=name,
        kind=kind,
        size=upload.size,
        sha256=sha,
    )
    attachment.file.save(name, upload, save=False)
    try:
        with transaction.atomic():
            attachment.save()
    except IntegrityError:
        attachment.file.delete(save=False)
        return Attachment.objects.get(application=application, field_key=form_field.key, sha256=sha)
    return attachment


# --- submission -------------------------------------------------------------------------------------


def _next_reference(at) -> str:
    year = timezone.localtime(at).year
    if not ReferenceCounter.objects.filter(year=year).exists():
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass
    ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.get(year=year).last
    return f"CH-{year}-{number:06d}"


def _check_answers(application: Application) -> None:
    fields = list(application.call.fields.all())
    errors = formkit.validate(
        fields, application.data, call=application.call, attachments=list(application.attachments.all())
    )
    if errors:
        raise CallsError(
            _("Some answers need attention. Your draft is saved."), code="invalid", errors=errors
        )


# A submit that reached the portal before the deadline is accepted if the database answers it within this
# long after (under a deadline rush requests queue); it is recorded at the moment it arrived.
SUBMIT_GRACE = timedelta(seconds=5)


def submit_application(*, application: Application, by: User, requested_at=None) -> Application:
    """Check answers, eligibility and the deadline at this moment, in one transaction, then submit.

    The deadline includes its whole second (``Call.accepts_at``). ``requested_at`` is when the request
    arrived: it counts instead of the moment of the write if that is at most ``SUBMIT_GRACE`` earlier.
    A second submit of an already submitted application returns it unchanged (no second submission).
    """
    with transaction.atomic():
        application = _locked(application)
        if application.applicant_id != by.pk:
            raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
        if application.status != Status.DRAFT and application.submitted_at is not None:
            return application  # already submitted: idempotent
        call = application.call
        now = timezone.now()
        if requested_at is not None and now - SUBMIT_GRACE <= requested_at <= now:
            now = requested_at
        if not call.published or now < call.opens_at:
            raise CallsError(_("This call is not open yet."), code="not_open")
        if not call.accepts_at(now):
            raise CallsError(
                _(
                    "The deadline (%(deadline)s, Georgia time) has passed. Your draft is kept, but it can no longer be submitted."
                )
                % {"deadline": date_format(timezone.localtime(call.closes_at), "DATETIME_FORMAT")},
                code="late",
            )
        failures = eligibility(call=call, user=application.applicant, organisation=application.organisation)
        if failures:
            raise CallsError(
                _("You do not meet the conditions of this call: %(reasons)s")
                % {"reasons": " ".join(f.message for f in failures)},
                code="ineligible",
            )
        _check_answers(application)
        reference = _next_reference(now)
        transition(
            application=application,
            action="submit",
            by=by,
            role=APPLICANT,
            reference=reference,
            submitted_at=now,
            version=1,
        )
        ApplicationVersion.objects.create(
            application=application, number=1, data=application.data, submitted_at=now
        )
        _notify_applicant(
            application, gettext_lazy("Application %(reference)s received"), "calls/email/receipt.txt"
        )
    return application


def withdraw_application(*, application: Application, by: User, note: str = "") -> Application:
    with transaction.atomic():
        application = _locked(application)
        return transition(application=application, action="withdraw", by=by, role=APPLICANT, note=note)


# --- screening and information requests -------------------------------------------------------------


def start_screening(*, application: Application, by: User) -> Application:
    with transaction.atomic():
        return transition(application=_locked(application), action="start_screening", by=by, role=STAFF)


def screen(*, application: Application, by: User, compliant: bool, note: str) -> Application:
    """Record the screening result; the applicant is told, with the reason."""
    note = note.strip()
    if not compliant and not note:
        raise CallsError(
            _("Give the reason the application is not compliant: the applicant will read it."), code="reason"
        )
    with transaction.atomic():
        application = _locked(application)
        if application.status == Status.SUBMITTED:
            transition(application=application, action="start_screening", by=by, role=STAFF)
        action = "pass_screening" if compliant else "screen_out"
        transition(application=application, action=action, by=by, role=STAFF, note=note, screening_note=note)
        _notify_applicant(
            application,
            gettext_lazy("Screening result for application %(reference)s"),
            "calls/email/screening.txt",
            compliant=compliant,
            note=note,
        )
    return application


def request_more_information(
    *, application: Application, by: User, question: str, open_fields: list[str], respond_by=None
) -> InfoRequest:
    question = question.strip()
    if not question:
        raise CallsError(_("Write the question for the applicant."), code="question")
    with transaction.atomic():
        application = _locked(application)
        keys = set(application.call.fields.values_list("key", flat=True))
        respond_by = respond_by or timezone.now() + timedelta(days=application.call.info_response_days)
        if respond_by <= timezone.now():
            raise CallsError(_("The response deadline must be in the future."), code="deadline")
        transition(application=application, action="request_info", by=by, role=STAFF, note=question)
        request = InfoRequest.objects.create(
            application=application,
            question=question,
            requested_by=by,
            open_fields=[k for k in open_fields if k in keys],
            respond_by=respond_by,
        )
        _notify_applicant(
            application,
            gettext_lazy("More information needed for application %(reference)s"),
            "calls/email/info_request.txt",
            request=request,
        )
    return request


def resubmit_application(*, application: Application, by: User, answer: str) -> Application:
    """Answer the open request and resubmit; the earlier version is kept for the diff staff see."""
    with transaction.atomic():
        application = _locked(application)
        if application.applicant_id != by.pk:
            raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
        request = application.info_requests.filter(answered_at__isnull=True).last()
        if application.status != Status.MORE_INFO or request is None:
            raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
        now = timezone.now()
        if now > request.respond_by:
            raise CallsError(
                _("The time to answer ended on %(deadline)s (Georgia time). Contact %(email)s.")
                % {
                    "deadline": date_format(timezone.localtime(request.respond_by), "DATETIME_FORMAT"),
                    "email": application.call.contact_email,
                },
                code="late",
            )
        answer = answer.strip()
        if not answer:
            raise CallsError(
                _("Write your answer to the question."),
                code="invalid",
                errors={"__answer__": [_("Write your answer to the question.")]},
            )
        _check_answers(application)
        number = application.version + 1
        transition(
            application=application,
            action="resubmit",
            by=by,
            role=APPLICANT,
            note=answer[:2000],
            version=number,
        )
        ApplicationVersion.objects.create(
            application=application, number=number, data=application.data, submitted_at=now
        )
        InfoRequest.objects.filter(pk=request.pk).update(answer=answer, answered_at=now)
        transaction.on_commit(
            lambda: send_mail(
                f"[civichub] {application.reference}: information received",
                f"{application.reference} answered the request for information.\n"
                + _absolute(reverse("calls:manage_application", args=[application.pk])),
                None,
                [application.call.contact_email],
            )
        )
    return application


# --- decisions and the outbox -----------------------------------------------------------------------


def _letter(application: Application, outcome: str) -> tuple[str, str]:
    template = DecisionTemplate.objects.filter(call=application.call, outcome=outcome).first()
    user = application.applicant
    values = {
        "reference": application.reference or "",
        "call_ka": application.call.title_ka,
        "call_en": application.call.title_en or application.call.title_ka,
    }
    if template is not None:
        ka = template.body_ka.replace("{name}", user.full_name_ka or user.full_name_latin or user.email)
        ka = ka.replace("{reference}", values["reference"]).replace("{call}", values["call_ka"])
        en = template.body_en.replace("{name}", user.full_name_latin or user.full_name_ka or user.email)
        en = en.replace("{reference}", values["reference"]).replace("{call}", values["call_en"])
        subject = f"{template.subject_ka} / {template.subject_en}"
        return subject, f"{ka}\n\n———\n\n{en}"
    parts = []
    for lang in ("ka", "en"):
        with override(lang):
            parts.append(
                render_to_string(
                    "calls/email/decision.txt",
                    {
                        "LANG": lang,
                        "application": application,
                        "outcome": Outcome(outcome).label,
                        "url": _absolute(reverse("calls:application_detail", args=[application.pk])),
                    },
                ).strip()
            )
    with override("ka"):
        subject_ka = _("Decision on application %(reference)s") % values
    with override("en"):
        subject_en = _("Decision on application %(reference)s") % values
    return f"{subject_ka} / {subject_en}", "\n\n———\n\n".join(parts)


def decide(*, application: Application, by: User, outcome: str, note: str = "") -> Application:
    """Record the decision; its letter waits in the outbox until staff approve it."""
    if outcome not in Outcome.values:
        raise CallsError(_("Choose accepted, rejected or waitlisted."), code="outcome")
    with transaction.atomic():
        application = _locked(application)
        now = timezone.now()
        transition(
            application=application,
            action="decide",
            by=by,
            role=STAFF,
            note=note,
            outcome=outcome,
            decided_at=now,
        )
        subject, body = _letter(application, outcome)
        OutboxMessage.objects.create(
            application=application, to_email=application.applicant.email, subject=subject[:300], body=body
        )
    return application


def decide_many(*, applications, by: User, outcome: str, note: str = "") -> tuple[int, list[str]]:
    """Decide each application on its own; returns (number decided, messages about the others)."""
    done, problems = 0, []
    for application in applications:
        try:
            decide(application=application, by=by, outcome=outcome, note=note)
            done += 1
        except CallsError as error:
            problems.append(f"{application.label}: {error.message}")
    return done, problems


def approve_outbox(*, messages, by: User) -> int:
    """Approve pending letters; the task worker sends them (after this transaction commits)."""
    if not is_programme_staff(by):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    approved = []
    with transaction.atomic():
        for message in messages:
            moved = OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.PENDING).update(
                status=OutboxStatus.APPROVED, approved_by=by, approved_at=timezone.now()
            )
            if moved:
                approved.append(message.pk)
        for pk in approved:
            enqueue_on_commit("calls.tasks.send_outbox_message", pk)
    return len(approved)


def cancel_outbox(*, message: OutboxMessage, by: User) -> bool:
    return bool(
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.CANCELLED, approved_by=by, approved_at=timezone.now()
        )
    )


def retry_outbox(*, messages, by: User) -> int:
    """Send failed or stuck letters again (staff's retry in the outbox)."""
    if not is_programme_staff(by):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    retried = []
    with transaction.atomic():
        now = timezone.now()
        for message in messages:
            if OutboxMessage.objects.filter(OutboxMessage.not_sent(now), pk=message.pk).update(
                status=OutboxStatus.APPROVED, approved_at=now, claimed_at=None
            ):
                retried.append(message.pk)
        for pk in retried:
            enqueue_on_commit("calls.tasks.send_outbox_message", pk)
    return len(retried)


def deliver_outbox_message(message_id: int) -> bool:
    """Send one approved letter (the task body); True when this call sent it.

    No transaction is open while the mail server is talked to (on SQLite it would hold the write lock for every
    other request): the row is claimed by a conditional UPDATE that commits at once, the mail is sent, and the
    result is recorded. The claim makes a second run (a retried task, two workers) send nothing.
    """
    now = timezone.now()
    claimable = Q(status=OutboxStatus.APPROVED) | Q(
        status=OutboxStatus.SENDING, claimed_at__lt=now - SENDING_LEASE
    )
    claimed = OutboxMessage.objects.filter(claimable, pk=message_id).update(
        status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        send_mail(message.subject, message.body, None, [message.to_email])
    except Exception as error:  # noqa: BLE001 - any failure to hand the letter over leaves it for a retry
        log.warning("decision letter %s not sent: %r", message_id, error)
        OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.FAILED, last_error=repr(error)[:300]
        )
        return False
    sent_at = timezone.now()
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message_id).update(
            status=OutboxStatus.SENT, sent_at=sent_at, last_error=""
        )
        Application.objects.filter(pk=message.application_id, decision_published_at__isnull=True).update(
            decision_published_at=sent_at
        )
    return True


# --- reviewers --------------------------------------------------------------------------------------

REVIEWABLE = (Status.SUBMITTED, Status.SCREENING, Status.IN_REVIEW, Status.MORE_INFO)


def _excluded_reviewer_ids(application: Application) -> set[int]:
    """The applicant, members of the application's organisation and of the applicant's organisations,
    and everyone already assigned (including those who declared a conflict)."""
    organisations = set(
        Membership.objects.filter(user_id=application.applicant_id).values_list("organisation_id", flat=True)
    )
    if application.organisation_id:
        organisations.add(application.organisation_id)
    excluded = {application.applicant_id}
    excluded |= set(
        Membership.objects.filter(organisation_id__in=organisations).values_list("user_id", flat=True)
    )
    excluded |= set(application.assignments.values_list("reviewer_id", flat=True))
    return excluded


def conflict_reason(*, application: Application, reviewer: User) -> str | None:
    if reviewer.pk == application.applicant_id:
        return _("A reviewer cannot review their own application.")
    previous = application.assignments.filter(reviewer=reviewer).first()
    if previous is not None:
        return (
            _("This reviewer declared a conflict of interest.")
            if previous.conflict == Conflict.CONFLICT
            else _("This reviewer is already assigned.")
        )
    if reviewer.pk in _excluded_reviewer_ids(application):
        return _("This reviewer belongs to the applicant's organisation.")
    return None


def assign_reviewer(*, application: Application, reviewer: User, by: User) -> Assignment:
    if not is_programme_staff(by):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    if not has_role(reviewer, Role.REVIEWER):
        raise CallsError(
            _("This person is not a reviewer with two-factor authentication set up."), code="not_reviewer"
        )
    with transaction.atomic():
        application = _locked(application)
        if application.status not in REVIEWABLE:
            raise CallsError(
                _("Reviewers can be assigned only while the application is being assessed."), code="state"
            )
        reason = conflict_reason(application=application, reviewer=reviewer)
        if reason:
            raise CallsError(reason, code="conflict")
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    application=application, reviewer=reviewer, assigned_by=by
                )
        except IntegrityError:
            raise CallsError(_("This reviewer is already assigned."), code="conflict") from None
        _notify_reviewer(assignment)
    return assignment


def _notify_reviewer(assignment: Assignment) -> None:
    # Reviewer emails never name the applicant: blind or not, the reference is enough.
    application = assignment.application
    context = {
        "reference": application.reference,
        "call": application.call,
        "url": _absolute(reverse("calls:review", args=[assignment.pk])),
        "subject_params": {"reference": application.reference or ""},
    }
    email = assignment.reviewer.email
    transaction.on_commit(
        lambda: send_bilingual(
            to=[email],
            subject=gettext_lazy("Application %(reference)s assigned to you for review"),
            template="calls/email/assigned.txt",
            context=context,
        ),
        robust=True,
    )


def eligible_reviewers():
    """Active reviewers with two-factor authentication (the only ones who may review)."""
    from allauth.mfa.models import Authenticator

    with_totp = Authenticator.objects.filter(type=Authenticator.Type.TOTP).values("user_id")
    return User.objects.filter(is_active=True, role_grants__role=Role.REVIEWER, pk__in=with_totp).distinct()


def auto_assign(*, call: Call, by: User) -> int:
    """Give each application in review the number of reviewers the call asks for, least-loaded reviewers first."""
    if not is_programme_staff(by):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    reviewers = list(eligible_reviewers().order_by("pk"))
    load = dict.fromkeys((r.pk for r in reviewers), 0)
    for row in (
        Assignment.objects.filter(application__call=call)
        .exclude(conflict=Conflict.CONFLICT)
        .values("reviewer_id")
        .annotate(n=Count("pk"))
    ):
        if row["reviewer_id"] in load:
            load[row["reviewer_id"]] = row["n"]
    created = 0
    pending = (
        Application.objects.filter(
            call=call, status__in=(Status.IN_REVIEW, Status.SCREENING, Status.SUBMITTED)
        )
        .annotate(active=Count("assignments", filter=~Q(assignments__conflict=Conflict.CONFLICT)))
        .filter(active__lt=call.reviewers_per_application)
        .order_by("submitted_at", "pk")
    )
    for application in pending:
        need = call.reviewers_per_application - application.active
        excluded = _excluded_reviewer_ids(application)
        for reviewer in sorted(
            (r for r in reviewers if r.pk not in excluded), key=lambda r: (load[r.pk], r.pk)
        )[:need]:
            try:
                assign_reviewer(application=application, reviewer=reviewer, by=by)
            except CallsError:
                continue
            load[reviewer.pk] += 1
            created += 1
    return created


def unassign_reviewer(*, assignment: Assignment, by: User) -> None:
    if not is_programme_staff(by):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    if Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists():
        raise CallsError(_("This reviewer has already submitted a review."), code="reviewed")
    assignment.delete()


def declare_conflict(*, assignment: Assignment, by: User, conflict: bool, note: str = "") -> Assignment:
    """The reviewer's declaration on first opening; a conflict ends the assignment for good."""
    if assignment.reviewer_id != by.pk:
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    with transaction.atomic():
        moved = Assignment.objects.filter(pk=assignment.pk, conflict=Conflict.PENDING).update(
            conflict=Conflict.CONFLICT if conflict else Conflict.NONE,
            conflict_note=note.strip()[:2000],
            declared_at=timezone.now(),
        )
        assignment.refresh_from_db()
        if moved and conflict:
            application = assignment.application
            ApplicationEvent.objects.create(
                application=application,
                actor=by,
                action="conflict",
                from_status=application.status,
                to_status=application.status,
            )
            Review.objects.filter(assignment=assignment).delete()
    return assignment


def _review_total(call: Call, scores: dict) -> Decimal:
    weighted, weights = Decimal(0), Decimal(0)
    for criterion in call.criteria.all():
        score = Decimal(scores[str(criterion.pk)])
        weighted += (
            criterion.weight * (score - criterion.min_score) / (criterion.max_score - criterion.min_score)
        )
        weights += criterion.weight
    return (weighted / weights * 100).quantize(Decimal("0.01"), ROUND_HALF_UP) if weights else Decimal("0.00")


def save_review(
    *, assignment: Assignment, by: User, scores: dict, comments: str, recommendation: str, submit: bool
) -> Review:
    """Save the review as a draft, or submit it (every criterion scored within its range)."""
    if assignment.reviewer_id != by.pk or not has_role(by, Role.REVIEWER):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    if assignment.conflict != Conflict.NONE:
        raise CallsError(_("Declare whether you have a conflict of interest first."), code="conflict")
    call = assignment.application.call
    criteria = list(call.criteria.all())
    clean, errors = {}, {}
    for criterion in criteria:
        raw = str(scores.get(str(criterion.pk), "")).strip()
        if raw == "":
            if submit:
                errors[str(criterion.pk)] = [_("Give a score.")]
            continue
        try:
            value = int(raw)
        except ValueError:
            errors[str(criterion.pk)] = [_("Enter a whole number.")]
            continue
        if not criterion.min_score <= value <= criterion.max_score:
            errors[str(criterion.pk)] = [
                _("Enter a score from %(min)s to %(max)s.")
                % {"min": criterion.min_score, "max": criterion.max_score}
            ]
            continue
        clean[str(criterion.pk)] = value
    if submit and not recommendation:
        errors["recommendation"] = [_("Choose a recommendation.")]
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=assignment.application_id)
        review = Review.objects.filter(assignment=assignment).first()
        if review is None:
            try:
                with transaction.atomic():
                    review = Review.objects.create(assignment=assignment)
            except IntegrityError:
                review = Review.objects.get(assignment=assignment)
        if review.is_submitted:
            raise CallsError(_("You have already submitted this review."), code="submitted")
        if application.status not in (Status.IN_REVIEW, Status.MORE_INFO, Status.SCREENING, Status.SUBMITTED):
            raise CallsError(_("This application is no longer under review."), code="state")
        review.scores = {**review.scores, **clean}
        review.comments = comments[:10000]
        review.recommendation = recommendation if recommendation in ("accept", "waitlist", "reject") else ""
        review.updated_at = timezone.now()
        if errors:
            review.save(update_fields=["scores", "comments", "recommendation", "updated_at"])
            raise CallsError(
                _("Some scores need attention. Your draft is saved."), code="invalid", errors=errors
            )
        if submit:
            review.submitted_at = timezone.now()
            review.total = _review_total(call, review.scores)
        review.save(
            update_fields=["scores", "comments", "recommendation", "updated_at", "submitted_at", "total"]
        )
        if submit:
            recompute_scores(application=application)
    return review


def recompute_scores(*, application: Application) -> None:
    """Aggregate the submitted reviews into the application's score columns (caller holds the row lock)."""
    call = Call.objects.get(pk=application.call_id)
    totals = [
        t
        for t in Review.objects.filter(assignment__application=application, submitted_at__isnull=False)
        .exclude(assignment__conflict=Conflict.CONFLICT)
        .values_list("total", flat=True)
        if t is not None
    ]
    score = spread = None
    if totals:
        raw = statistics.median(totals) if call.aggregation == "median" else sum(totals) / len(totals)
        score = Decimal(raw).quantize(Decimal("0.01"), ROUND_HALF_UP)
        spread = max(totals) - min(totals)
    Application.objects.filter(pk=application.pk).update(
        score=score,
        review_count=len(totals),
        score_spread=spread,
        disagreement=bool(spread is not None and len(totals) > 1 and spread > call.disagreement_threshold),
    )


# --- reminders --------------------------------------------------------------------------------------


def send_deadline_reminders(*, now=None) -> int:
    """Remind people with unsubmitted drafts when a call closes within 48 hours (once per application).

    Each draft is claimed by a conditional UPDATE (committed at once, outside any transaction) before its mail is
    sent; a mail the server refused un-claims it for the next run.
    """
    now = now or timezone.now()
    drafts = Application.objects.filter(
        status=Status.DRAFT,
        reminder_sent_at__isnull=True,
        call__published=True,
        call__closes_at__gt=now,
        call__closes_at__lte=now + timedelta(hours=48),
    )
    sent = 0
    for application in drafts.select_related("call", "applicant"):
        if Application.objects.filter(pk=application.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        ):
            context = {
                "application": application,
                "call": application.call,
                "url": _absolute(reverse("calls:application_form", args=[application.pk])),
            }
            try:
                send_bilingual(
                    to=[application.applicant.email],
                    subject=gettext_lazy("Your application is not submitted yet"),
                    template="calls/email/reminder.txt",
                    context=context,
                )
            except Exception as error:  # noqa: BLE001 - the mail server failed: the next hourly run tries again
                log.warning("deadline reminder for application %s not sent: %r", application.pk, error)
                Application.objects.filter(pk=application.pk, reminder_sent_at=now).update(
                    reminder_sent_at=None
                )
                continue
            sent += 1
    return sent
