"""Pick the URLs each load scenario requests and sign in bench users, for ``benchmarks/locustfile.py``.

Run with the same environment as the server (``python -m benchmarks.prepare OUT.json``). Sessions are
created directly in the session store — the load test measures pages, not Argon2 password hashing — and a
scenario whose domain has not landed gets a ``skip`` reason instead of URLs.
"""

from __future__ import annotations

import json
import os
import random
import sys
from importlib import import_module

from benchmarks.datagen import GEN_EMAIL_DOMAIN


def setup() -> None:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civichub.settings")
    import django

    django.setup()


def url_or_none(name: str, *args) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def localised(name: str, *args, language: str) -> str | None:
    """The URL of a page in ``language`` (Georgian has no prefix, English is under /en/)."""
    from django.utils import translation

    with translation.override(language):
        return url_or_none(name, *args)


def paged(url: str, count: int, page_size: int) -> list[str]:
    """A list page and its second page when ``count`` rows fill more than one page."""
    return [url, url + "?page=2"] if count > page_size else [url]


def session_cookie(user) -> str:
    """The cookies of a browser signed in as ``user`` that has already seen a page: the session and the CSRF
    cookie (without it the server would mint a new CSRF secret and send Set-Cookie on every page, which no
    returning browser makes it do)."""
    return _session_and_csrf(user)[0]


def _session_and_csrf(user) -> tuple[str, str]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    # A CSRF cookie as the server sets it (a fresh secret); the header may carry the same value unmasked.
    token = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={token}", token


def build(rng: random.Random, sessions: int = 20) -> dict:
    from django.apps import apps

    from accounts.api import Organisation, User
    from benchmarks.datagen import GEN_EMAIL_DOMAIN

    generated = User.objects.filter(email__endswith="@" + GEN_EMAIL_DOMAIN)
    scenarios: dict[str, dict] = {}
    trivial = url_or_none("bench_trivial")
    scenarios["trivial"] = {"urls": [trivial]} if trivial else {"skip": "bench_trivial URL missing"}

    scenarios["anonymous_home"] = {"urls": ["/", "/en/"]}
    anonymous = ["/", "/en/"]
    catalogue = url_or_none("learning:catalogue")
    if catalogue:
        from learning.api import published_courses

        courses = published_courses().order_by("?").values_list("slug", flat=True)[:20]
        pages = [
            catalogue,
            catalogue + "?page=2",
            *[url_or_none("learning:course_detail", slug) for slug in courses],
        ]
        scenarios["anonymous_catalogue"] = {"urls": pages}
        anonymous += pages
    else:
        scenarios["anonymous_catalogue"] = {"skip": "learning has not landed"}
    scenarios["sign_in_page"] = {"urls": [url_or_none("account_login")]}
    slugs = list(
        Organisation.objects.filter(slug__startswith="gen-").order_by("?").values_list("slug", flat=True)[:50]
    )
    scenarios["organisation_page"] = {"urls": [url_or_none("accounts:organisation_detail", s) for s in slugs]}

    people = list(generated.filter(role_grants__isnull=True).order_by("?")[:sessions])
    scenarios["profile"] = {
        "sessions": [{"cookie": session_cookie(u), "urls": [url_or_none("accounts:profile")]} for u in people]
    }

    if apps.is_installed("learning"):
        from learning.models import Enrolment, Lesson

        learner_sessions = []
        enrolments = (
            Enrolment.objects.filter(
                active=True, course__published=True, user__email__endswith="@" + GEN_EMAIL_DOMAIN
            )
            .select_related("user", "course")
            .order_by("?")[:sessions]
        )
        for enrolment in enrolments:
            lessons = Lesson.objects.filter(course=enrolment.course, kind="text").order_by(
                "module__position", "position"
            )[:8]
            urls = [url_or_none("learning:lesson", enrolment.course.slug, lesson.slug) for lesson in lessons]
            learner_sessions.append(
                {
                    "cookie": session_cookie(enrolment.user),
                    "urls": urls,
                    "course": url_or_none("learning:course_detail", enrolment.course.slug),
                    "my": url_or_none("learning:my_learning"),
                }
            )
        scenarios["lesson_page"] = {"sessions": learner_sessions}
        scenarios["catalogue_signed_in"] = _signed_in_catalogue(sessions)
    else:
        scenarios["lesson_page"] = {"skip": "learning has not landed"}
        scenarios["catalogue_signed_in"] = {"skip": "learning has not landed"}

    scenarios["forum_topic"] = (
        _forum(rng)
        if apps.is_installed("community")
        else {"skip": "community has not landed (or does not load yet)"}
    )
    scenarios["credential_verification"] = (
        _verification(rng)
        if apps.is_installed("credentials")
        else {"skip": "credentials has not landed (or does not load yet)"}
    )
    reviewers = []
    if apps.is_installed("calls"):
        found = _calls(sessions)
        reviewers = found.pop("_reviewers")
        scenarios.update(found)
    else:
        for name in ("call_list", "application_autosave", "review_queue", "reviewer_ranking"):
            scenarios[name] = {"skip": "calls has not landed (or does not load yet)"}
    # --- awards projects: an organisation member reading their grant project and its interim report
    scenarios["project_page"] = (
        _projects(sessions) if apps.is_installed("awards") else {"skip": "awards has not landed"}
    )
    # --- end awards projects
    scenarios["mentor_page"] = (
        _mentors(sessions) if apps.is_installed("awards") else {"skip": "awards has not landed"}
    )
    scenarios["placements"] = (
        _placements() if apps.is_installed("awards") else {"skip": "awards has not landed"}
    )
    # --- events and the indicators dashboard (issue 20)
    if apps.is_installed("events"):
        scenarios.update(_events(sessions))
    else:
        for name in ("events_list", "event_detail", "event_registrations"):
            scenarios[name] = {"skip": "events has not landed"}
    scenarios["insights_dashboard"] = (
        _insights() if apps.is_installed("insights") else {"skip": "insights has not landed"}
    )
    # --- end events and the indicators dashboard
    verification = scenarios["credential_verification"].get("urls", [])
    scenarios["mixed"] = {
        "learners": scenarios.get("lesson_page", {}).get("sessions", []),
        "applicants": scenarios.get("application_autosave", {}).get("sessions", []),
        "reviewers": reviewers,
        "forum": scenarios.get("forum_topic", {}).get("sessions", []),
        "anonymous": anonymous + verification[:20],
        "note": "learners, applicants, reviewers, forum readers and visitors (verification pages among them)",
    }
    return {"scenarios": scenarios, "generated_users": generated.count()}


