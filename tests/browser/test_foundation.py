"""A new person signs up in Georgian, verifies the address from the mail, signs in, switches to English
and edits the profile — with no console error and no serious accessibility violation on any page."""

import re

import pytest
from django.core import mail

from accounts.models import User
from tests.browser.helpers import assert_accessible, assert_fits_360, loaded_html, page_weight, sign_in

PASSWORD = "mtsvane-mta-2026-Kutaisi"


def test_sign_up_verify_sign_in_switch_language_and_edit_profile(browser_page, settings):
    page = browser_page
    base = page.base_url
    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "ka"
    assert_accessible(page)
    assert_fits_360(page)

    with page.expect_navigation():
        page.click("text=რეგისტრაცია")
    assert_accessible(page)
    page.fill("input[name=email]", "Lela.Abashidze@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.fill("input[name=full_name_ka]", "ლელა აბაშიძე")
    page.fill("input[name=full_name_latin]", "Lela Abashidze")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/accounts/confirm-email/")
    assert "lela.abashidze@example.org" in page.inner_text("main")
    assert "დაადასტურეთ" in page.inner_text("main")  # "confirm your email", in Georgian
    assert_accessible(page)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lela.abashidze@example.org"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    path = link.split("/accounts/", 1)[1]
    page.goto(f"{base}/accounts/{path}")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    user = User.objects.get(email="lela.abashidze@example.org")
    assert user.emailaddress_set.get().verified is True
    assert user.full_name_ka == "ლელა აბაშიძე"

    # Sign out, then sign in with the new password.
    with page.expect_navigation():
        page.locator("header form[action$='/accounts/logout/'] button").click()
    sign_in(page, base, "lela.abashidze@example.org", PASSWORD)
    assert page.locator("header").get_by_text("ლელა აბაშიძე").is_visible()

    # Switch to English: the same page under /en/.
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "/en/" in page.url
    assert page.locator("header").get_by_text("Lela Abashidze").is_visible()

    page.goto(base + "/en/me/profile/edit/")
    assert_accessible(page)
    page.select_option("select[name=region]", "kakheti")
    page.fill("input[name=municipality]", "Telavi")
    page.fill("input[name=expertise_text]", "civic budgets, public hearings")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "Your profile has been saved." in loaded_html(page)
    assert_accessible(page)
    user.refresh_from_db()
    assert (user.region, user.municipality) == ("kakheti", "Telavi")
    assert sorted(t.name for t in user.expertise.all()) == ["civic budgets", "public hearings"]


def test_sign_in_and_profile_work_without_javascript(nojs_page):
    from tests.factories import TEST_PASSWORD, UserFactory

    UserFactory(email="nojs@example.org")
    page = nojs_page
    sign_in(page, page.base_url, "nojs@example.org", TEST_PASSWORD)
    page.goto(page.base_url + "/me/profile/edit/")
    page.fill("input[name=municipality]", "ქუთაისი")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert User.objects.get(email="nojs@example.org").municipality == "ქუთაისი"
    # The language switch is a plain form: it works without JavaScript too.
    with page.expect_navigation():
        page.locator("header .lang-switch button").click()
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/en/"])
def test_public_pages_stay_under_50_kb_and_15_requests(browser_page, path):
    sizes = page_weight(browser_page, browser_page.base_url + path)
    assert sizes["total_core"] <= 50 * 1024, sizes
    assert sizes["requests"] <= 15, sizes
    assert_accessible(browser_page)


def test_accessibility_is_checked_on_pages_opened_without_javascript(nojs_page):
    nojs_page.goto(nojs_page.base_url + "/accounts/login/")
    assert_accessible(nojs_page)  # runs axe in a JavaScript twin instead of hanging
