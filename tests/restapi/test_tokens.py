"""Personal access tokens: created on a page linked from the profile, shown once, stored hashed, scoped, can expire,
can be revoked; a staff token needs programme staff with two-factor authentication."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, Role
from restapi import services
from restapi.models import AccessToken, Scope
from tests.factories import UserFactory, give_role
from tests.restapi.conftest import bearer, body

pytestmark = pytest.mark.django_db


def test_the_profile_page_links_to_the_tokens_page(client_for, learner):
    page = client_for(learner).get(reverse("accounts:profile")).content.decode()
    assert reverse("restapi:tokens") in page


def test_a_learner_creates_a_token_sees_it_once_and_it_is_stored_hashed(client_for, learner):
    client = client_for(learner)
    response = client.post(
        reverse("restapi:tokens"), {"name": "ჩემი საიტი", "scope": "read", "expires": "30"}
    )
    assert response.status_code == 302
    shown = client.get(reverse("restapi:tokens")).content.decode()
    token = AccessToken.objects.get(user=learner)
    secret = shown.split('id="new-token" class="token-secret" type="text" value="', 1)[1].split('"', 1)[0]
    assert secret.startswith(f"chub_{token.prefix}_") and len(secret) > 40
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(AccessToken.objects.values_list(flat=False).get(pk=token.pk))
    assert token.scope == Scope.READ
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    # shown once: the next visit no longer has it
    assert secret not in client.get(reverse("restapi:tokens")).content.decode()
    assert AuditEntry.objects.filter(action="restapi.token.create", actor=learner).count() == 1
    # and it works
    assert client.get("/api/v1/me/enrolments", **bearer(secret)).status_code == 200


def test_a_learner_cannot_create_a_staff_token(client_for, learner):
    response = client_for(learner).post(
        reverse("restapi:tokens"), {"name": "x", "scope": "staff", "expires": "30"}
    )
    assert response.status_code == 400 and not AccessToken.objects.exists()
    with pytest.raises(services.TokenError):
        services.create_token(user=learner, name="x", scope=Scope.STAFF)


def test_staff_without_two_factor_cannot_create_a_staff_token(db):
    unprotected = give_role(UserFactory(email="no-mfa@example.org"), Role.STAFF, mfa=False)
    with pytest.raises(services.TokenError):
        services.create_token(user=unprotected, name="x", scope=Scope.STAFF)


def test_staff_with_two_factor_create_a_staff_token(client_for, staff):
    response = client_for(staff).post(
        reverse("restapi:tokens"), {"name": "ანგარიშები", "scope": "staff", "expires": "never"}
    )
    assert response.status_code == 302
    token = AccessToken.objects.get(user=staff)
    assert token.scope == Scope.STAFF and token.expires_at is None


def test_revoking_a_token_stops_it_and_only_the_owner_can(client_for, learner, other_learner, token_for):
    secret = token_for(learner)
    token = AccessToken.objects.get(user=learner)
    url = reverse("restapi:token_revoke", args=[token.pk])
    assert client_for(other_learner).post(url).status_code == 404
    assert client_for(learner).post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="restapi.token.revoke", actor=learner).count() == 1
    response = client_for(learner).get("/api/v1/me/enrolments", **bearer(secret))
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
    # revoking twice records once
    client_for(learner).post(url)
    assert AuditEntry.objects.filter(action="restapi.token.revoke").count() == 1


def test_an_expired_token_stops_working(client, learner, token_for):
    secret = token_for(learner, expires_in_days=30)
    assert client.get("/api/v1/me/enrolments", **bearer(secret)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert client.get("/api/v1/me/enrolments", **bearer(secret)).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["", "Bearer ", "Bearer nonsense", "Bearer chub_00000000_x", "Basic abc", "Bearer chub_"],
)
def test_bad_or_missing_tokens_get_401_problem_details(client, learner, token_for, header):
    token_for(learner)
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/me/applications", HTTP_ACCEPT_LANGUAGE="en", **extra)
    assert response.status_code == 401
    assert body(response)["title"] == "An access token is needed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_secret_with_a_real_prefix_is_refused(client, learner, token_for):
    secret = token_for(learner)
    forged = secret[:-4] + ("aaaa" if not secret.endswith("aaaa") else "bbbb")
    assert client.get("/api/v1/me/enrolments", **bearer(forged)).status_code == 401


def test_last_use_is_recorded(client, learner, token_for):
    secret = token_for(learner)
    client.get("/api/v1/me/enrolments", **bearer(secret))
    assert AccessToken.objects.get(user=learner).last_used_at is not None


def test_the_tokens_page_lists_a_page_of_tokens_in_constant_queries(
    client_for, learner, token_for, django_assert_num_queries
):
    client = client_for(learner)
    token_for(learner)
    client.get(reverse("restapi:tokens"))  # the session and the viewer are warm
    with django_assert_num_queries(5):
        client.get(reverse("restapi:tokens"))
    token_for(learner)
    token_for(learner)
    with django_assert_num_queries(5):
        page = client.get(reverse("restapi:tokens")).content.decode()
    assert page.count("restapi/tokens/") >= 3
