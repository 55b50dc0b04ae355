"""Background work of the calls domain (run by ``manage.py db_worker``; immediate in tests)."""

from django_tasks import task

from calls import services


@task()
def send_outbox_message(message_id: int) -> bool:
    """Send one decision letter staff approved."""
    return services.deliver_outbox_message(message_id)


@task()
def send_deadline_reminders() -> int:
    """Remind applicants with unsubmitted drafts 48 hours before a call closes. Enqueued hourly by
    ``manage.py run_periodic`` (``core.periodic.JOBS``); each draft is reminded once."""
    return services.send_deadline_reminders()
