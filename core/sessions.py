"""Django's database sessions (``SESSION_ENGINE = "core.sessions"`` when the cache is per process), each request's
session read with one plain SQL statement instead of an ORM query built anew every time.

The ORM's ``Session.objects.get(...)`` was ~800 Python calls per signed-in request (an eighth of a lesson page);
the statement and its meaning are the same: the session with this key that has not expired. Everything else
(saving, cycling keys, clearing expired sessions) is Django's ``db`` backend.
"""

from __future__ import annotations

import functools

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from core.rawjoin import Part, select


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        key = self.session_key
        if key is None:
            return None
        model = self.model
        using = router.db_for_read(model)
        part, sql = _statement(model, connections[using].vendor, using)
        now = connections[using].ops.adapt_datetimefield_value(timezone.now())
        rows = select(sql, [key, now], part, using=using)
        if not rows:
            self._session_key = None  # as Django's: an unknown or expired key starts a new session
            return None
        return rows[0][0]


@functools.cache
def _statement(model, vendor: str, using: str) -> tuple[Part, str]:
    connection = connections[using]
    quote = connection.ops.quote_name
    part = Part(model, "s", ["session_key", "session_data"])
    table = quote(model._meta.db_table)
    key, expires = (quote(model._meta.get_field(name).column) for name in ("session_key", "expire_date"))
    return part, f"SELECT {part.sql(connection)} FROM {table} s WHERE s.{key} = %s AND s.{expires} > %s"  # noqa: S608 - names from the model
