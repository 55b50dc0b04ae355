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
from django.utils.translation import gettext_lazy, ngettext, override

from accounts.api import Membership, Role, User, has_role, is_programme_staff, record
from calls import drafts, formkit
from calls.models import (
    SENDING_LEASE,
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Assignment,
    Attachment,
    Call,
    Confidence,
    Conflict,
    CourseRule,
    DecisionTemplate,
    FieldKind,
    FormField,
    FormKind,
    InfoRequest,
    OutboxMessage,
    OutboxStatus,
    Outcome,
    ReferenceCounter,
    Review,
    ReviewerStatement,
    ReviewRevision,
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

# --- review: a decided application's state in the table is keyed on its outcome ("decided:waitlisted"), so
# a waitlisted application can later be accepted or rejected without a status of its own (every reader of
# ``status=decided`` keeps working). ``state_of`` gives the key; ``transition`` moves status and outcome.
WAITLISTED_STATE = f"{Status.DECIDED}:{Outcome.WAITLISTED}"


def state_of(application: Application) -> str:
    """The application's state as the transition table knows it."""
    if application.status == Status.DECIDED and application.outcome:
        return f"{application.status}:{application.outcome}"
    return application.status


# --- end review

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
        # --- stages: a concept note (stage 1) is shortlisted: its applicant is invited to the full proposal
        Transition("shortlist", Status.IN_REVIEW, Status.DECIDED, STAFF),
        *[Transition("withdraw", source, Status.WITHDRAWN, APPLICANT) for source in PRE_DECISION],
        # --- review: the waitlist is decided later
        Transition("accept_waitlisted", WAITLISTED_STATE, f"{Status.DECIDED}:{Outcome.ACCEPTED}", STAFF),
        Transition("reject_waitlisted", WAITLISTED_STATE, f"{Status.DECIDED}:{Outcome.REJECTED}", STAFF),
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
    "shortlist": gettext_lazy("Shortlisted for the full proposal"),  # stages
    "invited": gettext_lazy("Invited to the full proposal"),  # stages
    "withdraw": gettext_lazy("Withdrawn"),
    "accept_waitlisted": gettext_lazy("Accepted from the waiting list"),
    "review_override": gettext_lazy("Decided below the minimum of reviews"),
    "reject_waitlisted": gettext_lazy("Rejected from the waiting list"),
    "conflict": gettext_lazy("A reviewer declared a conflict of interest"),
}


def allowed(status: str, action: str, role: str) -> Transition | None:
    found = TRANSITIONS.get((status, action))
    return found if found is not None and found.role == role else None


def actions_for(status: str, role: str) -> list[str]:
    return [t.action for t in TRANSITIONS.values() if t.source == status and t.role == role]


