"""Feedback and decline reasons in a real browser with JavaScript off, in Georgian: staff reach the application from the
call's ranking, write the feedback from the numbered reviews ("start from the comments" works without JavaScript),
reject with a decline reason, approve the letter that carries the feedback, and read the statistics from the
outbox; the applicant reads the feedback on their application page. Axe-clean and 360 px wide on each new page."""

import pytest

from calls import services
from calls.models import DeclineReasonUse, OutboxMessage
from tests.browser.helpers import assert_accessible, assert_fits_360, loaded_html, sign_in
from tests.browser.test_calls import as_user
from tests.calls.builders import in_review, make_call, scores_for
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

COMMENT = "მოტივაცია გულწრფელია, მაგრამ ზოგადი"


def test_feedback_and_decline_reason_without_javascript(nojs_page, learner, reviewer, staff):
    page, base = nojs_page, nojs_page.base_url
    call = make_call(slug="feedback-call")
    reason = services.save_decline_reason(
        call=call, by=staff, label_ka="არასაკმარისი გამოცდილება", label_en="Not enough experience"
    )
    application = in_review(call, learner, staff)
    assignment = services.assign_reviewer(application=application, reviewer=reviewer, by=staff)
    services.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
    services.confirm_statement(reviewer=reviewer, call=call)
    assignment.refresh_from_db()
    services.save_review(
        assignment=assignment,
        by=reviewer,
        scores=scores_for(call, 3, 2),
        comments=COMMENT,
        recommendation="reject",
        submit=True,
    )

    as_user(page, staff)
    page.goto(f"{base}/calls/{call.slug}/manage/")
    page.click(f"a[href='/calls/manage/applications/{application.pk}/']")
    with page.expect_navigation():
        page.click(f"a[href='/calls/manage/applications/{application.pk}/feedback/']")
    assert page.locator("main").inner_text().count(COMMENT) == 1
    assert reviewer.full_name_ka not in loaded_html(page)
    assert_accessible(page)
    assert_fits_360(page)
    page.click("button[name=prefill]")
    assert page.input_value("#id_overall") == COMMENT
    criterion = call.criteria.first()
    page.fill(f"#id_criterion_{criterion.pk}", "პრაქტიკული გამოცდილება ჯერ მცირეა")
    page.fill("#id_overall", "გირჩევთ, მომავალ წელს ხელახლა შეიტანოთ განაცხადი")
    page.click("button[name=save]")

    page.click(f"a[href='/calls/manage/applications/{application.pk}/']")
    decide = page.locator("form:has(input[name=action][value=decide])")
    decide.locator("input[name=outcome][value=rejected]").check()
    decide.locator(f"input[name=decline_reasons][value='{reason.pk}']").check()
    with page.expect_navigation():
        decide.locator("button[type=submit]").click()
    assert list(DeclineReasonUse.objects.values_list("reason_id", flat=True)) == [reason.pk]

    page.goto(f"{base}/calls/outbox/")
    assert "პრაქტიკული გამოცდილება ჯერ მცირეა" in loaded_html(page)
    with page.expect_navigation():
        page.click("button[name=approve]")
    letter = OutboxMessage.objects.get(application=application)
    services.deliver_outbox_message(letter.pk)
    with page.expect_navigation():
        page.click("a[href='/calls/manage/decline-reasons/']")
    assert "არასაკმარისი გამოცდილება" in page.locator("main").inner_text()
    assert_accessible(page)
    assert_fits_360(page)
    page.click(f"a[href='/calls/{call.slug}/manage/decline-reasons/']")
    assert_accessible(page)
    assert_fits_360(page)

    page.context.clear_cookies()
    sign_in(page, base, learner.email, TEST_PASSWORD)
    page.goto(f"{base}/calls/applications/{application.pk}/")
    main = page.locator("main").inner_text()
    assert "გირჩევთ, მომავალ წელს ხელახლა შეიტანოთ განაცხადი" in main
    assert reviewer.full_name_ka not in loaded_html(page) and reviewer.email not in loaded_html(page)
    assert_accessible(page)
    assert_fits_360(page)
