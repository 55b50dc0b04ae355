"""Permission rules of the mentoring sub-domain.

Who is who in a mentorship: :func:`role_in` (staff, mentor, pending mentor, mentee); the rules and the queries'
access helpers read it.
"""

from accounts.api import Membership, Role, holds_role, is_programme_staff, rule
from awards.models.mentoring import Mentorship, MentorshipStatus


def member_organisation_ids(viewer) -> frozenset[int]:
    if not viewer.is_authenticated:
        return frozenset()
    return viewer.fact(
        "member_organisation_ids",
        lambda: frozenset(
            Membership.objects.filter(user_id=viewer.pk).values_list("organisation_id", flat=True)
        ),
    )


def role_in(viewer, mentorship: Mentorship) -> str | None:
    """``"staff"``, ``"mentor"``, ``"pending_mentor"`` (assigned, conflict not declared yet), ``"mentee"`` or None."""
    if not viewer.is_authenticated:
        return None
    if mentorship.mentor_id == viewer.pk:
        return "pending_mentor" if mentorship.status == MentorshipStatus.WAITING else "mentor"
    if is_programme_staff(viewer):
        return "staff"
    organisations = member_organisation_ids(viewer)
    if mentorship.mentee_id == viewer.pk or (mentorship.organisation_id in organisations):
        return "mentee"
    project = mentorship.project if mentorship.project_id else None
    if project is not None and (project.grantee_id == viewer.pk or project.organisation_id in organisations):
        return "mentee"
    return None


def _role(viewer, mentorship) -> str | None:
    return role_in(viewer, mentorship)


@rule("awards.mentoring.oversee")
def _oversee(viewer, obj) -> bool:
    return is_programme_staff(viewer)


@rule("awards.mentoring.mentor")
def _be_mentor(viewer, obj) -> bool:
    return holds_role(viewer, Role.MENTOR)


@rule("awards.mentorship.view")
def _view(viewer, mentorship) -> bool:
    return _role(viewer, mentorship) is not None


@rule("awards.mentorship.declare")
def _declare(viewer, mentorship) -> bool:
    return _role(viewer, mentorship) == "pending_mentor"


@rule("awards.mentorship.log")
def _log(viewer, mentorship) -> bool:
    return _role(viewer, mentorship) == "mentor" and mentorship.status == MentorshipStatus.ACTIVE


@rule("awards.mentorship.write")
def _write(viewer, mentorship) -> bool:
    return _role(viewer, mentorship) in ("mentor", "mentee") and mentorship.status == MentorshipStatus.ACTIVE


@rule("awards.mentorship.manage")
def _manage(viewer, mentorship) -> bool:
    return is_programme_staff(viewer)