def acts_as(user, application: Application, role: str) -> bool:
    if role == APPLICANT:  # stages: an organisation's application acts through its admin or named submitter
        return may_submit(application, user)
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
    step = allowed(state_of(application), action, role)
    if step is None or not acts_as(by, application, role):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    now = timezone.now()
    # A state may carry the outcome ("decided:waitlisted"): the UPDATE is conditional on both.
    source_status, _sep, source_outcome = step.source.partition(":")
    target_status, _sep, target_outcome = step.target.partition(":")
    if target_outcome:
        changes["outcome"] = target_outcome
    rows = Application.objects.filter(pk=application.pk, status=source_status)
    if source_outcome:
        rows = rows.filter(outcome=source_outcome)
    moved = rows.update(status=target_status, updated_at=now, **changes)
    if moved != 1:
        application.refresh_from_db()
        raise CallsError(
            _("The application changed meanwhile (it is now: %(status)s). Nothing was done.")
            % {"status": application.get_status_display()},
            code="conflict",
        )
    application.status = target_status
    application.updated_at = now
    for name, value in changes.items():
        setattr(application, name, value)
    ApplicationEvent.objects.create(
        application=application,
        actor=by,
        action=action,
        from_status=source_status,
        to_status=target_status,
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

    failures: list[Failure] = stage_failures(call=call, user=user, organisation=organisation)  # stages
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
    if not may_edit(application, by):  # stages: and editors
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    # Files are checked and stored before the row is locked: writing to storage (S3 in production) is a network
    # call, and none may run inside a transaction. A file kept for a question that is closed by the time the
    # row is locked is simply not linked to the answers.
    upload_errors: dict[str, list[str]] = {}
    attached: dict[str, Attachment] = {}
    if files:
        open_keys = editable_keys(application)
        by_key = {
            f.key: f
            for f in (application.call.fields.filter(form=FormKind.APPLICATION) if fields is None else fields)
        }
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
            if locked.organisation_id:  # stages: every edit of an organisation's application is attributed
                record_edit(application=locked, by=by, keys=result.written, at=now)
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
    fields = list(application.call.fields.filter(form=FormKind.APPLICATION))
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
        _require_submitter(application, by)  # stages: an organisation's admin or named submitter
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
        _require_submitter(application, by)  # stages
        return transition(application=application, action="withdraw", by=by, role=APPLICANT, note=note)


# --- screening and information requests -------------------------------------------------------------


def start_screening(*, application: Application, by: User) -> Application:
    with transaction.atomic():
        return transition(application=_locked(application), action="start_screening", by=by, role=STAFF)


def screen(
    *, application: Application, by: User, compliant: bool, note: str, decline_reasons=None
) -> Application:
    """Record the screening result; the applicant is told, with the reason. Screening out names one or more of
    the call's decline reasons (ids in ``decline_reasons``) when the call offers any."""
    note = note.strip()
    if not compliant and not note:
        raise CallsError(
            _("Give the reason the application is not compliant: the applicant will read it."), code="reason"
        )
    with transaction.atomic():
        application = _locked(application)
        reasons = [] if compliant else _decline_reasons_for(application, decline_reasons)  # feedback
        if application.status == Status.SUBMITTED:
            transition(application=application, action="start_screening", by=by, role=STAFF)
        action = "pass_screening" if compliant else "screen_out"
        transition(application=application, action=action, by=by, role=STAFF, note=note, screening_note=note)
        _give_decline_reasons(application=application, by=by, reasons=reasons)  # feedback
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
        keys = set(application.call.fields.filter(form=FormKind.APPLICATION).values_list("key", flat=True))
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
        _require_submitter(application, by)  # stages: an organisation's admin or named submitter
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


# feedback: ``_letter`` (in the feedback block) adds staff's feedback to this letter.
def _letter_without_feedback(application: Application, outcome: str) -> tuple[str, str]:
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


def decide(
    *,
    application: Application,
    by: User,
    outcome: str,
    note: str = "",
    decline_reasons=None,
    override_reason: str = "",  # review: deciding below the call's minimum of reviews
) -> Application:
    """Record the decision; its letter waits in the outbox until staff approve it. A rejection names one or more
    of the call's decline reasons (ids in ``decline_reasons``) when the call offers any."""
    if outcome not in Outcome.values or outcome == Outcome.SHORTLISTED:  # stages: shortlist() invites
        raise CallsError(_("Choose accepted, rejected or waitlisted."), code="outcome")
    with transaction.atomic():
        application = _locked(application)
        now = timezone.now()
        _check_review_minimum(application=application, by=by, override_reason=override_reason)  # review
        # feedback: a rejection's reasons, checked before anything changes
        reasons = _decline_reasons_for(application, decline_reasons) if outcome == Outcome.REJECTED else []
        transition(
            application=application,
            action="decide",
            by=by,
            role=STAFF,
            note=note,
            outcome=outcome,
            decided_at=now,
        )
        _give_decline_reasons(application=application, by=by, reasons=reasons)  # feedback
        subject, body = _letter(application, outcome)
        OutboxMessage.objects.create(
            application=application, to_email=application.applicant.email, subject=subject[:300], body=body
        )
    return application


def decide_many(
    *,
    applications,
    by: User,
    outcome: str,
    note: str = "",
    decline_reasons=None,
    override_reason: str = "",  # review
) -> tuple[int, list[str]]:
    """Decide each application on its own; returns (number decided, messages about the others)."""
    done, problems = 0, []
    for application in applications:
        try:
            decide(
                application=application,
                by=by,
                outcome=outcome,
                note=note,
                decline_reasons=decline_reasons,
                override_reason=override_reason,
            )
            done += 1
        except CallsError as error:
            problems.append(f"{application.label}: {error.message}")
    return done, problems


# --- review: the minimum of submitted reviews for a decision ------------------------------------------


def review_minimum_message(application: Application) -> str:
    needed = application.call.min_reviews
    return ngettext(
        "A decision needs %(needed)s submitted review (an abstention does not count); submitted so far: "
        "%(count)s. Assign reviewers, or record the reason for deciding without them.",
        "A decision needs %(needed)s submitted reviews (an abstention does not count); submitted so far: "
        "%(count)s. Assign reviewers, or record the reason for deciding without them.",
        needed,
    ) % {"needed": needed, "count": application.review_count}


def _check_review_minimum(*, application: Application, by: User, override_reason: str) -> None:
    """Refuse a decision below the call's minimum of submitted reviews unless staff give a reason; an override
    is kept in the application's history and the audit log (caller holds the row lock)."""
    if application.review_count >= application.call.min_reviews:
        return
    reason = (override_reason or "").strip()[:2000]
    if not reason:
        raise CallsError(review_minimum_message(application), code="min_reviews")
    ApplicationEvent.objects.create(
        application=application,
        actor=by,
        action="review_override",
        from_status=application.status,
        to_status=application.status,
        note=reason,
    )
    record(
        actor=by,
        action="calls.application.decide_below_minimum",
        target=application,
        note=f"{application.review_count}/{application.call.min_reviews}: {reason}",
    )


# --- review: waitlisted applications decided later ----------------------------------------------------


def _decide_waitlisted(*, application: Application, by: User, action: str, note: str) -> Application:
    """Move a waitlisted application to accepted or rejected; its letter waits in the outbox like any
    decision's, and the applicant sees the new outcome once that letter is sent."""
    with transaction.atomic():
        application = _locked(application)
        transition(
            application=application,
            action=action,
            by=by,
            role=STAFF,
            note=note,
            decided_at=timezone.now(),
            decision_published_at=None,
        )
        subject, body = _letter(application, application.outcome)
        OutboxMessage.objects.create(
            application=application, to_email=application.applicant.email, subject=subject[:300], body=body
        )
        record(actor=by, action=f"calls.application.{action}", target=application, note=note)
    return application


def accept_waitlisted(*, application: Application, by: User, note: str = "") -> Application:
    return _decide_waitlisted(application=application, by=by, action="accept_waitlisted", note=note)


def reject_waitlisted(*, application: Application, by: User, note: str = "") -> Application:
    return _decide_waitlisted(application=application, by=by, action="reject_waitlisted", note=note)


# --- end review


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


def queue_letter(*, application: Application, subject, body) -> OutboxMessage:
    """A letter to the applicant that waits in the outbox for staff to approve it (offers, promotions).

    ``subject`` and ``body`` may be lazy translations: they are rendered in the applicant's own language.
    """
    with override(application.applicant.language or settings.LANGUAGE_CODE):
        subject_text, body_text = str(subject), str(body)
    return OutboxMessage.objects.create(
        application=application,
        to_email=application.applicant.email,
        subject=subject_text[:300],
        body=body_text,
    )


# --- reviewers --------------------------------------------------------------------------------------

REVIEWABLE = (Status.SUBMITTED, Status.SCREENING, Status.IN_REVIEW, Status.MORE_INFO)


def conflicted_person_ids(*, person_ids, organisation_ids) -> set[int]:
    """Who may not assess (review, mentor) the work of these people and organisations: the people themselves,
    the members of these organisations and of every organisation these people belong to. The one conflict-of-
    interest rule for reviewers (here) and mentors (awards, through calls.api)."""
    people = {pk for pk in person_ids if pk}
    organisations = {pk for pk in organisation_ids if pk}
    organisations |= set(
        Membership.objects.filter(user_id__in=people).values_list("organisation_id", flat=True)
    )
    return people | set(
        Membership.objects.filter(organisation_id__in=organisations).values_list("user_id", flat=True)
    )


def _excluded_reviewer_ids(application: Application) -> set[int]:
    """The applicant, members of the application's organisation and of the applicant's organisations,
    and everyone already assigned (including those who declared a conflict)."""
    excluded = conflicted_person_ids(
        person_ids=[application.applicant_id], organisation_ids=[application.organisation_id]
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
        if moved and not conflict:
            # review: "no conflict" is declared on the page that shows the call's statement (its first time)
            confirm_statement(reviewer=by, call=assignment.application.call)
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
    *,
    assignment: Assignment,
    by: User,
    scores: dict,
    comments: str,
    recommendation: str,
    submit: bool,
    confidence: str = "",  # review
) -> Review:
    """Save the review as a draft, or submit it (every criterion scored within its range)."""
    if assignment.reviewer_id != by.pk or not has_role(by, Role.REVIEWER):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    if assignment.conflict != Conflict.NONE:
        raise CallsError(_("Declare whether you have a conflict of interest first."), code="conflict")
    call = assignment.application.call
    _require_statement(reviewer=by, call=call)  # review
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
        review.confidence = confidence if confidence in Confidence.values else ""  # review
        review.updated_at = timezone.now()
        if errors:
            review.save(update_fields=["scores", "comments", "recommendation", "confidence", "updated_at"])
            raise CallsError(
                _("Some scores need attention. Your draft is saved."), code="invalid", errors=errors
            )
        if submit:
            review.submitted_at = timezone.now()
            review.total = _review_total(call, review.scores)
        review.save(
            update_fields=[
                "scores",
                "comments",
                "recommendation",
                "confidence",
                "updated_at",
                "submitted_at",
                "total",
            ]
        )
        if submit:
            recompute_scores(application=application)
            _keep_revision(review=review, reason="")  # review: the score history starts here
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


# --- feedback: feedback to applicants and structured decline reasons -----------------------------------------

from accounts.api import record as audit  # noqa: E402
from calls.models import DeclineReason, DeclineReasonUse, Feedback  # noqa: E402

# Feedback can be written while the application is assessed and after the decision, until its letter is approved.
FEEDBACK_STATUSES = (Status.IN_REVIEW, Status.MORE_INFO, Status.DECIDED)
# A letter in one of these states has left staff's hands: the feedback it carries can no longer change (the
# applicant's page shows the stored feedback, which is then exactly what the letter said).
LETTER_GONE = (OutboxStatus.APPROVED, OutboxStatus.SENDING, OutboxStatus.SENT, OutboxStatus.FAILED)
FEEDBACK_MAX_CHARS = 5000


def feedback_section(application: Application, feedback: Feedback | None, language: str) -> str:
    """The decision letter's feedback section in ``language`` ('' when there is no feedback): the summary per
    criterion (criteria without one are left out) and the overall summary, as staff wrote them."""
    if feedback is None or feedback.is_empty:
        return ""
    with override(language if language in ("ka", "en") else "ka"):
        rows = [
            (criterion.title, str(feedback.criteria.get(str(criterion.pk), "")).strip())
            for criterion in application.call.criteria.all()
        ]
        return render_to_string(
            "calls/feedback/letter_section.txt",
            {"rows": [row for row in rows if row[1]], "overall": feedback.overall.strip()},
        ).strip()


def _letter(application: Application, outcome: str) -> tuple[str, str]:
    """The decision letter followed by staff's feedback (if any), headed in the applicant's own language. Every
    letter of a decision (``decide``, a waitlisted application decided later, ...) is written here."""
    subject, body = _letter_without_feedback(application, outcome)
    feedback = Feedback.objects.filter(application_id=application.pk).first()
    section = feedback_section(application, feedback, application.applicant.language)
    return subject, f"{body}\n\n———\n\n{section}" if section else body


def feedback_locked(application: Application) -> bool:
    """Whether a letter that carried the feedback has been approved (from then on the feedback stays as sent)."""
    return OutboxMessage.objects.filter(application_id=application.pk, status__in=LETTER_GONE).exists()


def save_feedback(
    *, application: Application, by: User, criteria: dict[str, str], overall: str
) -> tuple[Feedback, int]:
    """Store staff's feedback to the applicant; returns it and the number of waiting letters rewritten.

    A decision letter still waiting in the outbox is rewritten with the new feedback in the same transaction
    (its rows are locked first, so an approval at the same moment waits and approves the rewritten letter);
    once a letter has been approved the feedback is refused, so the applicant never receives stale feedback.
    """
    if not is_programme_staff(by):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    with transaction.atomic():
        application = _locked(application)
        if application.status not in FEEDBACK_STATUSES:
            raise CallsError(_("Feedback can be written once the application is in review."), code="state")
        letters = list(
            OutboxMessage.objects.select_for_update()
            .filter(application=application)
            .exclude(status=OutboxStatus.CANCELLED)
        )
        if any(letter.status in LETTER_GONE for letter in letters):
            raise CallsError(
                _(
                    "The decision letter has already been approved: the feedback it carried can no longer change."
                ),
                code="locked",
            )
        keys = {str(pk) for pk in application.call.criteria.values_list("pk", flat=True)}
        clean = {
            key: str(text).strip()[:FEEDBACK_MAX_CHARS]
            for key, text in criteria.items()
            if key in keys and str(text).strip()
        }
        feedback, _created = Feedback.objects.update_or_create(
            application=application,
            defaults={
                "criteria": clean,
                "overall": overall.strip()[:FEEDBACK_MAX_CHARS],
                "updated_by": by,
                "updated_at": timezone.now(),
            },
        )
        rewritten = 0
        waiting = [letter.pk for letter in letters if letter.status == OutboxStatus.PENDING]
        # Only a decision's letter is rewritten (a shortlisted concept note's invitation is another letter).
        decision = application.outcome in (Outcome.ACCEPTED, Outcome.REJECTED, Outcome.WAITLISTED)
        if waiting and application.status == Status.DECIDED and decision:
            subject, body = _letter(application, application.outcome)
            rewritten = OutboxMessage.objects.filter(pk__in=waiting, status=OutboxStatus.PENDING).update(
                subject=subject[:300], body=body
            )
        audit(
            actor=by,
            action="calls.feedback.save",
            target=application,
            note=f"criteria: {len(clean)}; overall: {'yes' if feedback.overall else 'no'}; "
            f"waiting letters rewritten: {rewritten}",
        )
    return feedback, rewritten


def save_decline_reason(
    *,
    call: Call,
    by: User,
    label_ka: str,
    label_en: str = "",
    position: int = 0,
    active: bool = True,
    reason: DeclineReason | None = None,
) -> DeclineReason:
    """Add a reason to ``call``'s list, or change one (``reason``). Reasons are never deleted: one no longer
    offered (``active`` off) keeps its place in the statistics."""
    if not is_programme_staff(by):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    label_ka, label_en = label_ka.strip(), label_en.strip()
    if not label_ka:
        raise CallsError(_("Write the reason in Georgian."), code="label")
    with transaction.atomic():
        if reason is None:
            reason = DeclineReason.objects.create(
                call=call, label_ka=label_ka, label_en=label_en, position=position, active=active
            )
            action = "calls.decline_reason.create"
        else:
            if reason.call_id != call.pk:
                raise CallsError(
                    _("This action is not possible for this application now."), code="not_allowed"
                )
            reason.label_ka, reason.label_en, reason.position, reason.active = (
                label_ka,
                label_en,
                position,
                active,
            )
            reason.save(update_fields=["label_ka", "label_en", "position", "active"])
            action = "calls.decline_reason.update"
        audit(
            actor=by,
            action=action,
            target=call,
            note=f"{reason.pk}: {label_ka} / {label_en}; position {position}; {'offered' if active else 'not offered'}",
        )
    return reason


def _decline_reasons_for(application: Application, chosen) -> list[DeclineReason]:
    """The call's offered reasons among ``chosen`` (ids); at least one is required when the call offers any."""
    offered = {r.pk: r for r in DeclineReason.objects.filter(call_id=application.call_id, active=True)}
    wanted = [int(pk) for pk in (chosen or [])]
    if any(pk not in offered for pk in wanted):
        raise CallsError(_("Choose the reasons from this call's list."), code="reasons")
    if offered and not wanted:
        raise CallsError(
            _("Choose at least one reason for declining: programme staff keep statistics of them."),
            code="reasons",
        )
    return [offered[pk] for pk in dict.fromkeys(wanted)]


def _give_decline_reasons(*, application: Application, by: User, reasons: list[DeclineReason]) -> None:
    """Record the reasons of a rejection or screening out (inside the caller's transaction) with an audit entry."""
    if not reasons:
        return
    DeclineReasonUse.objects.bulk_create(
        [DeclineReasonUse(application=application, reason=reason, assigned_by=by) for reason in reasons],
        ignore_conflicts=True,
    )
    audit(
        actor=by,
        action="calls.decline_reason.assign",
        target=application,
        note="; ".join(f"{reason.pk}: {reason.label_ka}" for reason in reasons),
    )


# --- end feedback ---------------------------------------------------------------------------------------------


# --- stages: two-stage calls (concept note, shortlist, full proposal) and co-applicants -------------------

from calls.models import (  # noqa: E402
    EDIT_RUN,
    ApplicationEdit,
    Collaborator,
    CollaboratorRole,
)


def stage_failures(*, call: Call, user, organisation=None) -> list[Failure]:
    """A full-proposal call (stage 2) takes only applicants whose concept note was shortlisted (and told so)."""
    if not call.concept_stage_id:
        return []
    invited = Application.objects.filter(
        call_id=call.concept_stage_id,
        applicant_id=user.pk,
        organisation=organisation,
        status=Status.DECIDED,
        outcome=Outcome.SHORTLISTED,
        decision_published_at__isnull=False,
    )
    if invited.exists():
        return []
    concept = Call.objects.get(pk=call.concept_stage_id)
    return [
        Failure(
            _(
                "Only applicants whose concept note was shortlisted may submit a full proposal. Concept-note stage: %(call)s"
            )
            % {"call": concept.title},
            [(reverse("calls:call_detail", args=[concept.slug]), concept.title)],
        )
    ]


def _carried_forward(concept: Application, full: Call) -> tuple[dict, dict[str, Attachment]]:
    """The concept note's answers for the questions of the full proposal with the same key and kind (files are
    linked to the same stored file, not copied)."""
    before = {f.key: f.kind for f in concept.call.fields.filter(form=FormKind.APPLICATION)}
    data, files = {}, {}
    for row in full.fields.filter(form=FormKind.APPLICATION):
        if row.key not in concept.data or before.get(row.key) != row.kind:
            continue
        if row.kind == FieldKind.FILE:
            attachment = Attachment.objects.filter(application=concept, pk=concept.data[row.key]).first()
            if attachment is not None:
                files[row.key] = attachment
            continue
        data[row.key] = concept.data[row.key]
    return data, files


def invite_to_full_stage(*, concept: Application, full: Call, by: User) -> Application:
    """The shortlisted applicant's full-proposal draft, created once with the concept note's answers carried
    forward (and its co-applicants); a second call returns the same draft."""
    existing = Application.objects.filter(call=full, applicant_id=concept.applicant_id).first()
    if existing is not None:
        return existing
    data, files = _carried_forward(concept, full)
    try:
        with transaction.atomic():
            draft = Application.objects.create(
                call=full,
                applicant_id=concept.applicant_id,
                organisation_id=concept.organisation_id,
                data=data,
                invited_from=concept,
            )
            for key, attachment in files.items():
                copy = Attachment.objects.create(
                    application=draft,
                    field_key=key,
                    file=attachment.file.name,
                    original_name=attachment.original_name,
                    kind=attachment.kind,
                    size=attachment.size,
                    sha256=attachment.sha256,
                )
                draft.data[key] = copy.pk
            if files:
                Application.objects.filter(pk=draft.pk).update(data=draft.data)
            Collaborator.objects.bulk_create(
                Collaborator(application=draft, user_id=c.user_id, role=c.role, invited_by=by)
                for c in concept.collaborators.all()
            )
            ApplicationEvent.objects.create(
                application=draft,
                actor=by,
                action="invited",
                from_status=Status.DRAFT,
                to_status=Status.DRAFT,
                note=concept.reference or "",
            )
    except IntegrityError:
        return Application.objects.get(call=full, applicant_id=concept.applicant_id)
    return draft


def _invitation_letter(concept: Application, full: Call, draft: Application) -> tuple[str, str]:
    """The letter to a shortlisted applicant: the call's letter for "shortlisted" if staff wrote one, then (or
    else) the invitation with the full proposal's deadline and the link to the draft, in Georgian and English."""
    url = _absolute(reverse("calls:application_form", args=[draft.pk]))
    parts = []
    for lang in ("ka", "en"):
        with override(lang):
            parts.append(
                render_to_string(
                    "calls/stages/email/invitation.txt",
                    {
                        "LANG": lang,
                        "application": concept,
                        "full": full,
                        "deadline": timezone.localtime(full.closes_at),
                        "url": url,
                    },
                ).strip()
            )
    invitation = "\n\n———\n\n".join(parts)
    if DecisionTemplate.objects.filter(call=concept.call, outcome=Outcome.SHORTLISTED).exists():
        # Without staff's feedback: it is not rewritten into an invitation later, so it would go stale (the
        # applicant reads the feedback on their page once the invitation is sent).
        subject, body = _letter_without_feedback(concept, Outcome.SHORTLISTED)
        return subject, f"{body}\n\n———\n\n{invitation}"
    values = {"reference": concept.reference or ""}
    with override("ka"):
        subject_ka = _("Invitation to submit a full proposal: %(reference)s") % values
    with override("en"):
        subject_en = _("Invitation to submit a full proposal: %(reference)s") % values
    return f"{subject_ka} / {subject_en}", invitation


SHORTLIST_NEEDS_REVIEWS = gettext_lazy(
    "Shortlisting needs the call's minimum of submitted reviews (%(needed)s); submitted so far: %(count)s."
)


def shortlist(*, application: Application, by: User, note: str = "") -> Application:
    """Shortlist a concept note: the decision "shortlisted", the applicant's full-proposal draft with the
    answers carried forward, and the invitation letter waiting in the outbox for staff to approve (the
    applicant sees the draft once the letter is sent). Shortlisting again changes nothing and creates nothing."""
    with transaction.atomic():
        application = _locked(application)
        full = Call.objects.filter(concept_stage_id=application.call_id).first()
        if full is None:
            raise CallsError(_("This call has no full-proposal stage: decide instead."), code="not_two_stage")
        if application.status == Status.DECIDED and application.outcome == Outcome.SHORTLISTED:
            invite_to_full_stage(concept=application, full=full, by=by)
            return application
        needed = application.call.min_reviews
        if application.status == Status.IN_REVIEW and application.review_count < needed:
            raise CallsError(
                SHORTLIST_NEEDS_REVIEWS % {"needed": needed, "count": application.review_count},
                code="reviews",
            )
        transition(
            application=application,
            action="shortlist",
            by=by,
            role=STAFF,
            note=note,
            outcome=Outcome.SHORTLISTED,
            decided_at=timezone.now(),
        )
        draft = invite_to_full_stage(concept=application, full=full, by=by)
        subject, body = _invitation_letter(application, full, draft)
        OutboxMessage.objects.create(
            application=application, to_email=application.applicant.email, subject=subject[:300], body=body
        )
        record(actor=by, action="calls.application.shortlist", target=application, note=note)
    return application


def shortlist_many(*, applications, by: User, note: str = "") -> tuple[int, list[str]]:
    """Shortlist each application on its own; returns (number shortlisted, messages about the others)."""
    done, problems = 0, []
    for application in applications:
        try:
            shortlist(application=application, by=by, note=note)
            done += 1
        except CallsError as error:
            problems.append(f"{application.label}: {error.message}")
    return done, problems


# Co-applicants. The applicant of an organisation's application invites members of that organisation: viewers
# read it, editors edit the draft with the same conflict-safe merge, a submitter also submits (acts as the
# applicant). Each save of an organisation's application is attributed (ApplicationEdit).


ORGANISATION_ADMIN = (
    "admin"  # accounts' MembershipRole.ADMIN: the membership role that acts for the organisation
)


def collaborator_of(application: Application, user) -> Collaborator | None:
    if not application.organisation_id or not getattr(user, "pk", None):
        return None
    return Collaborator.objects.filter(application_id=application.pk, user_id=user.pk).first()


def is_named_submitter(application: Application, user) -> bool:
    found = collaborator_of(application, user)
    return found is not None and found.role == CollaboratorRole.SUBMITTER


def is_organisation_admin(application: Application, who) -> bool:
    """Whether ``who`` (a user, or the request's viewer with its admin organisations already read) is an
    administrator of the organisation the application is made for, now (a demoted admin no longer is)."""
    pk = getattr(who, "pk", None)
    if not application.organisation_id or pk is None:
        return False
    ids = getattr(who, "admin_organisation_ids", None)
    if ids is not None:
        return application.organisation_id in ids
    return Membership.objects.filter(
        organisation_id=application.organisation_id, user_id=pk, role=ORGANISATION_ADMIN
    ).exists()


def may_edit(application: Application, user) -> bool:
    if application.applicant_id == user.pk:
        return True
    found = collaborator_of(application, user)
    if found is not None and found.may_edit:
        return True
    return is_organisation_admin(application, user)  # (also an administrator once invited as a viewer)


def may_submit(application: Application, user) -> bool:
    """Who submits (and resubmits and withdraws): the applicant of an individual application; for an
    organisation's application a current administrator of the organisation or the member it named (submitter)
    — the member who started it edits but submits only if they are one of those. Checked at the moment of the
    write, so an administrator demoted after starting the draft no longer submits it."""
    if not application.organisation_id:
        return application.applicant_id == user.pk
    return is_organisation_admin(application, user) or is_named_submitter(application, user)


def may_manage_team(application: Application, user) -> bool:
    """The applicant and the organisation's administrators invite and remove co-applicants."""
    return bool(application.organisation_id) and (
        application.applicant_id == user.pk or is_organisation_admin(application, user)
    )


def _require_submitter(application: Application, by) -> None:
    """Refuse, with who may, a submit (resubmit, withdrawal) by someone the organisation has not named."""
    if may_submit(application, by):
        return
    if application.organisation is not None:
        raise CallsError(
            _(
                "Only an administrator of the organisation (%(organisation)s) or the member it names may submit this application. Your answers are saved."
            )
            % {"organisation": application.organisation.name},
            code="not_submitter",
        )
    raise CallsError(_("This action is not possible for this application now."), code="not_allowed")


def record_edit(*, application: Application, by: User, keys, at) -> None:
    """Attribute a save: the person's run of saves goes on (``EDIT_RUN``) or a new row starts."""
    last = ApplicationEdit.objects.filter(application_id=application.pk).order_by("-at", "-pk").first()
    if last is not None and last.user_id == by.pk and at - last.at <= EDIT_RUN:
        ApplicationEdit.objects.filter(pk=last.pk).update(
            keys=sorted(set(last.keys) | set(keys)), at=at, saves=F("saves") + 1
        )
    else:
        ApplicationEdit.objects.create(
            application_id=application.pk, user=by, keys=sorted(keys), started_at=at, at=at
        )


def _notify_collaborator(collaborator: Collaborator) -> None:
    """Tell the invited member, in their own language, after the invitation is committed."""
    user = collaborator.user
    application = collaborator.application
    context = {
        "collaborator": collaborator,
        "application": application,
        "call": application.call,
        "url": _absolute(reverse("calls:application_detail", args=[application.pk])),
    }

    def send() -> None:
        with override(user.language or "ka"):
            subject = _("You are invited to work on an application: %(call)s") % {
                "call": application.call.title
            }
            body = render_to_string("calls/stages/email/collaborator.txt", context).strip()
        send_mail(subject, body, None, [user.email])

    transaction.on_commit(send, robust=True)


def invite_collaborator(*, application: Application, by: User, email: str, role: str) -> Collaborator:
    """Invite a member of the applying organisation (by their email address) or change their role. The
    applicant and the organisation's administrators invite; only an administrator names the submitter."""
    if not application.organisation_id:
        raise CallsError(
            _("Only an organisation's application can have co-applicants."), code="not_organisation"
        )
    if not may_manage_team(application, by):
        raise CallsError(_("Only the applicant can invite co-applicants."), code="not_allowed")
    if role not in CollaboratorRole.values:
        raise CallsError(_("Choose what the co-applicant may do."), code="role")
    if role == CollaboratorRole.SUBMITTER and not is_organisation_admin(application, by):
        raise CallsError(
            _("Only an administrator of the organisation can name the member who submits."),
            code="not_admin",
        )
    if application.status in (Status.WITHDRAWN, Status.SCREENED_OUT, Status.DECIDED):
        raise CallsError(_("This application can no longer be changed."), code="locked")
    membership = (
        Membership.objects.filter(
            organisation_id=application.organisation_id, user__email__iexact=email.strip()
        )
        .select_related("user")
        .first()
    )
    if membership is None:
        raise CallsError(
            _(
                "No member of the organisation has this email address. Ask the organisation's administrator to add them first."
            ),
            code="not_member",
        )
    user = membership.user
    if user.pk == application.applicant_id:
        raise CallsError(_("You are the applicant already."), code="applicant")
    with transaction.atomic():
        collaborator, created = Collaborator.objects.update_or_create(
            application=application,
            user=user,
            defaults={"role": role},
            create_defaults={"role": role, "invited_by": by, "invited_at": timezone.now()},
        )
        record(
            actor=by,
            action="calls.collaborator.invite" if created else "calls.collaborator.role",
            target=application,
            note=f"{user.email}: {role}",
        )
        if created:
            _notify_collaborator(collaborator)
    return collaborator


def remove_collaborator(*, collaborator: Collaborator, by: User) -> None:
    application = collaborator.application
    if not may_manage_team(application, by):
        raise CallsError(_("Only the applicant can invite co-applicants."), code="not_allowed")
    with transaction.atomic():
        Collaborator.objects.filter(pk=collaborator.pk).delete()
        record(
            actor=by,
            action="calls.collaborator.remove",
            target=application,
            note=collaborator.user.email,
        )


# --- end stages


# --- review: the review cycle (statement, revisions, abstention, deadline reminders, nudges) ----------------


def statement_confirmed(*, reviewer, call: Call) -> bool:
    return ReviewerStatement.objects.filter(reviewer_id=reviewer.pk, call_id=call.pk).exists()


def _require_statement(*, reviewer, call: Call) -> None:
    if not statement_confirmed(reviewer=reviewer, call=call):
        raise CallsError(
            _("Confirm the call's confidentiality and conflict-of-interest statement first."),
            code="statement",
        )


def confirm_statement(*, reviewer: User, call: Call) -> ReviewerStatement:
    """The reviewer confirms the call's statement (once per call; a second confirmation changes nothing)."""
    if not has_role(reviewer, Role.REVIEWER):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    existing = ReviewerStatement.objects.filter(reviewer=reviewer, call=call).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            with override("ka"):
                text_ka = call.reviewer_statement
            with override("en"):
                text_en = call.reviewer_statement
            statement = ReviewerStatement.objects.create(
                reviewer=reviewer,
                call=call,
                text=text_ka if text_ka == text_en else f"{text_ka}\n\n{text_en}",
            )
            record(actor=reviewer, action="calls.review.statement", target=call)
    except IntegrityError:
        return ReviewerStatement.objects.get(reviewer=reviewer, call=call)
    return statement


def _keep_revision(*, review: Review, reason: str) -> ReviewRevision:
    """Keep the review's submitted score set (caller holds the application's row lock)."""
    number = ReviewRevision.objects.filter(review=review).count() + 1
    return ReviewRevision.objects.create(
        review=review,
        number=number,
        scores=review.scores,
        total=review.total,
        recommendation=review.recommendation,
        confidence=review.confidence,
        reason=reason,
        at=review.submitted_at or timezone.now(),
    )


def may_revise(*, review: Review | None, application: Application) -> bool:
    """A submitted review may be revised once the applicant resubmitted after it (an answered information
    request), while the application is in review."""
    if (
        review is None
        or not review.is_submitted
        or review.abstained
        or application.status != Status.IN_REVIEW
    ):
        return False
    latest = (
        ApplicationVersion.objects.filter(application_id=application.pk, number__gt=1)
        .order_by("-number")
        .values_list("submitted_at", flat=True)
        .first()
    )
    return latest is not None and review.submitted_at is not None and latest > review.submitted_at


def revise_review(
    *,
    assignment: Assignment,
    by: User,
    scores: dict,
    comments: str,
    recommendation: str,
    confidence: str = "",
    reason: str,
) -> Review:
    """Submit a new score set after a resubmission; the earlier ones stay in the score history."""
    if assignment.reviewer_id != by.pk or not has_role(by, Role.REVIEWER):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    reason = reason.strip()[:2000]
    call = assignment.application.call
    errors: dict[str, list] = {}
    clean = {}
    for criterion in call.criteria.all():
        raw = str(scores.get(str(criterion.pk), "")).strip()
        if not raw.isdigit() or not criterion.min_score <= int(raw) <= criterion.max_score:
            errors[str(criterion.pk)] = [
                _("Enter a score from %(min)s to %(max)s.")
                % {"min": criterion.min_score, "max": criterion.max_score}
            ]
            continue
        clean[str(criterion.pk)] = int(raw)
    if recommendation not in ("accept", "waitlist", "reject"):
        errors["recommendation"] = [_("Choose a recommendation.")]
    if not reason:
        errors["reason"] = [_("Say briefly why you revise your scores.")]
    if errors:
        raise CallsError(_("Some answers need attention."), code="invalid", errors=errors)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=assignment.application_id)
        review = Review.objects.filter(assignment=assignment).first()
        if review is None or not may_revise(review=review, application=application):
            raise CallsError(
                _("A review can be revised only after the applicant answered a request for information."),
                code="state",
            )
        review.scores, review.total = clean, _review_total(call, clean)
        review.comments = comments[:10000]
        review.recommendation = recommendation
        review.confidence = confidence if confidence in Confidence.values else ""
        review.submitted_at = review.updated_at = timezone.now()
        review.save()
        recompute_scores(application=application)
        _keep_revision(review=review, reason=reason)
        record(actor=by, action="calls.review.revise", target=application, note=reason)
    return review


