"""Courses, modules, lessons, quizzes, enrolments, progress and quiz attempts.

Business logic (enrolment, progress, grading, completion) lives in ``services.py``; other domains use
``api.py`` and never these models.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.api import reject_control_characters, validate_single_line
from core.api import normalise


class Language(models.TextChoices):
    KA = "ka", _("Georgian")
    EN = "en", _("English")


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=80, validators=[validate_single_line])
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True, allow_unicode=False)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Course(models.Model):
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.KA)
    summary = models.TextField(_("summary"), max_length=600, validators=[reject_control_characters])
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown."), validators=[reject_control_characters]
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.BEGINNER)
    estimated_hours = models.PositiveSmallIntegerField(
        _("estimated hours"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="courses")
    instructors = models.CharField(
        _("instructors"),
        max_length=300,
        blank=True,
        help_text=_("Names, separated by commas."),
        validators=[validate_single_line],
    )
    prerequisites = models.ManyToManyField(
        "self",
        verbose_name=_("prerequisite courses"),
        symmetrical=False,
        blank=True,
        related_name="required_by",
    )
    published = models.BooleanField(_("published"), default=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Moved forward by every change to the course's modules, lessons and attachments (learning.signals): the key
    # of the cached outline and lesson texts. A counter rather than a time, so that two changes in the same
    # instant still give two keys.
    outline_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["published", "language", "level"], name="learning_course_filters"),
            # The catalogue's sort: published courses by title, a page at a time.
            models.Index(
                fields=["title", "id"], condition=models.Q(published=True), name="learning_course_catalogue"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = normalise(self.title, self.summary)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("learning:course_detail", args=[self.slug])


class Module(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="modules", verbose_name=_("course")
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "position", "pk"]

    def __str__(self):
        return self.title


class LessonKind(models.TextChoices):
    TEXT = "text", _("Lesson")
    QUIZ = "quiz", _("Quiz")


_YOUTUBE = re.compile(
    r"^https://(?:www\.|m\.)?(?:youtube\.com/watch\?(?:.*&)?v=|youtu\.be/|youtube\.com/embed/)([A-Za-z0-9_-]{11})(?:[&?#].*)?$"
)
_VIMEO = re.compile(r"^https://(?:www\.)?vimeo\.com/(?:video/)?(\d{4,12})(?:[/?#].*)?$")


def video_embed_url(url: str) -> str | None:
    """The privacy-friendly player address for a YouTube or Vimeo link, or None if it is neither."""
    if not url:
        return None
    if match := _YOUTUBE.match(url):
        return f"https://www.youtube-nocookie.com/embed/{match.group(1)}"
    if match := _VIMEO.match(url):
        return f"https://player.vimeo.com/video/{match.group(1)}?dnt=1"
    return None


def validate_video_url(url: str) -> None:
    if url and video_embed_url(url) is None:
        raise ValidationError(_("Give a YouTube or Vimeo address (https://...)."), code="bad_video")


class Lesson(models.Model):
    """A reading lesson or a quiz; ``course`` is kept with ``module`` so slugs are unique within a course."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="lessons", editable=False, verbose_name=_("course")
    )
    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("module")
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("short name for links"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=LessonKind.choices, default=LessonKind.TEXT)
    position = models.PositiveIntegerField(_("position"), default=0)
    body = models.TextField(
        _("text"), blank=True, help_text=_("Markdown."), validators=[reject_control_characters]
    )
    video_url = models.URLField(
        _("video (YouTube or Vimeo address)"), blank=True, validators=[validate_video_url]
    )
    transcript = models.TextField(_("video transcript"), blank=True, validators=[reject_control_characters])
    required = models.BooleanField(_("required for completion"), default=True)
    # Quiz settings (used when kind is quiz).
    pass_score = models.PositiveSmallIntegerField(
        _("passing score (%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempt limit"), default=3, help_text=_("0 means no limit."), validators=[MaxValueValidator(100)]
    )
    shuffle = models.BooleanField(_("shuffle questions and choices"), default=False)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["module__position", "position", "pk"]
        constraints = [models.UniqueConstraint("course", "slug", name="learning_lesson_slug_per_course")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.module_id:
            self.course_id = self.module.course_id
        super().save(*args, **kwargs)

    @property
    def is_quiz(self) -> bool:
        return self.kind == LessonKind.QUIZ

    @property
    def video_embed(self) -> str | None:
        return video_embed_url(self.video_url)


def attachment_path(instance, filename):
    return f"learning/{instance.lesson.course_id}/{instance.lesson_id}/{filename}"


class Attachment(models.Model):
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("lesson")
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    size = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["lesson", "position", "pk"]

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    NUMERIC = "numeric", _("Number")
    TEXT = "text", _("Short text")


class Question(models.Model):
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="questions", verbose_name=_("quiz")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    prompt = models.TextField(_("question"), max_length=2000, validators=[reject_control_characters])
    explanation = models.TextField(
        _("explanation shown after submitting"),
        blank=True,
        max_length=2000,
        validators=[reject_control_characters],
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    points = models.PositiveSmallIntegerField(_("points"), default=1, validators=[MinValueValidator(1)])
    # true/false
    correct_bool = models.BooleanField(_("true/false: the statement is true"), null=True, blank=True)
    # numeric
    numeric_answer = models.DecimalField(
        _("number: correct answer"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    tolerance = models.DecimalField(
        _("number: tolerance (±)"),
        max_digits=18,
        decimal_places=6,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    # short text: one accepted answer per line, compared after normalising spaces and letter case
    accepted_answers = models.TextField(_("short text: accepted answers, one per line"), blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["lesson", "position", "pk"]

    def __str__(self):
        return self.prompt[:80]


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    text = models.CharField(_("text"), max_length=500, validators=[validate_single_line])
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(
        _("feedback"),
        max_length=1000,
        blank=True,
        validators=[reject_control_characters],
        help_text=_("Shown to a learner who chose this option. May span several lines."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "position", "pk"]

    def __str__(self):
        return self.text


class Enrolment(models.Model):
    """A learner's place in a course. Unenrolling sets ``active`` to false; progress is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("user")
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course")
    )
    active = models.BooleanField(_("active"), default=True)
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        Lesson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last lesson"),
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint("user", "course", name="learning_one_enrolment_per_course")]
        indexes = [models.Index(fields=["course", "completed_at"], name="learning_enrol_completed")]

    def __str__(self):
        return f"{self.user} → {self.course}"


class LessonProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lesson completed")
        verbose_name_plural = _("lessons completed")
        constraints = [models.UniqueConstraint("user", "lesson", name="learning_progress_once")]

    def __str__(self):
        return f"{self.user} ✓ {self.lesson}"


class QuizAttempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        verbose_name=_("user"),
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("lesson")
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    score = models.PositiveSmallIntegerField(_("score"), help_text=_("percent"))
    passed = models.BooleanField(_("quiz passed"))
    answers = models.JSONField(_("answers"), default=dict)
    results = models.JSONField(_("results"), default=dict)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["lesson", "user", "number"]
        constraints = [
            models.UniqueConstraint("user", "lesson", "number", name="learning_attempt_number_once")
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson} #{self.number}"


class SyncKind(models.TextChoices):
    LESSON_DONE = "lesson_done", _("Lesson marked as done")
    QUIZ_ANSWERS = "quiz_answers", _("Quiz answers")


class SyncEvent(models.Model):
    """One step a learner took offline and sent later (``learning.sync``): stored once per device-made id.

    Re-sending an event returns ``result`` and changes nothing (unique user + event id, also under two
    concurrent sends: the second insert waits for the first and fails). Only events that were applied are
    stored; a refusal is answered and not kept, so the same event can be sent again once the learner can
    take the step.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    event_id = models.UUIDField(_("event id (made on the device)"))
    kind = models.CharField(_("kind"), max_length=20, choices=SyncKind.choices)
    lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("lesson")
    )
    device_time = models.DateTimeField(_("time on the device"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    result = models.JSONField(_("result"), default=dict)

    class Meta:
        verbose_name = _("synced offline step")
        verbose_name_plural = _("synced offline steps")
        constraints = [models.UniqueConstraint("user", "event_id", name="learning_sync_event_once")]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.event_id}"
