"""The anonymous full-page cache (core.cache) on the home page: fast for visitors, never wrong for anyone."""

import gzip
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.test import Client

from core.cache import HIT_HEADER, invalidate_anonymous_pages

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
ANY_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_second_anonymous_visit_is_served_from_the_cache_with_the_same_page():
    first = Client().get("/")
    second = Client().get("/")

    assert first[HIT_HEADER] == "miss"
    assert second[HIT_HEADER] == "hit"
    strip = lambda r: ANY_TOKEN.sub("", r.content.decode())  # noqa: E731
    assert strip(second) == strip(first)
    assert "<h1>" in second.content.decode()


@pytest.mark.urls("tests.bench.pagecache_urls")
def test_each_visitor_of_a_cached_page_gets_a_csrf_token_that_works_for_them():
    Client().get("/form/")  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/form/")
    assert page[HIT_HEADER] == "hit"
    tokens = set(TOKEN.findall(page.content.decode()))
    assert len(tokens) == 1
    assert set(ANY_TOKEN.findall(page.content.decode())) == tokens
    assert "csrftoken" in page.cookies  # set exactly as on an uncached page

    response = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens.pop()}
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/"


@pytest.mark.urls("tests.bench.pagecache_urls")
def test_a_token_from_someone_elses_cached_page_is_not_accepted_for_another_visitor():
    owner = Client(enforce_csrf_checks=True)
    owner_token = TOKEN.search(owner.get("/form/").content.decode()).group(1)
    stranger = Client(enforce_csrf_checks=True)
    assert stranger.get("/form/")[HIT_HEADER] == "hit"  # with the stranger's own cookie

    response = stranger.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": owner_token}
    )

    assert response.status_code == 403


def test_georgian_and_english_pages_are_cached_apart():
    Client().get("/")
    Client().get("/en/")
    georgian = Client().get("/")
    english = Client().get("/en/")

    assert (georgian[HIT_HEADER], english[HIT_HEADER]) == ("hit", "hit")
    assert 'lang="ka"' in georgian.content.decode()
    assert 'lang="en"' in english.content.decode()
    assert "A platform for civil society in Georgia" in english.content.decode()


def test_signed_in_people_never_get_or_fill_the_cached_page(client_for, learner):
    Client().get("/")
    response = client_for(learner).get("/")

    assert HIT_HEADER not in response
    assert learner.full_name_ka in response.content.decode()
    assert learner.full_name_ka not in Client().get("/").content.decode()


def test_a_visitor_with_a_pending_message_sees_it_and_it_is_not_cached():
    Client().get("/")
    visitor = Client()
    storage = CookieStorage(type("Request", (), {"COOKIES": {}})())
    storage.add(constants.SUCCESS, "You have signed out.")
    from django.http import HttpResponse

    carrier = HttpResponse()
    storage.update(carrier)
    visitor.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value

    response = visitor.get("/")

    assert HIT_HEADER not in response
    assert "You have signed out." in response.content.decode()
    assert "You have signed out." not in Client().get("/").content.decode()


def test_invalidating_drops_every_cached_page():
    Client().get("/")
    assert Client().get("/")[HIT_HEADER] == "hit"

    invalidate_anonymous_pages()

    assert Client().get("/")[HIT_HEADER] == "miss"
    assert Client().get("/")[HIT_HEADER] == "hit"


def test_posts_and_error_pages_are_not_cached():
    Client().post("/")
    assert Client().get("/missing-page-xyz/").status_code == 404
    assert Client().get("/")[HIT_HEADER] == "miss"


def test_a_visitors_cached_page_is_served_compressed_once_for_all_and_the_same_for_everyone():
    first = Client().get("/", HTTP_ACCEPT_ENCODING="gzip, deflate")
    hits = [Client().get("/", HTTP_ACCEPT_ENCODING="gzip") for _ in range(2)]
    plain = Client().get("/")

    assert first[HIT_HEADER] == "miss" and first["Content-Encoding"] == "gzip"
    assert [hit[HIT_HEADER] for hit in hits] == ["hit", "hit"]
    assert all(hit["Content-Encoding"] == "gzip" and "Accept-Encoding" in hit["Vary"] for hit in hits)
    # Stored compressed: the same bytes every time (the middleware's padding would make each response differ).
    assert hits[0].content == hits[1].content
    assert int(hits[0]["Content-Length"]) == len(hits[0].content)
    page = gzip.decompress(hits[0].content)
    assert page == gzip.decompress(first.content) == plain.content
    assert b"<h1>" in page and b"csrfmiddlewaretoken" not in page
    # A browser that does not accept gzip gets the page as it is.
    assert plain[HIT_HEADER] == "hit" and not plain.has_header("Content-Encoding")
    assert "Accept-Encoding" in plain["Vary"]
    assert all("csrftoken" not in response.cookies for response in (first, *hits, plain))


@pytest.mark.urls("tests.bench.pagecache_urls")
def test_a_cached_page_with_a_form_is_compressed_per_visitor_with_their_own_token():
    Client().get("/form/")
    responses = [Client().get("/form/", HTTP_ACCEPT_ENCODING="gzip") for _ in range(2)]

    assert [r[HIT_HEADER] for r in responses] == ["hit", "hit"]
    assert all(r["Content-Encoding"] == "gzip" for r in responses)
    tokens = [TOKEN.search(gzip.decompress(r.content).decode()).group(1) for r in responses]
    assert tokens[0] != tokens[1]


def test_invalidating_in_another_process_drops_this_processs_cached_pages(settings, tmp_path):
    """Without Redis each gunicorn worker (and the task worker) has its own cache: publishing a course in one of
    them must drop the visitors' pages the others hold."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from core.cache import per_process

    if not per_process():
        pytest.skip("REDIS_URL is set: one shared cache holds the version")
    settings.PAGE_CACHE_STAMP = tmp_path / "pagecache.stamp"  # the other process's VAR_DIR is tmp_path
    Client().get("/")
    assert Client().get("/")[HIT_HEADER] == "hit"

    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(CIVICHUB_VAR_DIR=str(tmp_path), DEBUG="true")
    other = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'civichub.settings'; "
            "django.setup(); from core.cache import invalidate_anonymous_pages; invalidate_anonymous_pages()",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert other.returncode == 0, other.stderr

    assert Client().get("/")[HIT_HEADER] == "miss"
    assert Client().get("/")[HIT_HEADER] == "hit"
    assert [p.name for p in tmp_path.iterdir()] == ["pagecache.stamp"]  # no half-written stamp left behind
