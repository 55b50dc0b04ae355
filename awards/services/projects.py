"""Projects: services (every state change, with its audit entry).

The one transition table of reports (``TRANSITIONS``) says which action moves a report from which state to
which and who takes it; :func:`_transition` is the only code that changes ``Report.status`` (a conditional
UPDATE, so two people acting at once produce one outcome) and writes the audit entry. Tranches become payable
when their milestone's report is approved (or at once when tied to signing); a tranche is paid once (a
one-to-one Payment). A project completes when its final report is approved and every tranche is paid.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts.api import Membership, User, record
from awards.models.projects import (
    BudgetItem,
    GrantProject,
    Milestone,
    Payment,
    ProjectEditor,
    ProjectStatus,
    Receipt,
    ReminderLog,
    Report,
    ReportKind,
    ReportStatus,
    ReportVersion,
    Tranche,
)
from awards.services.transitions import Transition
from calls.api import budget_of, checked_form, fingerprints, merge_draft, parse_number, report_fields
from core.api import enqueue_on_commit, safe_filename, validate_upload


class ProjectError(Exception):
    """A refused project action; ``message`` is translated and safe to show."""

    def __init__(self, message, errors: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.errors = errors or {}


# --- the transition table of reports -----------------------------------------------------------------

EDITOR, STAFF = "editor", "staff"


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.action): t
    for t in [
        Transition("submit", ReportStatus.DRAFT, ReportStatus.SUBMITTED, EDITOR),
        Transition("submit", ReportStatus.CHANGES_REQUESTED, ReportStatus.SUBMITTED, EDITOR),
        Transition("approve", ReportStatus.SUBMITTED, ReportStatus.APPROVED, STAFF),
        Transition("request_changes", ReportStatus.SUBMITTED, ReportStatus.CHANGES_REQUESTED, STAFF),
    ]
}
ACTIONS = sorted({t.action for t in TRANSITIONS.values()})
EDITABLE = (ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED)
ACTION_LABELS = {
    "submit": gettext_lazy("Report submitted"),
    "approve": gettext_lazy("Report approved"),
    "request_changes": gettext_lazy("Changes requested"),
}


def allowed(status: str, action: str, role: str) -> Transition | None:
    found = TRANSITIONS.get((status, action))
    return found if found is not None and found.role == role else None


def _transition(report: Report, *, action: str, role: str, by, note: str = "", **changes) -> Report:
    step = allowed(report.status, action, role)
    if step is None:
        raise ProjectError(_("This report cannot be changed that way now."))
    moved = Report.objects.filter(pk=report.pk, status=step.source).update(status=step.target, **changes)
    if not moved:
        raise ProjectError(_("Someone else changed this report a moment ago. Reload the page."))
    report.refresh_from_db()
    record(actor=by, action=f"awards.report.{action}", target=report, note=note)
    return report


# --- facts about the viewer (loaded once per request; the rules and queries read them) ---------------------

MEMBER_ORGS = "awards.member_organisation_ids"
EDITOR_OF = "awards.report_editor_of"


def member_organisation_ids(viewer) -> frozenset[int]:
    return viewer.fact(
        MEMBER_ORGS,
        lambda: frozenset(
            Membership.objects.filter(user_id=viewer.pk).values_list("organisation_id", flat=True)
        ),
    )


def mentored_project_ids(viewer) -> frozenset[int]:
    """The projects this person mentors now (an active mentorship): they read the project, they do not edit it."""
    from awards.models.mentoring import Mentorship, MentorshipStatus

    return viewer.fact(
        "awards.mentored_projects",
        lambda: frozenset(
            Mentorship.objects.filter(
                mentor_id=viewer.pk, status=MentorshipStatus.ACTIVE, project__isnull=False
            ).values_list("project_id", flat=True)
        ),
    )


def editor_project_ids(viewer) -> frozenset[int]:
    return viewer.fact(
        EDITOR_OF,
        lambda: frozenset(
            ProjectEditor.objects.filter(user_id=viewer.pk).values_list("project_id", flat=True)
        ),
    )


# --- starting a project ------------------------------------------------------------------------------


def _title_of(application) -> str:
    call = application.call
    title = call.title_ka or call.title_en
    who = application.organisation if application.organisation_id else application.applicant
    return f"{who} — {title}"[:300]


def _number(text) -> Decimal:
    value = parse_number(text)
    return value if value is not None else Decimal(0)


def start_project(*, offer, by) -> GrantProject:
    """The grant project of an accepted offer, with its approved budget copied from the application.

    Idempotent: a second call (a double submit, a retry) returns the project made by the first. The applicant
    is the project's first report editor.
    """
    application = offer.application
    with transaction.atomic():
        project, created = GrantProject.objects.get_or_create(
            offer=offer,
            defaults={
                "call_id": application.call_id,
                "organisation_id": application.organisation_id,
                "grantee_id": application.applicant_id,
                "title": _title_of(application),
                "amount": offer.amount if offer.amount is not None else Decimal(0),
            },
        )
        if created:
            BudgetItem.objects.bulk_create(
                BudgetItem(
                    project=project,
                    position=position,
                    item=line.item[:300],
                    quantity=_number(line.qty),
                    unit_cost=_number(line.unit),
                    total=line.total or Decimal(0),
                )
                for position, line in enumerate(budget_of(application), start=1)
                if line.total is not None
            )
            ProjectEditor.objects.create(project=project, user_id=application.applicant_id)
            record(actor=by, action="awards.project.start", target=project, note=project.title)
    return project


# --- set-up by staff: milestones and tranches ---------------------------------------------------------


def add_milestone(
    *, project: GrantProject, by, title: str, due_on: dt.date, deliverables: str = "", report_kind: str
) -> Milestone:
    if project.status != ProjectStatus.ACTIVE:
        raise ProjectError(_("This project is completed."))
    if report_kind == ReportKind.FINAL and project.milestones.filter(report_kind=ReportKind.FINAL).exists():
        raise ProjectError(_("This project already has a final report."))
    with transaction.atomic():
        milestone = Milestone.objects.create(
            project=project, title=title, due_on=due_on, deliverables=deliverables, report_kind=report_kind
        )
        Report.objects.create(milestone=milestone)
        record(actor=by, action="awards.milestone.add", target=milestone, note=f"{project.pk}: {due_on}")
    return milestone


def tranches_total(project: GrantProject) -> Decimal:
    return project.tranches.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def add_tranche(*, project: GrantProject, by, amount: Decimal, milestone: Milestone | None = None) -> Tranche:
    """A payment of ``amount`` tied to ``milestone`` (None: payable at signing). The tranches together never
    exceed the approved amount."""
    if amount is None or amount <= 0:
        raise ProjectError(_("Enter an amount above zero."))
    if milestone is not None and milestone.project_id != project.pk:
        raise ProjectError(_("That milestone belongs to another project."))
    with transaction.atomic():
        locked = GrantProject.objects.select_for_update().get(pk=project.pk)
        if locked.status != ProjectStatus.ACTIVE:
            raise ProjectError(_("This project is completed."))
        if tranches_total(locked) + amount > locked.amount:
            raise ProjectError(
                _("The tranches would exceed the approved amount (%(amount)s GEL).")
                % {"amount": locked.amount}
            )
        if milestone is not None and Tranche.objects.filter(milestone=milestone).exists():
            raise ProjectError(_("That milestone already has a tranche."))
        position = locked.tranches.count() + 1
        try:
            with transaction.atomic():
                tranche = Tranche.objects.create(
                    project=locked, milestone=milestone, amount=amount, position=position
                )
        except IntegrityError:
            raise ProjectError(_("That milestone already has a tranche.")) from None
        record(actor=by, action="awards.tranche.add", target=tranche, note=f"{amount}")
    return tranche


# --- who may edit reports -----------------------------------------------------------------------------


def set_editors(*, project: GrantProject, by, user_ids) -> list[int]:
    """The organisation's admin ticks which members may write and submit reports; others are taken off."""
    if project.organisation_id is None:
        raise ProjectError(_("An individual's project has one editor: the grantee."))
    members = set(
        Membership.objects.filter(
            organisation_id=project.organisation_id, user_id__in=list(user_ids)
        ).values_list("user_id", flat=True)
    )
    with transaction.atomic():
        current = set(project.editors.values_list("user_id", flat=True))
        project.editors.exclude(user_id__in=members).delete()
        ProjectEditor.objects.bulk_create(
            [ProjectEditor(project=project, user_id=pk) for pk in members - current], ignore_conflicts=True
        )
        record(
            actor=by,
            action="awards.project.editors",
            target=project,
            note=",".join(str(p) for p in sorted(members)),
        )
    return sorted(members)


