"""Requests a client got wrong answer 400 with the portal's page and are logged as one-line warnings (issue 16)."""

import io
import logging

import pytest
from django.test import Client

from core.log_filters import ClientErrorsAsWarnings


def _csrf_client() -> Client:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = "a" * 32
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "lang"), [("/me/profile/edit/", "ka"), ("/en/me/profile/edit/", "en")])
def test_a_post_in_an_unknown_charset_gets_the_portals_400_page_not_a_500(path, lang):
    response = _csrf_client().post(
        path,
        data="region=imereti&csrfmiddlewaretoken=" + "a" * 32,
        content_type="application/x-www-form-urlencoded; charset=utf-16",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page  # the portal's own page, in the language of the address
    assert '<a href="/">' in page or '<a href="/en/">' in page
    if lang == "en":
        assert "<h1>Bad request</h1>" in page


def _console_output():
    """The stream of the root handler that carries the client-error filter (settings.LOGGING)."""
    for handler in logging.getLogger().handlers:
        if any(isinstance(f, ClientErrorsAsWarnings) for f in handler.filters):
            return handler
    raise AssertionError("no handler with ClientErrorsAsWarnings")


@pytest.mark.django_db
def test_three_thousand_form_fields_answer_400_and_log_a_warning_without_traceback():
    handler = _console_output()
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        body = "&".join(f"f{n}=x" for n in range(3000))
        response = _csrf_client().post(
            "/me/profile/edit/", data=body, content_type="application/x-www-form-urlencoded"
        )
    finally:
        handler.setStream(previous)
    assert response.status_code == 400
    output = stream.getvalue()
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in output
    assert "Traceback" not in output


def test_the_filter_turns_client_errors_into_warnings_and_leaves_server_errors_alone():
    refused = logging.LogRecord(
        "django.security.TooManyFieldsSent", logging.ERROR, "", 0, "too many", None, None
    )
    refused.exc_info = (ValueError, ValueError("x"), None)
    bad_request = logging.LogRecord("django.request", logging.WARNING, "", 0, "Bad Request", None, None)
    bad_request.status_code = 400
    bad_request.exc_info = (ValueError, ValueError("x"), None)
    crash = logging.LogRecord("django.request", logging.ERROR, "", 0, "Internal Server Error", None, None)
    crash.status_code = 500
    crash.exc_info = (ValueError, ValueError("x"), None)

    keep = ClientErrorsAsWarnings()
    assert keep.filter(refused) and keep.filter(bad_request) and keep.filter(crash)
    assert (refused.levelname, refused.exc_info) == ("WARNING", None)
    assert (bad_request.levelname, bad_request.exc_info) == ("WARNING", None)
    assert crash.levelname == "ERROR" and crash.exc_info is not None
