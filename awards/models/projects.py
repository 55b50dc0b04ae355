"""Projects: models.

A grant project is created from an accepted small-grant offer: its approved budget (copied from the
application's budget table), milestones with due dates, payment tranches tied to milestones (or to signing),
reports per milestone (drafts, submitted versions, staff review) and recorded payments.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = [
    "BudgetItem",
    "GrantProject",
    "Milestone",
    "Payment",
    "ProjectEditor",
    "ProjectStatus",
    "Receipt",
    "Report",
    "ReportKind",
    "ReportStatus",
    "ReportVersion",
    "Tranche",
]


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("grant project status", "Active")
    COMPLETED = "completed", pgettext_lazy("grant project status", "Completed")


class GrantProject(models.Model):
    offer = models.OneToOneField(
        "awards.Offer", on_delete=models.PROTECT, related_name="project", verbose_name=_("offer")
    )
    call = models.ForeignKey(
        "calls.Call", on_delete=models.PROTECT, related_name="grant_projects", verbose_name=_("call")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_projects",
        verbose_name=_("organisation"),
    )
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="grant_projects",
        verbose_name=_("grantee"),
        help_text=_("The applicant; the only editor of an individual's project."),
    )
    title = models.CharField(_("title"), max_length=300)
    amount = models.DecimalField(
        _("approved amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("grant project")
        verbose_name_plural = _("grant projects")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("awards:project", args=[self.pk])

    @property
    def budget_total(self) -> Decimal:
        return sum((line.total for line in self.budget.all()), Decimal(0))


class BudgetItem(models.Model):
    """One line of the approved budget, copied from the application when the project starts."""

    project = models.ForeignKey(GrantProject, on_delete=models.CASCADE, related_name="budget")
    position = models.PositiveSmallIntegerField(default=0)
    item = models.CharField(_("item"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.item


class ReportKind(models.TextChoices):
    INTERIM = "interim", pgettext_lazy("report kind", "Interim")
    FINAL = "final", pgettext_lazy("report kind", "Final")


class Milestone(models.Model):
    project = models.ForeignKey(
        GrantProject, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("report due on"))
    deliverables = models.TextField(_("deliverables"), blank=True)
    report_kind = models.CharField(
        _("report kind"), max_length=10, choices=ReportKind.choices, default=ReportKind.INTERIM
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title


class Tranche(models.Model):
    """A payment; payable at signing (no milestone) or once its milestone's report is approved."""

    project = models.ForeignKey(
        GrantProject, on_delete=models.CASCADE, related_name="tranches", verbose_name=_("project")
    )
    milestone = models.OneToOneField(
        Milestone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tranche",
        verbose_name=_("milestone"),
        help_text=_("Empty: payable at signing."),
    )
    position = models.PositiveSmallIntegerField(default=0)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.project} #{self.position}"


class Payment(models.Model):
    tranche = models.OneToOneField(Tranche, on_delete=models.PROTECT, related_name="payment")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    reference = models.CharField(_("payment reference"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self):
        return self.reference


class ProjectEditor(models.Model):
    """A member of the organisation whom its admin allowed to write and submit reports."""

    project = models.ForeignKey(GrantProject, on_delete=models.CASCADE, related_name="editors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint("project", "user", name="awards_project_editor_unique")]

    def __str__(self):
        return f"{self.user} @ {self.project}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("report status", "Submitted")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("report status", "Changes requested")
    APPROVED = "approved", pgettext_lazy("report status", "Approved")


class Report(models.Model):
    """The report of one milestone: narrative answers (the call's report form) and actual spending."""

    milestone = models.OneToOneField(Milestone, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    data = models.JSONField(_("answers"), default=dict, blank=True)
    spending = models.JSONField(
        _("actual spending"), default=dict, blank=True, help_text="Budget line pk (text) → amount (text)."
    )
    revision = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=0, help_text="Submitted versions so far.")
    review_comment = models.TextField(_("comments"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return str(self.milestone)


class ReportVersion(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    spending = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    review_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint("report", "number", name="awards_report_version_unique")]

    def __str__(self):
        return f"{self.report} v{self.number}"


def _receipt_path(receipt, filename: str) -> str:
    return f"awards/receipts/{receipt.report_id}/{filename}"


class Receipt(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="receipts")
    budget_item = models.ForeignKey(
        BudgetItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="receipts"
    )
    file = models.FileField(upload_to=_receipt_path, max_length=200)
    original_name = models.CharField(max_length=140)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class ReminderLog(models.Model):
    """One reminder sent (milestone, kind): each reminder goes once."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint("milestone", "kind", name="awards_report_reminder_once")]

    def __str__(self):
        return f"{self.milestone} {self.kind}"


__all__ += ["ReminderLog"]
