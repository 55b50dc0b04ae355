"""Background work of the events domain (run by ``manage.py db_worker``; immediate in tests)."""

from django_tasks import task

from events import services


@task()
def send_registration_mail(kind: str, pk: int) -> bool:
    """Email one person about their registration (confirm link, place, waitlist, promotion) in their language."""
    return services.deliver_mail(kind, pk)


@task()
def send_reminders() -> int:
    """Remind the people holding a place the day before the event (hourly, ``core.periodic.JOBS``)."""
    return services.send_reminders()


@task()
def send_invitation_mail(pk: int) -> bool:
    """Email a person invited to an event (a ceremony's certified people)."""
    return services.deliver_invitation(pk)


@task()
def invite_newly_certified() -> int:
    """Invite the people certified since a ceremony was announced (hourly, ``core.periodic.JOBS``)."""
    return services.invite_newly_certified()
