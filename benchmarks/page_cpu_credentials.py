"""CPU per request of the credential verification page and the status list, in-process (Django test client).

Builds a throwaway SQLite database (or uses ``DATABASE_URL``) with a signing key and ``--credentials``
certificates (one in 20 revoked), then measures:

- cold: the first verification in a fresh process (the shared cache cleared and every per-process cache of
  the credentials app emptied), best and median of ``--cold`` tries, in ms of process CPU;
- warm: best of 3 runs of ``--repeat`` anonymous verification requests cycling over the certificates
  (as the benchmark does), and of the status-list URL, in ms of process CPU per request.

    CIVICHUB_TESTING=true .venv/bin/python -m benchmarks.page_cpu_credentials [--repeat 200] [--profile DIR]

The figures are for comparing before and after a change on the same machine, not absolute.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CIVICHUB_TESTING", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civichub.settings")
_tmp = tempfile.mkdtemp(prefix="page-cpu-credentials-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/page_cpu.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def build(count: int):
    from credentials import services
    from credentials.models import AchievementKind
    from tests.factories import UserFactory

    services.rotate_signing_key()
    services.issuer_profile()
    achievement = services.ensure_achievement(
        key="course:policy-analysis",
        defaults={
            "kind": AchievementKind.COURSE,
            "name_ka": "საჯარო პოლიტიკის ანალიზი",
            "name_en": "Public policy analysis",
            "description_ka": "კურსი.",
            "criteria_ka": "ყველა გაკვეთილი.",
        },
    )
    staff = UserFactory(email="staff@example.org")
    credentials = []
    for n in range(count):
        user = UserFactory(email=f"holder{n}@example.org")
        credential, _created = services.issue_credential(user=user, achievement=achievement)
        if n % 20 == 7:
            credential = services.revoke_credential(credential=credential, reason="შეცდომა", by=staff)
        credentials.append(credential)
    return credentials


def forget_process_state() -> None:
    """What a fresh gunicorn worker starts with: nothing cached in memory (and no shared cache without Redis)."""
    from credentials import signing, verification

    cache.clear()
    for module in (signing, verification):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
        reset = getattr(module, "reset_process_caches", None)
        if reset:
            reset()


def cold(client, url, tries):
    figures = []
    for _ in range(tries):
        forget_process_state()
        start = time.process_time()
        response = client.get(url)
        figures.append((time.process_time() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return min(figures), statistics.median(figures)


def warm(client, urls, repeat):
    for url in urls:
        assert client.get(url).status_code == 200
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        client.get(urls[0])
    best = None
    for _run in range(3):
        start = time.process_time()
        for n in range(repeat):
            client.get(urls[n % len(urls)])
        per = (time.process_time() - start) * 1000 / repeat
        best = per if best is None else min(best, per)
    return best, len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--credentials", type=int, default=40)
    parser.add_argument("--cold", type=int, default=5)
    parser.add_argument(
        "--profile", default="", help="write a cProfile of the warm verification page to this folder"
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0, interactive=False)
    cache.clear()
    credentials = build(args.credentials)
    client = Client(HTTP_HOST="localhost")
    pages = [f"/credentials/c/{c.pk}/" for c in credentials]
    ms_cold, median_cold = cold(client, pages[0], args.cold)
    ms_page, q_page = warm(client, pages, args.repeat)
    ms_list, q_list = warm(client, ["/ob/status/revocation"], args.repeat)
    print(f"verification page, cold first request: best {ms_cold:.1f} ms, median {median_cold:.1f} ms CPU")
    print(f"verification page, warm: {ms_page:.2f} ms CPU/request, {q_page} queries")
    print(f"status list URL, warm: {ms_list:.2f} ms CPU/request, {q_list} queries")
    if args.profile:
        import cProfile

        Path(args.profile).mkdir(parents=True, exist_ok=True)
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [client.get(pages[n % len(pages)]) for n in range(args.repeat)])
        profiler.dump_stats(str(Path(args.profile) / "verification.prof"))


if __name__ == "__main__":
    main()
