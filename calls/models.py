"""Calls for applications, their forms and rubrics, applications, reviews and decisions.

Models hold data and simple properties only. Every state change and multi-step write lives in
``services.py`` (the transition table is there); reads shared by views live in ``queries.py``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.api import reject_control_characters, validate_single_line


def _bilingual(obj, stem: str) -> str:
    """The English text under /en/ when there is one, otherwise the Georgian text."""
    if get_language() == "en":
        return getattr(obj, f"{stem}_en") or getattr(obj, f"{stem}_ka")
    return getattr(obj, f"{stem}_ka") or getattr(obj, f"{stem}_en")


DEADLINE_SECOND = timedelta(seconds=1)


class CallKind(models.TextChoices):
    SMALL_GRANT = "small_grant", _("Small grant")
    INTERNSHIP = "internship", _("Internship")
    CERTIFICATION = "certification", _("Individual certification")
    MENTORING = "mentoring", _("Mentoring")


class ApplicantType(models.TextChoices):
    INDIVIDUALS = "individuals", _("Individuals")
    ORGANISATIONS = "organisations", _("Organisations")
    BOTH = "both", _("Individuals and organisations")


class CourseRule(models.TextChoices):
    ALL = "all", _("All of the listed courses")
    ANY_N = "any_n", _("Any N of the listed courses")


class ReviewVisibility(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_OWN = "after_own", _("After submitting their own review")


class Aggregation(models.TextChoices):
    WEIGHTED_MEAN = "weighted_mean", _("Weighted mean")
    MEDIAN = "median", _("Median")


class Call(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=CallKind.choices)
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)
    title_ka = models.CharField(_("title in Georgian"), max_length=200, validators=[validate_single_line])
    title_en = models.CharField(
        _("title in English"), max_length=200, blank=True, validators=[validate_single_line]
    )
    description_ka = models.TextField(
        _("description in Georgian"), help_text=_("Markdown."), validators=[reject_control_characters]
    )
    description_en = models.TextField(
        _("description in English"),
        blank=True,
        help_text=_("Markdown."),
        validators=[reject_control_characters],
    )
    applicant_type = models.CharField(
        _("who may apply"), max_length=20, choices=ApplicantType.choices, default=ApplicantType.INDIVIDUALS
    )
    opens_at = models.DateTimeField(_("opens at"), help_text=_("Georgia time (UTC+4)."))
    closes_at = models.DateTimeField(
        _("closes at"),
        help_text=_("Georgia time (UTC+4). Submissions are accepted up to and including this second."),
    )
    contact_email = models.EmailField(_("contact address"))
    published = models.BooleanField(_("published"), default=False)
    # Eligibility
    required_courses = models.ManyToManyField(
        "learning.Course", verbose_name=_("required courses"), blank=True, related_name="+"
    )
    course_rule = models.CharField(
        _("course rule"), max_length=10, choices=CourseRule.choices, default=CourseRule.ALL
    )
    courses_needed = models.PositiveSmallIntegerField(
        _("number of courses needed (any N)"), default=1, validators=[MinValueValidator(1)]
    )
    regions = models.JSONField(
        _("regions"), default=list, blank=True, help_text=_("Region codes; empty means every region.")
    )
    require_verified_organisation = models.BooleanField(_("organisation must be verified"), default=False)
    # Budget
    budget_max = models.DecimalField(
        _("maximum budget (GEL)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # Review
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    blind_review = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_("Reviewers never see the applicant's name, email, organisation or file names."),
    )
    review_visibility = models.CharField(
        _("reviewers see each other's reviews"),
        max_length=10,
        choices=ReviewVisibility.choices,
        default=ReviewVisibility.AFTER_OWN,
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=20, choices=Aggregation.choices, default=Aggregation.WEIGHTED_MEAN
    )
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("25"),
        help_text=_("Reviews whose scores (0–100) differ by more than this are flagged."),
    )
    info_response_days = models.PositiveSmallIntegerField(
        _("days to answer a request for information"), default=7, validators=[MinValueValidator(1)]
    )
    # --- stages: a full-proposal call names its concept-note call (stage 1); one stage 2 per stage 1.
    concept_stage = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="full_stage",
        verbose_name=_("concept-note stage"),
        help_text=_(
            "For the full-proposal stage of a two-stage call: the concept-note call whose shortlisted "
            "applicants are invited to this one. Only they may apply here."
        ),
    )
    # --- end stages
    # --- review: the review cycle's settings
    review_deadline = models.DateTimeField(
        _("review deadline"),
        null=True,
        blank=True,
        help_text=_("Georgia time (UTC+4). Reviewers are reminded 3 days and 1 day before it."),
    )
    min_reviews = models.PositiveSmallIntegerField(
        _("submitted reviews needed for a decision"),
        default=1,
        validators=[MaxValueValidator(10)],
        help_text=_("0: no minimum. Staff may decide below it only with a recorded reason."),
    )
    reviewer_statement_ka = models.TextField(
        _("reviewer statement in Georgian"),
        blank=True,
        validators=[reject_control_characters],
        help_text=_(
            "Confidentiality and conflict-of-interest statement reviewers confirm before their first review. "
            "Empty: the standard statement."
        ),
    )
    reviewer_statement_en = models.TextField(
        _("reviewer statement in English"), blank=True, validators=[reject_control_characters]
    )
    # --- end review
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            ),
        ]
        # The public list: published calls by deadline (open and upcoming ones first, then the latest closed).
        indexes = [
            models.Index(
                fields=["closes_at", "id"],
                condition=models.Q(published=True),
                name="calls_call_published_closes",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("calls:call_detail", args=[self.slug])

    @property
    def title(self) -> str:
        return _bilingual(self, "title")

    @property
    def description(self) -> str:
        return _bilingual(self, "description")

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.published and self.opens_at <= at and self.accepts_at(at)

    def accepts_at(self, at) -> bool:
        """Whether ``at`` is before the deadline: up to and including the deadline's second (``closes_at``
        18:00:00 accepts 18:00:00.999), as the form's help text says."""
        return at < self.closes_at.replace(microsecond=0) + DEADLINE_SECOND

    @property
    def reviewer_statement(self) -> str:  # review
        return _bilingual(self, "reviewer_statement") or str(DEFAULT_REVIEWER_STATEMENT)

    @property
    def allows_individuals(self) -> bool:
        return self.applicant_type in (ApplicantType.INDIVIDUALS, ApplicantType.BOTH)

    @property
    def allows_organisations(self) -> bool:
        return self.applicant_type in (ApplicantType.ORGANISATIONS, ApplicantType.BOTH)


class FieldKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    MONEY = "money", _("Money amount")
    DATE = "date", _("Date")
    CHOICE = "choice", pgettext_lazy("form field kind", "Single choice")
    MULTIPLE = "multiple", pgettext_lazy("form field kind", "Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    URL = "url", _("Web address")
    EMAIL = "email", _("Email address")
    FILE = "file", _("File upload")
    BUDGET = "budget", _("Budget table")


class FormKind(models.TextChoices):
    APPLICATION = "application", pgettext_lazy("form of a call", "Application form")
    REPORT = "report", pgettext_lazy("form of a call", "Report form")


class Questionnaire(models.Model):
    """A set of questions owned by something other than a call (an event's registration questions): the same
    ``FormField`` rows and form engine, without files or budget tables (decision 0025)."""

    title_ka = models.CharField(_("title in Georgian"), max_length=200, validators=[validate_single_line])
    title_en = models.CharField(
        _("title in English"), max_length=200, blank=True, validators=[validate_single_line]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["title_ka", "pk"]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return _bilingual(self, "title")


# Kinds a questionnaire may not ask: a file needs an owner to store it under; a budget table is a call's.
QUESTIONNAIRE_EXCLUDED_KINDS = (FieldKind.FILE, FieldKind.BUDGET)


class FormField(models.Model):
    """One question of a call's application form (or of its grant report form), in order; or of a questionnaire
    (exactly one owner)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="fields", null=True, blank=True)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="fields", null=True, blank=True
    )
    form = models.CharField(
        _("form"), max_length=12, choices=FormKind.choices, default=FormKind.APPLICATION, db_index=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    key = models.SlugField(_("key"), max_length=40, help_text=_("Stable identifier used in exports."))
    kind = models.CharField(_("kind"), max_length=20, choices=FieldKind.choices)
    label_ka = models.CharField(_("label in Georgian"), max_length=300, validators=[validate_single_line])
    label_en = models.CharField(
        _("label in English"), max_length=300, blank=True, validators=[validate_single_line]
    )
    help_ka = models.CharField(
        _("help text in Georgian"), max_length=500, blank=True, validators=[validate_single_line]
    )
    help_en = models.CharField(
        _("help text in English"), max_length=500, blank=True, validators=[validate_single_line]
    )
    required = models.BooleanField(_("required"), default=True)
    word_limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    min_value = models.DecimalField(_("minimum"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=14, decimal_places=2, null=True, blank=True)
    choices = models.TextField(
        _("choices"),
        blank=True,
        help_text=_("One per line: Georgian label | English label."),
        validators=[reject_control_characters],
    )
    file_kinds = models.CharField(
        _("allowed file types"),
        max_length=100,
        blank=True,
        default="pdf,docx,odt",
        help_text=_("Comma-separated: pdf, docx, odt, xlsx, ods, png, jpeg."),
    )
    max_file_mb = models.PositiveSmallIntegerField(
        _("maximum file size (MB)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    hidden_in_blind_review = models.BooleanField(
        _("hide from reviewers in blind review"),
        default=False,
        help_text=_("For answers that identify the applicant (name, CV, organisation)."),
    )

    class Meta:
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint("call", "form", "key", name="calls_field_key_unique"),
            models.UniqueConstraint(
                "questionnaire",
                "key",
                condition=models.Q(questionnaire__isnull=False),
                name="calls_questionnaire_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(call__isnull=False, questionnaire__isnull=True)
                | models.Q(call__isnull=True, questionnaire__isnull=False),
                name="calls_field_one_owner",
            ),
            models.CheckConstraint(
                condition=models.Q(questionnaire__isnull=True)
                | ~models.Q(kind__in=QUESTIONNAIRE_EXCLUDED_KINDS),
                name="calls_questionnaire_field_kinds",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return _bilingual(self, "label")

    @property
    def help(self) -> str:
        return _bilingual(self, "help")

    def choice_list(self) -> list[tuple[str, str]]:
        """(value, label) pairs; values are the line numbers so relabelling keeps answers."""
        english = get_language() == "en"
        result = []
        for number, line in enumerate((ln for ln in self.choices.splitlines() if ln.strip()), start=1):
            ka, _sep, en = (part.strip() for part in line.partition("|"))
            result.append((str(number), (en or ka) if english else ka))
        return result

    def kinds(self) -> tuple[str, ...]:
        return tuple(k.strip() for k in self.file_kinds.split(",") if k.strip()) or ("pdf",)


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_ka = models.CharField(_("title in Georgian"), max_length=200, validators=[validate_single_line])
    title_en = models.CharField(
        _("title in English"), max_length=200, blank=True, validators=[validate_single_line]
    )
    description_ka = models.TextField(
        _("description in Georgian"), blank=True, validators=[reject_control_characters]
    )
    description_en = models.TextField(
        _("description in English"), blank=True, validators=[reject_control_characters]
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    min_score = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=10)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_score__gt=models.F("min_score")), name="criterion_range"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return _bilingual(self, "title")

    @property
    def description(self) -> str:
        return _bilingual(self, "description")


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WAITLISTED = "waitlisted", _("Waitlisted")
    SHORTLISTED = "shortlisted", _("Shortlisted")  # stages: a concept note invited to the full proposal


class DecisionTemplate(models.Model):
    """The bilingual letter sent with a decision. Placeholders: {name}, {reference}, {call}."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="decision_templates")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    subject_ka = models.CharField(_("subject in Georgian"), max_length=200, validators=[validate_single_line])
    subject_en = models.CharField(_("subject in English"), max_length=200, validators=[validate_single_line])
    body_ka = models.TextField(_("letter in Georgian"), validators=[reject_control_characters])
    body_en = models.TextField(_("letter in English"), validators=[reject_control_characters])

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        constraints = [models.UniqueConstraint("call", "outcome", name="calls_one_template_per_outcome")]

    def __str__(self):
        return f"{self.call} — {self.get_outcome_display()}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Screening")
    SCREENED_OUT = "screened_out", _("Not compliant")
    IN_REVIEW = "in_review", _("In review")
    MORE_INFO = "more_info_requested", _("More information requested")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    reference = models.CharField(_("reference number"), max_length=20, unique=True, null=True, blank=True)
    data = models.JSONField(_("answers"), default=dict, blank=True)
    # Counts the saves of ``data``: each page of the form carries the revision it shows (see calls/drafts.py).
    revision = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=0, help_text="Submitted versions so far.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    screening_note = models.TextField(blank=True)
    decision_published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the decision letter was sent; the applicant sees the outcome from then.",
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # --- stages: a full-proposal draft created by shortlisting this concept note (stage 1 application).
    invited_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="invitation"
    )
    # --- end stages
    # Kept by services.recompute_scores when a review is submitted: the staff list sorts on these columns.
    score = models.DecimalField(
        _("score"), max_digits=6, decimal_places=2, null=True, blank=True, db_index=True
    )
    review_count = models.PositiveSmallIntegerField(default=0)
    score_spread = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    disagreement = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "pk"]
        constraints = [models.UniqueConstraint("call", "applicant", name="calls_one_application_per_person")]
        indexes = [
            models.Index(fields=["call", "status"], name="calls_app_call_status"),
            # The staff list's sorts (calls.queries.SORTS), each within one call: a page reads its rows in order.
            models.Index(fields=["call", "-score", "id"], name="calls_app_call_score"),
            models.Index(fields=["call", "-review_count", "id"], name="calls_app_call_reviews"),
            models.Index(fields=["call", "-score_spread", "id"], name="calls_app_call_spread"),
            models.Index(fields=["call", "reference", "id"], name="calls_app_call_reference"),
            models.Index(fields=["call", "submitted_at", "id"], name="calls_app_call_submitted"),
        ]

    def __str__(self):
        return self.reference or _("Draft %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("calls:application_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return self.reference or str(_("Draft"))


class ApplicationVersion(models.Model):
    """The answers as they stood at each submission (1 = first submit, 2 = first resubmission, ...)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint("application", "number", name="calls_version_unique")]

    def __str__(self):
        return f"{self.application} v{self.number}"


def _attachment_path(instance, filename):
    # Stored under a random name: the original name (which may identify the applicant) is kept in the row only.
    return f"calls/{instance.application.call_id}/{uuid.uuid4().hex}.{filename.rpartition('.')[2][:8]}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    field_key = models.SlugField(max_length=40)
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(max_length=140)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.UniqueConstraint("application", "field_key", "sha256", name="calls_attachment_once"),
        ]

    def __str__(self):
        return self.original_name

    @property
    def extension(self) -> str:
        return self.original_name.rpartition(".")[2].lower() if "." in self.original_name else self.kind


class InfoRequest(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="info_requests")
    question = models.TextField(validators=[reject_control_characters])
    open_fields = models.JSONField(default=list, blank=True)
    respond_by = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]

    def __str__(self):
        return f"{self.application}: {self.question[:60]}"


class ApplicationEvent(models.Model):
    """The audit log of an application: every transition, who, when, from, to, note."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=24, choices=Status.choices)
    to_status = models.CharField(max_length=24, choices=Status.choices)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application}: {self.from_status} → {self.to_status}"


