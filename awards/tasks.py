"""Background work of the awards domain (run by ``manage.py db_worker``; immediate in tests).

One block per sub-domain; each task calls its sub-domain's services.
"""

from django_tasks import task

from awards.services import mentoring as mentoring_services
from awards.services import offers as offers_services
from awards.services import projects as projects_services


# --- mentoring
@task()
def send_mentoring_mail(kind: str, pk: int) -> int:
    """Email what happened in a mentorship (assigned, confirmed, message, risk), each recipient in their language."""
    return mentoring_services.deliver_mail(kind, pk)


@task()
def send_action_reminders() -> int:
    """Tell each overdue agreed action's owner, once, in their language (daily, ``core.periodic.JOBS``)."""
    return mentoring_services.send_action_reminders()


# --- end mentoring


# --- offers
@task()
def expire_offers() -> int:
    """Mark offers past their answer deadline as expired (hourly, ``core.periodic.JOBS``)."""
    return offers_services.expire_offers()


@task()
def send_offer_reminders() -> int:
    """Remind the people who answer an offer three days before its deadline (each offer once; hourly)."""
    return offers_services.send_response_reminders()


# --- end offers


# --- internships
@task()
def send_internship_mail(internship_id: int, event: str, recipient_id: int) -> None:
    """Email one person about their internship (selected, agreement acknowledged, evaluated, completed …)."""
    from awards.services import internships as internship_services

    internship_services.send_internship_mail(internship_id, event, recipient_id)


# --- end internships


# --- projects
@task()
def send_report_submitted(report_id: int) -> int:
    """Tell a grant report's editors, each in their language, that their report reached staff."""
    return projects_services.send_report_submitted(report_id)


@task()
def send_report_reviewed(report_id: int) -> int:
    """Tell a grant report's editors, each in their language, that staff approved it or asked for changes."""
    return projects_services.send_report_reviewed(report_id)


@task()
def send_report_reminders() -> int:
    """Remind report editors 7 days and 1 day before a report is due, and weekly once overdue (each once; daily)."""
    return projects_services.send_report_reminders()


# --- end projects
