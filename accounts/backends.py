"""Authentication backends: Django's and allauth's, each finding the signed-in person of a request with one
plain SQL statement.

Every signed-in request loads its person (``django.contrib.auth.get_user``); the ORM spent ~0.3 ms of CPU
building that ``SELECT`` each time (docs/performance.md). The statement is the same one, written once.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import User
from core.rawjoin import Part, columns, select

_USER = Part.every_column(User, "u")
_USER_SQL: dict[str, str] = {}


class _FastGetUser:
    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        sql = _USER_SQL.get(connection.vendor)
        if sql is None:
            sql = _USER_SQL[connection.vendor] = (
                f"SELECT {columns(_USER)} FROM {User._meta.db_table} u WHERE u.{User._meta.pk.column} = %s"  # noqa: S608 - table from the model
            )
        rows = select(sql, [pk], _USER)
        user = rows[0][0] if rows else None
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_FastGetUser, DjangoModelBackend):
    """Django's email-and-password backend (the admin's sign-in, sessions made by ``force_login``)."""


class AuthenticationBackend(_FastGetUser, AllauthBackend):
    """allauth's backend (sign-in through allauth's pages, which prefer it)."""
