"""accounts.backends: signing in through allauth and the admin, and finding the person of each request."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import AuthenticationBackend, ModelBackend
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signing_in_through_allauth_records_one_of_our_backends_and_the_next_page_knows_the_person(client):
    person = UserFactory(email="tamar@example.org", full_name_latin="Tamar Beridze")
    response = client.post(
        reverse("account_login"), {"login": "tamar@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY].startswith("accounts.backends.")
    assert client.session[SESSION_KEY] == str(person.pk)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert sum("accounts_user" in q["sql"] and "WHERE" in q["sql"] for q in queries.captured_queries) >= 1


def test_a_wrong_password_signs_no_one_in(client):
    UserFactory(email="tamar@example.org")
    response = client.post(
        reverse("account_login"), {"login": "tamar@example.org", "password": "not-it-at-all-123"}
    )
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_get_user_returns_the_person_and_refuses_inactive_unknown_and_malformed_ids(backend):
    person = UserFactory()
    found = backend().get_user(str(person.pk))
    assert found == person and found.email == person.email
    assert backend().get_user("999999999") is None
    assert backend().get_user("not-a-number") is None
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert backend().get_user(str(person.pk)) is None


def test_a_deactivated_person_is_signed_out_on_their_next_request(client_for):
    person = UserFactory()
    client = client_for(person)
    assert client.get(reverse("accounts:profile")).status_code == 200
    person.is_active = False
    person.save(update_fields=["is_active"])
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
