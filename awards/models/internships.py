"""Internships: host organisations' placements (positions), the people placed on them (internships) with
their learning agreement, the supervisor's evaluations against a fixed rubric and the intern's reflection.

Data and simple properties only; every state change lives in ``awards/services/internships.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.api import Region, reject_control_characters, validate_single_line

__all__ = [
    "RUBRIC",
    "EvaluationKind",
    "InternCandidate",
    "Internship",
    "InternshipEvaluation",
    "InternshipReflection",
    "InternshipStatus",
    "Position",
    "PositionStatus",
]

LONG_TEXT = 5000


class InternCandidate(models.Model):
    """Someone ready to be placed: their internship offer was accepted (``services.offer_accepted``)."""

    application = models.OneToOneField(
        "calls.Application", on_delete=models.CASCADE, related_name="+", verbose_name=_("application")
    )
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+", verbose_name=_("call"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    ready_at = models.DateTimeField(_("ready since"), default=timezone.now)

    class Meta:
        verbose_name = _("internship candidate")
        verbose_name_plural = _("internship candidates")
        ordering = ["ready_at", "pk"]
        indexes = [models.Index(fields=["call", "ready_at"], name="awards_icand_call")]

    def __str__(self):
        return f"{self.person} — {self.call}"


class PositionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("placement status", "Draft")
    PUBLISHED = "published", pgettext_lazy("placement status", "Published")
    CLOSED = "closed", pgettext_lazy("placement status", "Closed")


class Position(models.Model):
    """A placement a host organisation offers: what, where, when, how many."""

    host = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("host organisation"),
    )
    title_ka = models.CharField(_("position in Georgian"), max_length=200, validators=[validate_single_line])
    title_en = models.CharField(
        _("position in English"), max_length=200, blank=True, validators=[validate_single_line]
    )
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    slots = models.PositiveSmallIntegerField(
        _("places"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    tasks = models.TextField(
        _("tasks"),
        help_text=_("Markdown."),
        validators=[reject_control_characters, MaxLengthValidator(LONG_TEXT)],
    )
    required_courses = models.ManyToManyField(
        "learning.Course", blank=True, related_name="+", verbose_name=_("required courses")
    )
    call = models.ForeignKey(
        "calls.Call",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("internship call"),
        limit_choices_to={"kind": "internship"},
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("host supervisor"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PositionStatus.choices,
        default=PositionStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("internship placement")
        verbose_name_plural = _("internship placements")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "-starts_on", "-id"], name="awards_pos_status"),
            models.Index(fields=["host", "-starts_on", "-id"], name="awards_pos_host"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="awards_pos_dates"
            ),
            models.CheckConstraint(condition=models.Q(slots__gte=1), name="awards_pos_slots"),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if get_language() == "en" and self.title_en:
            return self.title_en
        return self.title_ka


class InternshipStatus(models.TextChoices):
    AGREEMENT_PENDING = "agreement_pending", _("Agreement to acknowledge")
    ACTIVE = "active", pgettext_lazy("internship status", "Active")
    COMPLETED = "completed", pgettext_lazy("internship status", "Completed")
    NOT_COMPLETED = "not_completed", _("Ended without completion")
    DISCONTINUED = "discontinued", _("Discontinued")


class Internship(models.Model):
    """One person placed on one position, with their learning agreement."""

    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="internships", verbose_name=_("placement")
    )
    intern = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("intern")
    )
    candidate = models.OneToOneField(
        InternCandidate, on_delete=models.PROTECT, null=True, blank=True, related_name="internship"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("host supervisor"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    objectives = models.TextField(
        _("learning objectives"), validators=[reject_control_characters, MaxLengthValidator(LONG_TEXT)]
    )
    agreed_tasks = models.TextField(
        _("tasks"), validators=[reject_control_characters, MaxLengthValidator(LONG_TEXT)]
    )
    schedule = models.TextField(
        _("schedule"), validators=[reject_control_characters, MaxLengthValidator(LONG_TEXT)]
    )
    acknowledged_at = models.DateTimeField(_("agreement acknowledged at"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InternshipStatus.choices,
        default=InternshipStatus.AGREEMENT_PENDING,
        db_index=True,
    )
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    selected_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The internship credential (credentials.Credential's UUID), set once on successful completion.
    credential_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint("position", "intern", name="awards_internship_once_per_position"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="awards_int_dates"
            ),
        ]
        indexes = [models.Index(fields=["intern", "-starts_on"], name="awards_int_intern")]

    def __str__(self):
        return f"{self.intern} — {self.position}"

    @property
    def holds_slot(self) -> bool:
        return self.status != InternshipStatus.DISCONTINUED


class EvaluationKind(models.TextChoices):
    MIDTERM = "midterm", _("Mid-term evaluation")
    FINAL = "final", _("Final evaluation")


# The supervisor's rubric: fixed criteria, each rated 1-5 with an optional comment.
RUBRIC = (
    ("reliability", _("Reliability")),
    ("quality", _("Quality of work")),
    ("communication", _("Communication")),
    ("initiative", _("Initiative")),
    ("learning", pgettext_lazy("rubric criterion", "Learning")),
)


class InternshipEvaluation(models.Model):
    """The supervisor's mid-term or final evaluation; the intern reads it once submitted."""

    internship = models.ForeignKey(Internship, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(_("kind"), max_length=8, choices=EvaluationKind.choices)
    # {"reliability": {"score": 4, "comment": "..."}, ...}: one entry per RUBRIC criterion.
    ratings = models.JSONField(_("ratings"), default=dict)
    overall = models.TextField(
        _("overall assessment"), validators=[reject_control_characters, MaxLengthValidator(LONG_TEXT)]
    )
    successful = models.BooleanField(_("successfully completed"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("internship evaluation")
        verbose_name_plural = _("internship evaluations")
        ordering = ["submitted_at", "pk"]
        constraints = [models.UniqueConstraint("internship", "kind", name="awards_evaluation_once_per_kind")]

    def __str__(self):
        return f"{self.internship} — {self.get_kind_display()}"

    def rows(self) -> list[tuple[str, int | None, str]]:
        """(criterion label, score, comment) in the rubric's order."""
        out = []
        for key, label in RUBRIC:
            entry = self.ratings.get(key) or {}
            out.append((str(label), entry.get("score"), entry.get("comment", "")))
        return out


class InternshipReflection(models.Model):
    """The intern's own look back: what they learnt, what was hard, what next."""

    internship = models.OneToOneField(Internship, on_delete=models.CASCADE, related_name="reflection")
    learnt = models.TextField(
        _("What I learnt"), validators=[reject_control_characters, MaxLengthValidator(LONG_TEXT)]
    )
    hard = models.TextField(
        _("What was hard"), validators=[reject_control_characters, MaxLengthValidator(LONG_TEXT)]
    )
    next_steps = models.TextField(
        _("What next"), validators=[reject_control_characters, MaxLengthValidator(LONG_TEXT)]
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("internship reflection")
        verbose_name_plural = _("internship reflections")

    def __str__(self):
        return str(self.internship)
