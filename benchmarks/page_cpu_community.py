"""The forum topic page's CPU per request, its SQL and its HTML, built on ``benchmarks/page_cpu.py``'s data.

    CIVICHUB_TESTING=true .venv/bin/python -m benchmarks.page_cpu_community [--repeat 100] [--sql] [--dump DIR]

Measures the 18- and 50-post topics for a reader (not an author: a "Helpful" form on every post), for an
author of some of the posts and for an anonymous visitor; ``--sql`` prints the queries of the 18-post page.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from benchmarks import page_cpu  # noqa: E402  (sets up Django on a throwaway SQLite database)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--dump", default="")
    args = parser.parse_args()
    call_command("migrate", verbosity=0, interactive=False)
    cache.clear()
    learner, _course, topics = page_cpu.build()
    reader = Client(HTTP_HOST="localhost")
    reader.force_login(learner)
    writer = Client(HTTP_HOST="localhost")
    writer.force_login(get_user_model().objects.get(email="writer1@example.org"))
    anonymous = Client(HTTP_HOST="localhost")
    pages = [
        ("topic-18-reader", reader, f"/community/t/{topics[18].pk}/"),
        ("topic-50-reader", reader, f"/community/t/{topics[50].pk}/"),
        ("topic-18-writer", writer, f"/community/t/{topics[18].pk}/"),
        ("topic-18-anonymous", anonymous, f"/community/t/{topics[18].pk}/"),
        ("topic-18-reader-en", reader, f"/en/community/t/{topics[18].pk}/"),
    ]
    if args.sql:
        client, url = reader, pages[0][2]
        client.get(url)
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
        ):
            client.get(url)
        for sql in queries:
            print(sql[:400], end="\n\n")
    print(f"{'page':<24} {'ms CPU/request':>15} {'queries':>8} {'bytes':>8}")
    for label, client, url in pages:
        ms, queries, size = page_cpu.measure(client, url, args.repeat)
        if args.dump:
            html = re.sub(r"[A-Za-z0-9]{64}", "TOKEN", client.get(url).content.decode())
            Path(args.dump).mkdir(parents=True, exist_ok=True)
            (Path(args.dump) / f"{label}.html").write_text(html)
        print(f"{label:<24} {ms:>15.2f} {queries:>8} {size:>8,}")


if __name__ == "__main__":
    main()
