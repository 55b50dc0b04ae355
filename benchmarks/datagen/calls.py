"""Calls with forms, rubrics and letters (and some announced, not open yet); applications in every state with
answers, versions, the audit log (``ApplicationEvent``), information requests, reviewer assignments, scored
reviews and decision letters.

Invariants kept (the ones ``calls.services`` keeps):

* one application per person per call; organisation applications only by members of that organisation;
* every status reached through the transition table, with one ``ApplicationEvent`` per step, in order;
* submitted applications have answers that pass ``formkit.validate``, a unique ``CH-YYYY-NNNNNN`` reference
  numbered above any reference already issued, version rows (1 = submit, 2 = resubmission) and the
  ``ReferenceCounter`` moved past the highest generated number (so real submissions never collide);
* reviewers hold the reviewer role with TOTP and are never the applicant or a member of the applicant's
  organisations; a declared conflict keeps its assignment row with no review;
* review totals and the application's ``score`` / ``review_count`` / ``score_spread`` / ``disagreement``
  are computed exactly as ``services._review_total`` and ``services.recompute_scores`` compute them;
* decisions have their letter in the outbox; the outcome is published only once the letter is sent.
"""

from __future__ import annotations

import statistics
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from benchmarks.datagen import GEN_SLUG_PREFIX, Scale
from benchmarks.datagen.text import REFERENCE, paragraph, sentence, words

BATCH = 2000
KINDS = ["certification", "small_grant", "internship", "mentoring"]
TITLES = {
    "certification": ("ინდივიდუალური სერტიფიცირება", "Individual certification"),
    "small_grant": ("მცირე გრანტები სამოქალაქო ორგანიზაციებისთვის", "Small grants for CSOs"),
    "internship": ("სტაჟირება სამოქალაქო ორგანიზაციებში", "Internships at CSOs"),
    "mentoring": ("მენტორობის პროგრამა", "Mentoring programme"),
}
MECHANISMS = "საჯარო მოსმენა | Public hearing\nპეტიცია | Petition\nსამოქალაქო ბიუჯეტი | Civic budget\nდასახლების კრება | Settlement meeting"
TOPICS = (
    "ბიუჯეტი | Budget\nგარემო | Environment\nგანათლება | Education\nახალგაზრდობა | Youth\nჯანდაცვა | Health"
)
# (key, kind, label ka, label en, extra)
FIELDS = {
    "certification": [
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
            {"choices": MECHANISMS},
        ),
        (
            "cv",
            "file",
            "CV (PDF)",
            "CV (PDF)",
            {"file_kinds": "pdf", "required": False, "hidden_in_blind_review": True},
        ),
        ("portfolio", "url", "პორტფოლიოს ბმული", "Link to your portfolio", {"required": False}),
    ],
    "small_grant": [
        ("project_title", "short_text", "პროექტის სახელწოდება", "Project title", {}),
        ("summary", "long_text", "პროექტის მოკლე აღწერა", "Project summary", {"word_limit": 250}),
        ("topic", "choice", "თემა", "Topic", {"choices": TOPICS}),
        ("start_date", "date", "დაწყების თარიღი", "Start date", {}),
        ("budget", "budget", "ბიუჯეტი", "Budget", {}),
        ("contact", "email", "საკონტაქტო ელფოსტა", "Contact email", {}),
    ],
    "internship": [
        ("motivation", "long_text", "მოტივაცია", "Motivation", {"word_limit": 200}),
        (
            "experience_years",
            "number",
            "გამოცდილება (წელი)",
            "Experience (years)",
            {"min_value": 0, "max_value": 60},
        ),
        ("available_from", "date", "როდიდან ხართ ხელმისაწვდომი?", "Available from", {}),
        ("topics", "multiple", "რა თემები გაინტერესებთ?", "Which topics interest you?", {"choices": TOPICS}),
    ],
    "mentoring": [
        ("goals", "long_text", "რისი სწავლა გსურთ?", "What do you want to learn?", {"word_limit": 250}),
        ("topic", "choice", "თემა", "Topic", {"choices": TOPICS}),
        ("has_mentor", "yes_no", "გყოლიათ მენტორი ადრე?", "Have you had a mentor before?", {}),
        ("portfolio", "url", "ბმული თქვენს ნამუშევარზე", "Link to your work", {"required": False}),
    ],
}
CRITERIA = [
    ("არსებული გამოცდილება", "Existing experience", Decimal("3")),
    ("მოტივაცია", "Motivation", Decimal("2")),
    ("პროექტის რელევანტურობა", "Relevance", Decimal("2")),
    ("ბიუჯეტის რეალისტურობა", "Realistic budget", Decimal("1")),
    ("მოქალაქეების ჩართვა", "Engaging citizens", Decimal("2")),
]
LETTERS = {
    "accepted": (
        "განაცხადი მიღებულია",
        "Your application is accepted",
        "ძვირფასო {name},\n\nსიამოვნებით გაცნობებთ, რომ თქვენი განაცხადი {reference} („{call}“) მიღებულია.",
        "Dear {name},\n\nWe are glad to tell you that your application {reference} to “{call}” is accepted.",
    ),
    "rejected": (
        "გადაწყვეტილება განაცხადზე",
        "Decision on your application",
        "ძვირფასო {name},\n\nსამწუხაროდ, განაცხადი {reference} („{call}“) ამჯერად ვერ დაკმაყოფილდა.",
        "Dear {name},\n\nWe are sorry: application {reference} to “{call}” could not be accepted this time.",
    ),
    "waitlisted": (
        "განაცხადი მოლოდინის სიაშია",
        "Your application is on the waiting list",
        "ძვირფასო {name},\n\nგანაცხადი {reference} („{call}“) მოლოდინის სიაშია.",
        "Dear {name},\n\nApplication {reference} to “{call}” is on the waiting list.",
    ),
}
# Where applications stand: calls still open (closing years after the data's reference date, so they are open
# whenever the benchmark runs) and calls already closed and mostly decided.
OPEN_STATES = [
    ("draft", 45),
    ("submitted", 18),
    ("screening", 8),
    ("in_review", 17),
    ("more_info_requested", 3),
    ("screened_out", 4),
    ("withdrawn", 5),
]
PAST_STATES = [
    ("draft", 10),
    ("withdrawn", 4),
    ("screened_out", 8),
    ("in_review", 5),
    ("more_info_requested", 1),
    ("decided", 72),
]
OUTCOMES = [("accepted", 25), ("waitlisted", 10), ("rejected", 65)]
REVIEWED = ("in_review", "more_info_requested", "decided")


