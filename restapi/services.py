"""Personal access tokens (create, authenticate, revoke) and the per-token rate limit."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.api import is_programme_staff, record
from restapi.models import AccessToken, RateCounter, Scope

TOKEN_PREFIX = "chub_"
# A token's last use is written at most this often (one write a minute, not one per request).
LAST_USED_EVERY = timedelta(minutes=1)
# Requests per token and window; shared by every worker through the database (restapi/README.md).
RATE_LIMIT = 120
RATE_WINDOW_SECONDS = 60


def rate_limit() -> int:
    """Requests a token may send per window (``RESTAPI_RATE_LIMIT`` in settings when set, else 120)."""
    return int(getattr(settings, "RESTAPI_RATE_LIMIT", RATE_LIMIT))


class TokenError(Exception):
    pass


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    secret: str  # shown once, never stored


def create_token(*, user, name: str, scope: str = Scope.READ, expires_in_days: int | None = 90) -> NewToken:
    """A new token: ``chub_<prefix>_<secret>``; only the prefix and the SHA-256 of the whole are stored.

    A staff-scoped token needs the person to be programme staff now, with two-factor authentication."""
    if scope == Scope.STAFF and not is_programme_staff(user):
        raise TokenError("staff scope needs programme staff with two-factor authentication")
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    with transaction.atomic():
        token = AccessToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            secret_hash=_hash(secret),
            scope=scope,
            created_at=now,
            expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
        )
        record(actor=user, action="restapi.token.create", target=token, note=scope)
    return NewToken(token=token, secret=secret)


def revoke_token(*, token: AccessToken, by) -> bool:
    """Revoke once; False when it was revoked already."""
    with transaction.atomic():
        updated = AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            record(actor=by, action="restapi.token.revoke", target=token)
    return bool(updated)


def authenticate(raw: str) -> AccessToken | None:
    """The active token this bearer string is, with its user; None for anything else (constant-time compare)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix = raw[len(TOKEN_PREFIX) :].split("_", 1)[0]
    token = AccessToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(raw)):
        return None
    now = timezone.now()
    if not token.is_active(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@dataclass(frozen=True)
class RateState:
    allowed: bool
    retry_after: int  # seconds until the window ends


def hit_rate_limit(key: str, *, limit: int | None = None, window: int = RATE_WINDOW_SECONDS) -> RateState:
    """Count one request for ``key`` in the current fixed window (a database row every worker shares)."""
    limit = rate_limit() if limit is None else limit
    now = time.time()
    start = int(now // window) * window
    retry_after = max(1, int(start + window - now))
    rows = RateCounter.objects.filter(key=key, window=start)
    if not rows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window=start, count=1)
            # The first request of a window clears the key's older windows.
            RateCounter.objects.filter(key=key, window__lt=start).delete()
            return RateState(allowed=True, retry_after=retry_after)
        except IntegrityError:  # another worker made the row first
            rows.update(count=F("count") + 1)
    count = rows.values_list("count", flat=True).first() or 0
    return RateState(allowed=count <= limit, retry_after=retry_after)
