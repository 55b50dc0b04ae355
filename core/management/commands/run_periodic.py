import time

from django.core.management.base import BaseCommand

from core.periodic import tick


class Command(BaseCommand):
    help = (
        "Enqueue periodic jobs (deadline reminders, daily digests) when due and re-queue tasks whose worker died; "
        "runs every minute, or once with --once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once and exit (for cron).")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between checks (default 60).")

    def handle(self, *args, once=False, interval=60, **options):
        while True:
            for name in tick():
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(interval)
