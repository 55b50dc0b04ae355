"""Demo data: an upcoming conference with registrations and a waitlist, a past training with attendance
(idempotent: events are found by title, registrations are unique per person)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.api import User
from events import services
from events.models import Audience, Event, EventKind, Registration, RegistrationStatus

CONFERENCE = "საზოგადოებრივი მონაწილეობის კონფერენცია 2026"
TRAINING = "ტრენინგი: საჯარო ფინანსები თემებისთვის"


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed(stdout=None):
    people = {u.email: u for u in User.objects.filter(email__endswith="@demo.civichub.ge")}
    conference, _created = Event.objects.get_or_create(
        title_ka=CONFERENCE,
        defaults={
            "kind": EventKind.CONFERENCE,
            "title_en": "Public Participation Conference 2026",
            "description_ka": "პროგრამის დასკვნითი კონფერენცია: **საჯარო მოსმენები**, სამოქალაქო ბიუჯეტები და "
            "სერტიფიკატების გადაცემის ცერემონია.",
            "description_en": "The programme's closing conference: **public hearings**, civic budgets and the "
            "certificate ceremony.",
            "starts_at": _at(14, 10),
            "ends_at": _at(14, 17),
            "venue": "სასტუმრო „ბილტმორი“, საკონფერენციო დარბაზი",
            "address": "რუსთაველის გამზირი 29, თბილისი",
            "capacity": 3,
            "registration_deadline": _at(12, 18),
            "audience": Audience.SIGNED_IN,
            "published": True,
        },
    )
    questionnaire = _questions()
    if questionnaire is not None and conference.questionnaire_id is None:
        conference.questionnaire = questionnaire
        conference.save(update_fields=["questionnaire", "updated_at"])
    demo_answers = [
        {"diet": "2", "discuss": "საჯარო მოსმენების ორგანიზება მუნიციპალიტეტში"},
        {"diet": "1"},
        {"diet": "3", "discuss": "სამოქალაქო ბიუჯეტის პილოტი"},
        {"diet": "1", "discuss": "ახალგაზრდების ჩართულობა"},
    ]
    for email, answers in zip(("nino@", "giorgi@", "practitioner@", "orgadmin@"), demo_answers, strict=True):
        user = people.get(f"{email}demo.civichub.ge")
        if user is not None:
            services.register(
                event=conference, user=user, answers=answers if questionnaire is not None else {}
            )
    webinar, _created = Event.objects.get_or_create(
        title_ka="ვებინარი: როგორ დავწეროთ პეტიცია",
        defaults={
            "kind": EventKind.WEBINAR,
            "title_en": "Webinar: how to write a petition",
            "description_ka": "ონლაინ შეხვედრა ადგილობრივი პეტიციების შესახებ.",
            "description_en": "An online meeting about local petitions.",
            "starts_at": _at(7, 18),
            "ends_at": _at(7, 19),
            "online_url": "https://meet.example.org/civichub-petitions",
            "capacity": 100,
            "registration_deadline": _at(7, 12),
            "audience": Audience.ANYONE,
            "published": True,
        },
    )
    nino = people.get("nino@demo.civichub.ge")
    if nino is not None:
        services.register(event=webinar, user=nino)

    # The past training's registrations are history: written as they ended (registration is closed now).
    training, created = Event.objects.get_or_create(
        title_ka=TRAINING,
        defaults={
            "kind": EventKind.TRAINING,
            "title_en": "Training: public finance for communities",
            "description_ka": "ერთდღიანი ტრენინგი ადგილობრივი ბიუჯეტის კითხვასა და ანალიზზე.",
            "description_en": "A one-day training on reading and analysing a local budget.",
            "starts_at": _at(-20, 10),
            "ends_at": _at(-20, 16),
            "venue": "ქუთაისის საჯარო ბიბლიოთეკა",
            "address": "ქუთაისი, ფალიაშვილის ქ. 1",
            "capacity": 20,
            "registration_deadline": _at(-22, 18),
            "audience": Audience.SIGNED_IN,
            "published": True,
        },
    )
    if created:
        for index, email in enumerate(("nino@", "giorgi@", "mentor@", "host@")):
            user = people.get(f"{email}demo.civichub.ge")
            if user is None:
                continue
            Registration.objects.get_or_create(
                event=training,
                user=user,
                defaults={
                    "name": user.display_name,
                    "email": user.email.lower(),
                    "status": RegistrationStatus.CONFIRMED,
                    "placed_at": _at(-25, 12),
                    "checked_in_at": _at(-20, 9) + dt.timedelta(minutes=40 + index * 3)
                    if index < 3
                    else None,
                },
            )
    _ceremony()
    services.event_saved()
    return []


def _questions():
    """The conference's two registration questions (a questionnaire of the calls form engine), or None."""
    from django.apps import apps

    if not apps.is_installed("calls"):
        return None
    from calls.api import FormField, Questionnaire

    questionnaire, _created = Questionnaire.objects.get_or_create(
        title_ka="კონფერენციის რეგისტრაციის კითხვები",
        defaults={"title_en": "Conference registration questions"},
    )
    FormField.objects.get_or_create(
        questionnaire=questionnaire,
        key="diet",
        defaults={
            "position": 1,
            "kind": "choice",
            "label_ka": "კვების საჭიროებები",
            "label_en": "Dietary needs",
            "choices": "არ მაქვს | None\nვეგეტარიანული | Vegetarian\nმარხვის | Lenten\nსხვა (დაგვიკავშირდით) | Other "
            "(contact us)",
            "required": True,
        },
    )
    FormField.objects.get_or_create(
        questionnaire=questionnaire,
        key="discuss",
        defaults={
            "position": 2,
            "kind": "short_text",
            "label_ka": "რისი განხილვა გსურთ კონფერენციაზე?",
            "label_en": "What do you want to discuss at the conference?",
            "required": False,
        },
    )
    return questionnaire


def _ceremony() -> None:
    """The certificate ceremony at the conference, linked to the demo certification call (its certified people are
    invited)."""
    from django.apps import apps

    if not apps.is_installed("calls"):
        return
    from calls.api import certification_calls

    call = certification_calls().first()
    if call is None:
        return
    ceremony, _created = Event.objects.get_or_create(
        title_ka="სერტიფიკატების გადაცემის ცერემონია",
        defaults={
            "kind": EventKind.CEREMONY,
            "title_en": "Certificate ceremony",
            "description_ka": "სერტიფიცირების პროგრამის კურსდამთავრებულთა დაჯილდოება კონფერენციის ბოლოს.",
            "description_en": "The certification programme's graduates receive their certificates at the conference.",
            "starts_at": _at(14, 17),
            "ends_at": _at(14, 18),
            "venue": "სასტუმრო „ბილტმორი“, საკონფერენციო დარბაზი",
            "address": "რუსთაველის გამზირი 29, თბილისი",
            "capacity": 60,
            "registration_deadline": _at(12, 18),
            "audience": Audience.INVITED,
            "published": True,
            "certification_call": call,
            "issue_participation_credentials": True,
        },
    )
    services.invite_certified(event=ceremony)
