"""Demo content for offers: Kakheti Budget Watch's application (orgadmin@) to last year's small-grant call accepted
with an accepted offer — the projects demo starts its grant project from it — and an open offer waiting for nino@'s
answer (her accepted application to last year's certification call).

Both applications are to last year's (closed) calls, made here, so calls' own demo keeps this year's small-grant
draft with its co-applicant, and the internships demo shows a decision made through the review itself. The demo
records these two applications' review outcome directly (a closed call takes no submission); the offers are made
and answered through the offers services, so their events, audit entries and letters are the real ones.
Idempotent: a second run finds everything in place and creates nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.api import Organisation, User
from awards.models.offers import Offer, OfferStatus
from awards.services import offers as services
from calls.api import Application, Call, CallKind, FormField, FormKind, Outcome, Status

GRANT_CALL = "small-grants-2025"
ORGANISATION = "kakheti-budget-watch"
CERTIFICATION_2025 = "individual-certification-2025"

GRANT_ANSWERS = {
    "project_title": "კახეთის ბიუჯეტის ღია მონიტორინგი",
    "summary": "ექვს მუნიციპალიტეტში ბიუჯეტის შესრულებას ვაკვირდებით და შედეგებს საჯაროდ ვაქვეყნებთ.",
    "contact": "orgadmin@demo.civichub.ge",
    "budget": [
        {"item": "საჯარო შეხვედრები სამ მუნიციპალიტეტში", "qty": "3", "unit": "600"},
        {"item": "მოქალაქის ბიუჯეტის სახელმძღვანელოს ბეჭდვა", "qty": "500", "unit": "2.40"},
        {"item": "მონიტორინგის ანგარიშის მომზადება", "qty": "1", "unit": "1500"},
    ],
}


def _accepted(application: Application, *, data: dict, reference: str, now) -> Application:
    """Record ``application`` as accepted with its decision letter sent (a no-op once it is)."""
    if application.status == Status.DECIDED:
        return application
    Application.objects.filter(pk=application.pk).update(
        data={**application.data, **data},
        status=Status.DECIDED,
        outcome=Outcome.ACCEPTED,
        reference=application.reference or reference,
        submitted_at=application.submitted_at or now - timedelta(days=40),
        decided_at=now - timedelta(days=10),
        decision_published_at=now - timedelta(days=9),
        score=Decimal("8.50"),
    )
    application.refresh_from_db()
    return application


GRANT_FIELDS = [  # (key, calls' field kind, Georgian label, English label)
    ("project_title", "short_text", "პროექტის სახელწოდება", "Project title"),
    ("summary", "long_text", "პროექტის მოკლე აღწერა", "Project summary"),
    ("budget", "budget", "ბიუჯეტი", "Budget"),
    ("contact", "email", "საკონტაქტო ელფოსტა", "Contact email"),
]


def _last_years_grant_call(now) -> Call:
    """Last year's small-grant call (closed), with the questions the grant project reads (its budget table)."""
    call, _created = Call.objects.get_or_create(
        slug=GRANT_CALL,
        defaults={
            "kind": CallKind.SMALL_GRANT,
            "title_ka": "მცირე გრანტები სამოქალაქო ორგანიზაციებისთვის 2025",
            "title_en": "Small grants for CSOs 2025",
            "description_ka": "გასული წლის მცირე გრანტები (5 000 ლარამდე) ადგილობრივი მონაწილეობის პროექტებისთვის.",
            "description_en": "Last year's small grants (up to 5,000 GEL) for local participation projects.",
            "applicant_type": "organisations",
            "opens_at": now - timedelta(days=150),
            "closes_at": now - timedelta(days=90),
            "contact_email": "grants@civichub.ge",
            "published": True,
            "budget_max": Decimal("5000"),
        },
    )
    for position, (key, kind, ka, en) in enumerate(GRANT_FIELDS, start=1):
        FormField.objects.get_or_create(
            call=call,
            form=FormKind.APPLICATION,
            key=key,
            defaults={"position": position, "kind": kind, "label_ka": ka, "label_en": en},
        )
    return call


def _grant_offer(staff, now, stdout) -> Offer | None:
    orgadmin = User.objects.filter(email="orgadmin@demo.civichub.ge").first()
    organisation = Organisation.objects.filter(slug=ORGANISATION).first()
    if not (orgadmin and organisation):
        return None
    call = _last_years_grant_call(now)
    application = Application.objects.filter(call=call, applicant=orgadmin).first()
    if application is None:
        application = Application.objects.create(call=call, applicant=orgadmin, organisation=organisation)
    if application.organisation_id != organisation.pk:  # a demo made before the call was last year's
        return None
    application = _accepted(application, data=GRANT_ANSWERS, reference="CH-2026-900001", now=now)
    offer = services.make_offer(application=application, by=staff, now=now - timedelta(days=8))
    if offer.status == OfferStatus.MADE:
        services.accept_offer(offer=offer, by=orgadmin, acknowledged=True)
        offer.refresh_from_db()
        if stdout:
            stdout.write("awards offers: Kakheti Budget Watch accepted its small-grant offer\n")
    return offer


def _open_offer(staff, now, stdout) -> Offer | None:
    nino = User.objects.filter(email="nino@demo.civichub.ge").first()
    if nino is None:
        return None
    call, _created = Call.objects.get_or_create(
        slug=CERTIFICATION_2025,
        defaults={
            "kind": CallKind.CERTIFICATION,
            "title_ka": "ინდივიდუალური სერტიფიცირება 2025",
            "title_en": "Individual certification 2025",
            "description_ka": "გასული წლის სერტიფიცირების პროგრამა საჯარო მონაწილეობის სპეციალისტებისთვის.",
            "description_en": "Last year's certification programme for public-participation practitioners.",
            "applicant_type": "individuals",
            "opens_at": now - timedelta(days=120),
            "closes_at": now - timedelta(days=60),
            "contact_email": "certification@civichub.ge",
            "published": True,
        },
    )
    application = Application.objects.filter(call=call, applicant=nino).first()
    if application is None:
        application = Application.objects.create(call=call, applicant=nino)
    application = _accepted(
        application,
        data={"motivation": "მინდა ჩემს მუნიციპალიტეტში სამოქალაქო ბიუჯეტი დავნერგო."},
        reference="CH-2025-900001",
        now=now,
    )
    existing = Offer.objects.filter(application=application).first()
    if existing is not None:
        return existing
    offer = services.make_offer(application=application, by=staff, response_deadline=now + timedelta(days=10))
    if stdout:
        stdout.write("awards offers: an offer waits for nino's answer (certification 2025)\n")
    return offer


def seed(stdout) -> dict:
    staff = User.objects.filter(email="staff@demo.civichub.ge").first()
    if staff is None:
        return {}
    now = timezone.now()
    _grant_offer(staff, now, stdout)
    _open_offer(staff, now, stdout)
    return {}
