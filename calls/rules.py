"""Permission rules of the calls domain (see accounts.permissions)."""

from accounts.api import Role, has_role, is_programme_staff, rule
from calls.models import Conflict


@rule("calls.view_public")
def _view_call(viewer, call) -> bool:
    """Published calls are public; unpublished ones only for programme staff (preview)."""
    if call is None or call.published:
        return True
    return bool(getattr(viewer, "is_authenticated", False)) and is_programme_staff(viewer)


@rule("calls.view_application")
def _view_application(viewer, application) -> bool:
    """The applicant's own pages (status, receipt, history, messages)."""
    return application.applicant_id == viewer.pk


@rule("calls.manage")
def _manage(viewer, obj) -> bool:
    """Programme staff run calls: screening, assignment, decisions, exports, outbox."""
    return is_programme_staff(viewer)


@rule("calls.review")
def _review(viewer, assignment) -> bool:
    """A reviewer (with MFA) opens only their own, still active assignments."""
    if assignment is None:
        return has_role(viewer, Role.REVIEWER)
    return (
        assignment.reviewer_id == viewer.pk
        and assignment.conflict != Conflict.CONFLICT
        and has_role(viewer, Role.REVIEWER)
    )


@rule("calls.download_attachment")
def _download(viewer, attachment) -> bool:
    application = attachment.application
    if application.applicant_id == viewer.pk or is_programme_staff(viewer):
        return True
    if not has_role(viewer, Role.REVIEWER):
        return False
    return application.assignments.filter(reviewer_id=viewer.pk, conflict=Conflict.NONE).exists()
