"""The anonymous full-page cache (core.cache) on the home page: fast for visitors, never wrong for anyone."""

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


def test_each_visitor_of_a_cached_page_gets_a_csrf_token_that_works_for_them():
    Client().get("/")  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/")
    assert page[HIT_HEADER] == "hit"
    tokens = set(TOKEN.findall(page.content.decode()))
    assert len(tokens) == 1
    # The htmx header carries the same token as the forms.
    assert set(ANY_TOKEN.findall(page.content.decode())) == tokens
    assert "csrftoken" in page.cookies  # set exactly as on an uncached page

    response = visitor.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens.pop()})

    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_a_token_from_someone_elses_cached_page_is_not_accepted_for_another_visitor():
    owner = Client(enforce_csrf_checks=True)
    owner_token = TOKEN.search(owner.get("/").content.decode()).group(1)
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/")  # a hit, with the stranger's own cookie

    response = stranger.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": owner_token})

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
