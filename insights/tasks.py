"""Background work of the insights domain (run by ``manage.py db_worker``; immediate in tests)."""

from django_tasks import task

from insights import services


@task()
def refresh_indicators() -> int:
    """Recompute the dashboard's snapshot (hourly, ``core.periodic.JOBS``). Returns the number of cells."""
    return len(services.refresh_indicators().data["facts"])
