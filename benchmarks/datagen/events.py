"""Events for load tests: past trainings with their attendance, upcoming trainings and webinars (so the public list
has pages at the large scale), one big upcoming conference filled to capacity with a waitlist behind it, and a
certificate ceremony linked to a generated certification call whose certified people are invited (when that call
is still open, as at the small scale, a sample of people is invited by hand instead).

Registrations are drawn from the generated users and bulk-inserted (a generator may bypass services), keeping the
services' invariants: one registration per person per event, no more confirmed places than the capacity, the
waitlist (and every held place) ordered by ``placed_at``, check-ins only on confirmed registrations and only at
events that have started, an invited-only event's registrations all invited. Tokens and check-in codes come from
the seeded stream. Generated events are recognisable by their stream link (``https://stream.gen.civichub.ge/``);
their registrations, invitations and cascades go with them on ``--replace``.

Sizes follow the scale's number of users: past trainings ``users // 1000`` (at least 3), upcoming events
``users // 2000`` (at least 2), the conference's capacity ``users // 50`` (at least 10, 2,000 at the large scale)
with a tenth more on its waitlist.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from benchmarks.datagen import GEN_EMAIL_DOMAIN, GEN_SLUG_PREFIX, Scale

BATCH = 2000
STREAM = "https://stream.gen.civichub.ge/"

TRAININGS = [
    ("საჯარო პოლიტიკის ანალიზის ტრენინგი", "Public policy analysis training"),
    ("ადვოკატირება და ლობირება ადგილობრივ დონეზე", "Advocacy and lobbying at local level"),
    ("საჯარო ფინანსები მოქალაქეებისთვის", "Public finance for citizens"),
    ("კვლევის მეთოდები სამოქალაქო ორგანიზაციებისთვის", "Research methods for CSOs"),
    ("მონაწილეობითი ბიუჯეტირება", "Participatory budgeting"),
]
WEBINARS = [
    ("ვებინარი: საჯარო ინფორმაციის გამოთხოვა", "Webinar: requesting public information"),
    ("ვებინარი: საგრანტო განაცხადის მომზადება", "Webinar: preparing a grant application"),
    ("ვებინარი: პეტიციები და საჯარო განხილვები", "Webinar: petitions and public hearings"),
]
CITIES = [
    ("ქუთაისის საჯარო ბიბლიოთეკა", "ქუთაისი, რუსთაველის გამზ. 12"),
    ("ბათუმის სამოქალაქო ცენტრი", "ბათუმი, გორგილაძის ქ. 40"),
    ("თელავის კულტურის სახლი", "თელავი, ერეკლე II-ის გამზ. 5"),
    ("ზუგდიდის ახალგაზრდული ცენტრი", "ზუგდიდი, რუსთაველის ქ. 77"),
    ("თბილისის საკონფერენციო დარბაზი", "თბილისი, ჭავჭავაძის გამზ. 33"),
]
DESCRIPTION = (
    "ღონისძიება განკუთვნილია სამოქალაქო ორგანიზაციების წარმომადგენლებისა და აქტიური მოქალაქეებისთვის.\n\n"
    "**დღის წესრიგი:** შესავალი, პრაქტიკული სავარჯიშოები, კითხვები და პასუხები."
)
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def generated_events():
    from events.models import Event

    return Event.objects.filter(online_url__startswith=STREAM)


def delete() -> None:
    generated_events().delete()  # cascades to registrations and invitations


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


class _Codes:
    """Check-in codes and link tokens from the seeded stream, never twice in one run."""

    def __init__(self, rng):
        self.rng = rng
        self.seen: set[str] = set()

    def _fresh(self, alphabet: str, length: int) -> str:
        while True:
            value = "".join(self.rng.choice(alphabet) for _ in range(length))
            if value not in self.seen:
                self.seen.add(value)
                return value

    def code(self) -> str:
        return self._fresh(CODE_ALPHABET, 10)

    def token(self) -> str:
        return self._fresh(TOKEN_ALPHABET, 32)


def generate(scale: Scale, rng, stdout, **previous) -> dict:
    from accounts.api import User
    from events.models import Audience, Event, EventKind, Invitation, Registration

    user_ids = previous.get("user_ids") or []
    staff_ids = previous.get("staff_ids") or []
    if not user_ids:
        stdout.write("  events: no generated people to register")
        return {}
    people = dict(
        User.objects.filter(pk__in=user_ids).values_list("pk", "full_name_ka").order_by()
    )  # id -> name, for the registrations' copies
    emails = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "email").order_by())
    staff_id = staff_ids[0] if staff_ids else None
    codes = _Codes(rng)
    today = timezone.localdate()
    now = timezone.now()
    n = 0

    def event(kind, titles, *, day, capacity, audience=Audience.SIGNED_IN, hours=6, **extra):
        nonlocal n
        n += 1
        venue, address = rng.choice(CITIES)
        starts = _at(day, rng.choice([10, 11, 14]))
        return Event(
            kind=kind,
            title_ka=titles[0],
            title_en=titles[1],
            description_ka=DESCRIPTION,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=hours),
            venue="" if kind == EventKind.WEBINAR else venue,
            address="" if kind == EventKind.WEBINAR else address,
            online_url=f"{STREAM}{n:05d}",
            capacity=capacity,
            registration_deadline=starts - dt.timedelta(days=1),
            audience=audience,
            published=True,
            **extra,
        )

    past_count = max(3, scale.users // 1000)
    upcoming_count = max(2, scale.users // 2000)
    big_capacity = max(10, scale.users // 50)
    events = []
    for i in range(past_count):
        events.append(
            event(
                EventKind.TRAINING,
                rng.choice(TRAININGS),
                day=today - dt.timedelta(days=7 + 5 * i + rng.randrange(5)),
                capacity=rng.choice([20, 25, 30]),
            )
        )
    for i in range(upcoming_count):
        webinar = i % 2 == 1
        events.append(
            event(
                EventKind.WEBINAR if webinar else EventKind.TRAINING,
                rng.choice(WEBINARS if webinar else TRAININGS),
                day=today + dt.timedelta(days=5 + 3 * i + rng.randrange(3)),
                capacity=rng.choice([40, 60, 100]) if webinar else rng.choice([20, 25, 30]),
                audience=Audience.ANYONE if webinar else Audience.SIGNED_IN,
                hours=2 if webinar else 6,
            )
        )
    conference = event(
        EventKind.CONFERENCE,
        ("სამოქალაქო მონაწილეობის წლიური კონფერენცია", "Annual conference on civic participation"),
        day=today + dt.timedelta(days=30),
        capacity=big_capacity,
        hours=8,
    )
    events.append(conference)
    certification = _certification_call()
    ceremony = None
    if certification is not None:
        ceremony = event(
            EventKind.CEREMONY,
            ("სერტიფიკატების გადაცემის ცერემონია", "Certificate ceremony"),
            day=today + dt.timedelta(days=31),
            capacity=max(10, scale.users // 100),
            audience=Audience.INVITED,
            hours=2,
            certification_call_id=certification.pk,
        )
        events.append(ceremony)
    events = Event.objects.bulk_create(events, batch_size=BATCH)

    registrations: list[Registration] = []

    def register(ev, person, status, placed_at, *, checked_in=False):
        registrations.append(
            Registration(
                event=ev,
                user_id=person,
                name=people[person],
                email=emails[person],
                language=rng.choice(["ka", "ka", "ka", "en"]),
                status=status,
                token=codes.token(),
                code=codes.code(),
                placed_at=placed_at,
                checked_in_at=ev.starts_at + dt.timedelta(minutes=rng.randrange(-20, 40))
                if checked_in
                else None,
                checked_in_by_id=staff_id if checked_in else None,
            )
        )

    for ev in events:
        if ev is conference or ev is ceremony:
            continue
        started = ev.starts_at <= now
        taken = rng.randrange(ev.capacity // 2, ev.capacity + 1)
        for j, person in enumerate(rng.sample(user_ids, min(taken, len(user_ids)))):
            placed = ev.starts_at - dt.timedelta(days=20, minutes=-j)
            register(ev, person, "confirmed", placed, checked_in=started and rng.random() < 0.8)
    # The conference: every place taken, a tenth more waiting (in order), a few who cancelled.
    waitlist = max(3, conference.capacity // 10)
    chosen = rng.sample(user_ids, min(conference.capacity + waitlist + 3, len(user_ids)))
    opened = conference.starts_at - dt.timedelta(days=45)
    for j, person in enumerate(chosen):
        placed = opened + dt.timedelta(minutes=3 * j)
        if j < conference.capacity:
            register(conference, person, "confirmed", placed)
        elif j < conference.capacity + waitlist:
            register(conference, person, "waitlisted", placed)
        else:
            register(conference, person, "cancelled", None)
    invited = 0
    if ceremony is not None:
        from calls.api import accepted_applicants

        certified = [u.pk for u in accepted_applicants(call=certification) if u.pk in people]
        if not certified:
            # The scale's certification call is still open (small has one call of each kind): staff invite by hand.
            certified = rng.sample(user_ids, min(ceremony.capacity, len(user_ids)))
        Invitation.objects.bulk_create(
            [Invitation(event=ceremony, user_id=pk) for pk in certified], batch_size=BATCH
        )
        invited = len(certified)
        coming = [pk for pk in certified if rng.random() < 0.6][: ceremony.capacity]
        for j, person in enumerate(coming):
            register(ceremony, person, "confirmed", ceremony.starts_at - dt.timedelta(days=10, minutes=-j))
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    stdout.write(
        f"  events: {len(events)} events ({past_count} past trainings, {upcoming_count} upcoming,"
        f" a conference of {conference.capacity} places with {waitlist} waiting"
        + (f", a ceremony with {invited} invited" if ceremony is not None else "")
        + f"), {len(registrations)} registrations"
    )
    return {"event_ids": [e.pk for e in events], "conference_id": conference.pk}


def _certification_call():
    """The generated certification call with the most accepted applicants, or the first one when none has any yet
    (None when calls is not installed or made no certification call)."""
    from django.apps import apps

    if not apps.is_installed("calls"):
        return None
    from django.db.models import Count, Q

    from calls.models import Call

    return (
        Call.objects.filter(slug__startswith=GEN_SLUG_PREFIX, kind="certification")
        .annotate(
            accepted=Count(
                "applications",
                filter=Q(
                    applications__status="decided",
                    applications__outcome="accepted",
                    applications__applicant__email__endswith="@" + GEN_EMAIL_DOMAIN,
                ),
            )
        )
        .order_by("-accepted", "pk")
        .first()
    )
