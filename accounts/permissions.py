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

from accounts.models import MembershipRole, Role

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


def _granted_roles(user) -> frozenset[str]:
    """Roles granted to ``user``: read from ``User.role_names`` (kept in step by accounts.signals), no query."""
    cached = getattr(user, "_civichub_roles", None)
    if cached is None:
        cached = frozenset(name for name in user.role_names.split(",") if name)
        if user.is_superuser:
            cached = cached | {Role.ADMIN, Role.STAFF}
        user._civichub_roles = cached
    return cached


def has_mfa(user) -> bool:
    """Whether the person has set up TOTP (``User.has_totp``, kept in step by accounts.signals; no query)."""
    return bool(user.has_totp)


def holds_role(user, role: str) -> bool:
    """Whether the role is granted, whatever the MFA state (for menus and for "set up MFA" prompts)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return role in _granted_roles(user)


def has_role(user, role: str) -> bool:
    """Whether the user may use the role's powers now: granted and, for privileged roles, MFA set up."""
    if not holds_role(user, role):
        return False
    return not (role in PRIVILEGED_ROLES and not has_mfa(user))


def is_programme_staff(user) -> bool:
    return has_role(user, Role.STAFF) or has_role(user, Role.ADMIN)


def needs_mfa(user) -> bool:
    """Holds a privileged role but cannot use it until TOTP is set up."""
    return any(holds_role(user, role) for role in PRIVILEGED_ROLES) and not has_mfa(user)


def can(user, action: str, obj: Any = None) -> bool:
    try:
        check = _RULES[action]
    except KeyError:
        raise LookupError(f"unknown permission rule {action!r}") from None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return bool(check(user, obj)) if action.endswith(".view_public") else False
    return bool(check(user, obj))


def require(user, action: str, obj: Any = None) -> None:
    """Raise unless allowed: MFARequired for an unconfigured privileged user, 404 for an object, else 403."""
    if can(user, action, obj):
        return
    if getattr(user, "is_authenticated", False) and needs_mfa(user):
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
            require(request.user, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- rules of the accounts domain -------------------------------------------------------------------


def is_org_admin(user, organisation) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cache = getattr(user, "_civichub_org_admin", None)
    if cache is None:
        cache = frozenset(
            user.memberships.filter(role=MembershipRole.ADMIN).values_list("organisation_id", flat=True)
        )
        user._civichub_org_admin = cache
    return organisation.pk in cache


@rule("accounts.manage_organisation")
def _manage_organisation(user, organisation) -> bool:
    return is_org_admin(user, organisation) or is_programme_staff(user)


@rule("accounts.view_organisation_members")
def _view_members(user, organisation) -> bool:
    return is_programme_staff(user) or organisation.memberships.filter(user=user).exists()


@rule("accounts.verify_organisation")
def _verify_organisation(user, organisation) -> bool:
    return is_programme_staff(user)


@rule("accounts.use_admin")
def _use_admin(user, obj) -> bool:
    return user.is_staff and has_mfa(user)
