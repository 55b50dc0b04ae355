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


# --- review
@task()
def send_review_reminders() -> int:
    """Remind reviewers 3 days and 1 day before a call's review deadline (each reminder once, in the reviewer's
    language). Enqueued hourly by ``manage.py run_periodic`` (``core.periodic.JOBS``)."""
    return services.send_review_reminders()


# --- end review
