"""Demo calls and applications (``manage.py seed_demo``). Running it twice creates nothing twice."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.http import Http404
from django.utils import timezone

from accounts.api import User
from calls import services
from calls.models import Call, Criterion, DecisionTemplate, FormField, Status

TBILISI = ZoneInfo("Asia/Tbilisi")

CERTIFICATION_FIELDS = [
    (
        "motivation",
        "long_text",
        "რატომ გსურთ სერტიფიცირება?",
        "Why do you want to be certified?",
        {"word_limit": 300},
    ),
    (
        "experience",
        "long_text",
        "თქვენი გამოცდილება საჯარო მონაწილეობაში",
        "Your experience in public participation",
        {"word_limit": 400},
    ),
    (
        "experience_years",
        "number",
        "გამოცდილება (წელი)",
        "Experience (years)",
        {"min_value": 0, "max_value": 60},
    ),
    (
        "civic_budget",
        "yes_no",
        "მონაწილეობდით სამოქალაქო ბიუჯეტის შემუშავებაში?",
        "Have you helped develop a civic budget?",
        {},
    ),
    (
        "mechanisms",
        "multiple",
        "რომელ მექანიზმებთან გიმუშავიათ?",
        "Which participation mechanisms have you worked with?",
        {
            "choices": "საჯარო განხილვა | Public hearing\nპეტიცია | Petition\nსამოქალაქო ბიუჯეტი | Civic budget\nდასახლების საერთო კრება | Settlement meeting"
        },
    ),
    (
        "cv",
        "file",
        "CV (PDF)",
        "CV (PDF)",
        {"file_kinds": "pdf", "max_file_mb": 5, "required": False, "hidden_in_blind_review": True},
    ),
    ("portfolio", "url", "პორტფოლიოს ბმული", "Link to your portfolio", {"required": False}),
]
CERTIFICATION_CRITERIA = [
    ("არსებული გამოცდილება", "Existing experience", Decimal("3")),
    ("მოტივაცია", "Motivation", Decimal("2")),
    ("სამოქალაქო ბიუჯეტის შემუშავების უნარი", "Ability to develop a civic budget", Decimal("3")),
    (
        "მოქალაქეების ჩართვა მონაწილეობის მექანიზმებში",
        "Engaging citizens in participation mechanisms",
        Decimal("2"),
    ),
]
LETTERS = {
    "accepted": (
        "განაცხადი მიღებულია",
        "Your application is accepted",
        "პატივცემულო {name},\n\nსიამოვნებით გაცნობებთ, რომ თქვენი განაცხადი {reference} („{call}“) მიღებულია.",
        "Dear {name},\n\nWe are glad to tell you that your application {reference} to “{call}” is accepted.",
    ),
    "rejected": (
        "გადაწყვეტილება განაცხადზე",
        "Decision on your application",
        "პატივცემულო {name},\n\nსამწუხაროდ, განაცხადი {reference} („{call}“) ამჯერად ვერ დაკმაყოფილდა.",
        "Dear {name},\n\nWe are sorry: application {reference} to “{call}” could not be accepted this time.",
    ),
    "waitlisted": (
        "განაცხადი სარეზერვო სიაშია",
        "Your application is on the waiting list",
        "პატივცემულო {name},\n\nგანაცხადი {reference} („{call}“) სარეზერვო სიაშია.",
        "Dear {name},\n\nApplication {reference} to “{call}” is on the waiting list.",
    ),
}


def _call(slug, **fields) -> tuple[Call, bool]:
    return Call.objects.get_or_create(slug=slug, defaults=fields)


def _fields(call, rows):
    for position, (key, kind, ka, en, extra) in enumerate(rows, start=1):
        FormField.objects.get_or_create(
            call=call,
            key=key,
            defaults={"position": position, "kind": kind, "label_ka": ka, "label_en": en, **extra},
        )


def _criteria(call, rows):
    for position, (ka, en, weight) in enumerate(rows, start=1):
        Criterion.objects.get_or_create(
            call=call,
            position=position,
            defaults={"title_ka": ka, "title_en": en, "weight": weight, "min_score": 0, "max_score": 10},
        )


def _letters(call):
    for outcome, (subject_ka, subject_en, body_ka, body_en) in LETTERS.items():
        DecisionTemplate.objects.get_or_create(
            call=call,
            outcome=outcome,
            defaults={
                "subject_ka": subject_ka,
                "subject_en": subject_en,
                "body_ka": body_ka,
                "body_en": body_en,
            },
        )


def seed(stdout=None):
    from learning import api as learning

    now = timezone.now()
    year_end = datetime(2026, 12, 31, 18, 0, tzinfo=TBILISI)
    closes = year_end if year_end > now + timedelta(days=30) else now + timedelta(days=60)
    certification, _ = _call(
        "individual-certification-2026",
        kind="certification",
        title_ka="ინდივიდუალური სერტიფიცირება 2026",
        title_en="Individual certification 2026",
        description_ka="სერტიფიცირების პროგრამა საჯარო მონაწილეობის სპეციალისტებისთვის. ექსპერტთა ჯგუფი აფასებს "
        "გამოცდილებას, მოტივაციას, სამოქალაქო ბიუჯეტის შემუშავებისა და მოქალაქეთა ჩართვის უნარს.",
        description_en="A certification programme for public-participation practitioners. An expert team assesses experience, "
        "motivation, and the ability to develop a civic budget and engage citizens.",
        applicant_type="individuals",
        opens_at=now - timedelta(days=7),
        closes_at=closes,
        contact_email="certification@civichub.ge",
        published=True,
        reviewers_per_application=1,
        blind_review=True,
    )
    _fields(certification, CERTIFICATION_FIELDS)
    _criteria(certification, CERTIFICATION_CRITERIA)
    _letters(certification)

    grants, created = _call(
        "small-grants-2026",
        kind="small_grant",
        title_ka="მცირე გრანტები სამოქალაქო ორგანიზაციებისთვის 2026",
        title_en="Small grants for CSOs 2026",
        description_ka="მცირე გრანტები (5 000 ლარამდე) ადგილობრივი მონაწილეობის პროექტებისთვის.",
        description_en="Small grants (up to 5,000 GEL) for local participation projects.",
        applicant_type="organisations",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=45),
        contact_email="grants@civichub.ge",
        published=True,
        budget_max=Decimal("5000"),
        require_verified_organisation=True,
    )
    _fields(
        grants,
        [
            ("project_title", "short_text", "პროექტის სახელწოდება", "Project title", {}),
            ("summary", "long_text", "პროექტის მოკლე აღწერა", "Project summary", {"word_limit": 250}),
            ("start_date", "date", "დაწყების თარიღი", "Start date", {}),
            ("budget", "budget", "ბიუჯეტი", "Budget", {}),
            ("contact", "email", "საკონტაქტო ელფოსტა", "Contact email", {}),
        ],
    )
    _criteria(
        grants,
        [
            ("შესაბამისობა", "Relevance", Decimal("2")),
            ("ბიუჯეტის რეალისტურობა", "Realistic budget", Decimal("1")),
        ],
    )
    _letters(grants)
    if created:
        with contextlib.suppress(Http404):
            grants.required_courses.add(learning.course_by_slug("public-finance"))

    internship, created = _call(
        "internships-2026",
        kind="internship",
        title_ka="სტაჟირება სამოქალაქო ორგანიზაციებში 2026",
        title_en="Internships at CSOs 2026",
        description_ka="სამთვიანი სტაჟირება. საჭიროა ნებისმიერი ორი კურსის დასრულება.",
        description_en="Three-month internships. Any two completed courses are required.",
        applicant_type="individuals",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        contact_email="internships@civichub.ge",
        published=True,
        course_rule="any_n",
        courses_needed=2,
    )
    _fields(
        internship,
        [
            ("motivation", "long_text", "მოტივაცია", "Motivation", {"word_limit": 200}),
            ("available_from", "date", "როდიდან ხართ ხელმისაწვდომი?", "Available from", {}),
        ],
    )
    _criteria(internship, [("მოტივაცია", "Motivation", Decimal("1"))])
    if created:
        internship.required_courses.add(*learning.published_courses()[:3])

    nino = User.objects.filter(email="nino@demo.civichub.ge").first()
    giorgi = User.objects.filter(email="giorgi@demo.civichub.ge").first()
    expert = User.objects.filter(email="expert@demo.civichub.ge").first()
    staff = User.objects.filter(email="staff@demo.civichub.ge").first()
    if not (nino and expert and staff):
        return []
    answers = {
        "motivation": "მინდა ჩემს მუნიციპალიტეტში სამოქალაქო ბიუჯეტი დავნერგო.",
        "experience": "ხუთი წელი ვმუშაობ ქუთაისის სათემო ორგანიზაციებთან.",
        "experience_years": "5",
        "civic_budget": "yes",
        "mechanisms": ["1", "3"],
        "portfolio": "https://example.org/nino",
    }
    application = services.start_application(call=certification, user=nino)
    if application.status == Status.DRAFT:
        services.save_draft(application=application, by=nino, values=answers)
        application = services.submit_application(application=application, by=nino)
        services.screen(application=application, by=staff, compliant=True, note="")
        services.assign_reviewer(application=application, reviewer=expert, by=staff)
    # A draft in progress, listed on nino's "My applications" page: try autosave, two tabs, signing out.
    in_progress = services.start_application(call=internship, user=nino)
    if in_progress.status == Status.DRAFT and not in_progress.data:
        services.save_draft(
            application=in_progress,
            by=nino,
            values={"motivation": "მინდა ვისწავლო, როგორ ამზადებს ორგანიზაცია საჯარო განხილვას"},
        )
    if giorgi:
        other = services.start_application(call=certification, user=giorgi)
        if other.status == Status.DRAFT:
            services.save_draft(
                application=other,
                by=giorgi,
                values={
                    **answers,
                    "experience_years": "2",
                    "motivation": "მსურს ვისწავლო საჯარო მოსმენების ორგანიზება.",
                },
            )
            services.submit_application(application=other, by=giorgi)
    if stdout:
        stdout.write(
            "calls: 3 demo calls, applications from nino (in review, assigned to expert; a draft in progress) "
            "and giorgi (submitted)\n"
        )
    return []
