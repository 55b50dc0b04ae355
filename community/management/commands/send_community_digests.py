from django.core.management.base import BaseCommand

from community.tasks import send_daily_digests


class Command(BaseCommand):
    help = "Enqueue the daily community digest (run once a day from cron; the task worker sends the emails)."

    def handle(self, *args, **options):
        result = send_daily_digests.enqueue()
        self.stdout.write(f"enqueued daily digests: {result.id}")
