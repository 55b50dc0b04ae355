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
    # review: review deadlines, expert's statement and a review revised after nino answered a question
    if seed_review(staff=staff, reviewer=expert, applicant=nino) and stdout:
        stdout.write(
            "calls: nino's certification application: a review revised after her answer (score history)\n"
        )
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
        # feedback: giorgi's application rejected with two reasons, its letter with feedback in the outbox
        if seed_feedback(staff=staff, reviewer=expert, applicant=giorgi) and stdout:
            stdout.write(
                "calls: giorgi's application rejected with two reasons; its letter with feedback waits\n"
            )
    # stages: a two-stage call with a shortlist; an organisation's application with a co-applicant
    if giorgi:
        orgadmin = User.objects.filter(email="orgadmin@demo.civichub.ge").first()
        seed_stages(staff=staff, reviewer=expert, nino=nino, giorgi=giorgi, orgadmin=orgadmin or staff)
        if stdout:
            stdout.write(
                "calls: a two-stage call (giorgi shortlisted with a full-proposal draft, nino declined); "
                "orgadmin's grant draft with giorgi as co-applicant\n"
            )
    # awards: giorgi's internship application goes all the way: submitted, reviewed, accepted, letter sent
    if giorgi and seed_accepted_intern(staff=staff, reviewer=expert, intern=giorgi) and stdout:
        stdout.write("calls: giorgi's internship application accepted; its decision letter sent\n")
    if stdout:
        stdout.write(
            "calls: 3 demo calls, applications from nino (in review, assigned to expert; a draft in progress) "
            "and giorgi (submitted)\n"
        )
    return []


# --- awards: an application that goes the whole way, for the internships demo (offer, then placement) ------------

INTERN_ANSWERS = {
    "motivation": "მინდა ვისწავლო ბიუჯეტის მონიტორინგი პრაქტიკაში: ორი კურსი უკვე დავასრულე.",
}


def seed_accepted_intern(*, staff, reviewer, intern) -> bool:
    """``intern``'s application to the demo internship call through calls' services: submitted (eligible by two
    completed courses, see learning's demo), screened, reviewed, accepted, its decision letter approved and sent.
    True when the decision was made now; nothing happens again once decided, or if ``intern`` is not eligible
    (learning not installed or its demo not loaded): then the awards demo has no intern to place."""
    from calls.models import OutboxMessage, OutboxStatus, Outcome

    call = Call.objects.filter(slug="internships-2026").first()
    if call is None:
        return False
    application = services.start_application(call=call, user=intern)
    if application.status == Status.DRAFT:
        if services.eligibility(call=call, user=intern):
            return False
        services.save_draft(
            application=application,
            by=intern,
            values={**INTERN_ANSWERS, "available_from": timezone.localdate().isoformat()},
        )
        application = services.submit_application(application=application, by=intern)
        services.screen(application=application, by=staff, compliant=True, note="")
        assignment = services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
        services.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
        services.save_review(
            assignment=assignment,
            by=reviewer,
            scores={str(c.pk): 9 for c in call.criteria.all()},
            comments="მკაფიო მოტივაცია; ორივე კურსი დასრულებულია.",
            recommendation="accept",
            submit=True,
        )
    application.refresh_from_db()
    if application.status != Status.IN_REVIEW:
        return False
    services.decide(application=application, by=staff, outcome=Outcome.ACCEPTED, note="")
    letters = list(OutboxMessage.objects.filter(application=application, status=OutboxStatus.PENDING))
    services.approve_outbox(messages=letters, by=staff)
    for letter in letters:
        services.deliver_outbox_message(letter.pk)
    return True


# --- end awards


# --- feedback: decline reasons on the demo calls, a rejection with two reasons, a letter with feedback ----------

