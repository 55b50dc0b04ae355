"""The accounts app's public surface: other apps import from here, never from accounts' other modules.

People, organisations, roles and the permission rules every domain registers its own rules with.
"""

from accounts.models import Membership, Organisation, Role, User
from accounts.permissions import (
    MFARequired,
    as_viewer,
    can,
    has_role,
    holds_role,
    is_programme_staff,
    needs_mfa,
    permission_required,
    require,
    rule,
)
from accounts.queries import memberships_of
from accounts.regions import Region
from accounts.services import accept_invitation, grant_role, invite_member, record
from accounts.validators import reject_control_characters, validate_single_line
from accounts.viewer import Viewer

__all__ = [
    "MFARequired",
    "Membership",
    "Organisation",
    "Region",
    "Role",
    "User",
    "Viewer",
    "accept_invitation",
    "as_viewer",
    "can",
    "grant_role",
    "has_role",
    "holds_role",
    "invite_member",
    "is_programme_staff",
    "memberships_of",
    "needs_mfa",
    "permission_required",
    "record",
    "reject_control_characters",
    "require",
    "rule",
    "validate_single_line",
]
