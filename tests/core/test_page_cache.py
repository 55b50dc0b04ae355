"""The visitors' page cache (core.cache) on the home page: fast for visitors, never wrong for anyone."""

import gzip
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client

from core.cache import HIT_HEADER, invalidate_anonymous_pages

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def test_a_second_visitor_gets_the_same_page_from_the_cache_without_a_query(django_assert_num_queries):
    first = Client().get("/")

    with django_assert_num_queries(0):
        second = Client().get("/")

    assert (first[HIT_HEADER], second[HIT_HEADER]) == ("miss", "hit")
    assert second.content == first.content
    assert "<h1>" in second.content.decode()


def test_browsers_are_told_to_ask_again_so_signing_in_shows_the_persons_own_page_at_once():
    Client().get("/")
    response = Client().get("/")

    assert response[HIT_HEADER] == "hit"
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_georgian_and_english_pages_are_cached_apart_with_their_language():
    Client().get("/")
    Client().get("/en/")
    georgian = Client().get("/")
    english = Client().get("/en/")

    assert (georgian[HIT_HEADER], english[HIT_HEADER]) == ("hit", "hit")
    assert (georgian["Content-Language"], english["Content-Language"]) == ("ka", "en")
    assert 'lang="ka"' in georgian.content.decode()
    assert 'lang="en"' in english.content.decode()
    assert "A platform for civil society in Georgia" in english.content.decode()


def test_signed_in_people_never_get_or_fill_the_cached_page(client_for, learner):
    Client().get("/")
    response = client_for(learner).get("/")

    assert HIT_HEADER not in response
    assert learner.full_name_ka in response.content.decode()
    visitor = Client().get("/")
    assert visitor[HIT_HEADER] == "hit"
    assert learner.full_name_ka not in visitor.content.decode()


def test_a_signed_in_persons_page_is_not_stored_for_visitors(client_for, learner):
    client_for(learner).get("/")

    visitor = Client().get("/")

    assert visitor[HIT_HEADER] == "miss"
    assert learner.full_name_ka not in visitor.content.decode()


def test_a_visitor_with_a_pending_message_sees_it_and_it_is_not_cached():
    Client().get("/")
    visitor = Client()
    storage = CookieStorage(type("Request", (), {"COOKIES": {}})())
    storage.add(constants.SUCCESS, "You have signed out.")
    carrier = HttpResponse()
    storage.update(carrier)
    visitor.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value

    response = visitor.get("/")

    assert HIT_HEADER not in response
    assert "You have signed out." in response.content.decode()
    assert "You have signed out." not in Client().get("/").content.decode()


def test_invalidating_drops_every_cached_page():
    Client().get("/")
    Client().get("/en/")
    assert Client().get("/")[HIT_HEADER] == "hit"

    invalidate_anonymous_pages()

    assert (Client().get("/")[HIT_HEADER], Client().get("/en/")[HIT_HEADER]) == ("miss", "miss")
    assert Client().get("/")[HIT_HEADER] == "hit"


def test_posts_and_error_pages_are_not_cached():
    Client().post("/")
    assert Client().get("/missing-page-xyz/").status_code == 404
    assert Client().get("/")[HIT_HEADER] == "miss"


def test_a_cached_page_is_compressed_for_browsers_that_accept_gzip_and_plain_for_others():
    first = Client().get("/", HTTP_ACCEPT_ENCODING="gzip, deflate")
    hit = Client().get("/", HTTP_ACCEPT_ENCODING="gzip")
    plain = Client().get("/")

    assert (first[HIT_HEADER], hit[HIT_HEADER], plain[HIT_HEADER]) == ("miss", "hit", "hit")
    assert hit["Content-Encoding"] == "gzip" and "Accept-Encoding" in hit["Vary"]
    assert gzip.decompress(hit.content) == gzip.decompress(first.content) == plain.content
    assert not plain.has_header("Content-Encoding") and "Accept-Encoding" in plain["Vary"]
    assert b"csrfmiddlewaretoken" not in plain.content
    assert all("csrftoken" not in response.cookies for response in (first, hit, plain))


@pytest.mark.urls("tests.core.pagecache_urls")
def test_a_cached_page_with_a_form_gives_each_visitor_a_token_that_works_for_them():
    owner = Client(enforce_csrf_checks=True)
    owner_token = TOKEN.search(owner.get("/form/").content.decode()).group(1)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/form/")
    token = TOKEN.search(page.content.decode()).group(1)

    refused = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": owner_token}
    )
    accepted = visitor.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})

    assert "csrftoken" in page.cookies
    assert refused.status_code == 403
    assert accepted.status_code == 302 and accepted["Location"] == "/en/"


@pytest.mark.urls("tests.core.pagecache_urls")
def test_a_page_with_a_form_is_never_stored_so_no_visitor_gets_anothers_token():
    visitor = Client(enforce_csrf_checks=True)
    pages = [visitor.get("/form/"), visitor.get("/form/"), Client().get("/form/")]

    assert [page[HIT_HEADER] for page in pages] == ["miss", "miss", "miss"]
