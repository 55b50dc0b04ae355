"""Measure forum search on many generated posts (the issue's budget: under 200 ms on PostgreSQL at 100,000 posts).

    manage.py community_search_bench [--posts 100000] [--queries 200] [--keep]

Generates the posts (``benchmarks.datagen.forum_search``) unless enough generated posts exist, then runs the search the
search page runs (count + first page of 20, newest first) for Georgian word prefixes and prints p50/p95/max.
"""

import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from benchmarks.datagen import GEN_SLUG_PREFIX, forum_search
from community import queries
from community.models import Post

PREFIXES = [
    "ბიუჯ",
    "მონაწ",
    "პეტიც",
    "საკრებ",
    "ახალგაზ",
    "გამჭვ",
    "კენჭ",
    "შესყ",
    "ბიუჯ მონაწ",
    "საჯარო განხ",
    "ინფრასტ",
]


class Command(BaseCommand):
    help = "Generate forum posts and time the forum search on them."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=100_000)
        parser.add_argument("--queries", type=int, default=200)
        parser.add_argument("--keep", action="store_true", help="Keep the generated posts afterwards.")

    def handle(self, *args, posts, queries: int, keep, **options):
        rng = random.Random(2026)
        existing = Post.objects.filter(topic__category__slug__startswith=GEN_SLUG_PREFIX).count()
        if existing < posts:
            forum_search.delete()
            User = get_user_model()
            authors = [
                User.objects.get_or_create(email=f"forum-bench-{n}@gen.civichub.ge")[0].pk for n in range(20)
            ]
            started = time.monotonic()
            with transaction.atomic():
                forum_search.generate_posts(posts=posts, rng=rng, user_ids=authors)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE community_post")
            self.stdout.write(f"generated {posts} posts in {time.monotonic() - started:.1f}s")
        total = Post.objects.count()
        timings = []
        for n in range(queries):
            query = PREFIXES[n % len(PREFIXES)]
            started = time.perf_counter()
            results = queries_module_search(query)
            timings.append((time.perf_counter() - started) * 1000)
            assert results["count"] >= 0
        timings.sort()
        p50, p95 = statistics.median(timings), timings[int(len(timings) * 0.95) - 1]
        self.stdout.write(
            f"{connection.vendor}: {total} posts, {queries} searches: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
        )
        if not keep:
            forum_search.delete()
            get_user_model().objects.filter(
                email__startswith="forum-bench-", email__endswith="@gen.civichub.ge"
            ).delete()


def queries_module_search(query: str) -> dict:
    """What the search page does: the paginator's count and the first page of results with their joins."""
    from django.contrib.auth.models import AnonymousUser

    page = queries.search_paginator(query=query, viewer=AnonymousUser(), per_page=20).get_page(1)
    rows = list(page.object_list)
    return {"count": page.paginator.count, "rows": len(rows)}
