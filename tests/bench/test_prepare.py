"""The bench's targets for calls and credentials work against the real views: verification pages answer, an
autosave sent the way the load test sends it (multipart, session + CSRF cookie, X-CSRFToken header) saves
the draft, and programme staff get the ranking table."""

import random
from http.cookies import SimpleCookie

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (apps.is_installed("calls") and apps.is_installed("credentials")),
        reason="calls or credentials not installed",
    ),
]


def client_with(cookie_header: str, **kwargs) -> Client:
    client = Client(**kwargs)
    for name, morsel in SimpleCookie(cookie_header).items():
        client.cookies[name] = morsel.value
    return client


@pytest.fixture
def targets():
    from benchmarks.management.commands import generate_data
    from benchmarks.prepare import build

    # Through the command's class: the benchmarks app (and so its commands) is installed only when benchmarking.
    call_command(generate_data.Command(), scale="tiny", seed=1)
    return build(random.Random(7), sessions=5)["scenarios"]


def test_verification_targets_are_real_certificate_pages(targets):
    urls = targets["credential_verification"]["urls"]
    assert urls
    from credentials.formats import format_code
    from credentials.models import Credential

    credential = Credential.objects.get(pk=urls[0].rstrip("/").split("/")[-1])
    response = Client().get(urls[0])
    assert response.status_code == 200
    assert format_code(credential.short_code) in response.content.decode()


def test_autosave_as_the_load_test_sends_it_saves_the_draft(targets):
    from benchmarks.locustfile_names import CLASSES
    from calls.models import Application

    assert "ApplicationAutosave" in CLASSES["application_autosave"]
    applicant = targets["application_autosave"]["sessions"][0]
    client = client_with(applicant["cookie"], enforce_csrf_checks=True)
    key, value = next((k, v) for k, v in applicant["pairs"] if not k.endswith(("-qty", "-unit", "-item")))
    post = {}
    for k, v in applicant["pairs"]:
        post.setdefault(k, []).append(v)
    post[key] = [value + " (autosave)"]

    response = client.post(
        applicant["autosave"], post, HTTP_X_CSRFTOKEN=applicant["csrf"], HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert b"<strong>" not in response.content  # no error, no expired session
    pk = int(applicant["autosave"].rstrip("/").split("/")[-2])
    assert Application.objects.get(pk=pk).data[key.removeprefix("f_")] == value + " (autosave)"


def test_ranking_targets_open_for_programme_staff(targets):
    session = targets["reviewer_ranking"]["sessions"][0]
    response = client_with(session["cookie"]).get(session["urls"][0])
    assert response.status_code == 200
    assert b"ranking" in response.content


def test_mixed_scenario_includes_every_kind_of_person(targets):
    mixed = targets["mixed"]
    for kind in ("learners", "applicants", "reviewers", "forum", "anonymous"):
        assert mixed[kind], kind


def test_signed_in_targets_carry_the_csrf_cookie_a_returning_browser_has(targets):
    """Without it the server would mint a new CSRF secret on every page of the benchmark."""
    session = targets["lesson_page"]["sessions"][0]
    sent = SimpleCookie(session["cookie"])["csrftoken"].value
    response = client_with(session["cookie"]).get(session["urls"][0])
    assert response.status_code == 200
    assert response.cookies["csrftoken"].value == sent  # refreshed, not replaced
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
