"""Permission rules of the events domain (see accounts.permissions)."""

from accounts.api import is_programme_staff, rule


@rule("events.manage")
def _manage(viewer, obj) -> bool:
    """Create and edit events (in the admin), see registration lists, export them, check people in."""
    return is_programme_staff(viewer)


@rule("events.view_public")
def _view_public(viewer, event) -> bool:
    """Published events are public; staff also see drafts."""
    return event.published or is_programme_staff(viewer)


@rule("events.view_registration")
def _view_registration(viewer, registration) -> bool:
    """A signed-in person's registration is theirs alone (a visitor's is reached by its emailed link)."""
    return registration.user_id == viewer.pk
