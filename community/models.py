"""Data of the community domain: forum, notifications, moderation, practitioners and questions, cases, opportunities.

Multi-step writes live in ``services.py``; reads and access helpers in ``queries.py``.
"""

from __future__ import annotations

import uuid
from html import unescape

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.api import Region, reject_control_characters, validate_single_line
from core.api import normalise, render_markdown

BODY_MAX = 20_000


# --- fixed lists ------------------------------------------------------------------------------------


class Area(models.TextChoices):
    """Areas of expertise a practitioner covers and a question to the pool is about."""

    CIVIC_BUDGET = "civic_budget", _("Civic (participatory) budgets")
    HEARINGS = "hearings", _("Public hearings and consultations")
    PETITIONS = "petitions", _("Petitions")
    COUNCILS = "councils", _("Advisory councils")
    ADVOCACY = "advocacy", _("Advocacy and lobbying")
    PUBLIC_FINANCE = "public_finance", _("Public finance and budget monitoring")
    POLICY = "policy", _("Public policy analysis")
    RESEARCH = "research", _("Research methods")
    PROCUREMENT = "procurement", _("Public procurement monitoring")
    YOUTH = "youth", _("Youth participation")
    ORGANISATION = "organisation", _("Running a CSO")


class Language(models.TextChoices):
    KA = "ka", _("Georgian")
    EN = "en", _("English")
    RU = "ru", _("Russian")
    HY = "hy", _("Armenian")
    AZ = "az", _("Azerbaijani")


class Mechanism(models.TextChoices):
    CIVIC_BUDGET = "civic_budget", _("Civic budget")
    HEARING = "hearing", _("Public hearing")
    PETITION = "petition", _("Petition")
    ADVISORY_COUNCIL = "advisory_council", _("Advisory council")
    GENERAL_ASSEMBLY = "general_assembly", _("General assembly of a settlement")
    CONSULTATION = "consultation", _("Public consultation")
    OTHER = "other", _("Other")


def pack(values) -> str:
    """A list of codes stored as ``,a,b,`` so one ``contains`` filter works the same on SQLite and PostgreSQL."""
    values = [v for v in dict.fromkeys(values) if v]
    return "," + ",".join(values) + "," if values else ""


def unpack(text: str) -> list[str]:
    return [v for v in (text or "").split(",") if v]


# --- members ----------------------------------------------------------------------------------------


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately, one email per notification")
    DAILY = "daily", _("Once a day, in a digest")
    OFF = "off", _("No email, only on the site")


class Member(models.Model):
    """A person's community settings: the unique @handle used for mentions, email choice, moderator flag."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_member"
    )
    handle = models.CharField(_("handle"), max_length=30)
    email_mode = models.CharField(
        _("email me about notifications"),
        max_length=10,
        choices=EmailMode.choices,
        default=EmailMode.IMMEDIATE,
    )
    is_moderator = models.BooleanField(_("forum moderator"), default=False)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("community member")
        verbose_name_plural = _("community members")
        constraints = [models.UniqueConstraint(Lower("handle"), name="community_member_handle_ci_unique")]

    def __str__(self):
        return f"@{self.handle}"


# --- forum ------------------------------------------------------------------------------------------


class CategoryKind(models.TextChoices):
    GENERAL = "general", _("General")
    REGION = "region", _("Region")
    COURSE = "course", _("Course")
    CASES = "cases", _("Case discussions")


class Category(models.Model):
    kind = models.CharField(
        _("kind"), max_length=10, choices=CategoryKind.choices, default=CategoryKind.GENERAL
    )
    slug = models.SlugField(_("short name for links"), max_length=90, unique=True)
    name_ka = models.CharField(_("name in Georgian"), max_length=200, validators=[validate_single_line])
    name_en = models.CharField(
        _("name in English"), max_length=200, blank=True, validators=[validate_single_line]
    )
    description = models.CharField(
        _("description"), max_length=500, blank=True, validators=[validate_single_line]
    )
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    course = models.OneToOneField(
        "learning.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="forum_category"
    )
    position = models.PositiveIntegerField(_("position"), default=100)
    topic_count = models.PositiveIntegerField(_("number of topics"), default=0, editable=False)
    last_post_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")
        ordering = ["position", "name_ka", "pk"]
        constraints = [
            models.UniqueConstraint(
                "region", condition=Q(kind="region"), name="community_one_category_per_region"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:category", args=[self.slug])

    @property
    def name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_ka


class Topic(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now, db_index=True)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [
            models.Index(fields=["category", "-is_pinned", "-last_post_at"], name="community_topic_listing")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:topic", args=[self.pk])


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=BODY_MAX, validators=[reject_control_characters])
    nofollow = models.BooleanField(
        default=False, help_text="Written by a new account: its links get rel=nofollow."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    helpful_count = models.PositiveIntegerField(default=0)
    search_text = models.TextField(editable=False, default="")
    # The body as sanitised HTML, rendered on save so the topic page does not run Markdown on every view.
    body_html = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["topic", "number"]
        constraints = [models.UniqueConstraint("topic", "number", name="community_post_number_unique")]
        indexes = [models.Index(fields=["author", "created_at"], name="community_post_by_author")]

    def __str__(self):
        return f"{self.topic} #{self.number}"

    def save(self, *args, **kwargs):
        self.search_text = normalise(self.body)
        self.body_html = self.render_body()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("community:post", args=[self.pk])

    def render_body(self) -> str:
        """The body as sanitised HTML (Markdown rendered, then cleaned by nh3; links nofollow for new accounts)."""
        return str(render_markdown(self.body, nofollow=self.nofollow))

    @property
    def plain_text(self) -> str:
        """The post as plain text, for search results and previews: no Markdown syntax, tags or entities."""
        return " ".join(unescape(strip_tags(self.html)).split())

    @property
    def html(self) -> SafeString:
        """The stored sanitised HTML; rows written in bulk without it are rendered now."""
        if self.body_html or not self.body:
            return mark_safe(self.body_html)  # noqa: S308 - sanitised by nh3 in render_body() when saved
        return render_markdown(self.body, nofollow=self.nofollow)


class PostRevision(models.Model):
    """The text a post had before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-pk"]

    def __str__(self):
        return f"{self.post} @ {self.replaced_at:%Y-%m-%d %H:%M}"


