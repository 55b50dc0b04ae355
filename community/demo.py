"""Demo content for the community: Georgian topics and replies, three practitioners, two published Q&As,
four cases (one civic budget), three opportunities. Idempotent: running it again creates nothing twice."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from community import services
from community.models import Case, Category, Opportunity, Practitioner, Question, Topic

PRACTITIONERS = [
    (
        "practitioner@demo.civichub.ge",
        "practitioner",
        ["civic_budget", "hearings", "public_finance"],
        ["guria", "imereti"],
        ["ka", "en"],
        "ხუთი წელი ვმართავდი სამოქალაქო ბიუჯეტს ოზურგეთში: **კენჭისყრის ორგანიზება**, პროექტების შეფასება, მოსახლეობასთან შეხვედრები.",
    ),
    (
        "mentor@demo.civichub.ge",
        "alumnus",
        ["advocacy", "petitions", "organisation"],
        ["shida_kartli", "tbilisi"],
        ["ka", "ru"],
        "მონაწილეობის აკადემიის კურსდამთავრებული. გორში ელექტრონული პეტიციით ავაშენეთ ბავშვთა მოედანი.",
    ),
    (
        "expert@demo.civichub.ge",
        "practitioner",
        ["policy", "research", "councils"],
        ["tbilisi", "kakheti"],
        ["ka", "en"],
        "საჯარო პოლიტიკის ანალიტიკოსი; ვეხმარები სამოქალაქო მრჩეველთა საბჭოების შექმნასა და მუშაობაში.",
    ),
]

TOPICS = [
    (
        "general",
        "როგორ მოვამზადოთ საჯარო განხილვა ბიუჯეტზე?",
        "ჩვენი ორგანიზაცია პირველად აწყობს ბიუჯეტის საჯარო განხილვას. რა უნდა გავითვალისწინოთ?",
        [
            "დაიწყეთ ადრე: პროექტი მოსახლეობას **ორი კვირით ადრე** გაუზიარეთ.",
            "მოიწვიეთ ადგილობრივი მედია და დაწერეთ ოქმი.",
        ],
    ),
    (
        "region-imereti",
        "სამოქალაქო ბიუჯეტი ქუთაისში — გამოცდილება",
        "ვინ მონაწილეობდა ქუთაისის სამოქალაქო ბიუჯეტში? როგორ შეარჩიეს პროექტები?",
        ["ჩვენ ვიყავით 2023 წელს — კენჭისყრა ონლაინ და ადგილზეც იყო."],
    ),
    (
        "region-kakheti",
        "პეტიცია სოფლის გზის შესაკეთებლად",
        "თელავის მუნიციპალიტეტში პეტიციის მომზადება გვინდა. რამდენი ხელმოწერაა საჭირო?",
        ["კანონით საჭიროა მოსახლეობის 1%, მაგრამ არანაკლებ 300 ხელმოწერისა."],
    ),
]

QAS = [
    (
        "practitioner@demo.civichub.ge",
        "nino@demo.civichub.ge",
        "როგორ ავირჩიოთ პროექტები სამოქალაქო ბიუჯეტისთვის?",
        "ჩვენს მუნიციპალიტეტში პირველად ტარდება სამოქალაქო ბიუჯეტი. რა კრიტერიუმებით შევარჩიოთ პროექტები?",
        "გამოიყენეთ სამი კრიტერიუმი: ღირებულება, მოსარგებლეთა რაოდენობა და განხორციელების ვადა. კენჭისყრამდე ყველა პროექტი ტექნიკურად შეაფასეთ.",
    ),
    (
        "mentor@demo.civichub.ge",
        "giorgi@demo.civichub.ge",
        "რა ვქნათ, თუ მერია პეტიციას არ პასუხობს?",
        "პეტიცია ორი თვის წინ შევიტანეთ და პასუხი არ მიგვიღია.",
        "საკრებულომ პეტიცია 30 დღეში უნდა განიხილოს. მიმართეთ საკრებულოს თავმჯდომარეს წერილობით და გააზიარეთ ინფორმაცია მედიასთან.",
    ),
]

CASES = [
    {
        "title": "სამოქალაქო ბიუჯეტი ოზურგეთში",
        "mechanism": "civic_budget",
        "region": "guria",
        "municipality": "ოზურგეთი",
        "year": 2022,
        "summary": "მოსახლეობამ ხმა მისცა 12 პროექტს; გაიმარჯვა ხუთმა, მათ შორის სკვერის აღდგენამ.",
        "what_happened": "მერიამ ბიუჯეტის 1% გამოყო. **ორ თვეში** შემოვიდა 40 იდეა, საჯარო შეხვედრებზე შეირჩა 12.",
        "outcome": "ხუთი პროექტი განხორციელდა ერთ წელიწადში.",
        "lessons": "- ადრე დაიწყეთ ინფორმირება\n- აჩვენეთ შედეგები",
        "links": "https://example.org/ozurgeti-budget",
    },
    {
        "title": "ბიუჯეტის საჯარო განხილვა თელავში",
        "mechanism": "hearing",
        "region": "kakheti",
        "municipality": "თელავი",
        "year": 2023,
        "summary": "საჯარო განხილვამ ბიუჯეტის პროექტში სამი ცვლილება შეიტანა.",
        "what_happened": "ადგილობრივმა ორგანიზაციამ მოსახლეობა ორ შეხვედრაზე შეკრიბა.",
        "outcome": "სამი წინადადება გათვალისწინებულ იქნა.",
        "lessons": "ოქმი აუცილებელია.",
        "links": "",
    },
    {
        "title": "ელექტრონული პეტიცია გორში",
        "mechanism": "petition",
        "region": "shida_kartli",
        "municipality": "გორი",
        "year": 2021,
        "summary": "400 ხელმოწერით მოსახლეობამ ბავშვთა მოედნის მშენებლობა მოითხოვა.",
        "what_happened": "პეტიცია საკრებულოს ვებგვერდზე დარეგისტრირდა.",
        "outcome": "მოედანი 2022 წელს აშენდა.",
        "lessons": "საკრებულოს წევრებთან პირადი შეხვედრები გადამწყვეტი იყო.",
        "links": "",
    },
    {
        "title": "ახალგაზრდული სათათბირო საბჭო ბათუმში",
        "mechanism": "advisory_council",
        "region": "adjara",
        "municipality": "ბათუმი",
        "year": 2020,
        "summary": "მერიასთან შეიქმნა ახალგაზრდული საბჭო, რომელიც ყოველ კვარტალში იკრიბება.",
        "what_happened": "15 ახალგაზრდა შეირჩა ღია კონკურსით.",
        "outcome": "საბჭომ ორი პროგრამა შესთავაზა მერიას.",
        "lessons": "საბჭოს სჭირდება საკუთარი ბიუჯეტი.",
        "links": "",
    },
]

OPPORTUNITIES = [
    (
        "მონაწილეობის აკადემია 2026",
        "სამოქალაქო საზოგადოების ფონდი",
        30,
        "https://example.org/academy",
        "ექვსკვირიანი პროგრამა მოქალაქეთა მონაწილეობის მექანიზმებზე რეგიონების აქტივისტებისთვის.",
    ),
    (
        "საჯარო ფინანსების ზაფხულის სკოლა",
        "ბიუჯეტის მონიტორინგის ცენტრი",
        45,
        "https://example.org/summer-school",
        "ერთკვირიანი სკოლა ადგილობრივი ბიუჯეტის ანალიზზე.",
    ),
    (
        "ახალგაზრდული გრანტები 2025",
        "ადგილობრივი განვითარების ფონდი",
        -20,
        "https://example.org/youth-grants",
        "მცირე გრანტები ახალგაზრდული ინიციატივებისთვის (ვადა გასულია).",
    ),
]


def _user(email):
    return get_user_model().objects.filter(email=email).first()


@transaction.atomic
def seed(stdout=None):
    services.ensure_default_categories()
    staff = _user("staff@demo.civichub.ge")
    practitioners = {}
    for email, kind, expertise, regions, languages, bio in PRACTITIONERS:
        user = _user(email)
        if user is None:
            continue
        practitioner = Practitioner.objects.filter(user=user).first()
        practitioners[email] = practitioner or services.save_practitioner(
            user=user,
            kind=kind,
            bio=bio,
            expertise=expertise,
            regions=regions,
            languages=languages,
            accepting_questions=True,
        )
    people = [
        u
        for u in (
            _user(e)
            for e in ("nino@demo.civichub.ge", "giorgi@demo.civichub.ge", "practitioner@demo.civichub.ge")
        )
        if u
    ]
    if people:
        for n, (slug, title, body, replies) in enumerate(TOPICS):
            if Topic.objects.filter(title=title).exists():
                continue
            category = Category.objects.get(slug=slug)
            author = people[n % len(people)]
            topic = services.start_topic(
                category=category, author=author, title=title, body=body, rate_limited=False
            )
            for m, text in enumerate(replies):
                replier = people[(n + m + 1) % len(people)]
                services.reply(topic=topic, author=replier, body=text, rate_limited=False)
    for practitioner_email, asker_email, title, body, answer in QAS:
        asker, practitioner = _user(asker_email), practitioners.get(practitioner_email)
        if asker is None or practitioner is None or Question.objects.filter(title=title).exists():
            continue
        question = Question.objects.create(asker=asker, practitioner=practitioner, title=title, body=body)
        services.post_question_message(question=question, author=practitioner.user, body=answer)
        services.change_question(question=question, user=asker, action="mark_answered")
        services.change_question(question=question, user=asker, action="thank", thanks="დიდი მადლობა!")
        services.change_question(question=question, user=asker, action="consent")
        services.change_question(question=question, user=practitioner.user, action="consent")
    if staff is not None:
        for fields in CASES:
            if Case.objects.filter(title=fields["title"]).exists():
                continue
            author = practitioners.get("practitioner@demo.civichub.ge")
            case = services.save_case(author=author.user if author else staff, **fields)
            services.change_case(case=case, user=staff, action="submit")
            services.change_case(case=case, user=staff, action="publish")
    for title, organiser, days, link, description in OPPORTUNITIES:
        Opportunity.objects.get_or_create(
            title=title,
            defaults={
                "organiser": organiser,
                "deadline": timezone.now() + timedelta(days=days),
                "link": link,
                "description": description,
                "created_by": staff,
            },
        )
    if stdout:
        stdout.write(
            f"community: {Topic.objects.count()} topics, {len(practitioners)} practitioners, "
            f"{Case.objects.filter(status='published').count()} cases, {Opportunity.objects.count()} opportunities"
        )
    return []
