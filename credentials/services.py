"""Every write of the credentials domain: keys, achievements, issuing, revocation, re-issue, ceremonies.

Issuing is idempotent: the database allows one active credential per person per achievement
(``one_active_credential_per_achievement``), and a second call returns the first credential.
Each state change writes an audit entry (``accounts.services.record``).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import record
from core.api import enqueue_on_commit
from credentials import formats, keys, signing
from credentials.models import (
    Achievement,
    AchievementKind,
    Ceremony,
    CeremonyStatus,
    Credential,
    CredentialStatus,
    IssuerProfile,
    SigningKey,
    StatusSlot,
)

log = logging.getLogger(__name__)

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed from paper


class CredentialError(Exception):
    """A request that cannot be carried out; the message is translated and safe to show."""


# --- issuer and keys ----------------------------------------------------------------------------------


def issuer_profile() -> IssuerProfile:
    issuer = IssuerProfile.objects.filter(pk=1).first()
    if issuer is None:
        issuer, _created = IssuerProfile.objects.get_or_create(
            pk=1,
            defaults={
                "name_ka": "სამოქალაქო ჰაბი (civichub)",
                "name_en": "civichub",
                "url": settings.SITE_URL,
                "email": getattr(settings, "DEFAULT_FROM_EMAIL", "info@civichub.ge") or "info@civichub.ge",
            },
        )
    return issuer


@transaction.atomic
def rotate_signing_key(*, private_key=None, by=None) -> SigningKey:
    """Make a new current key; the previous one is retired but stays published (old credentials verify)."""
    private_key = private_key or keys.generate_private_key()
    if private_key.key_size < keys.KEY_BITS:
        raise ValueError(f"signing keys must have at least {keys.KEY_BITS} bits")
    jwk = keys.public_jwk(private_key)
    now = timezone.now()
    previous = list(SigningKey.objects.select_for_update().filter(current=True))
    for old in previous:
        old.current = False
        old.retired_at = now
        old.save(update_fields=["current", "retired_at"])
    row = SigningKey.objects.create(
        kid=jwk["kid"],
        public_jwk=jwk,
        private_key_encrypted=keys.encrypt_private_key(private_key),
        current=True,
    )
    record(actor=by, action="credentials.key_rotate", target=row.kid, note=", ".join(o.kid for o in previous))
    signing.publish_status_list()  # re-signed with the new key, committed with the rotation
    return row


def signing_key() -> SigningKey:
    return signing.current_key() or rotate_signing_key()


# --- achievements -------------------------------------------------------------------------------------


def ensure_achievement(*, key: str, defaults: dict) -> Achievement:
    """The achievement with this stable key, created on first use (safe under concurrent calls)."""
    achievement = Achievement.objects.filter(key=key).first()
    if achievement is not None:
        return achievement
    try:
        with transaction.atomic():
            return Achievement.objects.create(key=key, **defaults)
    except IntegrityError:
        return Achievement.objects.get(key=key)


def achievement_for_course(course) -> Achievement:
    title = course.title
    summary = (course.summary or title)[:2000]
    return ensure_achievement(
        key=f"course:{course.slug}",
        defaults={
            "kind": AchievementKind.COURSE,
            "name_ka": title[:200],
            "name_en": title[:200] if getattr(course, "language", "ka") == "en" else "",
            "description_ka": summary,
            "criteria_ka": "კურსის ყველა გაკვეთილისა და ტესტის წარმატებით დასრულება.",
            "criteria_en": "Completed every lesson and passed every quiz of the course.",
        },
    )


def _call_title(call) -> str:
    for attr in ("title_ka", "title", "name_ka", "name"):
        value = getattr(call, attr, "")
        if value:
            return str(value)
    return str(call)


def achievement_for_call(call) -> Achievement:
    title = _call_title(call)[:200]
    title_en = str(getattr(call, "title_en", "") or "")[:200]
    return ensure_achievement(
        key=f"call:{call.pk}",
        defaults={
            "kind": AchievementKind.CERTIFICATION,
            "name_ka": title,
            "name_en": title_en,
            "description_ka": f"ინდივიდუალური სერტიფიცირების პროგრამა: {title}",
            "description_en": f"Individual certification programme: {title_en or title}",
            "criteria_ka": "განაცხადი მიღებულია ექსპერტთა ჯგუფის მიერ შეფასების შემდეგ.",
            "criteria_en": "Application accepted by the expert panel after review.",
        },
    )


# --- issuing ------------------------------------------------------------------------------------------


def _allocate_status_index() -> int:
    """A random index never handed out before (the slot row is kept for ever)."""
    for _attempt in range(64):
        index = secrets.randbelow(formats.STATUS_LIST_LENGTH)
        try:
            with transaction.atomic():
                StatusSlot.objects.create(index=index)
            return index
        except IntegrityError:
            continue
    raise CredentialError(_("The status list is full. Ask the site administrator to add a new list."))


def _short_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not Credential.objects.filter(short_code=code).exists():
            return code


def _sign(credential: Credential) -> None:
    key_row = signing_key()
    document = formats.credential_document(credential, email=credential.user.email, issuer=issuer_profile())
    credential.signing_key = key_row
    credential.token = signing.sign_claims(formats.jwt_claims(document), key_row)


def issue_credential(
    *,
    user,
    achievement: Achievement,
    by=None,
    issued_at=None,
    valid_until=None,
    replaces: Credential | None = None,
) -> tuple[Credential, bool]:
    """Issue (or return the existing active) credential. Returns (credential, created)."""
    existing = Credential.objects.filter(
        user=user, achievement=achievement, status=CredentialStatus.ACTIVE
    ).first()
    if existing is not None:
        return existing, False
    issued_at = (issued_at or timezone.now()).replace(microsecond=0)
    if valid_until is None and achievement.valid_for_days:
        valid_until = issued_at + timedelta(days=achievement.valid_for_days)
    try:
        with transaction.atomic():
            credential = Credential(
                user=user,
                achievement=achievement,
                recipient_name_ka=user.full_name_ka,
                recipient_name_latin=user.full_name_latin,
                identity_salt=secrets.token_hex(8),
                issued_at=issued_at,
                valid_until=valid_until.replace(microsecond=0) if valid_until else None,
                status_index=_allocate_status_index(),
                short_code=_short_code(),
                replaces=replaces,
            )
            _sign(credential)
            credential.save(force_insert=True)
            record(actor=by, action="credentials.issue", target=credential.pk, note=achievement.key)
    except IntegrityError:
        existing = Credential.objects.filter(
            user=user, achievement=achievement, status=CredentialStatus.ACTIVE
        ).first()
        if existing is None:
            raise
        return existing, False
    return credential, True


def issue_for_course_completion(*, user, course, completed_at) -> Credential:
    """Listener for learning's completion event: the course's achievement, issued at completion time."""
    credential, _created = issue_credential(
        user=user, achievement=achievement_for_course(course), issued_at=completed_at
    )
    return credential


def bulk_issue_for_call(*, call, by) -> dict:
    """Issue the certification credential to every accepted applicant of ``call`` (idempotent)."""
    from calls import api as calls_api

    achievement = achievement_for_call(call)
    created = existing = 0
    for user in calls_api.accepted_applicants(call=call):
        _credential, was_created = issue_credential(user=user, achievement=achievement, by=by)
        created += was_created
        existing += not was_created
    record(
        actor=by,
        action="credentials.bulk_issue",
        target=achievement.key,
        note=f"{created} new, {existing} existing",
    )
    return {"achievement": achievement, "created": created, "existing": existing}


# --- state changes ------------------------------------------------------------------------------------

# The one workflow of a credential: active → revoked. Nothing leaves "revoked" (a re-issue is a new credential).
TRANSITIONS = {
    (CredentialStatus.ACTIVE, CredentialStatus.REVOKED),
}


def _transition(credential: Credential, target: str) -> None:
    if (credential.status, target) not in TRANSITIONS:
        raise CredentialError(_("This certificate has already been revoked."))


@transaction.atomic
def revoke_credential(*, credential: Credential, reason: str, by) -> Credential:
    reason = " ".join(reason.split())[:500]
    if not reason:
        raise CredentialError(_("Give the reason for revoking; it is shown on the verification page."))
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    _transition(credential, CredentialStatus.REVOKED)
    credential.status = CredentialStatus.REVOKED
    credential.revoked_at = timezone.now()
    credential.revocation_reason = reason
    credential.save(update_fields=["status", "revoked_at", "revocation_reason"])
    record(actor=by, action="credentials.revoke", target=credential.pk, note=reason)
    # Re-sign the published list in this transaction: it commits with the revocation, and no reader signs.
    signing.publish_status_list()
    return credential


@transaction.atomic
def reissue_credential(*, credential: Credential, by, reason: str = "") -> Credential:
    """Revoke ``credential`` and issue a fresh one (current names on the profile, current key)."""
    old = Credential.objects.select_for_update().select_related("user", "achievement").get(pk=credential.pk)
    if old.status == CredentialStatus.ACTIVE:
        revoke_credential(credential=old, by=by, reason=reason or _("Replaced by a re-issued certificate."))
    elif Credential.objects.filter(replaces=old).exists():
        raise CredentialError(_("This certificate has already been re-issued."))
    new, _created = issue_credential(
        user=old.user, achievement=old.achievement, by=by, valid_until=old.valid_until, replaces=old
    )
    record(actor=by, action="credentials.reissue", target=old.pk, note=str(new.pk))
    return new


def set_show_name(*, credential: Credential, show: bool, by) -> None:
    if credential.show_name == show:
        return
    credential.show_name = show
    credential.save(update_fields=["show_name"])
    record(
        actor=by, action="credentials.show_name" if show else "credentials.hide_name", target=credential.pk
    )


# --- ceremonies ---------------------------------------------------------------------------------------


@transaction.atomic
def create_ceremony(*, title: str, credentials: list[Credential], by) -> Ceremony:
    if not credentials:
        raise CredentialError(_("Choose at least one certificate."))
    ceremony = Ceremony.objects.create(title=title, created_by=by, total=len(credentials))
    ceremony.credentials.set(credentials)
    record(
        actor=by, action="credentials.ceremony", target=ceremony.pk, note=f"{len(credentials)} certificates"
    )
    enqueue_on_commit("credentials.tasks.build_ceremony", ceremony.pk)
    return ceremony


# A ceremony still "waiting" or "being prepared" this long after it was asked for has lost its task (the task
# worker re-runs a task whose worker died, and gives up after a few deaths): staff may start it again.
CEREMONY_STUCK_AFTER = timedelta(minutes=30)


def ceremony_can_retry(ceremony: Ceremony, *, now=None) -> bool:
    now = now or timezone.now()
    if ceremony.status == CeremonyStatus.FAILED:
        return True
    return ceremony.status != CeremonyStatus.DONE and ceremony.created_at < now - CEREMONY_STUCK_AFTER


def retry_ceremony(*, ceremony: Ceremony, by) -> bool:
    """Build a failed or stuck print run again; False when it is not failed or stuck (e.g. done meanwhile)."""
    now = timezone.now()
    with transaction.atomic():
        retryable = Ceremony.objects.filter(
            Q(status=CeremonyStatus.FAILED)
            | Q(
                status__in=[CeremonyStatus.QUEUED, CeremonyStatus.RUNNING],
                created_at__lt=now - CEREMONY_STUCK_AFTER,
            ),
            pk=ceremony.pk,
        )
        if not retryable.update(status=CeremonyStatus.QUEUED, done=0, error=""):
            return False
        record(actor=by, action="credentials.ceremony_retry", target=ceremony.pk)
        enqueue_on_commit("credentials.tasks.build_ceremony", ceremony.pk)
    return True