class Conflict(models.TextChoices):
    PENDING = "pending", _("Not declared yet")
    NONE = "none", _("No conflict of interest")
    CONFLICT = "conflict", _("Conflict of interest")


class Assignment(models.Model):
    """A reviewer assigned to an application. A declared conflict keeps the row (so the reviewer is never
    assigned again) but ends the assignment."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    conflict = models.CharField(max_length=10, choices=Conflict.choices, default=Conflict.PENDING)
    conflict_note = models.TextField(blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    # --- review: reminders before the call's review deadline (each once) and staff's nudges to late reviewers
    reminded_3d_at = models.DateTimeField(null=True, blank=True)
    reminded_1d_at = models.DateTimeField(null=True, blank=True)
    nudged_at = models.DateTimeField(null=True, blank=True)
    # --- end review

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [models.UniqueConstraint("application", "reviewer", name="calls_assign_once")]
        # The reviewer's queue: one reviewer's assignments, newest first after the reviews still to write.
        indexes = [models.Index(fields=["reviewer", "-assigned_at"], name="calls_assign_reviewer_time")]

    def __str__(self):
        return f"{self.application} → {self.reviewer}"

    @property
    def active(self) -> bool:
        return self.conflict != Conflict.CONFLICT


class Recommendation(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    WAITLIST = "waitlist", _("Waitlist")
    REJECT = "reject", _("Reject")


class Confidence(models.TextChoices):  # review
    LOW = "low", pgettext_lazy("confidence", "Low")
    MEDIUM = "medium", pgettext_lazy("confidence", "Medium")
    HIGH = "high", pgettext_lazy("confidence", "High")


class Review(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    scores = models.JSONField(default=dict, blank=True)
    comments = models.TextField(
        _("comments"), blank=True, max_length=10000, validators=[reject_control_characters]
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    total = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Weighted score on a 0–100 scale, set on submission.",
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # --- review: confidence, abstention (counts as done for the reviewer, never for the score or the minimum)
    confidence = models.CharField(_("confidence"), max_length=6, choices=Confidence.choices, blank=True)
    abstained = models.BooleanField(_("abstained"), default=False)
    abstain_reason = models.TextField(
        _("reason for abstaining"), blank=True, max_length=2000, validators=[reject_control_characters]
    )
    # --- end review

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"review of {self.assignment}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for staff review")
    APPROVED = "approved", _("Approved, sending")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Sending failed")
    CANCELLED = "cancelled", _("Cancelled")


# A letter claimed for sending longer ago than this was left by a worker that died mid-send: it may be claimed
# again. Sending one takes at most a few EMAIL_TIMEOUTs; core re-runs a dead worker's task only after a longer
# silence (core.heartbeat.TASK_LEASE), so a re-run always finds the claim expired.
SENDING_LEASE = timedelta(minutes=2)


class OutboxMessage(models.Model):
    """A decision letter waiting for staff to approve it before the task worker sends it.

    Sending claims the row first (``sending`` with ``claimed_at``, committed), talks to the mail server outside
    any transaction, then records ``sent`` or ``failed`` with the error; ``attempts`` counts the claims.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="outbox")
    to_email = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbox letter")
        verbose_name_plural = _("outbox letters")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.subject

    @staticmethod
    def not_sent(now) -> models.Q:
        """Letters that should have gone and did not: failed, or approved/sending with no progress for a lease."""
        stale = now - SENDING_LEASE
        return (
            models.Q(status=OutboxStatus.FAILED)
            | models.Q(status=OutboxStatus.SENDING, claimed_at__lt=stale)
            | models.Q(status=OutboxStatus.APPROVED, approved_at__lt=stale)
        )