def _projects(sessions: int) -> dict:
    """Grantees (their projects' report editors) on their generated grant project's page and interim report."""
    from awards.models import GrantProject

    projects = (
        GrantProject.objects.filter(call__slug__startswith="gen-")
        .select_related("grantee")
        .prefetch_related("milestones__report")
        .order_by("?")[:sessions]
    )
    found = []
    for project in projects:
        reports = [m.report for m in project.milestones.all() if hasattr(m, "report")]
        urls = [url_or_none("awards:project", project.pk)]
        urls += [url_or_none("awards:report", r.pk) for r in reports[:1]]
        found.append({"cookie": session_cookie(project.grantee), "urls": urls})
    if not found:
        return {"skip": "no generated grant project (generate_data makes them from accepted small grants)"}
    return {"sessions": found}


def _mentors(sessions: int) -> dict:
    """Generated mentors on their mentees list and one of their active mentorships' pages."""
    from awards.models import Mentorship

    mentorships = (
        Mentorship.objects.filter(status="active", project__call__slug__startswith="gen-")
        .select_related("mentor")
        .order_by("?")[:sessions]
    )
    found = [
        {
            "cookie": session_cookie(m.mentor),
            "urls": [url_or_none("awards:mentoring_mine"), url_or_none("awards:mentorship_detail", m.pk)],
        }
        for m in mentorships
    ]
    if not found:
        return {"skip": "no generated mentorship (generate_data mentors about half of the grant projects)"}
    return {"sessions": found}


def _placements() -> dict:
    """Visitors on the public placements list and generated placements' pages."""
    from awards.models import Position

    pks = list(
        Position.objects.filter(host__slug__startswith="gen-", status="published")
        .order_by("?")
        .values_list("pk", flat=True)[:50]
    )
    if not pks:
        return {"skip": "no generated placement (generate_data makes them for a few verified organisations)"}
    return {
        "urls": [url_or_none("awards:placements")]
        + [url_or_none("awards:placement_detail", pk) for pk in pks]
    }


