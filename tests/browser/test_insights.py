"""The indicators dashboard in a real browser, in Georgian: a donor viewer signs in, lands on "my work", opens the
dashboard from there, reads the charts and tables (axe clean, 360 px wide), and it works with JavaScript off."""

import pytest
from django.urls import reverse

from insights import services
from tests.browser.helpers import assert_accessible, assert_fits_360, sign_in
from tests.calls.builders import make_call, submitted
from tests.factories import TEST_PASSWORD, UserFactory
from tests.learning.builders import enrol, make_course

pytestmark = pytest.mark.browser


@pytest.fixture
def donor(db):
    from accounts.api import Role
    from tests.factories import give_role

    return give_role(UserFactory(email="donor@example.org", region="tbilisi"), Role.DONOR, mfa=False)


def _figures():
    course = make_course(title="საჯარო პოლიტიკის ანალიზი")
    for gender in ("woman", "woman", "man", ""):
        enrol(UserFactory(gender=gender), course)
    submitted(make_call(title_ka="ინდივიდუალური სერტიფიცირება"), UserFactory())
    services.refresh_indicators()


def test_donor_signs_in_and_reads_the_dashboard_from_my_work(browser_page, donor):
    _figures()
    page, base = browser_page, browser_page.base_url
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, base, donor.email, TEST_PASSWORD)
    page.goto(f"{base}{reverse('workspace:home')}")
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('insights:dashboard')}']")
    main = page.inner_text("main")
    assert "ინდიკატორების დაფა" in main
    assert "საჯარო პოლიტიკის ანალიზი" in main
    assert page.locator("svg[role=img]").count() >= 2
    assert_accessible(page)
    assert_fits_360(page)


def test_filters_work_without_javascript(nojs_page, donor):
    _figures()
    page, base = nojs_page, nojs_page.base_url
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, base, donor.email, TEST_PASSWORD)
    page.goto(f"{base}{reverse('insights:dashboard')}")
    page.select_option("select[name=region]", "guria")
    with page.expect_navigation():
        page.locator("main form.filters button[type=submit]").click()
    assert "region=guria" in page.url
    assert "ამ არჩევანისთვის მონაცემები არ არის." in page.inner_text("main")
    assert_fits_360(page)