class ReferenceCounter(models.Model):
    """The last reference number issued per year (CH-2026-000123), incremented under a row lock."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


# --- feedback: feedback to applicants and structured decline reasons -----------------------------------------


class Feedback(models.Model):
    """What programme staff tell an applicant about the reviews: a summary per criterion and an overall one.

    Written by staff from the reviews (never naming a reviewer); it goes into the decision letter. It can change
    until the letter carrying it is approved: a letter still waiting in the outbox is rewritten with it."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="feedback")
    # {"<criterion pk>": "text"}: one summary per criterion of the call (empty ones are left out of the letter).
    criteria = models.JSONField(_("summary per criterion"), default=dict, blank=True)
    overall = models.TextField(_("overall summary"), blank=True, validators=[reject_control_characters])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("feedback to the applicant")
        verbose_name_plural = _("feedback to applicants")

    def __str__(self):
        return f"feedback on {self.application}"

    @property
    def is_empty(self) -> bool:
        return not self.overall.strip() and not any(str(t).strip() for t in self.criteria.values())


class DeclineReason(models.Model):
    """One of a call's reasons for rejecting or screening out an application (staff define the list)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="decline_reasons")
    label_ka = models.CharField(_("label in Georgian"), max_length=200, validators=[validate_single_line])
    label_en = models.CharField(
        _("label in English"), max_length=200, blank=True, validators=[validate_single_line]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(
        _("offered"), default=True, help_text=_("Reasons no longer offered stay in the statistics.")
    )
    applications = models.ManyToManyField(
        Application, through="DeclineReasonUse", related_name="decline_reasons", blank=True
    )

    class Meta:
        verbose_name = _("decline reason")
        verbose_name_plural = _("decline reasons")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return _bilingual(self, "label")


class DeclineReasonUse(models.Model):
    """A reason given for one rejected or screened-out application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decline_reason_uses")
    reason = models.ForeignKey(DeclineReason, on_delete=models.PROTECT, related_name="uses")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reason__position", "reason_id"]
        constraints = [
            models.UniqueConstraint("application", "reason", name="calls_decline_reason_once"),
        ]

    def __str__(self):
        return f"{self.application}: {self.reason}"