class Helpful(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint("post", "user", name="community_helpful_once")]

    def __str__(self):
        return f"{self.user_id} → {self.post_id}"


class TopicRead(models.Model):
    """How far a person has read a topic: posts with a higher number are unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="reads")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint("user", "topic", name="community_topic_read_unique")]

    def __str__(self):
        return f"{self.user_id} read {self.topic_id} to {self.last_number}"


class Subscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, category__isnull=True)
                | Q(topic__isnull=True, category__isnull=False),
                name="community_subscription_one_target",
            ),
            models.UniqueConstraint(
                "user", "topic", condition=Q(topic__isnull=False), name="community_sub_topic_once"
            ),
            models.UniqueConstraint(
                "user", "category", condition=Q(category__isnull=False), name="community_sub_category_once"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.topic_id or self.category_id}"


class NotificationKind(models.TextChoices):
    REPLY = "reply", _("New reply in a topic you follow")
    NEW_TOPIC = "new_topic", _("New topic in a category you follow")
    MENTION = "mention", _("You were mentioned")
    QUESTION = "question", _("A question for you")
    QUESTION_MESSAGE = "question_message", _("A new message about your question")
    QUESTION_STATE = "question_state", _("Your question changed")
    CASE = "case", _("Case library")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    question = models.ForeignKey(
        "Question", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One notification per person per post, whether they follow the topic, were mentioned, or both.
            models.UniqueConstraint(
                "user", "post", condition=Q(post__isnull=False), name="community_notify_post_once"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="community_notif_unread"),
            models.Index(fields=["emailed_at", "user"], name="community_notif_unsent"),
        ]

    def __str__(self):
        return self.text


# --- moderation -------------------------------------------------------------------------------------


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"), max_length=1000, validators=[reject_control_characters])
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "post", "reporter", condition=Q(resolved_at__isnull=True), name="community_one_open_flag"
            )
        ]

    def __str__(self):
        return f"flag on {self.post_id}"


class Suspension(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_suspensions",
        verbose_name=_("user"),
    )
    reason = models.TextField(_("reason"), max_length=1000, validators=[reject_control_characters])
    ends_at = models.DateTimeField(_("suspended until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {date_format(timezone.localtime(self.ends_at), 'SHORT_DATETIME_FORMAT')}"


class ModerationAction(models.TextChoices):
    HIDE = "hide", _("Hid a post")
    RESTORE = "restore", _("Restored a post")
    DISMISS = "dismiss", _("Dismissed flags")
    LOCK = "lock", _("Locked a topic")
    UNLOCK = "unlock", _("Unlocked a topic")
    PIN = "pin", _("Pinned a topic")
    UNPIN = "unpin", _("Unpinned a topic")
    MOVE = "move", _("Moved a topic")
    SUSPEND = "suspend", _("Suspended a person from posting")
    LIFT = "lift", _("Lifted a suspension")
    RESOLVE_REPORT = "resolve_report", _("Resolved a report about a question")


class ModerationLog(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    action = models.CharField(_("action"), max_length=20, choices=ModerationAction.choices)
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("topic")
    )
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("person concerned"),
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log entries")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


# --- practitioners and questions --------------------------------------------------------------------


class PractitionerKind(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    ALUMNUS = "alumnus", _("Alumna or alumnus")


class Practitioner(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practitioner"
    )
    kind = models.CharField(
        _("I am"), max_length=12, choices=PractitionerKind.choices, default=PractitionerKind.PRACTITIONER
    )
    bio = models.TextField(_("about me"), max_length=3000, validators=[reject_control_characters])
    expertise = models.CharField(max_length=400, blank=True)
    regions = models.CharField(max_length=400, blank=True)
    languages = models.CharField(max_length=100, blank=True)
    accepting_questions = models.BooleanField(_("I accept questions now"), default=True)
    is_listed = models.BooleanField(_("listed in the directory"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("practitioner")
        verbose_name_plural = _("practitioners")
        ordering = ["-accepting_questions", "user__full_name_ka", "pk"]

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("community:practitioner", args=[self.pk])

    def _labels(self, codes, choices):
        names = dict(choices)
        return [names.get(code, code) for code in unpack(codes)]

    @property
    def expertise_labels(self):
        return self._labels(self.expertise, Area.choices)

    @property
    def region_labels(self):
        return self._labels(self.regions, Region.choices)

    @property
    def language_labels(self):
        return self._labels(self.languages, Language.choices)


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Question(models.Model):
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_questions"
    )
    practitioner = models.ForeignKey(
        Practitioner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        help_text="The practitioner asked; for a question to the pool, whoever answers first.",
    )
    to_pool = models.BooleanField(default=False)
    area = models.CharField(_("topic"), max_length=20, choices=Area.choices, blank=True)
    title = models.CharField(
        _("your question in one line"), max_length=200, validators=[validate_single_line]
    )
    body = models.TextField(_("details"), max_length=5000, validators=[reject_control_characters])
    status = models.CharField(max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    thanked_at = models.DateTimeField(null=True, blank=True)
    thanks = models.CharField(
        _("a word of thanks"), max_length=500, blank=True, validators=[validate_single_line]
    )
    asker_consents = models.BooleanField(default=False)
    practitioner_consents = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("question to a practitioner")
        verbose_name_plural = _("questions to practitioners")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = normalise(self.title, self.body)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("community:question", args=[self.pk])


class QuestionMessage(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=BODY_MAX, validators=[reject_control_characters])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"message on {self.question_id}"


class Block(models.Model):
    """``blocker`` no longer receives questions or messages from ``blocked``."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint("blocker", "blocked", name="community_block_once")]

    def __str__(self):
        return f"{self.blocker_id} blocks {self.blocked_id}"


