"""A ceremony event linked to a certification call: certified people invited (once, by email), the ceremony
PDF built by credentials from those registered, a participation credential on check-in where switched on."""

import pytest
from django.core import mail
from django.urls import reverse

from credentials import services as credential_services
from credentials.models import Ceremony, Credential
from events import services
from events.models import Audience, EventKind, Invitation
from tests.awards.offers.builders import accepted
from tests.calls.builders import make_call
from tests.credentials import keys as test_keys
from tests.events.builders import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(learner, other_learner, staff):
    credential_services.rotate_signing_key(private_key=test_keys.test_private_key(0))
    call = make_call(slug="ceremony-call")
    for person in (learner, other_learner):
        accepted(call, person, staff)
        credential_services.issue_credential(
            user=person, achievement=credential_services.achievement_for_call(call)
        )
    return call


def test_certified_people_are_invited_once_by_email(certified, learner, other_learner, mentor, staff, mails):
    event = make_event(kind=EventKind.CEREMONY, audience=Audience.INVITED, certification_call=certified)
    with mails():
        assert services.invite_certified(event=event, by=staff) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([learner.email, other_learner.email])
    assert reverse("events:detail", args=[event.pk]) in mail.outbox[0].body
    assert services.invite_certified(event=event, by=staff) == 0
    assert Invitation.objects.filter(event=event).count() == 2
    assert services.register(event=event, user=learner)[0].status == "confirmed"
    with pytest.raises(services.RegistrationError):
        services.register(event=event, user=mentor)


def test_ceremony_pdf_holds_the_certificates_of_those_registered(certified, learner, staff, client_for):
    event = make_event(kind=EventKind.CEREMONY, audience=Audience.INVITED, certification_call=certified)
    services.invite_certified(event=event, by=staff)
    services.register(event=event, user=learner)
    response = client_for(staff).post(reverse("events:ceremony_pdf", args=[event.pk]))
    ceremony = Ceremony.objects.get()
    assert response["Location"] == reverse("credentials:ceremony_detail", args=[ceremony.pk])
    assert [c.user for c in ceremony.credentials.all()] == [learner]


def test_ceremony_pdf_without_registered_certified_people_is_refused(certified, staff, client_for):
    event = make_event(kind=EventKind.CEREMONY, certification_call=certified)
    client_for(staff).post(reverse("events:ceremony_pdf", args=[event.pk]))
    assert not Ceremony.objects.exists()


def test_check_in_issues_a_participation_credential_where_switched_on(learner, other_learner, staff):
    credential_services.rotate_signing_key(private_key=test_keys.test_private_key(0))
    on = make_event(issue_participation_credentials=True)
    off = make_event(title_ka="სხვა")
    first, _ = services.register(event=on, user=learner)
    second, _ = services.register(event=off, user=other_learner)
    services.check_in(event=on, code=first.code, by=staff)
    services.check_in(event=on, code=first.code, by=staff)
    services.check_in(event=off, code=second.code, by=staff)
    assert list(Credential.objects.values_list("user", "achievement__key")) == [
        (learner.pk, f"event:{on.pk}")
    ]


def test_people_certified_after_the_ceremony_was_announced_are_invited_by_the_hourly_job(
    certified, learner, other_learner, mentor, staff, mails
):
    import datetime as dt

    from django.utils import timezone

    from core.periodic import JOBS
    from events import tasks

    event = make_event(kind=EventKind.CEREMONY, audience=Audience.INVITED, certification_call=certified)
    past = make_event(
        kind=EventKind.CEREMONY,
        audience=Audience.INVITED,
        certification_call=certified,
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2) + dt.timedelta(hours=2),
        registration_deadline=timezone.now() - dt.timedelta(days=3),
    )
    draft = make_event(
        kind=EventKind.CEREMONY, audience=Audience.INVITED, certification_call=certified, published=False
    )
    services.invite_certified(event=event, by=staff)  # announced: the two certified so far
    accepted(certified, mentor, staff)  # certified later
    assert "events.tasks.invite_newly_certified" in [job.task for job in JOBS]
    with mails():
        assert tasks.invite_newly_certified.call() == 1
    assert [m.to[0] for m in mail.outbox] == [mentor.email]
    assert reverse("events:detail", args=[event.pk]) in mail.outbox[0].body
    assert set(Invitation.objects.filter(event=event).values_list("user_id", flat=True)) == {
        learner.pk,
        other_learner.pk,
        mentor.pk,
    }
    assert not Invitation.objects.filter(event__in=[past, draft]).exists()  # over, or not announced
    assert services.invite_newly_certified() == 0  # the next hour invites nobody twice
