"""Decision letters are never sent inside a database transaction, and none is lost when sending fails (issue 16).

A slow mail server once held SQLite's write lock for as long as it stalled (the letter was sent inside
``transaction.atomic()`` with ``select_for_update``): every autosave meanwhile answered "database is locked".
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time

import pytest
from django.core import mail
from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone

from calls import services
from calls.models import Application, OutboxMessage, OutboxStatus
from tests.calls.builders import draft, in_review, make_call


class StallingSMTPServer:
    """A mail server on the loopback that answers until DATA, takes the message, then never replies."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.got_message = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        connection, _ = self.listener.accept()
        with connection, connection.makefile("rb") as lines:
            connection.sendall(b"220 stalling.test ESMTP\r\n")
            for line in lines:
                command = line.strip().upper()
                if command.startswith((b"EHLO", b"HELO")):
                    connection.sendall(b"250 stalling.test\r\n")
                elif command == b"DATA":
                    connection.sendall(b"354 go ahead\r\n")
                    for body_line in lines:
                        if body_line == b".\r\n":
                            break
                    self.got_message.set()
                    self.release.wait(30)  # the stall: no "250" after the message
                    return
                elif command == b"QUIT":
                    connection.sendall(b"221 bye\r\n")
                    return
                else:
                    connection.sendall(b"250 OK\r\n")

    def close(self):
        self.release.set()
        self.listener.close()


@pytest.fixture
def stalling_smtp():
    server = StallingSMTPServer()
    yield server
    server.close()


def _send_mail_through(server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 1


def _approved_letter(learner, staff) -> OutboxMessage:
    application = in_review(make_call(), learner, staff)
    services.decide(application=application, by=staff, outcome="accepted")
    letter = OutboxMessage.objects.get(application=application)
    OutboxMessage.objects.filter(pk=letter.pk).update(
        status=OutboxStatus.APPROVED, approved_at=timezone.now()
    )
    return letter


@pytest.mark.django_db(transaction=True)
def test_a_stalled_mail_server_blocks_no_other_write_and_the_letter_ends_failed_not_lost(
    learner, staff, stalling_smtp, settings
):
    letter = _approved_letter(learner, staff)
    _send_mail_through(stalling_smtp, settings)
    result = {}

    def deliver():
        try:
            result["sent"] = services.deliver_outbox_message(letter.pk)
        finally:
            connections.close_all()

    worker = threading.Thread(target=deliver)
    worker.start()
    assert stalling_smtp.got_message.wait(10), "the letter never reached the mail server"
    # The mail server now stalls. An autosave-like write must go through at once.
    started = time.monotonic()
    with transaction.atomic():
        saved = Application.objects.filter(pk=letter.application_id).update(data={"motivation": "autosaved"})
    assert saved == 1 and time.monotonic() - started < 1
    assert OutboxMessage.objects.get(pk=letter.pk).status == OutboxStatus.SENDING
    worker.join(15)
    assert not worker.is_alive()

    letter.refresh_from_db()
    assert result == {"sent": False}
    assert (letter.status, letter.attempts, letter.sent_at) == (OutboxStatus.FAILED, 1, None)
    assert letter.last_error  # the timeout, for staff to read
    assert Application.objects.get(pk=letter.application_id).decision_published_at is None


@pytest.mark.django_db
def test_a_letter_is_sent_once_however_often_its_task_runs(learner, staff):
    letter = _approved_letter(learner, staff)
    mail.outbox.clear()
    assert services.deliver_outbox_message(letter.pk) is True
    assert services.deliver_outbox_message(letter.pk) is False
    letter.refresh_from_db()
    assert (letter.status, letter.attempts, len(mail.outbox)) == (OutboxStatus.SENT, 1, 1)
    assert Application.objects.get(pk=letter.application_id).decision_published_at == letter.sent_at


@pytest.mark.django_db
def test_a_letter_left_sending_by_a_dead_worker_is_claimed_again_after_the_lease(learner, staff):
    letter = _approved_letter(learner, staff)
    claimed = timezone.now() - dt.timedelta(seconds=30)
    OutboxMessage.objects.filter(pk=letter.pk).update(
        status=OutboxStatus.SENDING, claimed_at=claimed, attempts=1
    )
    assert services.deliver_outbox_message(letter.pk) is False  # another worker may still be sending it
    OutboxMessage.objects.filter(pk=letter.pk).update(claimed_at=timezone.now() - dt.timedelta(minutes=3))
    assert services.deliver_outbox_message(letter.pk) is True
    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == (OutboxStatus.SENT, 2)


@pytest.mark.django_db
def test_staff_see_a_failed_letter_and_send_it_again(
    client_for, learner, staff, django_capture_on_commit_callbacks
):
    letter = _approved_letter(learner, staff)
    OutboxMessage.objects.filter(pk=letter.pk).update(
        status=OutboxStatus.FAILED, attempts=1, last_error="TimeoutError('timed out')"
    )
    client = client_for(staff)
    page = client.get("/en" + reverse("calls:outbox")).content.decode()
    assert "Not sent" in page and "TimeoutError(&#x27;timed out&#x27;)" in page and "1 attempt" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calls:outbox"), {"message": [letter.pk], "retry": "1"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.status, letter.attempts, letter.last_error) == (OutboxStatus.SENT, 2, "")
    assert len(mail.outbox) == 1
    assert "Not sent" not in client.get("/en" + reverse("calls:outbox")).content.decode()


@pytest.mark.django_db
def test_a_pending_or_sent_letter_cannot_be_retried(learner, staff, django_capture_on_commit_callbacks):
    letter = _approved_letter(learner, staff)
    OutboxMessage.objects.filter(pk=letter.pk).update(status=OutboxStatus.PENDING)
    assert services.retry_outbox(messages=[letter], by=staff) == 0
    OutboxMessage.objects.filter(pk=letter.pk).update(status=OutboxStatus.SENT)
    assert services.retry_outbox(messages=[letter], by=staff) == 0
    with pytest.raises(services.CallsError):
        services.retry_outbox(messages=[letter], by=learner)


def _closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        return listener.getsockname()[1]


@pytest.mark.django_db
def test_a_reminder_the_mail_server_refused_is_tried_again_on_the_next_run(learner, settings):
    application = draft(make_call(closes_at=timezone.now() + dt.timedelta(hours=47)), learner)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 1
    assert services.send_deadline_reminders() == 0
    assert Application.objects.get(pk=application.pk).reminder_sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert services.send_deadline_reminders() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [learner.email]
