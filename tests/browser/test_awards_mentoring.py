"""Mentoring in a real browser, in Georgian: the mentor signs in, opens the mentee from their home, logs a session
with an agreed action and flags a risk; staff find the flag from their home and acknowledge it. Every page is
axe-clean and fits 360 px; the session form also works with JavaScript off."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import AgreedAction, MentoringSession, RiskFlag
from tests.awards.mentoring.builders import active, individual
from tests.browser.helpers import assert_accessible, assert_fits_360, loaded_html, sign_in
from tests.browser.test_calls import as_user
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def _check(page):
    assert_accessible(page)
    assert_fits_360(page)


def _click(page, text):
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=text).first.click()


def test_mentor_logs_a_session_and_flags_a_risk_staff_see_it(browser_page, learner, mentor, staff):
    page = browser_page
    mentorship = active(individual(learner, staff, goals="შესყიდვების მონიტორინგი"), mentor, staff)

    sign_in(page, page.base_url, mentor.email, TEST_PASSWORD)
    page.goto(page.base_url + reverse("workspace:home"))
    _check(page)
    _click(page, "ჩემი მენტორობის მიმღებები")
    _check(page)
    _click(page, "ნინო ბერიძე")
    assert "შესყიდვების მონიტორინგი" in loaded_html(page)
    _check(page)

    _click(page, "შეხვედრის ჩაწერა")
    _check(page)
    page.fill("#id_held_on", timezone.localdate().isoformat())
    page.fill("#id_duration_minutes", "75")
    page.check("#id_format_1")  # online
    page.fill("#id_topics", "ანგარიშგება და ბიუჯეტი")
    page.fill("#id_notes", "განვიხილეთ შუალედური ანგარიში.")
    page.fill("#id_action_text", "ქვითრების შეგროვება")
    page.select_option("#id_action_owner", str(learner.pk))
    page.fill("#id_action_due_on", (timezone.localdate() + timedelta(days=7)).isoformat())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    session = MentoringSession.objects.get(mentorship=mentorship)
    assert (session.duration_minutes, session.format) == (75, "online")
    assert AgreedAction.objects.get().owner_person == learner
    assert "ქვითრების შეგროვება" in loaded_html(page)
    _check(page)

    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="რისკის შესახებ პროგრამის გუნდის გაფრთხილება").click()
    _check(page)
    page.check("#id_level_2")  # high
    page.fill("#id_text", "ორგანიზაციის დირექტორი წავიდა; ანგარიში შეიძლება დაგვიანდეს.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert RiskFlag.objects.get().level == "high"

    as_user(page, staff)
    page.goto(page.base_url + reverse("workspace:home"))
    _check(page)
    _click(page, "ღია რისკები")
    assert "ნინო ბერიძე" in loaded_html(page)
    _check(page)
    _click(page, "ნინო ბერიძე")
    assert "ორგანიზაციის დირექტორი წავიდა" in loaded_html(page)
    _check(page)
    with page.expect_navigation():
        page.locator("form[action$='/acknowledge/'] button[type=submit]").click()
    assert RiskFlag.objects.get().acknowledged_by == staff


def test_the_session_form_works_without_javascript(nojs_page, learner, mentor, staff):
    page = nojs_page
    mentorship = active(individual(learner, staff), mentor, staff)
    sign_in(page, page.base_url, mentor.email, TEST_PASSWORD)
    page.goto(page.base_url + reverse("awards:mentoring_session_add", args=[mentorship.pk]))
    page.fill("#id_held_on", timezone.localdate().isoformat())
    page.fill("#id_duration_minutes", "-10")
    page.check("#id_format_0")
    page.fill("#id_topics", "ჩემი თემა")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.input_value("#id_topics") == "ჩემი თემა"
    assert not MentoringSession.objects.exists()
    _check(page)
    page.fill("#id_duration_minutes", "30")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert MentoringSession.objects.get().duration_minutes == 30
