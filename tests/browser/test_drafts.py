"""Drafts that never lose a word, in a real browser (issue 17): typing without leaving the field, two tabs on
one draft, an ended session and a rotated CSRF token, JavaScript off, and the deadline passing while typing."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from calls.models import Application, Call
from tests.browser.helpers import (
    as_user,
    assert_accessible,
    assert_fits_360,
    loaded_html,
    page_weight,
    sign_in,
)
from tests.calls.builders import GOOD, draft, make_call
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser
SAVED = "#autosave-status:has-text('შენახულია')"


@pytest.fixture(autouse=True)
def settle(request):
    """Close the pages while the server still runs: leaving a page may send a last keep-alive save, which must
    be answered before the test database is emptied."""
    name = next((n for n in ("browser_page", "nojs_page") if n in request.fixturenames), None)
    page = request.getfixturevalue(name) if name else None
    yield
    if page is not None:
        for open_page in list(page.context.pages):
            open_page.close()
        time.sleep(0.5)


def stored(application) -> dict:
    return Application.objects.get(pk=application.pk).data


def open_draft(page, learner, *, call=None, data=None):
    call = call or make_call()
    application = draft(call, learner, data=dict(GOOD if data is None else data))
    sign_in(page, page.base_url, learner.email, TEST_PASSWORD)
    page.goto(f"{page.base_url}/calls/applications/{application.pk}/edit/")
    return application


def type_into(page, selector: str, text: str):
    page.click(selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_text_typed_without_leaving_the_field_survives_a_reload(browser_page, learner):
    page = browser_page
    application = open_draft(page, learner)
    warnings = []
    page.on("dialog", lambda dialog: (warnings.append(dialog.type), dialog.accept()))
    type_into(page, "#f_motivation", "აკრეფილი და არც ერთხელ არ დატოვებული")
    page.reload()  # at once: before the pause after the last keystroke
    page.wait_for_selector("#f_motivation")
    assert page.locator("#f_motivation").input_value() == "აკრეფილი და არც ერთხელ არ დატოვებული"
    page.wait_for_function(
        "() => !localStorage.getItem('civichub-draft-' + document.querySelector('form').dataset.draft)"
    )
    assert stored(application)["motivation"] == "აკრეფილი და არც ერთხელ არ დატოვებული"
    assert warnings in ([], ["beforeunload"])


def test_a_pause_in_typing_saves_and_says_when(browser_page, learner):
    page = browser_page
    application = open_draft(page, learner)
    type_into(page, "#f_motivation", "პაუზის შემდეგ შეინახება")
    page.wait_for_selector(SAVED)
    assert stored(application)["motivation"] == "პაუზის შემდეგ შეინახება"
    assert_accessible(page)


def test_text_typed_before_the_script_arrives_is_saved_when_it_does(browser_page, learner):
    """On a slow connection the form shows before its script runs: what was typed meanwhile is saved at once."""
    page = browser_page
    application = draft(make_call(), learner, data=dict(GOOD))
    as_user(page, learner)  # no page opened before: no service worker fetches the script past the route
    held = []
    page.route("**/js/autosave*.js", lambda route: held.append(route))
    page.goto(f"{page.base_url}/calls/applications/{application.pk}/edit/", wait_until="commit")
    page.wait_for_selector("#f_motivation")
    page.fill("#f_motivation", "აკრეფილი სანამ სკრიპტი ჩამოვიდოდა")
    assert len(held) == 1 and page.locator("form[data-autosave-ready]").count() == 0
    held[0].continue_()
    page.wait_for_selector(SAVED)
    assert stored(application)["motivation"] == "აკრეფილი სანამ სკრიპტი ჩამოვიდოდა"


def test_an_untouched_form_is_not_saved_when_the_script_arrives(browser_page, learner):
    page = browser_page
    application = open_draft(page, learner)
    page.wait_for_selector("form[data-autosave-ready]")
    page.wait_for_timeout(1_500)  # longer than the pause after which an edit is saved
    assert page.locator("#autosave-status").inner_text() == ""
    assert Application.objects.get(pk=application.pk).revision == application.revision


def test_two_tabs_editing_different_answers_keep_both(browser_page, learner):
    first = browser_page
    application = open_draft(first, learner)
    second = first.context.new_page()
    second.goto(first.url)
    type_into(first, "#f_motivation", "პირველი ჩანართიდან")
    first.wait_for_selector(SAVED)
    type_into(second, "#f_full_name", "მეორე ჩანართიდან")
    second.wait_for_selector(SAVED)
    data = stored(application)
    assert data["motivation"] == "პირველი ჩანართიდან" and data["full_name"] == "მეორე ჩანართიდან"


def test_two_tabs_editing_the_same_answer_show_both_versions_and_the_person_chooses(browser_page, learner):
    first = browser_page
    application = open_draft(first, learner)
    second = first.context.new_page()
    second.goto(first.url)
    type_into(first, "#f_motivation", "ტელეფონის ვერსია")
    first.wait_for_selector(SAVED)
    type_into(second, "#f_motivation", "ლეპტოპის ვერსია")
    panel = second.wait_for_selector("#draft-conflicts .conflict")
    assert "ტელეფონის ვერსია" in panel.inner_text() and "ლეპტოპის ვერსია" in panel.inner_text()
    assert stored(application)["motivation"] == "ტელეფონის ვერსია"  # nothing dropped or overwritten
    assert_accessible(second)
    with second.expect_navigation():
        second.click("text=ამ გვერდის ვერსიის დატოვება")
    assert stored(application)["motivation"] == "ლეპტოპის ვერსია"
    assert second.locator("#f_motivation").input_value() == "ლეპტოპის ვერსია"


def test_an_ended_session_keeps_the_text_and_saves_it_after_signing_in_again(browser_page, learner):
    page = browser_page
    application = open_draft(page, learner)
    Session.objects.all().delete()  # the session ends on the server while the person types
    type_into(page, "#f_motivation", "სესიის დასრულების შემდეგ აკრეფილი")
    page.wait_for_selector("#autosave-status:has-text('სესია დასრულდა')")
    assert page.locator("#f_motivation").input_value() == "სესიის დასრულების შემდეგ აკრეფილი"
    # Signing in again in another tab rotates the CSRF token this page holds.
    other = page.context.new_page()
    sign_in(other, page.base_url, learner.email, TEST_PASSWORD)
    other.close()
    page.bring_to_front()
    page.click("#f_motivation")
    page.keyboard.press("End")
    page.keyboard.type("!")
    page.wait_for_selector(SAVED)
    assert stored(application)["motivation"] == "სესიის დასრულების შემდეგ აკრეფილი!"


def test_text_kept_in_the_browser_comes_back_after_signing_in(browser_page, learner):
    page = browser_page
    application = open_draft(page, learner)
    # Every save fails while typing (a busy server; an aborted request would log a console error here).
    page.route("**/autosave/", lambda route: route.fulfill(status=429, body=""))
    type_into(page, "#f_motivation", "ქსელის გარეშე აკრეფილი")
    page.wait_for_selector("#autosave-status:has-text('ხელახლა')")
    page.unroute("**/autosave/")
    page.context.clear_cookies()
    sign_in(page, page.base_url, learner.email, TEST_PASSWORD)
    page.goto(f"{page.base_url}/calls/applications/{application.pk}/edit/")
    page.wait_for_selector(SAVED)
    assert page.locator("#f_motivation").input_value() == "ქსელის გარეშე აკრეფილი"
    assert stored(application)["motivation"] == "ქსელის გარეშე აკრეფილი"


def test_the_deadline_passing_while_typing_is_said_clearly_and_the_text_stays(browser_page, learner):
    page = browser_page
    call = make_call()
    application = open_draft(page, learner, call=call)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(seconds=2))
    type_into(page, "#f_motivation", "ბოლო წამებში აკრეფილი")
    page.wait_for_selector("#autosave-status:has-text('კონკურსი დაიხურა')")
    assert page.locator("#f_motivation").input_value() == "ბოლო წამებში აკრეფილი"
    assert page.locator("#f_motivation").is_editable()
    assert stored(application)["motivation"] == "ბოლო წამებში აკრეფილი"


def test_without_javascript_the_save_button_merges_and_shows_both_versions(nojs_page, learner):
    first = nojs_page
    application = open_draft(first, learner)
    second = first.context.new_page()
    second.goto(first.url)
    first.fill("#f_full_name", "პირველი გვერდი")
    with first.expect_navigation():
        first.click("text=მონახაზის შენახვა")
    second.fill("#f_experience_years", "9")
    with second.expect_navigation():
        second.click("text=მონახაზის შენახვა")
    data = stored(application)
    assert data["full_name"] == "პირველი გვერდი" and data["experience_years"] == "9"
    first.fill("#f_motivation", "პირველის ტექსტი")
    with first.expect_navigation():
        first.click("text=მონახაზის შენახვა")
    second.fill("#f_motivation", "მეორის ტექსტი")
    with second.expect_navigation():
        second.click("text=მონახაზის შენახვა")
    assert "პირველის ტექსტი" in loaded_html(second) and "მეორის ტექსტი" in loaded_html(second)
    assert stored(application)["motivation"] == "პირველის ტექსტი"
    with second.expect_navigation():
        second.click("text=შენახული ვერსიის დატოვება")
    assert second.locator("#f_motivation").input_value() == "პირველის ტექსტი"
    assert stored(application)["motivation"] == "პირველის ტექსტი"


def test_the_form_page_with_its_script_stays_within_the_page_budget(browser_page, learner):
    page = browser_page
    application = open_draft(page, learner, call=make_call(budget=True, file=True))
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    figures = page_weight(page, f"{page.base_url}/calls/applications/{application.pk}/edit/")
    assert figures["total_core"] <= 50 * 1024, figures
    assert_accessible(page)
    assert_fits_360(page)
