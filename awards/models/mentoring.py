"""Mentoring: models.

A ``Mentorship`` mentors exactly one of: a grant project (its organisation's members are the mentee), an
organisation accepted in a mentoring call, or one person (a certified practitioner, a mentoring-call grantee).
Mentors are assigned through ``MentorAssignment`` rows: a declared conflict keeps its row, so that mentor is never
assigned to that mentorship again. The mentor keeps a log (``MentoringSession``, ``AgreedAction``), raises
``RiskFlag``s for staff, and mentor and mentee write to each other (``MentoringMessage``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = [
    "ActionOwner",
    "ActionStatus",
    "AgreedAction",
    "MentorAssignment",
    "MentorConflict",
    "MentoringMessage",
    "MentoringSession",
    "Mentorship",
    "MentorshipStatus",
    "RiskFlag",
    "RiskLevel",
    "SessionFormat",
]

NOTES_MAX = 5000
MESSAGE_MAX = 4000


class MentorshipStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a mentor")
    ACTIVE = "active", pgettext_lazy("mentorship status", "Active")
    ENDED = "ended", pgettext_lazy("mentorship status", "Ended")


class Mentorship(models.Model):
    project = models.ForeignKey(
        "awards.GrantProject",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mentorships",
        verbose_name=_("grant project"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentorships",
        verbose_name=_("organisation"),
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentorships_as_mentee",
        verbose_name=_("mentee"),
    )
    # The accepted offer of a mentoring call this mentorship came from: one mentorship per offer.
    offer = models.OneToOneField(
        "awards.Offer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentorship",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentorships_as_mentor",
        verbose_name=_("mentor"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MentorshipStatus.choices, default=MentorshipStatus.WAITING
    )
    goals = models.TextField(_("goals"), blank=True, max_length=NOTES_MAX)
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Kept by the services when a session is logged: the staff overview filters and shows it without a subquery.
    last_session_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(project__isnull=False, organisation__isnull=True, mentee__isnull=True)
                    | Q(project__isnull=True, organisation__isnull=False, mentee__isnull=True)
                    | Q(project__isnull=True, organisation__isnull=True, mentee__isnull=False)
                ),
                name="awards_mentorship_one_mentee",
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"], name="awards_mentorship_mentor"),
            models.Index(fields=["status", "-created_at"], name="awards_mentorship_status"),
        ]

    def __str__(self):
        return self.mentee_name

    def get_absolute_url(self):
        return reverse("awards:mentorship_detail", args=[self.pk])

    @property
    def mentee_name(self) -> str:
        if self.project_id:
            return str(self.project)
        if self.organisation_id:
            return str(self.organisation)
        return str(self.mentee)


class MentorConflict(models.TextChoices):
    PENDING = "pending", _("Not declared yet")
    NONE = "none", _("No conflict of interest")
    CONFLICT = "conflict", _("Conflict of interest")


class MentorAssignment(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="assignments")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    conflict = models.CharField(max_length=10, choices=MentorConflict.choices, default=MentorConflict.PENDING)
    conflict_note = models.TextField(blank=True, max_length=2000)
    declared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [models.UniqueConstraint("mentorship", "mentor", name="awards_mentor_assign_once")]

    def __str__(self):
        return f"{self.mentorship_id} → {self.mentor_id}"


class SessionFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    PHONE = "phone", pgettext_lazy("how a mentoring session was held", "Phone")


class MentoringSession(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    format = models.CharField(_("format"), max_length=10, choices=SessionFormat.choices)
    topics = models.CharField(_("topics"), max_length=300)
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on}: {self.topics}"


class ActionOwner(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action status", "Open")
    DONE = "done", pgettext_lazy("action status", "Done")
    DROPPED = "dropped", pgettext_lazy("action status", "Dropped")


class AgreedAction(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="actions")
    session = models.ForeignKey(
        MentoringSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    text = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("owner"), max_length=10, choices=ActionOwner.choices)
    # The named person when the owner is the mentee (an organisation has several people).
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # When its owner was told it is overdue (once; claimed by a conditional update before the mail goes).
    overdue_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["mentorship", "status"], name="awards_action_status"),
            models.Index(fields=["status", "due_on"], name="awards_action_due"),
        ]

    def __str__(self):
        return self.text


class RiskLevel(models.TextChoices):
    LOW = "low", pgettext_lazy("risk level", "Low")
    MEDIUM = "medium", pgettext_lazy("risk level", "Medium")
    HIGH = "high", pgettext_lazy("risk level", "High")


class RiskFlag(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="risk_flags")
    level = models.CharField(_("level"), max_length=10, choices=RiskLevel.choices)
    text = models.TextField(_("what is at risk"), max_length=2000)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("risk flag")
        verbose_name_plural = _("risk flags")
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["mentorship", "acknowledged_at"], name="awards_risk_open")]

    def __str__(self):
        return f"{self.get_level_display()}: {self.text[:40]}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


class MentoringMessage(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=MESSAGE_MAX)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mentoring message")
        verbose_name_plural = _("mentoring messages")
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return f"{self.author_id}: {self.body[:40]}"
