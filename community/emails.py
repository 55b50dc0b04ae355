"""Emails of community notifications: one per notification (immediate mode) or a daily digest.

Run by the task worker (``community.tasks``). No mail server is talked to inside a transaction (on SQLite it would
hold the write lock while the server answers): each notification is claimed first (``emailed_at`` set by a
committed write, so a second run of the task sends nothing), the mail is sent, and a mail the server refused
un-claims what it carried for a later run (decision 0006).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from community.models import EmailMode, Member, Notification

log = logging.getLogger(__name__)


def absolute(url: str) -> str:
    return settings.SITE_URL + url


def send_notification_email(notification_id: int) -> bool:
    """Email one notification (immediate mode); True when this call sent it."""
    claimed_at = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, emailed_at__isnull=True, user__is_active=True
    ).update(emailed_at=claimed_at)
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    with override(notification.user.language):
        subject = _("[civichub] %(text)s") % {"text": notification.text}
        body = "\n\n".join(
            [
                notification.text,
                absolute(notification.url),
                _(
                    "You receive this email because you follow this on civichub. Change your email settings: %(url)s"
                )
                % {"url": absolute(reverse("community:settings"))},
            ]
        )
    try:
        send_mail(subject[:200], body, None, [notification.user.email])
    except Exception:
        # Un-claimed, and the task fails (staff see it in the task results): running it again sends it.
        Notification.objects.filter(pk=notification_id, emailed_at=claimed_at).update(emailed_at=None)
        raise
    return True


def _claim_digest(member: Member, *, now, cutoff) -> tuple[list[Notification], datetime | None] | None:
    """Claim a member's unsent notifications for a digest (committed before anything is sent); None when there
    is nothing to send or another run took it. Returns the notifications and the previous digest time."""
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        if locked.last_digest_at and locked.last_digest_at > cutoff:
            return None
        pending = list(
            Notification.objects.select_for_update()
            .filter(user_id=member.user_id, emailed_at__isnull=True)
            .order_by("created_at", "pk")
        )
        if not pending:
            return None
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
        previous = locked.last_digest_at
        locked.last_digest_at = now
        locked.save(update_fields=["last_digest_at"])
    return pending, previous


def send_daily_digests(*, now=None) -> int:
    """One email per person in daily mode with every notification not yet emailed; returns emails sent.

    Runs daily from the task worker (``core/periodic.py`` schedules ``tasks.send_daily_digests``).
    Nobody gets two digests within 20 hours, so running it twice a day is harmless. A digest the mail server
    refused is un-claimed: its notifications go in the next day's digest.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(hours=20)
    members = list(
        Member.objects.filter(email_mode=EmailMode.DAILY, user__is_active=True)
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=cutoff))
        .filter(user__community_notifications__emailed_at__isnull=True)
        .select_related("user")
        .distinct()
    )
    sent = 0
    for member in members:
        claimed = _claim_digest(member, now=now, cutoff=cutoff)
        if claimed is None:
            continue
        pending, previous = claimed
        with override(member.user.language):
            subject = _("[civichub] Your daily community digest: %(count)d new") % {"count": len(pending)}
            lines = [_("What happened in the community since your last digest:"), ""]
            for notification in pending:
                lines.append(f"• {notification.text}\n  {absolute(notification.url)}")
            lines += [
                "",
                _("Change your email settings: %(url)s") % {"url": absolute(reverse("community:settings"))},
            ]
        try:
            send_mail(subject[:200], "\n".join(lines), None, [member.user.email])
        except Exception as error:  # noqa: BLE001 - the mail server failed: the next digest carries them
            log.warning("community digest for member %s not sent: %r", member.pk, error)
            with transaction.atomic():
                Notification.objects.filter(pk__in=[n.pk for n in pending], emailed_at=now).update(
                    emailed_at=None
                )
                Member.objects.filter(pk=member.pk, last_digest_at=now).update(last_digest_at=previous)
            continue
        sent += 1
    return sent
