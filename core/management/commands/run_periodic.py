import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, reset_queries

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
            for line in tick():
                self.stdout.write(line)
            if once:
                return
            time.sleep(interval)
            # Between rounds, as between requests: a connection past CONN_MAX_AGE (or broken) is replaced, and with
            # DEBUG on the query log is emptied, so a scheduler running for weeks stays the same size. (Not before
            # the first round: a caller's open transaction, such as a test's, must keep its connection.)
            close_old_connections()
            reset_queries()