def delete() -> None:
    from django.db.models import Max

    from calls.models import Application, Call, ReferenceCounter

    calls = Call.objects.filter(slug__startswith=GEN_SLUG_PREFIX)
    Application.objects.filter(call__in=calls).delete()  # cascades to events, versions, reviews, outbox
    calls.delete()
    # Generated references are gone: let the counter continue from the highest reference still issued, so the
    # same seed gives the same numbers again (real references are never lowered below their own maximum).
    for counter in ReferenceCounter.objects.all():
        prefix = f"CH-{counter.year}-"
        top = Application.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"]
        counter.last = int(top[len(prefix) :]) if top else 0
        counter.save(update_fields=["last"])


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _split(rng, total: int, parts: int) -> list[int]:
    weights = [rng.uniform(0.4, 1.6) for _ in range(parts)]
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    for i in sorted(range(parts), key=lambda i: raw[i] - counts[i], reverse=True)[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _answer(rng, field, *, email: str):
    kind = field.kind
    if kind == "short_text":
        return sentence(rng, 3, 7).rstrip(".")
    if kind == "long_text":
        return paragraph(rng, rng.randint(2, 4))
    if kind == "number":
        return str(rng.randint(int(field.min_value or 0), min(int(field.max_value or 30), 30)))
    if kind == "money":
        return str(rng.randint(500, 5000))
    if kind == "date":
        return (REFERENCE.date() + timedelta(days=rng.randint(20, 200))).isoformat()
    if kind == "choice":
        return str(rng.randint(1, len(field.choice_list())))
    if kind == "multiple":
        options = [v for v, _label in field.choice_list()]
        return sorted(rng.sample(options, rng.randint(1, len(options))))
    if kind == "yes_no":
        return rng.choice(["yes", "no"])
    if kind == "url":
        return f"https://example.org/{words(rng, 1)}-{rng.randint(1, 9999)}"
    if kind == "email":
        return email
    if kind == "budget":
        return [
            {"item": words(rng, 2), "qty": str(rng.randint(1, 4)), "unit": str(rng.randint(50, 250))}
            for _ in range(rng.randint(2, 5))
        ]
    return None  # files: optional in generated forms, left unanswered


def _total(criteria, scores: dict) -> Decimal:
    """``services._review_total``, on criteria already in memory (same order, same arithmetic)."""
    weighted, weights = Decimal(0), Decimal(0)
    for criterion in criteria:
        score = Decimal(scores[str(criterion.pk)])
        weighted += (
            criterion.weight * (score - criterion.min_score) / (criterion.max_score - criterion.min_score)
        )
        weights += criterion.weight
    return (weighted / weights * 100).quantize(Decimal("0.01"), ROUND_HALF_UP) if weights else Decimal("0.00")


def _forms(calls, rng) -> None:
    """The application form, scoring rubric and decision letters of each call."""
    from calls.models import Criterion, DecisionTemplate, FormField

    FormField.objects.bulk_create(
        [
            FormField(call=call, position=p, key=key, kind=kind, label_ka=ka, label_en=en, **extra)
            for call in calls
            for p, (key, kind, ka, en, extra) in enumerate(FIELDS[call.kind], start=1)
        ],
        batch_size=BATCH,
    )
    Criterion.objects.bulk_create(
        [
            Criterion(
                call=call,
                position=p,
                title_ka=ka,
                title_en=en,
                description_ka=sentence(rng),
                weight=weight,
                min_score=0,
                max_score=10,
            )
            for n, call in enumerate(calls)
            for p, (ka, en, weight) in enumerate(CRITERIA[: 3 + n % 3], start=1)
        ],
        batch_size=BATCH,
    )
    DecisionTemplate.objects.bulk_create(
        [
            DecisionTemplate(
                call=call, outcome=outcome, subject_ka=s_ka, subject_en=s_en, body_ka=b_ka, body_en=b_en
            )
            for call in calls
            for outcome, (s_ka, s_en, b_ka, b_en) in LETTERS.items()
        ],
        batch_size=BATCH,
    )


def _announce(scale: Scale, rng) -> int:
    """Calls announced but not open yet, with their forms and rubrics and no applications: they close after
    every open call, so they follow the open ones in the visitors' list, which is sorted by deadline. Made last,
    so the rest of the generated data is the same with or without them."""
    from calls.models import Call

    first = REFERENCE + timedelta(days=3 * 365 + 30)
    calls = []
    for i in range(scale.announced_calls):
        kind = KINDS[i % len(KINDS)]
        title_ka, title_en = TITLES[kind]
        opens = first + timedelta(days=14 * i)
        calls.append(
            Call(
                kind=kind,
                slug=f"{GEN_SLUG_PREFIX}call-announced-{i:03d}",
                title_ka=f"{title_ka} {opens.year} (ანონსი) №{i + 1}",
                title_en=f"{title_en} {opens.year} (announced) No. {i + 1}",
                description_ka=paragraph(rng, 4),
                description_en="",
                applicant_type="organisations" if kind == "small_grant" else "individuals",
                opens_at=opens,
                closes_at=opens + timedelta(days=45),
                contact_email=f"announced{i}@civichub.ge",
                published=True,
                budget_max=Decimal("5000") if kind == "small_grant" else None,
                blind_review=kind == "certification",
                created_at=REFERENCE - timedelta(days=i),
            )
        )
    Call.objects.bulk_create(calls, batch_size=BATCH)
    _forms(
        list(Call.objects.filter(slug__startswith=f"{GEN_SLUG_PREFIX}call-announced-").order_by("slug")), rng
    )
    return len(calls)


def generate(
    scale: Scale, rng, stdout, *, user_ids: list[int], reviewer_ids: list[int], staff_ids: list[int], **_
) -> dict:
    from django.db.models import Max

    from accounts.api import Membership, User
    from calls.models import (
        Application,
        ApplicationEvent,
        ApplicationVersion,
        Assignment,
        Call,
        Criterion,
        FormField,
        InfoRequest,
        OutboxMessage,
        ReferenceCounter,
        Review,
    )

    # --- calls, forms, rubrics, letters -------------------------------------------------------------
    n_open = max(1, scale.calls // 5)
    calls = []
    for i in range(scale.calls):
        kind = KINDS[i % len(KINDS)]
        title_ka, title_en = TITLES[kind]
        if i < n_open:
            opens = REFERENCE - timedelta(days=60 - i)
            closes = REFERENCE + timedelta(days=3 * 365 + i)
        else:
            closes = REFERENCE - timedelta(days=14 * (i - n_open) + 3)
            opens = closes - timedelta(days=45)
        year = (closes if i >= n_open else opens).year
        calls.append(
            Call(
                kind=kind,
                slug=f"{GEN_SLUG_PREFIX}call-{i:03d}",
                title_ka=f"{title_ka} {year} №{i + 1}",
                title_en=f"{title_en} {year} No. {i + 1}",
                description_ka=paragraph(rng, 4),
                description_en="",
                applicant_type="organisations" if kind == "small_grant" else "individuals",
                opens_at=opens,
                closes_at=closes,
                contact_email=f"call{i}@civichub.ge",
                published=True,
                budget_max=Decimal("5000") if kind == "small_grant" else None,
                blind_review=kind == "certification",
                aggregation="median" if i % 7 == 3 else "weighted_mean",
                created_at=opens - timedelta(days=10),
            )
        )
    Call.objects.bulk_create(calls, batch_size=BATCH)
    calls = list(Call.objects.filter(slug__startswith=GEN_SLUG_PREFIX).order_by("slug"))
    _forms(calls, rng)
    fields_of = {call.pk: [] for call in calls}
    for field in FormField.objects.filter(call__in=calls).order_by("position", "pk"):
        fields_of[field.call_id].append(field)
    criteria_of = {call.pk: [] for call in calls}
    for criterion in Criterion.objects.filter(call__in=calls).order_by("position", "pk"):
        criteria_of[criterion.call_id].append(criterion)

    # --- who may apply, and who may review whom ------------------------------------------------------
    privileged = set(reviewer_ids) | set(staff_ids)
    applicants_pool = [pk for pk in user_ids if pk not in privileged]
    orgs_of: dict[int, set[int]] = {}
    members_of: dict[int, set[int]] = {}
    for user_id, organisation_id in (
        Membership.objects.filter(user_id__in=user_ids)
        .order_by("pk")
        .values_list("user_id", "organisation_id")
    ):
        orgs_of.setdefault(user_id, set()).add(organisation_id)
        members_of.setdefault(organisation_id, set()).add(user_id)
    member_pairs = sorted((u, o) for u, orgs in orgs_of.items() if u not in privileged for o in orgs)
    emails = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "email"))
    names = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "full_name_ka"))

    # --- applications --------------------------------------------------------------------------------
    counts = _split(rng, scale.applications, len(calls))
    plans = []  # (call, applicant_id, organisation_id, state)
    for index, (call, count) in enumerate(zip(calls, counts, strict=True)):
        if call.applicant_type == "organisations":
            # One application per person per call: at most one of a person's organisations applies through them.
            seen, chosen = set(), []
            for user_id, organisation_id in rng.sample(member_pairs, min(len(member_pairs), count * 2)):
                if user_id not in seen:
                    seen.add(user_id)
                    chosen.append((user_id, organisation_id))
                if len(chosen) == count:
                    break
        else:
            chosen = [
                (user_id, None) for user_id in rng.sample(applicants_pool, min(count, len(applicants_pool)))
            ]
        states = OPEN_STATES if index < n_open else PAST_STATES
        plans += [
            (call, user_id, organisation_id, _weighted(rng, states)) for user_id, organisation_id in chosen
        ]

    staff = staff_ids[0] if staff_ids else None
    rows = []  # (Application, events, versions, info requests, call)
    for call, user_id, organisation_id, state in plans:
        fields = fields_of[call.pk]
        end = min(call.closes_at, REFERENCE)
        created = call.opens_at + timedelta(
            seconds=rng.randint(0, int((end - call.opens_at).total_seconds() * 0.9))
        )
        complete = {f.key: v for f in fields if (v := _answer(rng, f, email=emails[user_id])) is not None}
        app = Application(
            call=call,
            applicant_id=user_id,
            organisation_id=organisation_id,
            created_at=created,
            updated_at=created,
            status=state,
        )
        events, versions, requests = [], [], []
        at = created
        withdraw_from_draft = state == "withdrawn" and rng.random() < 0.5
        if state == "draft" or withdraw_from_draft:
            # Drafts hold what was typed so far, valid or not.
            app.data = {k: v for k, v in complete.items() if rng.random() < 0.6}
        else:
            app.data = complete
            at = min(created + timedelta(hours=rng.randint(1, 96)), call.closes_at)
            app.submitted_at, app.version = at, 1
            events.append(("submit", "draft", "submitted", user_id, "", at))
            versions.append((1, complete, at))
        path = {
            "submitted": [],
            "withdrawn": [],
            "screening": ["start_screening"],
            "screened_out": ["start_screening", "screen_out"],
            "in_review": ["start_screening", "pass_screening"],
            "more_info_requested": ["start_screening", "pass_screening", "request_info"],
            "decided": [
                "start_screening",
                "pass_screening",
                *(["request_info", "resubmit"] if rng.random() < 0.15 else []),
                "decide",
            ],
        }.get(state, [])
        status = "submitted" if app.submitted_at is not None else "draft"
        targets = {
            "start_screening": "screening",
            "screen_out": "screened_out",
            "pass_screening": "in_review",
            "request_info": "more_info_requested",
            "resubmit": "in_review",
            "decide": "decided",
        }
        for action in path:
            if action == "decide":
                at = max(at, call.closes_at) + timedelta(days=rng.randint(7, 30))
            else:
                at = at + timedelta(hours=rng.randint(2, 72))
            note = ""
            if action == "screen_out":
                note = app.screening_note = (
                    "ბიუჯეტი აღემატება დასაშვებ მაქსიმუმს."
                    if call.kind == "small_grant"
                    else "აუცილებელი დოკუმენტები არ არის წარმოდგენილი."
                )
            elif action == "request_info":
                note = sentence(rng, 8, 14).rstrip(".") + "?"
                respond_by = at + timedelta(days=call.info_response_days)
                requests.append([note, at, respond_by, None, None])
            elif action == "resubmit":
                answer = paragraph(rng, 1)
                note = answer
                requests[-1][3:] = [answer, at]
                app.version = 2
                versions.append((2, complete, at))
            elif action == "decide":
                app.outcome = _weighted(rng, OUTCOMES)
                app.decided_at = at
            actor = user_id if action == "resubmit" else staff
            events.append((action, status, targets[action], actor, note, at))
            status = targets[action]
        if state == "withdrawn":
            at = at + timedelta(hours=rng.randint(1, 200))
            events.append(("withdraw", status, "withdrawn", user_id, "", at))
        app.updated_at = at
        rows.append((app, events, versions, requests))

    # References: numbered per year in order of submission, above anything already issued.
    counters = dict(ReferenceCounter.objects.values_list("year", "last"))
    submitted = sorted(
        (r for r in rows if r[0].submitted_at is not None),
        key=lambda r: (r[0].submitted_at, r[0].call.slug, r[0].applicant_id),
    )
    top: dict[int, int] = {}
    for app, *_rest in submitted:
        year = app.submitted_at.astimezone(REFERENCE.tzinfo).year
        if year not in top:
            issued = Application.objects.filter(reference__startswith=f"CH-{year}-").aggregate(
                m=Max("reference")
            )["m"]
            top[year] = max(counters.get(year, 0), int(issued.rsplit("-", 1)[1]) if issued else 0)
        top[year] += 1
        app.reference = f"CH-{year}-{top[year]:06d}"
    for year, last in top.items():
        ReferenceCounter.objects.update_or_create(year=year, defaults={"last": last})

    Application.objects.bulk_create([r[0] for r in rows], batch_size=BATCH)
    pk_of = {
        (c, a): pk
        for pk, c, a in Application.objects.filter(call__in=calls).values_list(
            "pk", "call_id", "applicant_id"
        )
    }
    for app, *_rest in rows:
        app.pk = pk_of[(app.call_id, app.applicant_id)]
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(
                application_id=app.pk,
                actor_id=actor,
                action=action,
                from_status=source,
                to_status=target,
                note=note,
                at=at,
            )
            for app, events, _v, _r in rows
            for action, source, target, actor, note, at in events
        ],
        batch_size=BATCH,
    )
    ApplicationVersion.objects.bulk_create(
        [
            ApplicationVersion(application_id=app.pk, number=number, data=data, submitted_at=at)
            for app, _e, versions, _r in rows
            for number, data, at in versions
        ],
        batch_size=BATCH,
    )
    InfoRequest.objects.bulk_create(
        [
            InfoRequest(
                application_id=app.pk,
                question=q,
                open_fields=[fields_of[app.call_id][0].key],
                requested_by_id=staff,
                requested_at=at,
                respond_by=by,
                answer=answer or "",
                answered_at=answered,
            )
            for app, _e, _v, requests in rows
            for q, at, by, answer, answered in requests
        ],
        batch_size=BATCH,
    )

    # --- reviewers and reviews -----------------------------------------------------------------------
    reviewed = [r for r in rows if r[0].status in REVIEWED]
    per_app = scale.reviews // max(len(reviewed), 1)
    extra = scale.reviews - per_app * len(reviewed)
    wanted = [min(per_app + (1 if i < extra else 0), 10) for i in range(len(reviewed))]
    eligible = []
    for app, *_rest in reviewed:
        organisations = set(orgs_of.get(app.applicant_id, set()))
        if app.organisation_id:
            organisations.add(app.organisation_id)
        excluded = {app.applicant_id}.union(*(members_of.get(o, set()) for o in organisations))
        pool = [r for r in reviewer_ids if r not in excluded]
        rng.shuffle(pool)
        eligible.append(pool)
    # Apps whose organisation excludes reviewers hand their share to others with room.
    short = sum(max(0, w - len(p)) for w, p in zip(wanted, eligible, strict=True))
    wanted = [min(w, len(p)) for w, p in zip(wanted, eligible, strict=True)]
    for i in range(len(wanted)):
        if short <= 0:
            break
        room = min(len(eligible[i]), 10) - wanted[i]
        if room > 0:
            wanted[i] += min(room, short)
            short -= min(room, short)
    assignments, reviews, conflicts = [], [], []
    for (app, events, _v, _r), pool, k in zip(reviewed, eligible, wanted, strict=True):
        criteria = criteria_of[app.call_id]
        passed = next(at for action, *_x, at in events if action == "pass_screening")
        quality = rng.gauss(6, 1.8)
        conflicted = len(pool) > k and rng.random() < 0.02
        if conflicted:
            at = passed + timedelta(hours=1)
            conflicts.append((app, pool[k], at))
        for reviewer_id in pool[:k]:
            assigned = passed + timedelta(hours=rng.randint(1, 48))
            submit = app.status != "in_review" or rng.random() < 0.6
            scores = {
                str(c.pk): max(c.min_score, min(c.max_score, round(quality + rng.uniform(-2, 2))))
                for c in criteria
            }
            if not submit:
                scores = {key: value for key, value in scores.items() if rng.random() < 0.5}
            total = _total(criteria, scores) if submit else None
            recommendation = (
                ("accept" if total >= 70 else "waitlist" if total >= 50 else "reject") if submit else ""
            )
            reviewed_at = assigned + timedelta(days=rng.randint(1, 10))
            assignments.append(
                Assignment(
                    application_id=app.pk,
                    reviewer_id=reviewer_id,
                    assigned_by_id=staff,
                    assigned_at=assigned,
                    conflict="none",
                    declared_at=assigned + timedelta(hours=2),
                )
            )
            reviews.append(
                (
                    app,
                    reviewer_id,
                    Review(
                        scores=scores,
                        comments=paragraph(rng, rng.randint(1, 2)),
                        recommendation=recommendation,
                        submitted_at=reviewed_at if submit else None,
                        total=total,
                        updated_at=reviewed_at,
                    ),
                )
            )
    assignments += [
        Assignment(
            application_id=app.pk,
            reviewer_id=reviewer_id,
            assigned_by_id=staff,
            assigned_at=at,
            conflict="conflict",
            conflict_note="ვიცნობ განმცხადებელს.",
            declared_at=at + timedelta(hours=3),
        )
        for app, reviewer_id, at in conflicts
    ]
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(
                application_id=app.pk,
                actor_id=reviewer_id,
                action="conflict",
                from_status="in_review",
                to_status="in_review",
                at=at + timedelta(hours=3),
            )
            for app, reviewer_id, at in conflicts
        ],
        batch_size=BATCH,
    )
    Assignment.objects.bulk_create(assignments, batch_size=BATCH)
    assignment_pk = {
        (a, r): pk
        for pk, a, r in Assignment.objects.filter(application__call__in=calls).values_list(
            "pk", "application_id", "reviewer_id"
        )
    }
    for app, reviewer_id, review in reviews:
        review.assignment_id = assignment_pk[(app.pk, reviewer_id)]
    Review.objects.bulk_create([r for _a, _u, r in reviews], batch_size=BATCH)

    # Aggregates, as services.recompute_scores computes them, and how many reviewers each call asks for.
    totals: dict[int, list[Decimal]] = {}
    for app, _u, review in reviews:
        if review.submitted_at is not None:
            totals.setdefault(app.pk, []).append(review.total)
    by_call = {call.pk: call for call in calls}
    updates = []
    for app, *_rest in reviewed:
        found = totals.get(app.pk, [])
        call = by_call[app.call_id]
        if found:
            raw = statistics.median(found) if call.aggregation == "median" else sum(found) / len(found)
            app.score = Decimal(raw).quantize(Decimal("0.01"), ROUND_HALF_UP)
            app.score_spread = max(found) - min(found)
        app.review_count = len(found)
        app.disagreement = bool(
            app.score_spread is not None and len(found) > 1 and app.score_spread > call.disagreement_threshold
        )
        updates.append(app)
    Application.objects.bulk_update(
        updates, ["score", "score_spread", "review_count", "disagreement"], batch_size=BATCH
    )
    for call in calls:
        ks = sorted(k for (app, *_r), k in zip(reviewed, wanted, strict=True) if app.call_id == call.pk)
        call.reviewers_per_application = max(1, min(10, ks[len(ks) // 2] if ks else 2))
    Call.objects.bulk_update(calls, ["reviewers_per_application"], batch_size=BATCH)

    # --- decision letters: sent (outcome visible to the applicant) or waiting for staff approval --------
    messages, published = [], []
    for app, *_rest in rows:
        if app.status != "decided":
            continue
        call = app.call
        subject_ka, subject_en, body_ka, body_en = LETTERS[app.outcome]
        name = names[app.applicant_id]
        body_ka = (
            body_ka.replace("{name}", name)
            .replace("{reference}", app.reference)
            .replace("{call}", call.title_ka)
        )
        body_en = (
            body_en.replace("{name}", name)
            .replace("{reference}", app.reference)
            .replace("{call}", call.title_en)
        )
        sent = (
            app.decided_at + timedelta(days=2)
            if (REFERENCE - app.decided_at).days > 20 or rng.random() < 0.5
            else None
        )
        messages.append(
            OutboxMessage(
                application_id=app.pk,
                to_email=emails[app.applicant_id],
                subject=f"{subject_ka} / {subject_en}",
                body=f"{body_ka}\n\n———\n\n{body_en}",
                status="sent" if sent else "pending",
                created_at=app.decided_at,
                approved_by_id=staff if sent else None,
                approved_at=sent - timedelta(hours=1) if sent else None,
                sent_at=sent,
            )
        )
        if sent:
            app.decision_published_at = sent
            published.append(app)
    OutboxMessage.objects.bulk_create(messages, batch_size=BATCH)
    Application.objects.bulk_update(published, ["decision_published_at"], batch_size=BATCH)
    announced = _announce(scale, rng)

    if stdout:
        states: dict[str, int] = {}
        for app, *_rest in rows:
            states[app.status] = states.get(app.status, 0) + 1
        stdout.write(
            f"  calls: {len(calls)} calls (and {announced} announced), {len(rows)} applications ({', '.join(f'{k} {v}' for k, v in sorted(states.items()))}), "
            f"{len(assignments)} assignments, {len(reviews)} reviews, {len(messages)} letters"
        )
    return {"call_ids": [call.pk for call in calls]}
