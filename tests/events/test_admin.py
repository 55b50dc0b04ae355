"""Staff in the admin: an event's registration questions picked from a questionnaire; invitations added there (a
person or just an address) are emailed, each once."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import Audience, Invitation
from tests.events.builders import make_event, make_questionnaire

pytestmark = pytest.mark.django_db


def _form(event, **extra):
    local = {
        name: timezone.localtime(getattr(event, name))
        for name in ("starts_at", "ends_at", "registration_deadline")
    }
    data = {
        "kind": event.kind,
        "title_ka": event.title_ka,
        "title_en": event.title_en,
        "description_ka": event.description_ka,
        "description_en": "",
        "venue": event.venue,
        "address": event.address,
        "online_url": "",
        "capacity": event.capacity,
        "audience": event.audience,
        "published": "on",
        "certification_call": "",
        "questionnaire": "",
        "invitations-TOTAL_FORMS": "0",
        "invitations-INITIAL_FORMS": "0",
        "invitations-MIN_NUM_FORMS": "0",
        "invitations-MAX_NUM_FORMS": "1000",
    }
    for name, value in local.items():
        data[f"{name}_0"] = value.strftime("%Y-%m-%d")
        data[f"{name}_1"] = value.strftime("%H:%M:%S")
    data.update(extra)
    return data


def test_invitations_added_in_the_admin_are_emailed_once(
    client_for, staff, learner, django_capture_on_commit_callbacks
):
    event = make_event(audience=Audience.INVITED, title_ka="დახურული შეხვედრა")
    url = reverse("admin:events_event_change", args=[event.pk])
    client = client_for(staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            _form(
                event,
                **{
                    "invitations-TOTAL_FORMS": "2",
                    "invitations-0-email": "Guest@Example.org",
                    "invitations-1-user": str(learner.pk),
                },
            ),
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["Guest@Example.org", learner.email])
    by_address = next(m for m in mail.outbox if m.to == ["Guest@Example.org"])
    assert by_address.subject == "მოწვეული ხართ — დახურული შეხვედრა"
    assert reverse("events:detail", args=[event.pk]) in by_address.body
    assert learner.display_name in next(m for m in mail.outbox if m.to == [learner.email]).body

    mail.outbox.clear()
    invitations = list(Invitation.objects.filter(event=event).order_by("pk"))
    kept = {
        "invitations-TOTAL_FORMS": "2",
        "invitations-INITIAL_FORMS": "2",
        **{f"invitations-{i}-id": str(inv.pk) for i, inv in enumerate(invitations)},
        **{f"invitations-{i}-event": str(event.pk) for i in range(2)},
        "invitations-0-email": invitations[0].email,
        "invitations-1-user": str(learner.pk),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, _form(event, **kept)).status_code == 302
    assert mail.outbox == []  # saved again: nobody is invited twice


def test_staff_pick_the_registration_questions(client_for, staff, learner):
    event = make_event()
    questionnaire = make_questionnaire()
    url = reverse("admin:events_event_change", args=[event.pk])
    assert client_for(staff).post(url, _form(event, questionnaire=str(questionnaire.pk))).status_code == 302
    event.refresh_from_db()
    assert event.questionnaire == questionnaire
    page = client_for(learner).get(reverse("events:register", args=[event.pk])).content.decode()
    assert "კვების საჭიროებები" in page