def abstain_review(*, assignment: Assignment, by: User, reason: str) -> Review:
    """The reviewer abstains with a reason: done for their queue, never counted in the score or the minimum."""
    if assignment.reviewer_id != by.pk or not has_role(by, Role.REVIEWER):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    if assignment.conflict != Conflict.NONE:
        raise CallsError(_("Declare whether you have a conflict of interest first."), code="conflict")
    reason = reason.strip()[:2000]
    if not reason:
        raise CallsError(
            _("Give the reason you abstain: staff read it."),
            code="invalid",
            errors={"reason": [_("Required.")]},
        )
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=assignment.application_id)
        if application.status not in REVIEWABLE:
            raise CallsError(_("This application is no longer under review."), code="state")
        review, _created = Review.objects.get_or_create(assignment=assignment)
        if review.is_submitted:
            raise CallsError(_("You have already submitted this review."), code="submitted")
        now = timezone.now()
        Review.objects.filter(pk=review.pk).update(
            abstained=True, abstain_reason=reason, submitted_at=now, updated_at=now, total=None
        )
        review.refresh_from_db()
        recompute_scores(application=application)
        record(actor=by, action="calls.review.abstain", target=application, note=reason)
    return review


def without_submitted_review():
    """Assignments still waiting for their reviewer: not ended by a conflict, no submitted review."""
    return Q(review__isnull=True) | Q(review__submitted_at__isnull=True)


