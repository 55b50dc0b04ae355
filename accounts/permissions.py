"""The one place that answers "may this user do this (to this object)?".

Rules are named (``"accounts.manage_organisation"``) and registered with :func:`rule`; domain apps
register theirs in their own ``rules.py`` (imported from ``AppConfig.ready``). Views call
:func:`require` or the :func:`permission_required` decorator and never test roles themselves.

Reviewer, programme-staff and site-admin powers need two-factor authentication: a person who holds
such a role but has not set up TOTP is sent to set it up (:class:`MFARequired`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role
from accounts.viewer import Viewer

PRIVILEGED_ROLES = frozenset({Role.REVIEWER, Role.STAFF, Role.ADMIN})

RuleFunc = Callable[[Any, Any], bool]
_RULES: dict[str, RuleFunc] = {}


class MFARequired(PermissionDenied):
    """The user holds a privileged role but has not set up two-factor authentication yet."""


def rule(name: str) -> Callable[[RuleFunc], RuleFunc]:
    def register(func: RuleFunc) -> RuleFunc:
        if name in _RULES and _RULES[name] is not func:
            raise ValueError(f"permission rule {name!r} registered twice")
        _RULES[name] = func
        return func

    return register


def registered_rules() -> list[str]:
    return sorted(_RULES)


def as_viewer(who) -> Viewer:
    """The viewer for ``who``: a request's ``request.viewer`` as it is, or a fresh one for a bare ``User``."""
    return who if isinstance(who, Viewer) else Viewer(who)


def has_mfa(who) -> bool:
    """Whether the person has set up TOTP."""
    return as_viewer(who).has_mfa


def holds_role(who, role: str) -> bool:
    """Whether the role is granted, whatever the MFA state (for menus and for "set up MFA" prompts)."""
    viewer = as_viewer(who)
    return viewer.is_authenticated and role in viewer.roles


def has_role(who, role: str) -> bool:
    """Whether the person may use the role's powers now: granted and, for privileged roles, MFA set up."""
    viewer = as_viewer(who)
    if not holds_role(viewer, role):
        return False
    return not (role in PRIVILEGED_ROLES and not viewer.has_mfa)


def is_programme_staff(who) -> bool:
    viewer = as_viewer(who)
    return has_role(viewer, Role.STAFF) or has_role(viewer, Role.ADMIN)


def needs_mfa(who) -> bool:
    """Holds a privileged role but cannot use it until TOTP is set up."""
    viewer = as_viewer(who)
    return any(holds_role(viewer, role) for role in PRIVILEGED_ROLES) and not viewer.has_mfa


def can(who, action: str, obj: Any = None) -> bool:
    """Whether ``who`` (a viewer or a user) may do ``action`` (to ``obj``). Rules receive the viewer."""
    try:
        check = _RULES[action]
    except KeyError:
        raise LookupError(f"unknown permission rule {action!r}") from None
    viewer = as_viewer(who)
    if not viewer.is_authenticated:
        return bool(check(viewer, obj)) if action.endswith(".view_public") else False
    return bool(check(viewer, obj))


def require(who, action: str, obj: Any = None) -> None:
    """Raise unless allowed: MFARequired for an unconfigured privileged user, 404 for an object, else 403."""
    viewer = as_viewer(who)
    if can(viewer, action, obj):
        return
    if viewer.is_authenticated and needs_mfa(viewer):
        raise MFARequired(action)
    if obj is not None:
        raise Http404
    raise PermissionDenied(action)


def permission_required(action: str):
    """View decorator for object-less actions (``@permission_required("calls.manage")``)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            require(request.viewer, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- rules of the accounts domain -------------------------------------------------------------------


def is_org_admin(who, organisation) -> bool:
    viewer = as_viewer(who)
    return viewer.is_authenticated and organisation.pk in viewer.admin_organisation_ids


@rule("accounts.manage_organisation")
def _manage_organisation(viewer, organisation) -> bool:
    return is_programme_staff(viewer) or is_org_admin(viewer, organisation)


@rule("accounts.view_organisation_members")
def _view_members(viewer, organisation) -> bool:
    return is_programme_staff(viewer) or organisation.memberships.filter(user_id=viewer.pk).exists()


@rule("accounts.verify_organisation")
def _verify_organisation(viewer, organisation) -> bool:
    return is_programme_staff(viewer)


@rule("accounts.use_admin")
def _use_admin(viewer, obj) -> bool:
    return viewer.user.is_staff and viewer.has_mfa
