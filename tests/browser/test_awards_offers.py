"""Offers in a real browser, in Georgian: staff make an offer from the call's offers page, the applicant finds it
from their home and accepts it; with JavaScript off the applicant declines another, staff promote the waiting list,
and an upload-mode offer is accepted with a signed copy. Every page is axe-clean and fits 360 px."""

import pytest
from django.urls import reverse

from awards.models.offers import AgreementMode, Offer, OfferStatus
from awards.services import offers as services
from calls.models import Application, Outcome
from tests.awards.offers.builders import accepted, decided
from tests.browser.helpers import assert_accessible, assert_fits_360, loaded_html, sign_in
from tests.browser.test_calls import as_user
from tests.calls.builders import PDF, make_call
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def _check(page):
    assert_accessible(page)
    assert_fits_360(page)


def test_staff_make_an_offer_and_the_applicant_accepts_it(browser_page, learner, staff):
    page, base = browser_page, browser_page.base_url
    call = make_call(slug="offers-browser")
    application = accepted(call, learner, staff)
    as_user(page, staff)
    page.goto(base + reverse("workspace:home"))
    with page.expect_navigation():
        page.click(f"a[href='{reverse('awards:staff_offers')}']")
    _check(page)
    with page.expect_navigation():
        page.click(f"text={call.title_ka}")
    _check(page)
    page.check(f"#sel-{application.pk}")
    with page.expect_navigation():
        page.locator("button[name=scope][value=selected]").click()
    offer = Offer.objects.get(application=application)
    assert offer.status == OfferStatus.MADE

    page.context.clear_cookies()
    sign_in(page, base, learner.email, TEST_PASSWORD)
    page.goto(base + reverse("workspace:home"))
    with page.expect_navigation():
        page.click(f"a[href='{reverse('awards:my_offers')}']")
    _check(page)
    with page.expect_navigation():
        page.click(f"a[href='{reverse('awards:offer_detail', args=[offer.pk])}']")
    _check(page)
    assert "პასუხის ვადა" in loaded_html(page)
    # Without the tick the browser keeps the form (the box is required) and says why; the server refuses too
    # (tests/awards/offers/test_services.py).
    page.locator("form[action$='/accept/'] button[type=submit]").click()
    assert page.locator("#id_acknowledge:invalid").count() == 1
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.MADE
    page.check("#id_acknowledge")
    with page.expect_navigation():
        page.locator("form[action$='/accept/'] button[type=submit]").click()
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.ACCEPTED
    assert "თქვენ მიიღეთ ეს შეთავაზება" in loaded_html(page)
    _check(page)


def test_decline_promote_and_upload_with_javascript_off(
    nojs_page, learner, other_learner, org_admin, staff, tmp_path
):
    page, base = nojs_page, nojs_page.base_url
    call = make_call(slug="offers-nojs")
    offer = services.make_offer(application=accepted(call, learner, staff), by=staff)
    waiting = decided(call, other_learner, staff, outcome=Outcome.WAITLISTED, score="7")

    sign_in(page, base, learner.email, TEST_PASSWORD)
    page.goto(base + reverse("awards:offer_detail", args=[offer.pk]))
    page.fill("#id_reason", "ამ წელს ვერ შევძლებთ")
    with page.expect_navigation():
        page.locator("form[action$='/decline/'] button[type=submit]").click()
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.DECLINED

    as_user(page, staff)
    page.goto(base + reverse("awards:call_offers", args=[call.slug]))
    _check(page)
    assert waiting.reference in loaded_html(page)
    with page.expect_navigation():
        page.locator("form[action$='/promote/'] button[type=submit]").click()
    assert Application.objects.get(pk=waiting.pk).outcome == Outcome.ACCEPTED

    upload = services.make_offer(
        application=accepted(make_call(slug="offers-upload"), org_admin, staff),
        by=staff,
        agreement_mode=AgreementMode.UPLOAD,
    )
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(PDF)
    page.context.clear_cookies()
    sign_in(page, base, org_admin.email, TEST_PASSWORD)
    page.goto(base + reverse("awards:offer_detail", args=[upload.pk]))
    _check(page)
    page.set_input_files("#id_signed_copy", str(signed))
    with page.expect_navigation():
        page.locator("form[action$='/accept/'] button[type=submit]").click()
    upload.refresh_from_db()
    assert upload.status == OfferStatus.ACCEPTED and upload.signed_copy
