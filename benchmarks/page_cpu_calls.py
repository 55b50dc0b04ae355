"""CPU per request of the calls pages, in-process through Django's test client (modelled on page_cpu.py).

Builds a throwaway SQLite database (or uses ``DATABASE_URL``) with a call of 120 submitted applications
(organisations, outcomes, disagreements), a reviewer with 60 assignments and an applicant with a draft; then
times the ranking table (50 rows), the reviewer queue (50 rows), a review page and the htmx autosave: best of
3 runs of ``--repeat`` requests, in milliseconds of process CPU per request, and the queries of one request.

    CIVICHUB_TESTING=true .venv/bin/python -m benchmarks.page_cpu_calls [--repeat 200] [--dump DIR]

The figures are for comparing before and after a change on the same machine, not absolute.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CIVICHUB_TESTING", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civichub.settings")
_tmp = tempfile.mkdtemp(prefix="page-cpu-calls-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/page_cpu.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def build():
    from decimal import Decimal

    from django.utils import timezone

    from accounts.api import Role
    from calls import services
    from calls.models import Application, Assignment, Outcome, Status
    from tests.calls.builders import draft, make_call
    from tests.factories import OrganisationFactory, UserFactory, give_role

    staff = give_role(UserFactory(email="staff@example.org"), Role.STAFF)
    reviewer = give_role(UserFactory(email="reviewer@example.org"), Role.REVIEWER)
    applicant = UserFactory(email="applicant@example.org")
    call = make_call(slug="ranking", budget=True)
    organisations = [OrganisationFactory() for _ in range(5)]
    people = UserFactory.create_batch(120)
    statuses = [Status.IN_REVIEW, Status.SUBMITTED, Status.SCREENING, Status.DECIDED, Status.MORE_INFO]
    outcomes = [Outcome.ACCEPTED, Outcome.REJECTED, Outcome.WAITLISTED]
    Application.objects.bulk_create(
        [
            Application(
                call=call,
                applicant=person,
                status=statuses[i % len(statuses)],
                outcome=outcomes[i % 3] if statuses[i % len(statuses)] == Status.DECIDED else "",
                organisation=organisations[i % 5] if i % 3 == 0 else None,
                reference=f"CH-2026-{i:06d}",
                submitted_at=timezone.now(),
                score=None if i % 7 == 0 else Decimal(i % 100) + Decimal("0.25"),
                review_count=i % 4,
                score_spread=Decimal(i % 40),
                disagreement=i % 4 == 0,
                data={"motivation": "ტექსტი", "experience_years": "3", "full_name": "სახელი"},
            )
            for i, person in enumerate(people, start=1)
        ]
    )
    calls = [call] + [make_call(slug=f"other-{n}") for n in range(3)]
    rows = []
    for n, target in enumerate(calls):
        for application in Application.objects.filter(call=target).exclude(status=Status.DRAFT)[:15]:
            rows.append(
                Assignment(application=application, reviewer=reviewer, conflict=["none", "pending"][n % 2])
            )
    for n in range(45):
        other_call = calls[1 + n % 3]
        application = Application.objects.create(
            call=other_call,
            applicant=UserFactory(),
            status=Status.IN_REVIEW,
            reference=f"CH-2026-9{n:05d}",
            submitted_at=timezone.now(),
            data={"motivation": "ტექსტი"},
        )
        rows.append(Assignment(application=application, reviewer=reviewer, conflict="none"))
    Assignment.objects.bulk_create(rows)
    own = Assignment.objects.filter(reviewer=reviewer, conflict="none").select_related("application").first()
    mine = draft(
        call,
        applicant,
        data={"motivation": "პირველი", "budget": [{"item": "ქირა", "qty": "2", "unit": "10"}]},
    )
    assert services.editable_keys(mine) is None
    return staff, reviewer, applicant, call, own, mine


def measure(client, url, repeat, post=None):
    def request():
        if post is None:
            return client.get(url)
        return client.post(url, post, HTTP_HX_REQUEST="true")

    response = request()
    assert response.status_code == 200, (url, response.status_code)
    request()
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        response = request()
    best = None
    for _run in range(3):
        start = time.process_time()
        for _ in range(repeat):
            request()
        per = (time.process_time() - start) * 1000 / repeat
        best = per if best is None else min(best, per)
    return best, queries, response


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--only", default="", help="measure only pages whose label contains this text")
    parser.add_argument("--profile", default="", help="write a cProfile of each measured page to this folder")
    parser.add_argument(
        "--dump", default="", help="folder to write each page's HTML to (CSRF tokens blanked)"
    )
    parser.add_argument("--sql", action="store_true", help="print the SQL of one request of each page")
    args = parser.parse_args()
    call_command("migrate", verbosity=0, interactive=False)
    cache.clear()
    staff, reviewer, applicant, call, own, mine = build()
    clients = {}
    for name, user in (("staff", staff), ("reviewer", reviewer), ("applicant", applicant)):
        clients[name] = Client(HTTP_HOST="localhost")
        clients[name].force_login(user)
    post = {
        "f_motivation": "ავტომატური შენახვა",
        "f_experience_years": "4",
        "f_full_name": "ნინო",
        "f_budget-0-item": "ქირა",
        "f_budget-0-qty": "2",
        "f_budget-0-unit": "10",
    }
    pages = [
        ("baseline: my applications (empty)", "staff", "/calls/my/", None),
        ("ranking table (50 rows, staff)", "staff", f"/calls/{call.slug}/manage/?sort=score", None),
        ("ranking table (no row, staff)", "staff", f"/calls/{call.slug}/manage/?status=withdrawn", None),
        ("ranking table page 2 (en)", "staff", f"/en/calls/{call.slug}/manage/?sort=score&page=2", None),
        ("review queue (50 rows, reviewer)", "reviewer", "/calls/reviews/", None),
        ("review page (reviewer)", "reviewer", f"/calls/reviews/{own.pk}/", None),
        ("autosave (htmx POST)", "applicant", f"/calls/applications/{mine.pk}/autosave/", post),
    ]
    print(f"{'page':<40} {'ms CPU/request':>15} {'queries':>8} {'bytes':>8}")
    for label, who, url, data in pages:
        if args.only not in label:
            continue
        client = clients[who]
        ms, queries, response = measure(client, url, args.repeat, data)
        if args.profile:
            import cProfile

            Path(args.profile).mkdir(parents=True, exist_ok=True)
            profiler = cProfile.Profile()
            profiler.runcall(
                lambda c=client, u=url, d=data: [
                    c.get(u) if d is None else c.post(u, d, HTTP_HX_REQUEST="true")
                    for _ in range(args.repeat)
                ]
            )
            profiler.dump_stats(str(Path(args.profile) / (re.sub(r"\W+", "-", label).strip("-") + ".prof")))
        if args.dump:
            html = re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode())
            html = re.sub(r"\d\d:\d\d:\d\d", "HH:MM:SS", html)
            Path(args.dump).mkdir(parents=True, exist_ok=True)
            (Path(args.dump) / (re.sub(r"\W+", "-", label).strip("-") + ".html")).write_text(html)
        if args.sql:
            print("\n".join("    " + q[:160] for q in queries))
        print(f"{label:<40} {ms:>15.2f} {len(queries):>8} {len(response.content):>8,}")


if __name__ == "__main__":
    main()
