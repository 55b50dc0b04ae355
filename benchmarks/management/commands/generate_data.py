"""Fill the database with realistic, reproducible Georgian data for load tests.

    manage.py generate_data --scale small|medium|large [--seed N] [--replace]

Large: 100,000 users, 2,000 organisations, 200 courses with 5,000 lessons, 300,000 enrolments with
progress, and (when those domains are installed) calls, applications, reviews, forum posts,
credentials, grant projects, mentoring, placements and events (trainings with attendance, a conference full with
a waitlist, a certificate ceremony); at the end the indicators dashboard's snapshot is computed as the hourly job
computes it. Rows are bulk-inserted; the same seed gives the same data. Generated rows are recognisable
(``@gen.civichub.ge`` emails, ``gen-`` slugs); ``--replace`` deletes a previous run's rows first.
"""

import importlib
import random
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from benchmarks.datagen import SCALES

# Domains in dependency order; each module has generate(scale, rng, stdout, **previous results) and delete().
# insights comes last: it computes the dashboard's snapshot from everything generated before it.
DOMAINS = ["accounts", "learning", "calls", "credentials", "community", "awards", "events", "insights"]


def available_domains() -> list[str]:
    found = []
    for label in DOMAINS:
        if not apps.is_installed(label):
            continue
        try:
            importlib.import_module(f"benchmarks.datagen.{label}")
        except ModuleNotFoundError:
            continue
        found.append(label)
    return found


class Command(BaseCommand):
    help = "Generate seeded, reproducible bulk data (Georgian) for load tests."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--replace", action="store_true", help="Delete previously generated rows first.")

    def handle(self, *args, scale, seed, replace, **options):
        from benchmarks.datagen.accounts import generated_users

        chosen = SCALES[scale]
        domains = available_domains()
        modules = {label: importlib.import_module(f"benchmarks.datagen.{label}") for label in domains}
        if generated_users().exists():
            if not replace:
                raise CommandError(
                    "Generated data is already present; run again with --replace to start over."
                )
            started = time.monotonic()
            for label in reversed(domains):
                modules[label].delete()
            self.stdout.write(f"deleted the previous generated data in {time.monotonic() - started:.1f}s")
        skipped = [label for label in DOMAINS if label not in domains]
        self.stdout.write(f"generating scale {chosen.name} with seed {seed}: {', '.join(domains)}")
        if skipped:
            self.stdout.write(f"  skipped (app not installed or no generator yet): {', '.join(skipped)}")
        results: dict = {}
        total = time.monotonic()
        for label in domains:
            started = time.monotonic()
            # One generator per domain, each with its own stream, so adding a domain leaves the others unchanged.
            rng = random.Random(f"{seed}:{label}")
            with transaction.atomic():
                results.update(modules[label].generate(chosen, rng, self.stdout, **results) or {})
            self.stdout.write(f"  {label} done in {time.monotonic() - started:.1f}s")
        if connection.vendor == "postgresql":
            # Fresh planner statistics for the bulk-inserted tables (autovacuum would get there later): without
            # them PostgreSQL plans queries on the big tables as if they were empty.
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"  analyzed in {time.monotonic() - started:.1f}s")
        self.stdout.write(f"generated in {time.monotonic() - total:.1f}s")
