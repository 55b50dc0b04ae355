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


def test_compressed_pages_are_padded_differently_and_decompress_to_the_page(rf):
    """Level GZIP_LEVEL for speed, with Django's BREACH padding: a file name of random length in the gzip header."""
    from django.http import HttpResponse

    from core.middleware import GZIP_LEVEL, GZipMiddleware

    html = ("<p>სამოქალაქო ბიუჯეტი — " + "მონაწილეობა " * 400 + "</p>").encode()
    lengths, bodies = set(), set()
    for _ in range(30):
        response = GZipMiddleware(lambda request: HttpResponse(html))(
            rf.get("/", HTTP_ACCEPT_ENCODING="gzip")
        )
        assert response["Content-Encoding"] == "gzip"
        assert response["Content-Length"] == str(len(response.content))
        assert gzip.decompress(response.content) == html
        assert response.content[3] & gzip.FNAME  # the padding sits in the header's file name
        lengths.add(len(response.content))
        name_end = response.content.index(b"\x00", 10)
        bodies.add(response.content[name_end + 1 :])
    assert len(lengths) > 5
    # Past the padded name, the stream is zlib's at our level (same bytes as gzip.compress at that level).
    assert bodies == {gzip.compress(html, compresslevel=GZIP_LEVEL, mtime=0)[10:]}


def test_responses_keep_djangos_gzip_rules(rf):
    from django.http import HttpResponse, StreamingHttpResponse

    from core.middleware import GZipMiddleware

    def through(response, **headers):
        return GZipMiddleware(lambda request: response)(rf.get("/", **headers))

    short = through(HttpResponse(b"short"), HTTP_ACCEPT_ENCODING="gzip")
    assert short.content == b"short" and not short.has_header("Content-Encoding")
    tagged = HttpResponse(b"x" * 500)
    tagged["ETag"] = '"abc"'
    weak = through(tagged, HTTP_ACCEPT_ENCODING="gzip")
    assert weak["ETag"] == 'W/"abc"' and weak["Vary"] == "Accept-Encoding"
    plain = through(HttpResponse(b"x" * 500), HTTP_ACCEPT_ENCODING="identity")
    assert plain.content == b"x" * 500 and plain["Vary"] == "Accept-Encoding"
    streamed = through(StreamingHttpResponse([b"y" * 300, b"z" * 300]), HTTP_ACCEPT_ENCODING="gzip")
    assert streamed["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(streamed.streaming_content)) == b"y" * 300 + b"z" * 300
    already = HttpResponse(b"x" * 500)
    already["Content-Encoding"] = "br"
    assert through(already, HTTP_ACCEPT_ENCODING="gzip").content == b"x" * 500
