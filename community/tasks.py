"""Background work of the community domain (run by ``manage.py db_worker``; immediate in tests)."""

from django_tasks import task

from community import services


@task()
def send_notification_email(notification_id: int) -> bool:
    """Email one notification to a person who chose immediate email. Sent at most once."""
    return services.send_notification_email(notification_id)


@task()
def send_daily_digests() -> int:
    """Email each person who chose the daily digest everything not yet emailed. Schedule daily
    (``manage.py send_community_digests`` from cron); nobody gets two digests within 20 hours."""
    return services.send_daily_digests()
