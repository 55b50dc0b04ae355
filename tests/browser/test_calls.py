"""The certification workflow in a real browser, in Georgian: apply, review, ask, answer, accept, see."""

import pytest

from calls.models import Application, Status
from tests.browser.helpers import as_user, assert_accessible, assert_fits_360, loaded_html, settle, sign_in
from tests.calls.builders import make_call
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_certification_workflow_end_to_end_in_georgian(browser_page, learner, reviewer, staff):
    page, base = browser_page, browser_page.base_url
    call = make_call(slug="cert-2026")
    sign_in(page, base, learner.email, TEST_PASSWORD)
    page.goto(f"{base}/calls/")
    assert_accessible(page)
    with page.expect_navigation():
        page.click(f"text={call.title_ka}")
    assert_accessible(page)
    with page.expect_navigation():
        page.click("text=განაცხადის დაწყება")
    page.fill("#f_motivation", "მინდა ჩემს თემში სამოქალაქო ბიუჯეტი დავნერგო")
    page.fill("#f_experience_years", "4")
    page.fill("#f_full_name", "ნინო ბერიძე")
    page.wait_for_selector("#autosave-status:has-text('შენახულია')")
    assert_accessible(page)
    assert_fits_360(page)
    page.click("text=განაცხადის წარდგენა")
    reference = page.locator(".reference").inner_text()
    settle(page)
    assert reference.startswith("CH-")
    assert_accessible(page)

    application = Application.objects.get(reference=reference)
    as_user(page, staff)
    page.goto(f"{base}/calls/manage/applications/{application.pk}/")
    page.check("input[name=compliant][value=yes]")
    page.click("text=შემოწმების შედეგის ჩაწერა")
    page.select_option("#id_reviewer", str(reviewer.pk))
    page.click("button:has-text('დანიშვნა')")
    assert_accessible(page)

    as_user(page, reviewer)
    assignment = application.assignments.get()
    page.goto(f"{base}/calls/reviews/{assignment.pk}/")
    page.check("input[name=conflict][value=no]")
    page.check("input[name=accept_statement]")  # the call's statement, confirmed with the first declaration
    with page.expect_navigation():
        page.click('text="შენახვა"')
    assert "ნინო" not in loaded_html(page) or not call.blind_review
    for criterion, score in zip(call.criteria.all(), ("8", "4"), strict=True):
        page.select_option(f"#score_{criterion.pk}", score)
    page.check("input[name=recommendation][value=accept]")
    page.click("text=შეფასების წარდგენა")
    assert_accessible(page)

    as_user(page, staff)
    page.goto(f"{base}/calls/manage/applications/{application.pk}/")
    page.fill("#id_question", "დააზუსტეთ გამოცდილება")
    page.check("input[name=open_fields][value=experience_years]")
    with page.expect_navigation():
        page.click("text=შეკითხვის გაგზავნა")
    application.refresh_from_db()
    assert application.status == Status.MORE_INFO

    as_user(page, learner)
    page.goto(f"{base}/calls/applications/{application.pk}/edit/")
    assert "დააზუსტეთ გამოცდილება" in loaded_html(page)
    page.fill("#f_experience_years", "6")
    page.fill("#info_answer", "ექვსი წელი")
    with page.expect_navigation():
        page.click("text=პასუხის გაგზავნა და ხელახლა წარდგენა")
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW and application.version == 2

    as_user(page, staff)
    page.goto(f"{base}/calls/manage/applications/{application.pk}/")
    assert "ექვსი წელი" in loaded_html(page)
    page.check("input[name=outcome][value=accepted]")
    page.click("text=გადაწყვეტილების ჩაწერა")
    page.goto(f"{base}/calls/outbox/")
    assert_accessible(page)
    page.click("text=არჩეული წერილების დამტკიცება და გაგზავნა")

    as_user(page, learner)
    page.goto(f"{base}/calls/applications/{application.pk}/")
    assert page.locator(".status").inner_text() == "მიღებულია"
    assert_accessible(page)


def test_applicant_saves_a_draft_without_javascript(nojs_page, learner):
    page, base = nojs_page, nojs_page.base_url
    call = make_call(slug="nojs-call")
    sign_in(page, base, learner.email, TEST_PASSWORD)
    page.goto(f"{base}/calls/{call.slug}/")
    with page.expect_navigation():
        page.click("text=განაცხადის დაწყება")
    page.fill("#f_motivation", "უჯავასკრიპტოდ")
    page.click("text=მონახაზის შენახვა")
    assert page.locator("#f_motivation").input_value() == "უჯავასკრიპტოდ"
    assert Application.objects.get(call=call).data["motivation"] == "უჯავასკრიპტოდ"
