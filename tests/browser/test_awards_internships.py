"""An internship run in a real browser, in Georgian: the host publishes a placement and selects the accepted
intern, the intern acknowledges the learning agreement, the host writes the mid-term and final evaluations,
the intern writes the reflection, and the internship credential appears among the intern's certificates.
Every page is axe-clean and fits 360 px; the intern's pages also work with JavaScript off."""

import pytest

from awards.models.internships import Internship, InternshipStatus, Position
from credentials.models import Credential
from tests.awards.internships.builders import candidate, internship_call
from tests.browser.helpers import assert_accessible, assert_fits_360, loaded_html, sign_in
from tests.browser.test_calls import as_user
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def _check(page):
    assert_accessible(page)
    assert_fits_360(page)


def _submit(page):
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").last.click()


def _evaluate(page, internship, kind, overall, *, successful=None):
    page.goto(f"{page.base_url}/awards/internships/{internship.pk}/")
    with page.expect_navigation():
        page.locator(f"a[href$='/evaluate/{kind}/']").click()
    for key in ("reliability", "quality", "communication", "initiative", "learning"):
        page.check(f"#id_{key}_score_3")  # 4 of 5
    page.fill("#id_reliability_comment", "ყოველთვის დროულად")
    page.fill("#id_overall", overall)
    if successful is not None:
        page.check("#id_successful_0" if successful else "#id_successful_1")
    _check(page)
    _submit(page)


def test_internship_from_placement_to_credential_in_georgian(browser_page, host, host_org, learner, staff):
    page, base = browser_page, browser_page.base_url
    call = internship_call(slug="internships-browser")
    candidate(call, learner, staff)

    sign_in(page, base, host.email, TEST_PASSWORD)
    page.goto(f"{base}/awards/internships/host/")
    _check(page)
    with page.expect_navigation():
        page.locator("a[href$='/internships/host/new/']").first.click()
    page.fill("#id_title_ka", "ანალიტიკოსი სტაჟიორი")
    page.fill("#id_title_en", "Analyst intern")
    page.select_option("#id_region", "guria")
    page.fill("#id_starts_on", "2027-02-01")
    page.fill("#id_ends_on", "2027-04-30")
    page.fill("#id_slots", "1")
    page.fill("#id_tasks", "* ბიუჯეტის ანალიზი\n* საჯარო განხილვაზე დასწრება")
    page.select_option("#id_call", str(call.pk))
    _check(page)
    _submit(page)
    position = Position.objects.get(title_ka="ანალიტიკოსი სტაჟიორი")
    assert page.url.endswith(f"/awards/internships/placements/{position.pk}/")
    with page.expect_navigation():
        page.locator("form[action$='/status/'] button", has_text="გამოქვეყნება").click()
    _check(page)
    with page.expect_navigation():
        page.locator("a[href$='/select/']").click()
    assert learner.full_name_ka in loaded_html(page)
    page.check("#id_candidate_0")
    page.fill("#id_objectives", "საჯარო ფინანსების ანალიზის სწავლა")
    page.fill("#id_agreed_tasks", "ცხრილები და ერთი ბლოგპოსტი")
    page.fill("#id_schedule", "ორშაბათი–ოთხშაბათი, 10:00–15:00")
    _check(page)
    _submit(page)
    internship = Internship.objects.get(position=position, intern=learner)
    assert internship.status == InternshipStatus.AGREEMENT_PENDING

    as_user(page, learner)
    page.goto(f"{base}/awards/internships/mine/")
    _check(page)
    with page.expect_navigation():
        page.locator(f"a[href$='/internships/{internship.pk}/']").click()
    _check(page)
    with page.expect_navigation():
        page.locator("form[action$='/acknowledge/'] button").click()
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.ACTIVE

    as_user(page, host)
    _evaluate(page, internship, "midterm", "კარგად მიდის")
    _evaluate(page, internship, "final", "წარმატებული სტაჟირება", successful=True)
    assert internship.evaluations.count() == 2

    as_user(page, learner)
    page.goto(f"{base}/awards/internships/{internship.pk}/")
    assert "წარმატებული სტაჟირება" in loaded_html(page)
    with page.expect_navigation():
        page.locator("a[href$='/reflection/']").click()
    page.fill("#id_learnt", "ბიუჯეტის ანალიზი პრაქტიკაში")
    page.fill("#id_hard", "მჭიდრო ვადები")
    page.fill("#id_next_steps", "მაგისტრატურა საჯარო პოლიტიკაში")
    _check(page)
    _submit(page)
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.COMPLETED
    _check(page)
    with page.expect_navigation():
        page.locator("a[href$='/credentials/']").first.click()
    credential = Credential.objects.get(user=learner)
    assert credential.achievement.name_ka in loaded_html(page)
    _check(page)


def test_the_intern_acknowledges_with_javascript_off(nojs_page, host, host_org, learner, staff):
    from tests.awards.internships.builders import place, position

    page, base = nojs_page, nojs_page.base_url
    call = internship_call(slug="internships-nojs")
    internship = place(position(host_org, host, call=call), candidate(call, learner, staff), host)
    sign_in(page, base, learner.email, TEST_PASSWORD)
    page.goto(f"{base}/awards/internships/{internship.pk}/")
    _check(page)
    with page.expect_navigation():
        page.locator("form[action$='/acknowledge/'] button").click()
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.ACTIVE
