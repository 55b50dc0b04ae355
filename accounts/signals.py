"""Keep ``User.role_names`` and ``User.has_totp`` in step with the rows they summarise.

Every role grant or authenticator saved or deleted through the ORM (services, the admin, allauth's MFA views,
cascades) lands here. Bulk inserts bypass signals: call :func:`accounts.services.refresh_access` after them.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save


def _changed(sender, instance, **kwargs):
    from accounts.services import refresh_access

    fresh = refresh_access([instance.user_id])
    # The person object the caller holds (a grant made with ``user=person`` carries it) reads the new values.
    user = instance._state.fields_cache.get("user")
    if user is not None and user.pk in fresh:
        user.role_names, user.has_totp = fresh[user.pk]
        for attr in ("_civichub_roles", "_civichub_mfa"):
            user.__dict__.pop(attr, None)


def connect() -> None:
    from allauth.mfa.models import Authenticator

    from accounts.models import RoleGrant

    for model in (RoleGrant, Authenticator):
        post_save.connect(_changed, sender=model, dispatch_uid=f"accounts.access.save.{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"accounts.access.delete.{model.__name__}")
