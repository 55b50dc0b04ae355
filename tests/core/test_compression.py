"""Pages go over the wire compressed (phones on slow connections), with the CSRF token still working."""

import gzip
import re

import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_gzip_compressed_for_clients_that_accept_it(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert len(response.content) < len(html.encode()) / 2


def test_pages_stay_plain_for_clients_that_do_not_accept_gzip(client):
    response = client.get("/accounts/login/")
    assert not response.has_header("Content-Encoding")
    assert "Accept-Encoding" in response["Vary"]
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_a_form_read_from_a_compressed_page_posts_back(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', gzip.decompress(page.content).decode()
    ).group(1)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        "/accounts/login/",
        {"csrfmiddlewaretoken": token, "login": "nobody@example.org", "password": "wrong-password-1"},
    )
    assert response.status_code == 200  # the form answered (wrong password), not a 403 CSRF failure
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_the_same_page_compresses_to_different_lengths_against_breach(client):
    lengths = {len(client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(10)}
    assert len(lengths) > 1