class QuestionReport(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"), max_length=1000, validators=[reject_control_characters])
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "question",
                "reporter",
                condition=Q(resolved_at__isnull=True),
                name="community_one_open_report",
            )
        ]

    def __str__(self):
        return f"report on {self.question_id}"


# --- case library -----------------------------------------------------------------------------------


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")


class Case(models.Model):
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(max_length=60, unique=True, default=uuid.uuid4, editable=False)
    mechanism = models.CharField(_("participation mechanism"), max_length=20, choices=Mechanism.choices)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    municipality = models.CharField(
        _("municipality"), max_length=100, blank=True, validators=[validate_single_line]
    )
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("summary"), max_length=1000, validators=[reject_control_characters])
    what_happened = models.TextField(
        _("what happened"), max_length=BODY_MAX, validators=[reject_control_characters]
    )
    outcome = models.TextField(_("outcome"), max_length=BODY_MAX, validators=[reject_control_characters])
    lessons = models.TextField(
        _("lessons learned"), max_length=BODY_MAX, validators=[reject_control_characters]
    )
    links = models.TextField(
        _("links"), max_length=3000, blank=True, help_text=_("One web address per line.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    review_note = models.TextField(blank=True)
    topic = models.OneToOneField(Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="case")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-year", "-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "mechanism", "region"], name="community_case_filters")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = normalise(self.title, self.municipality, self.summary)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("community:case", args=[self.slug])

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


def case_file_path(_instance, filename):
    return f"community/cases/{uuid.uuid4().hex}/{filename}"


class CaseFile(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=case_file_path, max_length=300)
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name


# --- opportunities ----------------------------------------------------------------------------------


class Opportunity(models.Model):
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    organiser = models.CharField(_("organiser"), max_length=200, validators=[validate_single_line])
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    link = models.URLField(_("link"), max_length=500)
    description = models.TextField(_("description"), max_length=5000, validators=[reject_control_characters])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["deadline", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:opportunity", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.deadline < timezone.now()
