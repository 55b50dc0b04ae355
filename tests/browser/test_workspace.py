"""'My work' in a real browser, in Georgian: signing in lands there; it is axe-clean, fits 360 px, works with
JavaScript off, and staff reach the outbox and a call's management from it by clicking (issue 19)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.helpers import assert_accessible, assert_fits_360, sign_in
from tests.browser.test_calls import as_user
from tests.factories import TEST_PASSWORD
from tests.workspace import builders

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_signing_in_lands_on_my_work_with_the_urgent_draft_marked(browser_page, learner):
    page = browser_page
    application = builders.drafts(learner, 1, closes_in=timedelta(hours=20))[0]
    builders.courses_in_progress(learner, 1)
    sign_in(page, page.base_url, learner.email, TEST_PASSWORD)
    assert page.url == f"{page.base_url}/workspace/"
    assert page.locator("h1").inner_text() == "ჩემი სამუშაო"
    urgent = page.locator("li.work-urgent")
    assert urgent.count() == 1 and "სასწრაფო" in urgent.inner_text()
    assert application.call.title_ka in urgent.inner_text()
    assert page.locator("nav.work-nav a[aria-current=page]").inner_text() == "ჩემი სამუშაო"
    assert_accessible(page)
    assert_fits_360(page)
    with page.expect_navigation():
        urgent.get_by_role("link").click()
    assert page.url.endswith(f"/calls/applications/{application.pk}/edit/")


def test_staff_reach_the_outbox_and_a_calls_management_without_javascript(nojs_page, staff, learner):
    page = nojs_page
    application = builders.submitted_to(1)[0]
    builders.flags(1)
    hidden = application.call
    hidden.published = False
    hidden.closes_at = timezone.now() + timedelta(days=3)
    hidden.save(update_fields=["published", "closes_at"])
    as_user(page, staff)
    page.goto(page.base_url + "/workspace/")
    assert_accessible(page)
    assert_fits_360(page)
    header = page.locator("nav.work-nav")
    for label in ("ჩემი სამუშაო", "გასაგზავნი წერილები", "მოდერაცია", "სერტიფიკატების მართვა"):
        assert header.get_by_role("link", name=label).count() == 1
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=f"{hidden.title_ka} (არ არის გამოქვეყნებული)").click()
    assert page.url.endswith(f"/calls/{hidden.slug}/manage/")
    with page.expect_navigation():
        header.get_by_role("link", name="გასაგზავნი წერილები").click()
    assert page.url.endswith("/calls/outbox/")
    assert_fits_360(page)
