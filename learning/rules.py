"""Permission rules of the learning domain (see accounts.permissions)."""

from accounts.api import is_programme_staff, rule


@rule("learning.view_public")
def _view_course(viewer, course) -> bool:
    """Published courses are public; unpublished ones only for programme staff (preview)."""
    if course is None or course.published:
        return True
    return bool(getattr(viewer, "is_authenticated", False)) and is_programme_staff(viewer)


@rule("learning.view_attempt")
def _view_attempt(viewer, attempt) -> bool:
    return attempt.user_id == viewer.pk


@rule("learning.view_report")
def _view_report(viewer, course) -> bool:
    return is_programme_staff(viewer)