def _events(sessions: int) -> dict:
    """Visitors on the public event list (Georgian and English, page 2 when the upcoming events fill more than a
    page) and generated events' pages; programme staff on the registration list of the generated conference (the
    biggest event: first, second and last page of 50)."""
    from django.utils import timezone

    from accounts.api import User
    from benchmarks.datagen.events import generated_events
    from events import queries, views

    found: dict[str, dict] = {}
    upcoming = queries.upcoming_events(timezone.now()).count()
    found["events_list"] = {
        "urls": [
            url
            for language in ("ka", "en")
            for url in paged(localised("events:list", language=language), upcoming, views.PAGE_SIZE)
        ]
    }
    pks = list(generated_events().filter(published=True).order_by("?").values_list("pk", flat=True)[:50])
    if pks:
        urls = [url_or_none("events:detail", pk) for pk in pks]
        found["event_detail"] = {
            "urls": urls + [localised("events:detail", pk, language="en") for pk in pks[:5]]
        }
    else:
        found["event_detail"] = {"skip": "no generated events"}
    biggest = (
        generated_events()
        .filter(kind="conference")
        .order_by("-capacity", "pk")
        .values_list("pk", "capacity")
        .first()
    )
    staff = list(
        User.objects.filter(email__endswith="@" + GEN_EMAIL_DOMAIN, role_grants__role="staff").order_by("pk")[
            :2
        ]
    )
    if biggest and staff:
        pk, _capacity = biggest
        base = url_or_none("events:registrations", pk)
        rows = queries.registrations_for_staff(generated_events().get(pk=pk)).count()
        last = max(1, -(-rows // 50))
        urls = [base, base + "?page=2", f"{base}?page={last}"] if last > 1 else [base]
        found["event_registrations"] = {
            "sessions": [{"cookie": session_cookie(u), "urls": urls} for u in staff]
        }
    else:
        found["event_registrations"] = {"skip": "no generated conference or programme staff"}
    return found


def _insights() -> dict:
    """Programme staff and donor viewers on the indicators dashboard: all time, the newest year, and a region."""
    from accounts.api import User
    from insights import queries

    snapshot = queries.latest_snapshot()
    if snapshot is None:
        return {"skip": "no indicators snapshot (generate_data computes one at the end)"}
    base = url_or_none("insights:dashboard")
    years = [p for p in queries.periods(snapshot) if len(p) == 4]
    urls = [base, base + "?region=imereti"] + ([f"{base}?period={years[0]}"] if years else [])
    people = list(
        User.objects.filter(
            email__endswith="@" + GEN_EMAIL_DOMAIN, role_grants__role__in=["staff", "donor"]
        ).order_by("pk")[:4]
    )
    if not people:
        return {"skip": "no generated programme staff or donor viewers"}
    return {"sessions": [{"cookie": session_cookie(u), "urls": urls} for u in people]}


def _signed_in_catalogue(sessions: int) -> dict:
    """Learners enrolled in courses reading the catalogue (first and, when there is one, second page)."""
    from accounts.api import User
    from learning import queries, views

    catalogue = url_or_none("learning:catalogue")
    urls = paged(catalogue, queries.catalogue_courses().count(), views.PAGE_SIZE)
    learners = User.objects.filter(
        email__endswith="@" + GEN_EMAIL_DOMAIN,
        role_grants__isnull=True,
        pk__in=User.objects.filter(enrolments__active=True).values("pk"),
    ).order_by("?")[:sessions]
    if not learners:
        return {"skip": "no generated learners with enrolments"}
    return {"sessions": [{"cookie": session_cookie(u), "urls": urls} for u in learners]}


def _forum(rng) -> dict:
    """Topic pages of generated topics, read by signed-in people (who get a read marker) and visitors."""
    from accounts.api import User
    from benchmarks.datagen import GEN_EMAIL_DOMAIN
    from community.models import Topic

    pks = list(
        Topic.objects.filter(category__slug__startswith="gen-", post_count__gte=5)
        .order_by("?")
        .values_list("pk", flat=True)[:50]
    )
    if not pks:
        return {"skip": "no generated forum topics"}
    urls = [url_or_none("community:topic", pk) for pk in pks]
    people = User.objects.filter(email__endswith="@" + GEN_EMAIL_DOMAIN, role_grants__isnull=True).order_by(
        "?"
    )[:20]
    return {"sessions": [{"cookie": session_cookie(u), "urls": urls} for u in people], "anonymous": urls}


def _verification(rng) -> dict:
    """Public verification pages of generated certificates (a signature and the signed status list checked
    on every view), active, expired and revoked alike, in Georgian and English."""
    from credentials.models import Credential

    pks = list(
        Credential.objects.filter(user__email__endswith="@" + GEN_EMAIL_DOMAIN)
        .order_by("?")
        .values_list("pk", flat=True)[:200]
    )
    if not pks:
        return {"skip": "no generated credentials (credentials generator did not run)"}
    urls = [url_or_none("credentials:verify", pk) for pk in pks]
    urls = list(urls[:150]) + ["/en" + u for u in urls[150:]]
    return {"urls": urls}


def _csrf_session(user) -> tuple[str, str]:
    """A session cookie plus a CSRF cookie, and the token to send back in the X-CSRFToken header (as htmx does)."""
    return _session_and_csrf(user)


def _form_pairs(application, fields) -> list[tuple[str, str]]:
    """The application form as the browser posts it (every field but files), filled from the draft or fresh text."""
    from benchmarks.datagen.text import paragraph, sentence

    rng = random.Random(application.pk)
    pairs = []
    for field in fields:
        name, value = f"f_{field.key}", application.data.get(field.key)
        if field.kind == "file":
            continue
        if field.kind == "budget":
            for i, row in enumerate(
                value if isinstance(value, list) else [{"item": "ტრენინგი", "qty": "2", "unit": "150"}]
            ):
                pairs += [(f"{name}-{i}-{part}", str(row.get(part, ""))) for part in ("item", "qty", "unit")]
        elif field.kind == "multiple":
            pairs += [(name, str(v)) for v in (value if isinstance(value, list) else ["1"])]
        elif value not in (None, ""):
            pairs.append((name, str(value)))
        elif field.kind == "long_text":
            pairs.append((name, paragraph(rng, 2)))
        elif field.kind == "short_text":
            pairs.append((name, sentence(rng, 3, 6)))
    return pairs


def _calls(sessions: int) -> dict:
    """Visitors reading the list of calls, applicants with drafts in open calls (form, autosave, my
    applications), reviewers with assignments (their queue, and the applications in it for the mixed scenario),
    and programme staff reading the application list (ranking table) of the calls with the most reviewed
    applications."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from accounts.api import User
    from calls import queries, views
    from calls.models import Application, Assignment, Call

    open_calls = queries.open_and_upcoming_calls().count()
    call_list = [
        url
        for language in ("ka", "en")
        for url in paged(localised("calls:call_list", language=language), open_calls, views.PAGE_SIZE)
    ]

    generated_calls = Call.objects.filter(slug__startswith="gen-")
    drafts = (
        Application.objects.filter(
            call__in=generated_calls,
            status="draft",
            call__closes_at__gt=timezone.now(),
            applicant__email__endswith="@" + GEN_EMAIL_DOMAIN,
            applicant__role_grants__isnull=True,
        )
        .select_related("applicant", "call")
        .order_by("?")[:sessions]
    )
    applicants = []
    for application in drafts:
        cookie, token = _csrf_session(application.applicant)
        applicants.append(
            {
                "cookie": cookie,
                "csrf": token,
                "form": url_or_none("calls:application_form", application.pk),
                "autosave": url_or_none("calls:application_autosave", application.pk),
                "my": url_or_none("calls:my_applications"),
                "call": url_or_none("calls:call_detail", application.call.slug),
                "pairs": _form_pairs(application, list(application.call.fields.all())),
            }
        )
    reviewers, queues = [], []
    reviewer_users = User.objects.filter(
        email__endswith="@" + GEN_EMAIL_DOMAIN, role_grants__role="reviewer"
    ).order_by("?")[:sessions]
    for reviewer in reviewer_users:
        assignment_ids = list(
            Assignment.objects.filter(
                reviewer=reviewer, conflict="none", application__call__in=generated_calls
            )
            .order_by("?")
            .values_list("pk", flat=True)[:10]
        )
        if assignment_ids:
            cookie = session_cookie(reviewer)
            queue = url_or_none("calls:review_queue")
            reviewers.append(
                {
                    "cookie": cookie,
                    "queue": queue,
                    "urls": [url_or_none("calls:review", pk) for pk in assignment_ids],
                }
            )
            in_queue = queries.review_queue(reviewer).count()
            queues.append({"cookie": cookie, "urls": paged(queue, in_queue, views.PAGE_SIZE)})
    staff = list(
        User.objects.filter(email__endswith="@" + GEN_EMAIL_DOMAIN, role_grants__role="staff").order_by("pk")[
            :2
        ]
    )
    busiest = list(
        generated_calls.annotate(n=Count("applications", filter=Q(applications__review_count__gt=0)))
        .filter(n__gt=0)
        .order_by("-n", "slug")
        .values_list("slug", flat=True)[:5]
    )
    ranking_urls = []
    for slug in busiest:
        base = url_or_none("calls:manage_call", slug)
        ranking_urls += [
            base,
            base + "?sort=score&page=2",
            base + "?sort=spread",
            base + "?status=in_review&sort=score",
        ]
    scenarios = {"call_list": {"urls": call_list}}
    scenarios["application_autosave"] = (
        {"sessions": applicants} if applicants else {"skip": "no generated drafts in open calls"}
    )
    if staff and ranking_urls:
        scenarios["reviewer_ranking"] = {
            "sessions": [{"cookie": session_cookie(u), "urls": ranking_urls} for u in staff]
        }
    else:
        scenarios["reviewer_ranking"] = {"skip": "no generated programme staff or reviewed applications"}
    scenarios["review_queue"] = (
        {"sessions": queues} if queues else {"skip": "no generated reviewers with assignments"}
    )
    scenarios["_reviewers"] = reviewers
    return scenarios


def main() -> None:
    setup()
    out = sys.argv[1]
    data = build(random.Random(7))
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
    for name, spec in data["scenarios"].items():
        print(f"  {name:<26} {'skip: ' + spec['skip'] if 'skip' in spec else 'ready'}")


if __name__ == "__main__":
    main()
