"""Registering, the waitlist moving up on cancellation, visitors confirming by email, invitations, deadlines."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEntry
from events import services
from events.models import Audience, Invitation, Registration
from events.models import RegistrationStatus as S
from tests.events.builders import make_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signed_in_person_registers_and_gets_a_calendar_file(learner, client_for, mails):
    event = make_event()
    with mails():
        response = client_for(learner).post(reverse("events:register", args=[event.pk]))
    registration = Registration.objects.get(event=event, user=learner)
    assert response.status_code == 302
    assert response["Location"] == reverse("events:registration", args=[registration.token])
    assert registration.status == S.CONFIRMED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [learner.email]
    assert event.title_ka in message.subject
    assert registration.display_code in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name == "event.ics" and mimetype == "text/calendar"
    assert "BEGIN:VEVENT\r\n" in content
    assert AuditEntry.objects.filter(action="events.registration.create").count() == 1


def test_double_submit_makes_one_registration(learner, client_for, mails):
    event = make_event()
    client = client_for(learner)
    with mails():
        client.post(reverse("events:register", args=[event.pk]))
        client.post(reverse("events:register", args=[event.pk]))
    assert Registration.objects.filter(event=event).count() == 1
    assert len(mail.outbox) == 1


def test_full_event_puts_people_on_the_waitlist_and_a_cancellation_moves_it_up(
    learner, other_learner, mentor, mails
):
    event = make_event(capacity=1)
    first, _ = services.register(event=event, user=learner)
    second, _ = services.register(event=event, user=other_learner)
    third, _ = services.register(event=event, user=mentor)
    assert (first.status, second.status, third.status) == (S.CONFIRMED, S.WAITLISTED, S.WAITLISTED)
    mail.outbox.clear()

    with mails():
        promoted = services.cancel_registration(registration=first, by=learner)

    assert promoted.pk == second.pk
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (S.CONFIRMED, S.WAITLISTED)
    assert [m.to for m in mail.outbox] == [[other_learner.email]]
    assert mail.outbox[0].attachments[0][0] == "event.ics"
    assert AuditEntry.objects.filter(action="events.registration.promote", actor=None).count() == 1


def test_cancelling_a_waitlist_place_promotes_nobody(learner, other_learner, mentor):
    event = make_event(capacity=1)
    services.register(event=event, user=learner)
    second, _ = services.register(event=event, user=other_learner)
    third, _ = services.register(event=event, user=mentor)
    assert services.cancel_registration(registration=second, by=other_learner) is None
    third.refresh_from_db()
    assert third.status == S.WAITLISTED


def test_person_cancels_from_their_page_and_can_register_again(learner, client_for):
    event = make_event()
    registration, _ = services.register(event=event, user=learner)
    client = client_for(learner)
    client.post(reverse("events:cancel", args=[registration.token]))
    registration.refresh_from_db()
    assert registration.status == S.CANCELLED
    client.post(reverse("events:register", args=[event.pk]))
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    assert Registration.objects.filter(event=event).count() == 1


def test_registration_closes_at_the_deadline(learner):
    event = make_event()
    with (
        time_machine.travel(event.registration_deadline + dt.timedelta(seconds=1)),
        pytest.raises(services.RegistrationError, match="დასრულდა|closed"),
    ):
        services.register(event=event, user=learner)
    assert not Registration.objects.exists()


def test_unpublished_event_refuses_registration(learner):
    with pytest.raises(services.RegistrationError):
        services.register(event=make_event(published=False), user=learner)


def test_invited_only_event_accepts_invited_people_only(learner, other_learner):
    event = make_event(audience=Audience.INVITED)
    Invitation.objects.create(event=event, email=learner.email.upper())
    registration, _ = services.register(event=event, user=learner)
    assert registration.status == S.CONFIRMED
    with pytest.raises(services.RegistrationError):
        services.register(event=event, user=other_learner)
    Invitation.objects.create(event=event, user=other_learner)
    assert services.register(event=event, user=other_learner)[0].status == S.CONFIRMED


def test_visitor_registers_confirms_by_email_link_and_waitlist_applies(client, learner, mails):
    event = make_event(audience=Audience.ANYONE, capacity=1)
    services.register(event=event, user=learner)
    with mails():
        response = client.post(
            reverse("events:register", args=[event.pk]),
            {"name": "ლაშა გელაშვილი", "email": "Lasha@Example.org"},
        )
    assert response.status_code == 302
    registration = Registration.objects.get(email="lasha@example.org")
    assert registration.status == S.PENDING and registration.user is None
    assert len(mail.outbox) == 1 and not mail.outbox[0].attachments
    link = reverse("events:registration", args=[registration.token])
    assert link in mail.outbox[0].body

    with mails():
        client.post(reverse("events:confirm", args=[registration.token]))
        client.post(reverse("events:confirm", args=[registration.token]))  # a second click changes nothing
    registration.refresh_from_db()
    assert registration.status == S.WAITLISTED
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lasha@example.org"]
    assert registration.display_code not in mail.outbox[0].body  # no door code while waiting


def test_visitor_cannot_register_for_a_signed_in_event(client):
    event = make_event(audience=Audience.SIGNED_IN)
    response = client.post(
        reverse("events:register", args=[event.pk]), {"name": "ა", "email": "a@example.org"}
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Registration.objects.exists()


def test_visitor_form_errors_keep_the_input(client):
    event = make_event(audience=Audience.ANYONE)
    response = client.post(
        reverse("events:register", args=[event.pk]), {"name": "ლაშა", "email": "not-an-email"}
    )
    assert response.status_code == 200
    assert 'value="ლაშა"' in response.content.decode()
    assert not Registration.objects.exists()


def test_email_is_in_the_persons_language(db, mails):
    english = UserFactory(language="en")
    with mails():
        services.register(event=make_event(), user=english)
    assert mail.outbox[0].subject.startswith("You are registered")
    assert "Starts:" in mail.outbox[0].body


def test_someone_elses_registration_page_is_404(learner, other_learner, client_for):
    registration, _ = services.register(event=make_event(), user=learner)
    for name in ("events:registration", "events:qr", "events:registration_ics"):
        assert client_for(other_learner).get(reverse(name, args=[registration.token])).status_code == 404
    response = client_for(other_learner).post(reverse("events:cancel", args=[registration.token]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED


def test_own_registration_page_shows_the_code_and_qr(learner, client_for):
    registration, _ = services.register(event=make_event(), user=learner)
    client = client_for(learner)
    page = client.get(reverse("events:registration", args=[registration.token])).content.decode()
    assert registration.display_code in page
    assert reverse("events:qr", args=[registration.token]) in page
    qr = client.get(reverse("events:qr", args=[registration.token]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
