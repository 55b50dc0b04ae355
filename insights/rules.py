"""Permission rules of the insights domain."""

from accounts.api import Role, has_role, is_programme_staff, rule


@rule("insights.view")
def _view(viewer, obj) -> bool:
    """The dashboard and its exports: programme staff and donor viewers (aggregates only)."""
    return is_programme_staff(viewer) or has_role(viewer, Role.DONOR)


@rule("insights.refresh")
def _refresh(viewer, obj) -> bool:
    """Recomputing the figures now: programme staff."""
    return is_programme_staff(viewer)