def editor_ids(project: GrantProject) -> set[int]:
    return set(project.editors.values_list("user_id", flat=True))


# --- reports: drafts, receipts, submission --------------------------------------------------------------

RECEIPT_KINDS = ("pdf", "png", "jpeg")
RECEIPT_MAX_BYTES = 5 * 1024 * 1024


def spending_errors(report: Report, spending: dict) -> dict[str, str]:
    """Messages by budget line pk (text) for amounts that are not non-negative numbers."""
    errors = {}
    for key, value in spending.items():
        if value in (None, ""):
            continue
        number = parse_number(value)
        if number is None:
            errors[key] = _("Enter a number, for example 1500 or 1500.50.")
        elif number < 0:
            errors[key] = _("The amount cannot be negative.")
    return errors


@dataclass
class DraftSave:
    conflicts: list = field(default_factory=list)
    base: dict = field(default_factory=dict)
    written: set = field(default_factory=set)
    upload_error: str = ""


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("milestone__project").get(pk=report.pk)


def save_report_draft(
    *,
    report: Report,
    by,
    values: dict,
    spending: dict | None = None,
    receipt=None,
    receipt_line: BudgetItem | None = None,
    base: dict | None = None,
    resolutions: dict | None = None,
) -> DraftSave:
    """Merge what the page sent into the report's draft (calls' draft merge, see calls/drafts.py): narrative
    answers and spending amounts (keys ``spend-<line pk>``) alike; a receipt file is added if it passes."""
    result = DraftSave()
    kind = ""
    if receipt is not None:
        try:
            kind = validate_upload(receipt, kinds=RECEIPT_KINDS, max_bytes=RECEIPT_MAX_BYTES)
        except ValidationError as error:
            result.upload_error = " ".join(error.messages)
    spending = {f"spend-{k}": v for k, v in (spending or {}).items()}
    with transaction.atomic():
        locked = _locked(report)
        if locked.status not in EDITABLE:
            raise ProjectError(_("This report has been submitted and cannot be changed now."))
        stored = {**locked.data, **{f"spend-{k}": v for k, v in locked.spending.items()}}
        merged = merge_draft(stored, {**values, **spending}, base, resolutions)
        data = {k: v for k, v in merged.data.items() if not k.startswith("spend-")}
        spent = {k[len("spend-") :]: v for k, v in merged.data.items() if k.startswith("spend-")}
        changed = bool(merged.written)
        if changed:
            locked.data, locked.spending = data, spent
            locked.revision += 1
            locked.updated_at = timezone.now()
            locked.save(update_fields=["data", "spending", "revision", "updated_at"])
        if receipt is not None and kind:
            original = safe_filename(receipt.name)[:140]
            Receipt.objects.create(
                report=locked,
                budget_item=receipt_line
                if receipt_line and receipt_line.project_id == locked.milestone.project_id
                else None,
                file=_renamed(receipt),
                original_name=original,
                kind=kind,
                size=receipt.size,
                uploaded_by=by,
            )
        report.__dict__.update(
            {k: getattr(locked, k) for k in ("data", "spending", "revision", "updated_at")}
        )
    result.conflicts = merged.conflicts
    result.base = merged.base
    result.written = merged.written
    return result


