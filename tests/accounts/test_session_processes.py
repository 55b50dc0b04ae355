"""A session ended or changed in one web process is ended or changed for every process.

`make run` serves with several gunicorn workers, each with its own in-memory cache when REDIS_URL is not set.
Sessions read through that cache (`cached_db`) stayed in the memory of a worker that had served them: a cookie
signed out in one worker was still signed in at the next, and a value written to the session by one worker
(an authenticator's secret while it is being set up) was missing when the next request reached the other.
Here "the other worker's memory" is the cache entry as that worker had stored it, put back after the change.
"""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import caches
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
per_process_cache = pytest.mark.skipif(
    "locmem" not in settings.CACHES["default"]["BACKEND"],
    reason="REDIS_URL is set: every worker shares one cache",
)


def _other_workers_memory(session_key: str):
    """What a second worker would hold for this session after serving one request: (key, entry) or None."""
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX

    cache = caches[settings.SESSION_CACHE_ALIAS]
    key = KEY_PREFIX + session_key
    return key, cache.get(key)


@per_process_cache
def test_a_cookie_signed_out_in_one_worker_is_signed_out_in_every_worker(client_for, learner):
    client = client_for(learner)
    profile = reverse("accounts:profile")
    assert client.get(profile).status_code == 200
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    key, entry = _other_workers_memory(stolen)

    client.post(reverse("account_logout"))
    if entry is not None:  # the other worker's memory still holds the session as it was
        caches[settings.SESSION_CACHE_ALIAS].set(key, entry)
    client.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = client.get(profile)

    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@per_process_cache
def test_a_value_written_to_the_session_in_one_worker_is_read_in_every_worker(client_for, learner):
    from importlib import import_module

    client = client_for(learner)
    client.get(reverse("accounts:profile"))
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    key, entry = _other_workers_memory(session_key)

    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    store["pending-secret"] = "JBSWY3DPEHPK3PXP"  # written by the first worker
    store.save()
    if entry is not None:
        caches[settings.SESSION_CACHE_ALIAS].set(key, entry)

    assert (
        import_module(settings.SESSION_ENGINE).SessionStore(session_key).get("pending-secret")
        == "JBSWY3DPEHPK3PXP"
    )


def test_signing_in_through_allauth_keeps_the_person_signed_in_on_the_next_page(client):
    person = UserFactory(email="tamar@example.org", full_name_latin="Tamar Beridze")
    response = client.post(
        reverse("account_login"), {"login": "tamar@example.org", "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(person.pk)
    page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Tamar Beridze" in page.content.decode()


def test_a_deactivated_person_is_signed_out_on_their_next_request(client_for):
    person = UserFactory()
    client = client_for(person)
    assert client.get(reverse("accounts:profile")).status_code == 200
    person.is_active = False
    person.save(update_fields=["is_active"])

    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302 and reverse("account_login") in response["Location"]
