from django.core.management.base import BaseCommand

from calls.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = "Queue the reminder to applicants whose drafts are unsubmitted 48 hours before a call closes (run hourly)."

    def handle(self, *args, **options):
        result = send_deadline_reminders.enqueue()
        self.stdout.write(f"queued {result.id}")