def _renamed(upload):
    upload.name = f"{uuid.uuid4().hex}.{safe_filename(upload.name).rpartition('.')[2].lower()[:8]}"
    return upload


def remove_receipt(*, receipt: Receipt, by) -> None:
    if receipt.report.status not in EDITABLE:
        raise ProjectError(_("This report has been submitted and cannot be changed now."))
    receipt.file.delete(save=False)
    receipt.delete()


def draft_keys(report: Report) -> list[str]:
    """Every key a page of the report carries: its questions and a spending amount per budget line."""
    project = report.milestone.project
    fields = report_fields(project.call)
    return [f.key for f in fields] + [f"spend-{pk}" for pk in project.budget.values_list("pk", flat=True)]


def draft_base(report: Report, keys) -> dict[str, str]:
    stored = {**report.data, **{f"spend-{k}": v for k, v in report.spending.items()}}
    return fingerprints(stored, keys)


def submit_report(*, report: Report, by) -> Report:
    """Check the answers and the spending, keep this version and send the report to staff."""
    project = report.milestone.project
    fields = report_fields(project.call)
    form = checked_form(fields, report.data, call=project.call)
    errors = form.answer_errors() if not form.is_valid() else {}
    spend = spending_errors(report, report.spending)
    if errors or spend:
        raise ProjectError(
            _("Some answers need attention before the report can be submitted."),
            errors={**errors, **{f"spend-{k}": [v] for k, v in spend.items()}},
        )
    with transaction.atomic():
        locked = _locked(report)
        number = locked.version + 1
        now = timezone.now()
        report = _transition(
            locked, action="submit", role=EDITOR, by=by, version=number, submitted_at=now, review_comment=""
        )
        ReportVersion.objects.create(
            report=report,
            number=number,
            data=report.data,
            spending=report.spending,
            submitted_at=now,
            submitted_by=by,
        )
    enqueue_on_commit("awards.tasks.send_report_submitted", report.pk)
    return report