# --- end feedback ---------------------------------------------------------------------------------------------


# --- stages: co-applicants of an organisation's application ------------------------------------------------


class CollaboratorRole(models.TextChoices):
    VIEWER = "viewer", pgettext_lazy("co-applicant role", "Reads the application")
    EDITOR = "editor", pgettext_lazy("co-applicant role", "Edits the application")
    SUBMITTER = "submitter", pgettext_lazy("co-applicant role", "Edits and submits the application")


class Collaborator(models.Model):
    """A member of the applying organisation whom the applicant invited to read, edit or also submit the
    organisation's application (the applicant keeps every right; a submitter acts as the applicant)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="collaborators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="call_collaborations",
        verbose_name=_("member"),
    )
    role = models.CharField(
        pgettext_lazy("co-applicant", "role"),
        max_length=10,
        choices=CollaboratorRole.choices,
        default=CollaboratorRole.EDITOR,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("co-applicant")
        verbose_name_plural = _("co-applicants")
        ordering = ["invited_at", "pk"]
        constraints = [models.UniqueConstraint("application", "user", name="calls_collaborator_once")]

    def __str__(self):
        return f"{self.user} → {self.application}"

    @property
    def may_edit(self) -> bool:
        return self.role in (CollaboratorRole.EDITOR, CollaboratorRole.SUBMITTER)


class ApplicationEdit(models.Model):
    """Who saved which answers of an organisation's application, and when: one row per person's run of saves
    (saves by the same person within ``EDIT_RUN`` of their last one extend it)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="edits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    keys = models.JSONField(default=list)
    started_at = models.DateTimeField(default=timezone.now)
    at = models.DateTimeField(default=timezone.now)
    saves = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["application", "-at"], name="calls_edit_app_time")]

    def __str__(self):
        return f"{self.application}: {self.user} {self.keys}"


