"""Issuer, signing keys, achievements, credentials, status-list slots and ceremony batches.

Private signing keys are stored only encrypted (see :mod:`credentials.keys`); nothing here prints them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.api import reject_control_characters, validate_single_line


def _bilingual(obj, field: str) -> str:
    ka, en = getattr(obj, f"{field}_ka"), getattr(obj, f"{field}_en")
    if get_language() == "en":
        return en or ka
    return ka or en


class IssuerProfile(models.Model):
    """The organisation running the platform; one row (pk=1)."""

    name_ka = models.CharField(_("name in Georgian"), max_length=200, validators=[validate_single_line])
    name_en = models.CharField(_("name in English"), max_length=200, validators=[validate_single_line])
    url = models.URLField(_("website"))
    email = models.EmailField(_("public contact email"))
    description_ka = models.TextField(
        _("description in Georgian"), blank=True, validators=[reject_control_characters]
    )
    description_en = models.TextField(
        _("description in English"), blank=True, validators=[reject_control_characters]
    )
    image = models.ImageField(_("logo"), upload_to="credentials/issuer/", blank=True)

    class Meta:
        verbose_name = _("issuer profile")
        verbose_name_plural = _("issuer profile")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _bilingual(self, "name")

    @property
    def description(self) -> str:
        return _bilingual(self, "description")


class SigningKey(models.Model):
    """An RS256 key. One is current; retired keys stay published so old credentials still verify."""

    kid = models.CharField(_("key id"), max_length=64, unique=True, editable=False)
    public_jwk = models.JSONField(_("public key (JWK)"), editable=False)
    private_key_encrypted = models.TextField(editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True, editable=False)
    current = models.BooleanField(_("signs new credentials"), default=True, editable=False)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["current"], condition=models.Q(current=True), name="one_current_signing_key"
            )
        ]

    def __str__(self):
        return self.kid

    def __repr__(self):
        return f"<SigningKey {self.kid}>"


class AchievementKind(models.TextChoices):
    COURSE = "course", _("Course completion")
    CERTIFICATION = "certification", _("Certification programme")
    INTERNSHIP = "internship", _("Internship")
    OTHER = "other", _("Other")


class Achievement(models.Model):
    """What a credential certifies. ``key`` is stable (``course:<slug>``, ``call:<pk>``) and used in public URLs."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=AchievementKind.choices, default=AchievementKind.OTHER
    )
    name_ka = models.CharField(_("name in Georgian"), max_length=200, validators=[validate_single_line])
    name_en = models.CharField(
        _("name in English"), max_length=200, blank=True, validators=[validate_single_line]
    )
    description_ka = models.TextField(
        _("description in Georgian"), max_length=2000, validators=[reject_control_characters]
    )
    description_en = models.TextField(
        _("description in English"), max_length=2000, blank=True, validators=[reject_control_characters]
    )
    criteria_ka = models.TextField(
        _("criteria in Georgian"), max_length=2000, validators=[reject_control_characters]
    )
    criteria_en = models.TextField(
        _("criteria in English"), max_length=2000, blank=True, validators=[reject_control_characters]
    )
    valid_for_days = models.PositiveIntegerField(
        _("valid for (days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for certificates that do not expire."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["name_ka"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _bilingual(self, "name")

    @property
    def description(self) -> str:
        return _bilingual(self, "description")

    @property
    def criteria(self) -> str:
        return _bilingual(self, "criteria")


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class StatusSlot(models.Model):
    """A status-list index handed out once. Rows are never deleted, so an index is never reused."""

    index = models.PositiveIntegerField(primary_key=True)
    allocated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("status-list slot")
        verbose_name_plural = _("status-list slots")

    def __str__(self):
        return str(self.index)


class Credential(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credentials")
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="credentials")
    recipient_name_ka = models.CharField(
        pgettext_lazy("person", "name in Georgian"), max_length=150, blank=True
    )
    recipient_name_latin = models.CharField(_("name in Latin letters"), max_length=150, blank=True)
    subject_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    identity_salt = models.CharField(max_length=32, editable=False)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CredentialStatus.choices, default=CredentialStatus.ACTIVE
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    status_index = models.PositiveIntegerField(_("status-list index"), unique=True, editable=False)
    short_code = models.CharField(_("code"), max_length=12, unique=True, editable=False)
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="+", editable=False)
    token = models.TextField(_("signed credential (VC-JWT)"), editable=False)
    show_name = models.BooleanField(_("show my name on the verification page"), default=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by", editable=False
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "achievement"],
                condition=models.Q(status="active"),
                name="one_active_credential_per_achievement",
            )
        ]

    def __str__(self):
        return f"{self.achievement} — {self.recipient_name}"

    @property
    def recipient_name(self) -> str:
        if get_language() == "en":
            return self.recipient_name_latin or self.recipient_name_ka
        return self.recipient_name_ka or self.recipient_name_latin

    @property
    def is_revoked(self) -> bool:
        return self.status == CredentialStatus.REVOKED

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until <= timezone.now()


class CeremonyStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Ceremony(models.Model):
    """A print run for a certificate ceremony: one PDF (a page per certificate) and an attendee CSV."""

    title = models.CharField(_("event"), max_length=200, validators=[validate_single_line])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    credentials = models.ManyToManyField(
        Credential, related_name="ceremonies", verbose_name=_("certificates")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CeremonyStatus.choices, default=CeremonyStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    pdf = models.FileField(upload_to="credentials/ceremonies/", blank=True)
    csv = models.FileField(upload_to="credentials/ceremonies/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ceremony print run")
        verbose_name_plural = _("ceremony print runs")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)


class StatusListPurpose(models.TextChoices):
    REVOCATION = "revocation", _("Revocation")


class PublishedStatusList(models.Model):
    """The signed Bitstring Status List as published, one row per purpose.

    The services re-sign it in the transaction of every revocation and key rotation (see
    :func:`credentials.signing.publish_status_list`), so readers never sign: the verification page and
    ``/ob/status/revocation`` read this row.
    """

    purpose = models.CharField(max_length=20, choices=StatusListPurpose.choices, unique=True, editable=False)
    token = models.TextField(_("signed status list (VC-JWT)"), editable=False)
    signed_at = models.DateTimeField(_("signed at"), editable=False)
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta:
        verbose_name = _("published status list")
        verbose_name_plural = _("published status lists")

    def __str__(self):
        return f"{self.purpose} ({self.signed_at:%Y-%m-%d %H:%M})"
