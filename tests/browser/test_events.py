"""Events in a real browser, in Georgian: a learner registers from the public list and finds their code and QR;
staff check the person in at the door with JavaScript off on a 360 px phone, twice (the second says when)."""

import pytest
from django.urls import reverse

from events.models import Registration
from tests.browser.helpers import assert_accessible, assert_fits_360, sign_in
from tests.browser.test_calls import as_user
from tests.events.builders import make_event
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_learner_registers_and_sees_the_code_and_qr(browser_page, learner):
    page, base = browser_page, browser_page.base_url
    event = make_event(title_ka="დასკვნითი კონფერენცია", capacity=5)
    page.goto(f"{base}/events/")
    assert_accessible(page)
    assert_fits_360(page)
    sign_in(page, base, learner.email, TEST_PASSWORD)
    page.goto(f"{base}/events/")
    with page.expect_navigation():
        page.click("text=დასკვნითი კონფერენცია")
    assert_accessible(page)
    assert_fits_360(page)
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('events:register', args=[event.pk])}']")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    registration = Registration.objects.get(event=event, user=learner)
    main = page.inner_text("main")
    assert registration.display_code in main
    assert page.locator("img.event-qr").evaluate("img => img.naturalWidth") > 0
    assert_accessible(page)
    assert_fits_360(page)


def test_staff_check_in_without_javascript_on_a_phone(nojs_page, learner, staff):
    from events import services

    page, base = nojs_page, nojs_page.base_url
    page.set_viewport_size({"width": 360, "height": 740})
    event = make_event(title_ka="ტრენინგი")
    registration, _ = services.register(event=event, user=learner)
    as_user(page, staff)
    page.goto(f"{base}{reverse('events:checkin', args=[event.pk])}")
    assert_fits_360(page)
    page.fill("input[name=code]", registration.display_code.lower())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    main = page.inner_text("main")
    assert "აღრიცხულია" in main and "მოსული: 1" in main
    page.fill("input[name=code]", registration.code)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "უკვე აღრიცხულია" in page.inner_text("main")
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert_fits_360(page)


def test_check_in_page_is_accessible(browser_page, staff):
    page = browser_page
    event = make_event()
    as_user(page, staff)
    page.goto(f"{page.base_url}{reverse('events:checkin', args=[event.pk])}")
    assert_accessible(page)
    page.goto(f"{page.base_url}{reverse('events:registrations', args=[event.pk])}")
    assert_accessible(page)
    page.goto(f"{page.base_url}{reverse('events:manage')}")
    assert_accessible(page)
