"""core.sessions: Django's database sessions read with one plain statement, with the same meaning."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_is_read_back_with_one_query():
    store = SessionStore()
    store["greeting"] = "გამარჯობა"
    store.create()

    with CaptureQueriesContext(connection) as queries:
        again = SessionStore(store.session_key)
        assert again["greeting"] == "გამარჯობა"
    assert len(queries) == 1
    assert again.session_key == store.session_key


def test_an_expired_session_is_not_read_and_a_new_key_is_made_on_save():
    store = SessionStore()
    store["secret"] = "old"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    expired = SessionStore(store.session_key)
    assert expired.get("secret") is None
    expired["fresh"] = 1
    expired.save()
    assert expired.session_key != store.session_key


@pytest.mark.parametrize("key", ["unknown-key-000000000000000000000", "x'; DROP TABLE django_session; --"])
def test_an_unknown_or_hostile_key_gives_an_empty_session(key):
    someone = SessionStore()
    someone["who"] = "someone"
    someone.create()

    store = SessionStore(key)
    assert dict(store.items()) == {}
    assert store.session_key is None
    assert SessionStore(someone.session_key)["who"] == "someone"  # the key is a parameter, never SQL
