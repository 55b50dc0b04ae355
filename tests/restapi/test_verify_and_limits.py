"""Credential verification (the verifier page's verdict) and the per-token rate limit shared by every worker."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.utils import timezone

from credentials import services as credentials
from restapi import services
from restapi.models import RateCounter
from tests.restapi.conftest import bearer, body

pytestmark = pytest.mark.django_db


def _verify(client, token, language="en"):
    return client.post(
        "/api/v1/credentials/verify",
        json.dumps({"token": token}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_a_valid_credential_gets_the_verifier_pages_verdict_without_personal_data(
    client, credential, learner
):
    response = _verify(client, credential.token)
    assert response.status_code == 200
    verdict = body(response)
    assert verdict["state"] == "valid" and verdict["valid"] is True and verdict["headline"] == "Valid"
    assert verdict["achievement"] and {c["name"] for c in verdict["checks"]} >= {"signature", "status"}
    text = response.content.decode()
    assert (
        learner.full_name_ka not in text and learner.full_name_latin not in text and learner.email not in text
    )


def test_a_revoked_credential_is_revoked_and_rubbish_is_invalid_never_an_error(client, credential, staff):
    credentials.revoke_credential(credential=credential, reason="შეცდომა", by=staff)
    assert body(_verify(client, credential.token))["state"] == "revoked"
    assert body(_verify(client, "not.a.jwt"))["state"] == "invalid"
    assert body(_verify(client, "x" * 5000))["state"] == "invalid"
    assert body(_verify(client, "not.a.jwt", language="ka"))["headline"] == "არ არის მოქმედი"


def test_a_body_that_is_not_json_is_a_problem(client):
    response = client.post("/api/v1/credentials/verify", "{", content_type="application/json")
    assert response.status_code in (400, 422) and response["Content-Type"] == "application/problem+json"


def test_the_rate_limit_answers_429_with_retry_after_once_the_window_is_used_up(
    client, learner, token_for, settings
):
    secret = token_for(learner)
    moment = timezone.now().replace(second=10, microsecond=0)
    with time_machine.travel(moment, tick=False):
        for _ in range(services.rate_limit()):
            assert client.get("/api/v1/me/credentials", **bearer(secret)).status_code == 200
        refused = client.get("/api/v1/me/credentials", **bearer(secret), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert body(refused)["title"] == "Too many requests"
    assert refused["Retry-After"] == "50"
    # the next window starts afresh, and the old window's row is cleared
    with time_machine.travel(moment.replace(second=0) + timezone.timedelta(minutes=1), tick=False):
        assert client.get("/api/v1/me/credentials", **bearer(secret)).status_code == 200
    assert RateCounter.objects.count() == 1


def test_the_counter_is_in_the_database_so_every_worker_shares_it(learner, token_for):
    """Two workers are two processes with their own memory: the count lives in a row both update."""
    moment = timezone.now().replace(second=5)
    with time_machine.travel(moment, tick=False):
        for _ in range(3):
            services.hit_rate_limit("token:shared", limit=3)
        assert RateCounter.objects.get(key="token:shared").count == 3
        assert services.hit_rate_limit("token:shared", limit=3).allowed is False


def test_tokens_have_their_own_windows(client, learner, other_learner, token_for):
    first, second = token_for(learner), token_for(other_learner)
    client.get("/api/v1/me/credentials", **bearer(first))
    client.get("/api/v1/me/credentials", **bearer(second))
    assert sorted(RateCounter.objects.values_list("count", flat=True)) == [1, 1]


def test_a_partner_site_posts_without_a_csrf_token(credential):
    """An API client has no cookie and no CSRF token: the endpoint must not need one."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/credentials/verify", json.dumps({"token": credential.token}), content_type="application/json"
    )
    assert response.status_code == 200 and body(response)["state"] == "valid"
