"""allauth's account adapter, with failed sign-ins counted in the database.

allauth counts them in the cache; without Redis each web process has its own, so two workers gave an attacker
twice the attempts. Rows in one table are seen by every process (decision 0004).
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from accounts import services


def _login(credentials) -> str:
    return str(credentials.get("email") or credentials.get("username") or "")


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        if services.login_locked(email=_login(credentials), ip=self.get_client_ip(request) or ""):
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request, **credentials):
        services.record_failed_login(email=_login(credentials), ip=self.get_client_ip(request) or "")


def password_was_reset(sender, request, user, **kwargs):
    """After a successful password reset the address starts afresh (allauth's ``password_reset`` signal)."""
    services.forget_failed_logins(email=user.email)
