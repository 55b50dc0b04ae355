"""Schemathesis against the OpenAPI document, in process through Django's WSGI application (so it runs in
``make test`` on SQLite, and in CI): no 5xx, and every response conforms to the documented schema, status codes,
media types and headers — for anonymous callers and for a learner's and a staff member's tokens."""

from __future__ import annotations

import pytest
import schemathesis
from django.apps import apps
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection

from restapi import services
from restapi.models import Scope
from tests.calls.builders import make_call
from tests.learning.builders import make_course
from tests.restapi.conftest import make_case, make_opportunity

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's test client stops a request from closing the database connection (the test's transaction
    lives on it); schemathesis calls the WSGI application directly, so the same is done here — on PostgreSQL the
    connection was closed under the test after the first request."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def content(learner, staff, settings):
    """Something in every list, and tokens that do not run into the rate limit while hypothesis explores."""
    settings.RESTAPI_RATE_LIMIT = 1_000_000
    course = make_course(slug="finance", topics=["budget"])
    call = make_call(slug="grant", regions=["imereti"])
    call.required_courses.add(course)
    make_opportunity()
    make_case()
    if apps.is_installed("events"):
        from tests.events.builders import make_event

        make_event()
    return {
        "read": services.create_token(user=learner, name="schemathesis").secret,
        "staff": services.create_token(user=staff, name="schemathesis", scope=Scope.STAFF).secret,
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_conforms_to_its_openapi_document(case, content):
    headers = {"Accept-Encoding": "identity"}  # the WSGI transport does not unzip what GZipMiddleware zips
    if case.path.startswith("/api/v1/staff/"):
        headers["Authorization"] = f"Bearer {content['staff']}"
    elif case.path.startswith("/api/v1/me/"):
        headers["Authorization"] = f"Bearer {content['read']}"
    # Unknown query parameters are ignored (as most APIs do), and the token is always sent: schemathesis' check
    # that every schema-violating request is refused would flag both, so it is left out; its no-5xx and
    # conformance checks still run on those requests.
    case.call_and_validate(headers=headers, excluded_checks=[negative_data_rejection])
