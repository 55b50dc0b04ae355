"""Personal access tokens for the REST API and the rate-limit counters every worker shares."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("Read my own data")
    STAFF = "staff", _("Read my own data and the calls I manage (programme staff)")


class AccessToken(models.Model):
    """A token is shown once; only its first characters (``prefix``, to find it) and a SHA-256 hash are kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scope = models.CharField(_("access"), max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="restapi_token_user_time")]

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at)


class RateCounter(models.Model):
    """Requests counted per key (a token) and fixed window; in the database, so every web process shares it."""

    key = models.CharField(max_length=40)
    window = models.BigIntegerField()  # the window's start, in seconds since the epoch
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint("key", "window", name="restapi_rate_once_per_window")]

    def __str__(self):
        return f"{self.key}@{self.window}: {self.count}"
