"""Permission rules of the calls domain (see accounts.permissions)."""

from accounts.models import Role
from accounts.permissions import has_role, is_programme_staff, rule
from calls.models import Conflict


@rule("calls.view_public")
def _view_call(user, call) -> bool:
    """Published calls are public; unpublished ones only for programme staff (preview)."""
    if call is None or call.published:
        return True
    return bool(getattr(user, "is_authenticated", False)) and is_programme_staff(user)


@rule("calls.view_application")
def _view_application(user, application) -> bool:
    """The applicant's own pages (status, receipt, history, messages)."""
    return application.applicant_id == user.pk


@rule("calls.manage")
def _manage(user, obj) -> bool:
    """Programme staff run calls: screening, assignment, decisions, exports, outbox."""
    return is_programme_staff(user)


@rule("calls.review")
def _review(user, assignment) -> bool:
    """A reviewer (with MFA) opens only their own, still active assignments."""
    if assignment is None:
        return has_role(user, Role.REVIEWER)
    return (
        assignment.reviewer_id == user.pk
        and assignment.conflict != Conflict.CONFLICT
        and has_role(user, Role.REVIEWER)
    )


@rule("calls.download_attachment")
def _download(user, attachment) -> bool:
    application = attachment.application
    if application.applicant_id == user.pk or is_programme_staff(user):
        return True
    if not has_role(user, Role.REVIEWER):
        return False
    return application.assignments.filter(reviewer=user, conflict=Conflict.NONE).exists()