def review_report(*, report: Report, by, approve: bool, comment: str = "") -> Report:
    """Staff approve the report, or ask for changes (a comment is then needed)."""
    comment = comment.strip()
    if not approve and not comment:
        raise ProjectError(_("Say what should change."))
    with transaction.atomic():
        locked = _locked(report)
        action = "approve" if approve else "request_changes"
        report = _transition(
            locked,
            action=action,
            role=STAFF,
            by=by,
            note=comment[:500],
            decided_at=timezone.now(),
            review_comment=comment,
        )
        ReportVersion.objects.filter(report=report, number=report.version).update(review_comment=comment)
        if approve:
            _maybe_complete(report.milestone.project, by=by)
    enqueue_on_commit("awards.tasks.send_report_reviewed", report.pk)
    return report


# --- payments ------------------------------------------------------------------------------------------


def is_payable(tranche: Tranche) -> bool:
    """At signing, or once its milestone's report is approved; and not paid yet."""
    if hasattr(tranche, "payment"):
        return False
    if tranche.milestone_id is None:
        return True
    report = getattr(tranche.milestone, "report", None)
    return report is not None and report.status == ReportStatus.APPROVED


def record_payment(*, tranche: Tranche, by, paid_on: dt.date, amount: Decimal, reference: str) -> Payment:
    with transaction.atomic():
        locked = (
            Tranche.objects.select_for_update(of=("self",))
            .select_related("project", "milestone__report", "payment")
            .get(pk=tranche.pk)
        )
        if hasattr(locked, "payment"):
            raise ProjectError(_("This tranche has already been paid."))
        if not is_payable(locked):
            raise ProjectError(_("This tranche is not payable yet: its milestone's report is not approved."))
        if amount is None or amount <= 0:
            raise ProjectError(_("Enter an amount above zero."))
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    tranche=locked,
                    paid_on=paid_on,
                    amount=amount,
                    reference=reference.strip(),
                    recorded_by=by,
                )
        except IntegrityError:
            raise ProjectError(_("This tranche has already been paid.")) from None
        record(actor=by, action="awards.tranche.pay", target=locked, note=f"{amount} {reference}")
        _maybe_complete(locked.project, by=by)
    return payment


def _maybe_complete(project: GrantProject, *, by) -> None:
    """Active → completed when the final report is approved and every tranche is paid."""
    final_approved = Report.objects.filter(
        milestone__project=project, milestone__report_kind=ReportKind.FINAL, status=ReportStatus.APPROVED
    ).exists()
    unpaid = project.tranches.filter(payment__isnull=True).exists()
    if final_approved and not unpaid:
        moved = GrantProject.objects.filter(pk=project.pk, status=ProjectStatus.ACTIVE).update(
            status=ProjectStatus.COMPLETED, completed_at=timezone.now()
        )
        if moved:
            project.refresh_from_db()
            record(actor=by, action="awards.project.complete", target=project)


# --- emails (run by the task worker, after commit) --------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _send_each(users, subject_of, body_of) -> int:
    """One email per person, in their own language."""
    sent = 0
    for user in users:
        with override(user.language or "ka"):
            send_mail(str(subject_of())[:200], body_of(), None, [user.email])
        sent += 1
    return sent


