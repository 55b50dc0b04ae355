"""Emails of community notifications: one per notification (immediate mode) or a daily digest.

Run by the task worker (``community.tasks``); each notification is emailed at most once (``emailed_at`` is set
under a row lock in the transaction that sends).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from community.models import EmailMode, Member, Notification


def absolute(url: str) -> str:
    return settings.SITE_URL + url


def send_notification_email(notification_id: int) -> bool:
    """Email one notification (immediate mode). Sent once: ``emailed_at`` is set in the same transaction."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("user")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.user.is_active:
            return False
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
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
        send_mail(subject[:200], body, None, [notification.user.email])
    return True


def send_daily_digests(*, now=None) -> int:
    """One email per person in daily mode with every notification not yet emailed; returns emails sent.

    Runs daily from the task worker (``core/periodic.py`` schedules ``tasks.send_daily_digests``).
    Nobody gets two digests within 20 hours, so running it twice a day is harmless.
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
        with transaction.atomic():
            locked = Member.objects.select_for_update().get(pk=member.pk)
            if locked.last_digest_at and locked.last_digest_at > cutoff:
                continue
            pending = list(
                Notification.objects.select_for_update()
                .filter(user_id=member.user_id, emailed_at__isnull=True)
                .order_by("created_at", "pk")
            )
            if not pending:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
            locked.last_digest_at = now
            locked.save(update_fields=["last_digest_at"])
            with override(member.user.language):
                subject = _("[civichub] Your daily community digest: %(count)d new") % {"count": len(pending)}
                lines = [_("What happened in the community since your last digest:"), ""]
                for notification in pending:
                    lines.append(f"• {notification.text}\n  {absolute(notification.url)}")
                lines += [
                    "",
                    _("Change your email settings: %(url)s")
                    % {"url": absolute(reverse("community:settings"))},
                ]
            send_mail(subject[:200], "\n".join(lines), None, [member.user.email])
            sent += 1
    return sent