# Reminders before the review deadline: (field on Assignment, how long before the deadline).
REVIEW_REMINDERS = (("reminded_1d_at", timedelta(days=1)), ("reminded_3d_at", timedelta(days=3)))


def _reviewer_mail(assignment: Assignment, template: str, subject) -> None:
    """One message to the reviewer in their own language (never naming the applicant)."""
    reviewer = assignment.reviewer
    application = assignment.application
    with override(reviewer.language or "ka"):
        context = {
            "reference": application.reference,
            "call": application.call,
            "deadline": application.call.review_deadline,
            "url": _absolute(reverse("calls:review", args=[assignment.pk])),
        }
        body = render_to_string(template, context).strip()
        title = str(subject) % {"reference": application.reference or ""}
    send_mail(title, body, None, [reviewer.email])


def send_review_reminders(*, now=None) -> int:
    """Remind reviewers 3 days and 1 day before the call's review deadline, for assignments without a submitted
    review (each reminder once; within a day of the deadline only the last one). Each is claimed by a committed
    conditional UPDATE before its mail is sent; a mail the server refused is un-claimed for the next run."""
    now = now or timezone.now()
    sent = 0
    for field_name, before in REVIEW_REMINDERS:
        due = (
            Assignment.objects.filter(
                without_submitted_review(),
                application__status__in=REVIEWABLE,
                application__call__review_deadline__gt=now,
                application__call__review_deadline__lte=now + before,
                **{f"{field_name}__isnull": True},
            )
            .exclude(conflict=Conflict.CONFLICT)
            .select_related("reviewer", "application__call")
        )
        for assignment in due:
            claim = {field_name: now}
            if field_name == "reminded_1d_at":
                claim["reminded_3d_at"] = now  # the 3-day reminder is not sent after the 1-day one
            if not Assignment.objects.filter(pk=assignment.pk, **{f"{field_name}__isnull": True}).update(
                **claim
            ):
                continue
            try:
                _reviewer_mail(
                    assignment,
                    "calls/review_cycle/email/review_reminder.txt",
                    gettext_lazy("Review of %(reference)s: the deadline is near"),
                )
            except Exception as error:  # noqa: BLE001 - the mail server failed: the next hourly run tries again
                log.warning("review reminder for assignment %s not sent: %r", assignment.pk, error)
                Assignment.objects.filter(pk=assignment.pk, **{field_name: now}).update(
                    **{field_name: None},
                    **({"reminded_3d_at": None} if field_name == "reminded_1d_at" else {}),
                )
                continue
            sent += 1
    return sent


# Two clicks on "nudge" within this long send one email.
NUDGE_INTERVAL = timedelta(hours=1)


def nudge_reviewer(*, assignment: Assignment, by: User) -> bool:
    """Staff remind a late reviewer by email (audited); True when a nudge was sent now."""
    if not is_programme_staff(by):
        raise CallsError(_("This action is not possible for this application now."), code="not_allowed")
    with transaction.atomic():
        now = timezone.now()
        moved = (
            Assignment.objects.filter(without_submitted_review(), pk=assignment.pk)
            .exclude(conflict=Conflict.CONFLICT)
            .filter(Q(nudged_at__isnull=True) | Q(nudged_at__lt=now - NUDGE_INTERVAL))
            .update(nudged_at=now)
        )
        if not moved:
            return False
        assignment = Assignment.objects.select_related("reviewer", "application__call").get(pk=assignment.pk)
        record(
            actor=by,
            action="calls.review.nudge",
            target=assignment.application,
            note=assignment.reviewer.email,
        )
        transaction.on_commit(
            lambda: _reviewer_mail(
                assignment,
                "calls/review_cycle/email/nudge.txt",
                gettext_lazy("Review of %(reference)s is overdue"),
            ),
            robust=True,
        )
    return True


# --- end review