def _editors_of(project: GrantProject):
    return list(User.objects.filter(pk__in=project.editors.values("user_id"), is_active=True).order_by("pk"))


def send_report_reviewed(report_id: int) -> int:
    report = Report.objects.select_related("milestone__project").filter(pk=report_id).first()
    if report is None or report.status not in (ReportStatus.APPROVED, ReportStatus.CHANGES_REQUESTED):
        return 0
    project = report.milestone.project
    url = _absolute(reverse("awards:report", args=[report.pk]))

    def subject():
        if report.status == ReportStatus.APPROVED:
            return _("[civichub] Report approved: %(milestone)s") % {"milestone": report.milestone.title}
        return _("[civichub] Changes requested: %(milestone)s") % {"milestone": report.milestone.title}

    def body():
        lines = [
            _("Project: %(title)s") % {"title": project.title},
            _("Milestone: %(milestone)s") % {"milestone": report.milestone.title},
        ]
        if report.status == ReportStatus.APPROVED:
            lines.append(_("Programme staff approved the report."))
        else:
            lines.append(_("Programme staff asked for changes. Their comments:"))
            lines.append(report.review_comment)
        lines.append(_("Open the report: %(url)s") % {"url": url})
        return "\n\n".join(lines)

    return _send_each(_editors_of(project), subject, body)


def send_report_submitted(report_id: int) -> int:
    """A receipt to the organisation's editors that the report reached staff."""
    report = Report.objects.select_related("milestone__project").filter(pk=report_id).first()
    if report is None:
        return 0
    project = report.milestone.project
    url = _absolute(reverse("awards:report", args=[report.pk]))
    return _send_each(
        _editors_of(project),
        lambda: _("[civichub] Report submitted: %(milestone)s") % {"milestone": report.milestone.title},
        lambda: "\n\n".join(
            [
                _("Project: %(title)s") % {"title": project.title},
                _("Version %(number)s of the report was submitted. Programme staff will review it.")
                % {"number": report.version},
                _("Open the report: %(url)s") % {"url": url},
            ]
        ),
    )


# --- reminders -----------------------------------------------------------------------------------------


def reminder_kind(due_on: dt.date, today: dt.date) -> str | None:
    """Which reminder a report due on ``due_on`` is owed today: 7 days before, 1 day before, then weekly
    once overdue ("overdue-1" in its first week late, "overdue-2" in the second, …)."""
    days = (due_on - today).days
    if days < 0:
        return f"overdue-{(-days - 1) // 7 + 1}"
    if days <= 1:
        return "due-1"
    if days <= 7:
        return "due-7"
    return None


def send_report_reminders(*, today: dt.date | None = None) -> int:
    """Remind the editors of every report not yet submitted whose due date is near or past; each reminder once
    (claimed by a ReminderLog row before the mail goes)."""
    today = today or timezone.localdate()
    milestones = (
        Milestone.objects.filter(
            project__status=ProjectStatus.ACTIVE,
            report__status__in=EDITABLE,
            due_on__lte=today + dt.timedelta(days=7),
        )
        .select_related("project")
        .order_by("due_on", "pk")
    )
    sent = 0
    for milestone in milestones:
        kind = reminder_kind(milestone.due_on, today)
        if kind is None:
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.create(milestone=milestone, kind=kind)
        except IntegrityError:
            continue  # sent already
        report_url = _absolute(reverse("awards:report_edit", args=[milestone.report.pk]))
        overdue = kind.startswith("overdue")

        def subject(milestone=milestone, overdue=overdue):
            if overdue:
                return _("[civichub] Report overdue: %(milestone)s") % {"milestone": milestone.title}
            return _("[civichub] Report due soon: %(milestone)s") % {"milestone": milestone.title}

        def body(milestone=milestone, url=report_url):
            return "\n\n".join(
                [
                    _("Project: %(title)s") % {"title": milestone.project.title},
                    _("Milestone: %(milestone)s") % {"milestone": milestone.title},
                    _("Report due: %(date)s") % {"date": date_format(milestone.due_on, "DATE_FORMAT")},
                    _("Write and submit the report: %(url)s") % {"url": url},
                ]
            )

        sent += _send_each(_editors_of(milestone.project), subject, body)
    return sent
