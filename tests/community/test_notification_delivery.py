"""Community emails are claimed, then sent outside any transaction; a mail the server refused is not lost
(issue 16: no network call inside a database transaction)."""

import socket
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from community import services
from community.emails import send_daily_digests, send_notification_email
from community.models import EmailMode, Notification

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        return listener.getsockname()[1]


def _refusing_mail_server(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 1


def _working_mail_server(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()


def _notification(topic, learner, other_learner, mode=EmailMode.IMMEDIATE) -> Notification:
    member = services.member_for(learner)
    member.email_mode = mode
    member.save(update_fields=["email_mode"])
    services.reply(topic=topic, author=other_learner, body="პასუხი")  # its email task waits for the commit
    return Notification.objects.get(user=learner)


def test_a_notification_is_emailed_once_however_often_its_task_runs(topic, learner, other_learner):
    notification = _notification(topic, learner, other_learner)
    mail.outbox.clear()
    assert send_notification_email(notification.pk) is True
    assert send_notification_email(notification.pk) is False
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_notification_the_mail_server_refused_is_unclaimed_and_sent_by_a_retry(
    topic, learner, other_learner, settings
):
    notification = _notification(topic, learner, other_learner)
    _refusing_mail_server(settings)
    with pytest.raises(OSError):
        send_notification_email(notification.pk)  # the task fails: staff see it, a retry sends it
    notification.refresh_from_db()
    assert notification.emailed_at is None
    _working_mail_server(settings)
    assert send_notification_email(notification.pk) is True and len(mail.outbox) == 1


def test_a_digest_the_mail_server_refused_goes_out_with_the_next_one(topic, learner, other_learner, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _notification(topic, learner, other_learner, mode=EmailMode.DAILY)
    _refusing_mail_server(settings)
    with time_machine.travel(start + timedelta(hours=8), tick=False):
        assert send_daily_digests() == 0
    assert Notification.objects.filter(user=learner, emailed_at__isnull=True).count() == 1
    assert services.member_for(learner).last_digest_at is None
    _working_mail_server(settings)
    with time_machine.travel(start + timedelta(hours=9), tick=False):
        assert send_daily_digests() == 1
    assert len(mail.outbox) == 1 and topic.title in mail.outbox[0].body
