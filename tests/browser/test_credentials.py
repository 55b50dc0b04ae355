"""A certificate's verification page, the holder's list and the verifier, in a real browser (JS on and off)."""

import pytest

from credentials import rendering, services
from credentials.models import AchievementKind
from tests.browser.helpers import assert_accessible, assert_fits_360, loaded_html, sign_in
from tests.credentials import keys as test_keys
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def _issue():
    services.rotate_signing_key(private_key=test_keys.test_private_key(0))
    holder = UserFactory(
        email="lela@example.org", full_name_ka="ლელა აბაშიძე", full_name_latin="Lela Abashidze"
    )
    achievement = services.ensure_achievement(
        key="course:browser",
        defaults={
            "kind": AchievementKind.COURSE,
            "name_ka": "ადვოკატირება და ლობირება",
            "name_en": "Advocacy and lobbying",
            "description_ka": "კურსი",
            "criteria_ka": "ყველა გაკვეთილი",
        },
    )
    credential, _ = services.issue_credential(user=holder, achievement=achievement)
    return holder, credential


def test_verification_page_and_my_certificates(browser_page):
    page = browser_page
    holder, credential = _issue()
    page.goto(f"{page.base_url}/credentials/c/{credential.pk}/")
    main = page.inner_text("main")
    assert "მოქმედია" in main and "ლელა აბაშიძე" in main
    assert "lela@example.org" not in loaded_html(page)
    assert_accessible(page)
    assert_fits_360(page)

    sign_in(page, page.base_url, holder.email, TEST_PASSWORD)
    page.goto(f"{page.base_url}/credentials/")
    assert "ადვოკატირება და ლობირება" in page.inner_text("main")
    assert_accessible(page)
    assert_fits_360(page)
    page.uncheck(f"input[name='{credential.pk}-show_name']")
    with page.expect_navigation():
        page.locator("form.cred-visibility button").click()
    assert "აღარ ჩანს" in page.inner_text("main")


def test_verifier_without_javascript_pastes_and_uploads(nojs_page, tmp_path):
    # axe-core runs inside the page, so accessibility is checked in the JavaScript test below.
    page = nojs_page
    _holder, credential = _issue()
    page.goto(f"{page.base_url}/credentials/verify/")
    page.fill("textarea[name=token]", credential.token)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "მოქმედია" in page.inner_text(".cred-verdict")

    badge = tmp_path / "badge.png"
    badge.write_bytes(rendering.baked_badge(credential))
    page.goto(f"{page.base_url}/credentials/verify/")
    page.set_input_files("input[name=file]", str(badge))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "მოქმედია" in page.inner_text(".cred-verdict")


def test_verifier_verdicts_are_accessible_and_fit_360(browser_page):
    page = browser_page
    _holder, credential = _issue()
    page.goto(f"{page.base_url}/credentials/verify/")
    assert_accessible(page)
    page.fill("textarea[name=token]", "eyJhbGciOiJub25lIn0.e30.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "არ არის მოქმედი" in page.inner_text(".cred-verdict")
    assert_accessible(page)
    page.fill("textarea[name=token]", credential.token)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "მოქმედია" in page.inner_text(".cred-verdict")
    assert_accessible(page)
    assert_fits_360(page)
