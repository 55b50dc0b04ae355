"""Background work of the community domain (run by ``manage.py db_worker``; immediate in tests).

The services enqueue these; the work itself is in ``community.emails``, so this module never imports the
services back.
"""

from django_tasks import task

from community import emails


@task()
def send_notification_email(notification_id: int) -> bool:
    """Email one notification to a person who chose immediate email. Sent at most once."""
    return emails.send_notification_email(notification_id)


@task()
def send_daily_digests() -> int:
    """Email each person who chose the daily digest everything not yet emailed. Scheduled daily by
    ``core/periodic.py`` (``manage.py run_periodic``); nobody gets two digests within 20 hours."""
    return emails.send_daily_digests()