EDIT_RUN = timedelta(minutes=15)

# --- end stages ---------------------------------------------------------------------------------------------


# --- review: the review cycle (statements, revisions) -------------------------------------------------------

DEFAULT_REVIEWER_STATEMENT = _(
    "I will keep the applications, their answers and files and the other reviews confidential, use them only "
    "for this review and delete any copies when the review ends. I will declare a conflict of interest with "
    "any applicant (family, work, money, membership of their organisation, rivalry) and not review such an "
    "application. I will assess each application only on the call's criteria."
)


class ReviewerStatement(models.Model):
    """A reviewer's confirmation of a call's confidentiality and conflict-of-interest statement (once per call,
    before their first review of it)."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_statements"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="reviewer_statements")
    text = models.TextField(help_text="The statement as the reviewer read it.")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reviewer statement")
        verbose_name_plural = _("reviewer statements")
        ordering = ["confirmed_at", "pk"]
        constraints = [models.UniqueConstraint("reviewer", "call", name="calls_statement_once")]

    def __str__(self):
        return f"{self.reviewer} — {self.call}"


class ReviewRevision(models.Model):
    """Every submitted score set of a review: 1 = the first submission, 2… = revisions after a resubmission."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    scores = models.JSONField(default=dict)
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    confidence = models.CharField(max_length=6, choices=Confidence.choices, blank=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint("review", "number", name="calls_review_revision_once")]

    def __str__(self):
        return f"{self.review} #{self.number}"


# --- end review ---------------------------------------------------------------------------------------------
