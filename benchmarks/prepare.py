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


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def build(rng: random.Random, sessions: int = 20) -> dict:
    from django.apps import apps

    from accounts.models import Organisation, User
    from benchmarks.datagen import GEN_EMAIL_DOMAIN

    generated = User.objects.filter(email__endswith="@" + GEN_EMAIL_DOMAIN)
    scenarios: dict[str, dict] = {}
    trivial = url_or_none("bench_trivial")
    scenarios["trivial"] = {"urls": [trivial]} if trivial else {"skip": "bench_trivial URL missing"}

    scenarios["anonymous_home"] = {"urls": ["/", "/en/"]}
    anonymous = ["/", "/en/"]
    catalogue = url_or_none("learning:catalogue")
    if catalogue:
        from learning.models import Course

        courses = Course.objects.filter(published=True).order_by("?").values_list("slug", flat=True)[:20]
        pages = [catalogue, catalogue + "?page=2", *[url_or_none("learning:course_detail", slug) for slug in courses]]
        scenarios["anonymous_catalogue"] = {"urls": pages}
        anonymous += pages
    else:
        scenarios["anonymous_catalogue"] = {"skip": "learning has not landed"}
    scenarios["sign_in_page"] = {"urls": [url_or_none("account_login")]}
    slugs = list(Organisation.objects.filter(slug__startswith="gen-").order_by("?").values_list("slug", flat=True)[:50])
    scenarios["organisation_page"] = {"urls": [url_or_none("accounts:organisation_detail", s) for s in slugs]}

    people = list(generated.filter(role_grants__isnull=True).order_by("?")[:sessions])
    scenarios["profile"] = {"sessions": [{"cookie": session_cookie(u), "urls": [url_or_none("accounts:profile")]} for u in people]}

    if apps.is_installed("learning"):
        from learning.models import Enrolment, Lesson

        learner_sessions = []
        enrolments = (
            Enrolment.objects.filter(active=True, course__published=True, user__email__endswith="@" + GEN_EMAIL_DOMAIN)
            .select_related("user", "course")
            .order_by("?")[:sessions]
        )
        for enrolment in enrolments:
            lessons = Lesson.objects.filter(course=enrolment.course, kind="text").order_by("module__position", "position")[:8]
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
    else:
        scenarios["lesson_page"] = {"skip": "learning has not landed"}

    scenarios["forum_topic"] = _forum(rng) if apps.is_installed("community") else {"skip": "community has not landed (or does not load yet)"}
    scenarios["credential_verification"] = (
        _verification(rng) if apps.is_installed("credentials") else {"skip": "credentials has not landed (or does not load yet)"}
    )
    calls_reason = "calls is installed but its generator and scenario are not written yet" if apps.is_installed("calls") else "calls has not landed (or does not load yet)"
    scenarios["application_autosave"] = {"skip": calls_reason}
    scenarios["reviewer_ranking"] = {"skip": calls_reason}
    scenarios["mixed"] = {
        "learners": scenarios.get("lesson_page", {}).get("sessions", []),
        "anonymous": anonymous,
        "note": "learners and anonymous visitors; applicants and reviewers join when calls lands",
    }
    return {"scenarios": scenarios, "generated_users": generated.count()}


def _forum(rng) -> dict:
    """Topic pages of generated topics, read by signed-in people (who get a read marker) and visitors."""
    from accounts.models import User
    from benchmarks.datagen import GEN_EMAIL_DOMAIN
    from community.models import Topic

    pks = list(Topic.objects.filter(category__slug__startswith="gen-", post_count__gte=5).order_by("?").values_list("pk", flat=True)[:50])
    if not pks:
        return {"skip": "no generated forum topics"}
    urls = [url_or_none("community:topic", pk) for pk in pks]
    people = User.objects.filter(email__endswith="@" + GEN_EMAIL_DOMAIN, role_grants__isnull=True).order_by("?")[:20]
    return {"sessions": [{"cookie": session_cookie(u), "urls": urls} for u in people], "anonymous": urls}


def _verification(rng) -> dict:
    return {"skip": "credentials generator not written yet"}


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