DECLINE_REASONS = {
    "individual-certification-2026": [
        ("არასაკმარისი პრაქტიკული გამოცდილება", "Not enough practical experience"),
        ("მოტივაცია არ არის დასაბუთებული", "Motivation not substantiated"),
        ("საჭირო დოკუმენტები აკლია", "Required documents missing"),
    ],
    "small-grants-2026": [
        ("ბიუჯეტი არარეალისტურია", "Unrealistic budget"),
        ("პროექტი არ შეესაბამება კონკურსის მიზნებს", "Project outside the call's aims"),
        (
            "ორგანიზაცია არ აკმაყოფილებს კონკურსის პირობებს",
            "Organisation does not meet the call's conditions",
        ),
    ],
}
DEMO_REVIEW = (
    "მოტივაცია ზოგადია და არ ჩანს, როგორ გამოიყენებს განმცხადებელი სერტიფიკატს. პრაქტიკული გამოცდილება "
    "ჯერჯერობით მცირეა: კარგი იქნება, თუ მომდევნო წელს ერთ საჯარო განხილვას მაინც თავად მოამზადებს."
)
DEMO_FEEDBACK = {
    0: "საჯარო მონაწილეობის პრაქტიკული გამოცდილება ჯერ მცირეა: ორ წელზე ნაკლები და ძირითადად ასისტენტის როლში.",
    1: "მოტივაცია გულწრფელია, მაგრამ ზოგადი. აღწერეთ, რისი შეცვლა გსურთ თქვენს მუნიციპალიტეტში და როგორ.",
}
DEMO_OVERALL = (
    "გირჩევთ, მომდევნო წელს თავად მოამზადოთ ერთი საჯარო განხილვა და დაასრულოთ კურსი „საჯარო ფინანსები“, "
    "შემდეგ კი ხელახლა შეიტანოთ განაცხადი. კომისია თქვენს მონაწილეობას სიამოვნებით იხილავს."
)


