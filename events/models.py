"""Events and the people who register for them (data and simple properties; changes go through services)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# Check-in codes are typed at the door: no 0/O, 1/I/L; ten characters of 31 are ~10^15 codes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    TRAINING = "training", pgettext_lazy("event kind", "Training")
    WEBINAR = "webinar", _("Webinar")
    CEREMONY = "ceremony", _("Ceremony")


class Audience(models.TextChoices):
    ANYONE = "anyone", _("Anyone (visitors confirm by email)")
    SIGNED_IN = "signed_in", _("Signed-in people")
    INVITED = "invited", _("Invited people only")


class Event(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.CONFERENCE)
    title_ka = models.CharField(_("title (Georgian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_ka = models.TextField(_("description (Georgian, Markdown)"), blank=True)
    description_en = models.TextField(_("description (English, Markdown)"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), help_text=_("Places; people beyond it join the waitlist.")
    )
    registration_deadline = models.DateTimeField(_("registration deadline"))
    audience = models.CharField(
        _("who may register"), max_length=20, choices=Audience.choices, default=Audience.SIGNED_IN
    )
    published = models.BooleanField(_("published"), default=False)
    # A ceremony: the certification call whose certified people are invited (on save), whose certificates are
    # printed for those who registered; attendance may issue a participation credential.
    certification_call = models.ForeignKey(
        "calls.Call",
        verbose_name=_("certification call"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "certification"},
        help_text=_("For a ceremony: its certified people are invited when the event is saved."),
    )
    issue_participation_credentials = models.BooleanField(
        _("issue a participation credential on check-in"), default=False
    )
    # Optional registration questions: a questionnaire of the calls form engine (staff write it in the admin).
    questionnaire = models.ForeignKey(
        "calls.Questionnaire",
        verbose_name=_("registration questions"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Optional: the questions people answer when they register."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if get_language() == "en" and self.title_en:
            return self.title_en
        return self.title_ka

    @property
    def description(self) -> str:
        if get_language() == "en" and self.description_en:
            return self.description_en
        return self.description_ka


class Invitation(models.Model):
    """Who may register for an invited-only event: an address (matched case-insensitively) or a person."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_invitations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"], condition=~Q(email=""), name="invitation_unique_email"
            ),
            models.UniqueConstraint(
                fields=["event", "user"], condition=Q(user__isnull=False), name="invitation_unique_user"
            ),
            models.CheckConstraint(
                condition=~Q(email="") | Q(user__isnull=False), name="invitation_has_someone"
            ),
        ]

    def __str__(self) -> str:
        return self.email or str(self.user)


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for email confirmation")
    CONFIRMED = "confirmed", _("Registered")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    language = models.CharField(max_length=5, default="ka")
    status = models.CharField(
        max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    # ``token`` is the bearer link of the person's page (emailed); ``code`` is typed or scanned at the door.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_code, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the person took the place they hold (confirmed) or joined the waitlist: the waitlist moves in this order.
    placed_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Answers to the event's registration questions, ``{question key: value}`` as the form engine cleans them.
    answers = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["placed_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="registration_unique_email"),
            models.UniqueConstraint(
                fields=["event", "user"], condition=Q(user__isnull=False), name="registration_unique_user"
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "placed_at"])]

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"

    @property
    def display_code(self) -> str:
        return f"{self.code[:5]}-{self.code[5:]}"

    @property
    def holds_place(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED
