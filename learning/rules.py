"""Permission rules of the learning domain (see accounts.permissions)."""

from accounts.permissions import is_programme_staff, rule


@rule("learning.view_public")
def _view_course(user, course) -> bool:
    """Published courses are public; unpublished ones only for programme staff (preview)."""
    if course is None or course.published:
        return True
    return bool(getattr(user, "is_authenticated", False)) and is_programme_staff(user)


@rule("learning.view_attempt")
def _view_attempt(user, attempt) -> bool:
    return attempt.user_id == user.pk


@rule("learning.view_report")
def _view_report(user, course) -> bool:
    return is_programme_staff(user)
