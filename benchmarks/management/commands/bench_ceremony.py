"""Time a ceremony PDF of N certificates (default 500), built in memory as the worker builds it."""

import time
import uuid

from django.core.management.base import BaseCommand
from django.utils import timezone

from credentials import rendering
from credentials.models import Achievement, Credential, IssuerProfile


class Command(BaseCommand):
    help = "Benchmark: render a ceremony PDF of N certificates (nothing is written to the database)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=500)

    def handle(self, *args, count, **options):
        issuer = IssuerProfile(
            name_ka="სამოქალაქო ჰაბი", name_en="civichub", url="https://civichub.ge", email="info@civichub.ge"
        )
        achievement = Achievement(
            key="bench", name_ka="საჯარო პოლიტიკის ანალიზი", name_en="Public policy analysis"
        )
        now = timezone.now()
        credentials = [
            Credential(
                id=uuid.uuid4(),
                achievement=achievement,
                recipient_name_ka=f"მონაწილე ნომერი {n}",
                recipient_name_latin=f"Participant Number {n}",
                issued_at=now,
                short_code=f"BENCH{n:03d}"[:8],
            )
            for n in range(count)
        ]
        started = time.perf_counter()
        pdf = rendering.certificates_pdf(credentials, issuer)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"ceremony_pdf count={count} seconds={elapsed:.2f} per_page_ms={elapsed / count * 1000:.1f} "
            f"bytes={len(pdf)}"
        )
