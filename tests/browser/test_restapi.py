"""The API's pages in a real browser, in Georgian: a learner makes a personal access token from the profile page (shown
once, then only its prefix), uses it against the API, revokes it; the documentation page. Axe clean, 360 px, and the
token form works with JavaScript off."""

import json
import urllib.error
import urllib.request

import pytest
from django.urls import reverse

from tests.browser.helpers import assert_accessible, assert_fits_360, loaded_html, sign_in
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def _get(url: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 - live server
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_learner_makes_uses_and_revokes_a_token_from_the_profile(browser_page, learner):
    _token_round_trip(browser_page, learner)


def test_the_token_pages_work_without_javascript(nojs_page, learner):
    _token_round_trip(nojs_page, learner)


def _token_round_trip(page, learner):
    base = page.base_url
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, base, learner.email, TEST_PASSWORD)
    page.goto(f"{base}{reverse('accounts:profile')}")
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('restapi:tokens')}']")
    assert_accessible(page)
    assert_fits_360(page)
    page.fill("input[name=name]", "ჩემი სკრიპტი")
    with page.expect_navigation():
        page.locator("main form button[type=submit]", has_text="შექმნა").last.click()
    secret = page.input_value("#new-token")
    assert len(secret) > 30
    assert "ჩემი სკრიპტი" in page.inner_text("main")
    assert_accessible(page)
    status, body = _get(f"{base}/api/v1/me/enrolments", secret)
    assert status == 200 and "items" in body
    # Shown once: the page opened again shows the token's name and prefix, never the secret.
    page.goto(f"{base}{reverse('restapi:tokens')}")
    assert secret not in loaded_html(page)
    with page.expect_navigation():
        page.locator("main table form button[type=submit]").click()
    status, body = _get(f"{base}/api/v1/me/enrolments", secret)
    assert status == 401
    assert body.get("status") == 401


def test_the_documentation_page(browser_page):
    page, base = browser_page, browser_page.base_url
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base}{reverse('restapi:docs')}")
    main = page.inner_text("main")
    assert "/api/v1/calls" in main
    assert_accessible(page)
    assert_fits_360(page)