def seed_feedback(*, staff, reviewer, applicant) -> bool:
    """Decline reasons on the demo calls; ``applicant``'s certification application reviewed, given feedback and
    rejected with two reasons, its letter (with the feedback) waiting in the outbox. True when it was rejected now.
    Running it again creates nothing twice (the application is decided after the first run)."""
    from calls.models import Application, DeclineReason

    for slug, labels in DECLINE_REASONS.items():
        call = Call.objects.filter(slug=slug).first()
        if call is None:
            continue
        for position, (label_ka, label_en) in enumerate(labels, start=1):
            DeclineReason.objects.get_or_create(
                call=call, label_ka=label_ka, defaults={"label_en": label_en, "position": position}
            )
    application = (
        Application.objects.filter(call__slug="individual-certification-2026", applicant=applicant)
        .select_related("call")
        .first()
    )
    if application is None or application.status not in (
        Status.SUBMITTED,
        Status.SCREENING,
        Status.IN_REVIEW,
    ):
        return False
    call = application.call
    if application.status != Status.IN_REVIEW:
        application = services.screen(application=application, by=staff, compliant=True, note="")
    assignment = application.assignments.filter(reviewer=reviewer).first() or services.assign_reviewer(
        application=application, reviewer=reviewer, by=staff
    )
    services.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
    services.confirm_statement(reviewer=reviewer, call=call)
    criteria = list(call.criteria.all())
    services.save_review(
        assignment=assignment,
        by=reviewer,
        scores={str(c.pk): c.min_score + (c.max_score - c.min_score) // 3 for c in criteria},
        comments=DEMO_REVIEW,
        recommendation="reject",
        submit=True,
    )
    services.save_feedback(
        application=application,
        by=staff,
        criteria={str(criteria[n].pk): text for n, text in DEMO_FEEDBACK.items() if n < len(criteria)},
        overall=DEMO_OVERALL,
    )
    reasons = list(DeclineReason.objects.filter(call=call).order_by("position", "pk")[:2])
    services.decide(
        application=application,
        by=staff,
        outcome="rejected",
        note="კომისიის სხდომის გადაწყვეტილება",
        decline_reasons=[r.pk for r in reasons],
    )
    return True


# --- end feedback ---------------------------------------------------------------------------------------------


# --- stages: a two-stage call with a shortlist, and an organisation's application with a co-applicant ----------

CONCEPT_FIELDS = [
    ("idea_title", "short_text", "იდეის სახელწოდება", "Title of the idea", {}),
    ("idea", "long_text", "იდეის მოკლე აღწერა", "The idea in brief", {"word_limit": 200}),
    ("municipality", "short_text", "მუნიციპალიტეტი", "Municipality", {}),
]
FULL_FIELDS = [
    *CONCEPT_FIELDS,
    ("work_plan", "long_text", "სამუშაო გეგმა", "Work plan", {"word_limit": 500}),
    ("budget", "budget", "ბიუჯეტი", "Budget", {}),
]


def _concept_note(call, user, answers, *, staff, reviewer, score):
    """A concept note submitted, screened and reviewed (idempotent: later steps are skipped once done)."""
    application = services.start_application(call=call, user=user)
    if application.status == Status.DRAFT:
        services.save_draft(application=application, by=user, values=answers)
        application = services.submit_application(application=application, by=user)
        services.screen(application=application, by=staff, compliant=True, note="")
        assignment = services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
        services.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
        scores = {str(c.pk): score for c in call.criteria.all()}
        services.save_review(
            assignment=assignment,
            by=reviewer,
            scores=scores,
            comments="",
            recommendation="accept" if score > 5 else "reject",
            submit=True,
        )
        application.refresh_from_db()
    return application


def seed_stages(*, staff, reviewer, nino, giorgi, orgadmin) -> None:
    from accounts.api import Membership, Organisation, accept_invitation, invite_member
    from calls.models import Collaborator, OutboxMessage, OutboxStatus, Outcome

    now = timezone.now()
    concept, _ = _call(
        "civic-ideas-2026-concept",
        kind="small_grant",
        title_ka="სამოქალაქო იდეები 2026: კონცეფცია",
        title_en="Civic ideas 2026: concept note",
        description_ka="პირველი ეტაპი: მოკლე კონცეფცია. შერჩეულ ავტორებს სრული განაცხადის წარსადგენად ვიწვევთ.",
        description_en="Stage one: a short concept note. Shortlisted authors are invited to submit a full proposal.",
        applicant_type="individuals",
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=20),
        contact_email="grants@civichub.ge",
        published=True,
        reviewers_per_application=1,
    )
    _fields(concept, CONCEPT_FIELDS)
    _criteria(concept, [("იდეის ღირებულება", "Value of the idea", Decimal("1"))])
    _letters(concept)
    full, _ = _call(
        "civic-ideas-2026-full",
        kind="small_grant",
        concept_stage=concept,
        title_ka="სამოქალაქო იდეები 2026: სრული განაცხადი",
        title_en="Civic ideas 2026: full proposal",
        description_ka="მეორე ეტაპი: მხოლოდ შერჩეული კონცეფციების ავტორებისთვის.",
        description_en="Stage two: only for the authors of shortlisted concept notes.",
        applicant_type="individuals",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=60),
        contact_email="grants@civichub.ge",
        published=True,
        budget_max=Decimal("8000"),
        reviewers_per_application=1,
    )
    _fields(full, FULL_FIELDS)
    _criteria(
        full,
        [
            ("შესაბამისობა", "Relevance", Decimal("2")),
            ("სამუშაო გეგმის რეალისტურობა", "Realistic work plan", Decimal("1")),
        ],
    )
    _letters(full)
    # Giorgi's concept note is shortlisted (his full-proposal draft carries its answers; the invitation was sent);
    # Nino's is not (her letter waits in the outbox for staff to approve).
    shortlisted = _concept_note(
        concept,
        giorgi,
        {
            "idea_title": "ღია ბიუჯეტის საათი",
            "idea": "ყოველთვიური შეხვედრები თელავში, სადაც მოქალაქეები მუნიციპალიტეტის ხარჯებს განიხილავენ.",
            "municipality": "თელავი",
        },
        staff=staff,
        reviewer=reviewer,
        score=8,
    )
    if shortlisted.status == Status.IN_REVIEW:
        services.shortlist(application=shortlisted, by=staff, note="ძლიერი იდეა")
        letters = list(OutboxMessage.objects.filter(application=shortlisted, status=OutboxStatus.PENDING))
        services.approve_outbox(messages=letters, by=staff)
        for letter in letters:
            services.deliver_outbox_message(letter.pk)
    declined = _concept_note(
        concept,
        nino,
        {
            "idea_title": "სკოლის ეზოს განახლება",
            "idea": "მოსწავლეები და მშობლები ერთად გეგმავენ ეზოს განახლებას.",
            "municipality": "ქუთაისი",
        },
        staff=staff,
        reviewer=reviewer,
        score=3,
    )
    if declined.status == Status.IN_REVIEW:
        services.decide(application=declined, by=staff, outcome=Outcome.REJECTED, note="")

    # Mariam's organisation applies for a small grant; Giorgi (a member) edits the draft with her.
    grants = Call.objects.filter(slug="small-grants-2026").first()
    organisation = Organisation.objects.filter(slug="kakheti-budget-watch").first()
    if grants is None or organisation is None:
        return
    if not Membership.objects.filter(organisation=organisation, user=giorgi).exists():
        invitation = invite_member(
            organisation=organisation, email=giorgi.email, role="member", invited_by=orgadmin
        )
        accept_invitation(invitation=invitation, user=giorgi)
    application = services.start_application(call=grants, user=orgadmin, organisation=organisation)
    if (
        application.status == Status.DRAFT
        and not Collaborator.objects.filter(application=application).exists()
    ):
        services.invite_collaborator(application=application, by=orgadmin, email=giorgi.email, role="editor")
        services.save_draft(
            application=application,
            by=orgadmin,
            values={
                "project_title": "კახეთის ბიუჯეტის ღია მონიტორინგი",
                "contact": "orgadmin@demo.civichub.ge",
            },
        )
        services.save_draft(
            application=application,
            by=giorgi,
            values={
                "summary": "ექვს მუნიციპალიტეტში ბიუჯეტის შესრულებას ვაკვირდებით და შედეგებს საჯაროდ ვაქვეყნებთ."
            },
        )


