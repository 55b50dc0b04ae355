"""Permission rules of the calls domain (see accounts.permissions)."""

from accounts.api import Role, as_viewer, has_role, is_programme_staff, rule
from calls.models import Collaborator, Conflict


@rule("calls.view_public")
def _view_call(viewer, call) -> bool:
    """Published calls are public; unpublished ones only for programme staff (preview)."""
    if call is None or call.published:
        return True
    return bool(getattr(viewer, "is_authenticated", False)) and is_programme_staff(viewer)


@rule("calls.view_application")
def _view_application(viewer, application) -> bool:
    """The applicant's own pages (status, receipt, history, messages); also the co-applicants' (stages). A
    full-proposal draft made by shortlisting is shown once the invitation letter is sent."""
    if application.invited_from_id and application.invited_from.decision_published_at is None:
        return False
    return (
        application.applicant_id == viewer.pk
        or _is_collaborator(viewer, application)
        or _is_organisation_admin(viewer, application)  # they submit the organisation's applications
    )


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
    if _is_collaborator(viewer, application):  # stages
        return True
    if not has_role(viewer, Role.REVIEWER):
        return False
    return application.assignments.filter(reviewer_id=viewer.pk, conflict=Conflict.NONE).exists()


# --- stages: co-applicants


def _is_collaborator(viewer, application) -> bool:
    if not application.organisation_id or not getattr(viewer, "is_authenticated", False):
        return False
    return Collaborator.objects.filter(application_id=application.pk, user_id=viewer.pk).exists()


def _is_organisation_admin(viewer, application) -> bool:
    """A current administrator of the organisation the application is made for (the viewer's admin
    organisations are read once per request)."""
    if not application.organisation_id or not getattr(viewer, "is_authenticated", False):
        return False
    return application.organisation_id in as_viewer(viewer).admin_organisation_ids


@rule("calls.manage_collaborators")
def _manage_collaborators(viewer, application) -> bool:
    """The applicant of an organisation's application and the organisation's administrators invite and remove
    its co-applicants."""
    return bool(application.organisation_id) and (
        application.applicant_id == viewer.pk or _is_organisation_admin(viewer, application)
    )


# --- end stages
