"""The person behind a request, and what they may do.

``request.viewer`` (set by :class:`accounts.middleware.ViewerMiddleware`) wraps ``request.user`` and loads their
roles and two-factor state on first use, once per request. Permission rules receive a viewer; code that holds only
a ``User`` (services, tasks, tests) gets a fresh one from :func:`accounts.permissions.as_viewer`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

T = TypeVar("T")


class Viewer:
    def __init__(self, user) -> None:
        self.user = user
        self._facts: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"<Viewer {self.user!r}>"

    @cached_property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False)) and bool(self.user.is_active)

    @property
    def pk(self):
        return self.user.pk if self.is_authenticated else None

    @cached_property
    def roles(self) -> frozenset[str]:
        """Roles granted (whatever the two-factor state), with the site admin's implied ones; one query."""
        from accounts.models import Role, RoleGrant

        if not self.is_authenticated:
            return frozenset()
        roles = frozenset(RoleGrant.objects.filter(user_id=self.user.pk).values_list("role", flat=True))
        if self.user.is_superuser:
            roles |= {Role.ADMIN, Role.STAFF}
        return roles

    @cached_property
    def has_mfa(self) -> bool:
        """Whether the person has set up an authenticator app (TOTP); one query, only for people holding a role."""
        from allauth.mfa.models import Authenticator

        if not self.is_authenticated:
            return False
        return Authenticator.objects.filter(user_id=self.user.pk, type=Authenticator.Type.TOTP).exists()

    @cached_property
    def admin_organisation_ids(self) -> frozenset[int]:
        from accounts.models import MembershipRole

        if not self.is_authenticated:
            return frozenset()
        return frozenset(
            self.user.memberships.filter(role=MembershipRole.ADMIN).values_list("organisation_id", flat=True)
        )

    def fact(self, name: str, load: Callable[[], T]) -> T:
        """A fact about this person that a domain loads once per request (e.g. ``"community.member"``)."""
        if name not in self._facts:
            self._facts[name] = load()
        return self._facts[name]

    def forget(self, name: str) -> None:
        """Drop a fact after a write that changes it, so the next question loads it afresh."""
        self._facts.pop(name, None)