# --- end stages -------------------------------------------------------------------------------------------------


# --- review: review deadlines, a reviewer statement, a review revised after an information request -------------

DEMO_QUESTION = "გთხოვთ, დააზუსტოთ, რომელ საჯარო განხილვებში მიიღეთ მონაწილეობა და რა იყო თქვენი როლი."
DEMO_ANSWER = (
    "2023–2025 წლებში ქუთაისში სამ საჯარო განხილვას ვუძღვებოდი; დეტალები გამოცდილების პასუხში დავამატე."
)
DEMO_EXPERIENCE = (
    "ხუთი წელი ვმუშაობ ქუთაისის სათემო ორგანიზაციებთან. 2023–2025 წლებში მოვამზადე და წავიყვანე სამი საჯარო "
    "განხილვა მუნიციპალიტეტის ბიუჯეტზე (სულ 240-მდე მონაწილე)."
)


def seed_review(*, staff, reviewer, applicant) -> bool:
    """Review deadlines on the demo calls; ``reviewer`` confirms the certification call's statement and scores
    ``applicant``'s application, staff ask a question, the applicant answers and the reviewer revises the scores
    (the score history on staff's page). True when the revision was made now; running it again does nothing."""
    from calls.models import Application, ReviewRevision

    for slug, days in (
        ("individual-certification-2026", 14),
        ("small-grants-2026", 21),
        ("internships-2026", 10),
    ):
        call = Call.objects.filter(slug=slug, review_deadline__isnull=True).first()
        if call is not None:
            Call.objects.filter(pk=call.pk).update(review_deadline=call.closes_at + timedelta(days=days))
    application = (
        Application.objects.filter(call__slug="individual-certification-2026", applicant=applicant)
        .select_related("call")
        .first()
    )
    if application is None or application.status != Status.IN_REVIEW:
        return False
    assignment = application.assignments.filter(reviewer=reviewer).first()
    if assignment is None or ReviewRevision.objects.filter(review__assignment=assignment).count() > 1:
        return False
    call = application.call
    services.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
    services.confirm_statement(reviewer=reviewer, call=call)
    assignment.refresh_from_db()
    criteria = list(call.criteria.all())
    review = getattr(assignment, "review", None)
    if review is None or not review.is_submitted:
        services.save_review(
            assignment=assignment,
            by=reviewer,
            scores={str(c.pk): 5 for c in criteria},
            comments="მოტივაცია კარგია, მაგრამ გამოცდილება ზოგადადაა აღწერილი.",
            recommendation="waitlist",
            submit=True,
            confidence="medium",
        )
    services.request_more_information(
        application=application, by=staff, question=DEMO_QUESTION, open_fields=["experience"]
    )
    application.refresh_from_db()
    services.save_draft(application=application, by=applicant, values={"experience": DEMO_EXPERIENCE})
    services.resubmit_application(application=application, by=applicant, answer=DEMO_ANSWER)
    services.revise_review(
        assignment=assignment,
        by=reviewer,
        scores={str(c.pk): 8 for c in criteria},
        comments="პასუხის შემდეგ გამოცდილება ნათელია: სამი საჯარო განხილვა თავად წაიყვანა.",
        recommendation="accept",
        confidence="high",
        reason="განმცხადებლის პასუხმა და დამატებულმა გამოცდილებამ ეჭვი გაფანტა.",
    )
    return True


# --- end review ---------------------------------------------------------------------------------------------
