"""A two-stage call in a real browser, in Georgian: a concept note, the shortlist (found from staff's home, no URL
typed), the invitation letter approved in the outbox, and the full proposal found from the applicant's home with
the concept note's answers carried forward, then submitted. Axe-clean and 360 px wide on each page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from calls import services
from calls.models import Application, FormField, OutboxMessage, OutboxStatus, Outcome, Status
from tests.browser.helpers import assert_accessible, assert_fits_360, settle, sign_in
from tests.browser.test_calls import as_user
from tests.calls.builders import make_call, scores_for
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_two_stage_call_from_concept_note_to_full_proposal(browser_page, learner, reviewer, staff):
    page, base = browser_page, browser_page.base_url
    concept = make_call(
        slug="ideas-concept",
        kind="small_grant",
        title_ka="სამოქალაქო იდეები: კონცეფცია",
        title_en="Civic ideas: concept note",
        min_reviews=1,
    )
    full = make_call(
        slug="ideas-full",
        kind="small_grant",
        concept_stage=concept,
        title_ka="სამოქალაქო იდეები: სრული განაცხადი",
        title_en="Civic ideas: full proposal",
        closes_at=timezone.now() + timedelta(days=40),
    )
    FormField.objects.create(
        call=full,
        position=9,
        key="work_plan",
        kind="long_text",
        label_ka="სამუშაო გეგმა",
        label_en="Work plan",
    )

    # The applicant writes a concept note.
    sign_in(page, base, learner.email, TEST_PASSWORD)
    page.goto(f"{base}/calls/")
    assert page.locator(f"text={full.title_ka}").count() == 0  # stage 2 is not listed for the public
    with page.expect_navigation():
        page.click(f"text={concept.title_ka}")
    assert page.locator("#stage-heading").count() == 1
    assert_accessible(page)
    assert_fits_360(page)
    page.click("text=განაცხადის დაწყება")
    page.fill("#f_motivation", "თემის ბიუჯეტის ღია შეხვედრები ყოველთვე")
    page.fill("#f_experience_years", "4")
    page.fill("#f_full_name", "ნინო ბერიძე")
    page.click("text=განაცხადის წარდგენა")
    reference = page.locator(".reference").inner_text()
    settle(page)
    note = Application.objects.get(reference=reference)

    # Screening and one review happen as in any call (tested elsewhere).
    services.screen(application=note, by=staff, compliant=True, note="")
    assignment = services.assign_reviewer(application=note, reviewer=reviewer, by=staff)
    services.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
    services.save_review(
        assignment=assignment,
        by=reviewer,
        scores=scores_for(concept, 8, 4),
        comments="",
        recommendation="accept",
        submit=True,
    )

    # Staff shortlist it from their home: the call's management page, the ranking's checkbox, the button.
    as_user(page, staff)
    page.goto(f"{base}/")
    with page.expect_navigation():
        page.locator('a[href="/workspace/"]').first.click()
    with page.expect_navigation():
        page.locator(f'a[href="/calls/{concept.slug}/manage/"]').first.click()
    assert page.locator(f'a[href="/calls/{full.slug}/manage/"]').count() >= 1  # the pair, linked
    assert_accessible(page)
    assert_fits_360(page)
    page.check(f"#sel-{note.pk}")
    with page.expect_navigation():
        page.click("text=შერჩევა და სრულ განაცხადზე მოწვევა")
    assert page.locator(".shortlisted-count").inner_text() == "1"
    note.refresh_from_db()
    assert (note.status, note.outcome) == (Status.DECIDED, Outcome.SHORTLISTED)
    draft = Application.objects.get(call=full)
    # The invitation letter is approved in the outbox, reached from the same page.
    with page.expect_navigation():
        page.locator('a[href="/calls/outbox/"]').first.click()
    letter = OutboxMessage.objects.get(application=note)
    page.check(f"input[name=message][value='{letter.pk}']")
    with page.expect_navigation():
        page.click("button[name=approve]")
    letter.refresh_from_db()
    if letter.status != OutboxStatus.SENT:  # the task worker's job, when tasks are not run at once
        services.deliver_outbox_message(letter.pk)

    # The applicant finds the full-proposal draft from their home, with the concept note's answers.
    as_user(page, learner)
    page.goto(f"{base}/")
    with page.expect_navigation():
        page.locator('a[href="/workspace/"]').first.click()
    with page.expect_navigation():
        page.locator(f'a[href="/calls/applications/{draft.pk}/edit/"]').first.click()
    assert page.input_value("#f_motivation") == "თემის ბიუჯეტის ღია შეხვედრები ყოველთვე"
    assert_accessible(page)
    assert_fits_360(page)
    page.fill("#f_work_plan", "იანვარში ვიწყებთ, ივნისში ვასრულებთ")
    with page.expect_navigation():
        page.click("text=განაცხადის წარდგენა")
    assert page.locator(".reference").inner_text().startswith("CH-")
    assert_accessible(page)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.data["motivation"] == "თემის ბიუჯეტის ღია შეხვედრები ყოველთვე"


def test_co_applicants_without_javascript(nojs_page, org_admin, admin_org, other_learner):
    """The organisation's admin invites a member (JavaScript off), who edits the draft; the edit is attributed."""
    from tests.calls.builders import draft
    from tests.factories import make_member

    page, base = nojs_page, nojs_page.base_url
    make_member(other_learner, admin_org)
    call = make_call(slug="team-grant", kind="small_grant", applicant_type="organisations")
    application = draft(call, org_admin, organisation=admin_org)
    as_user(page, org_admin)
    page.goto(f"{base}/calls/applications/{application.pk}/")
    page.click("text=თანაგანმცხადებლების მოწვევა ან მოხსნა")
    page.fill("#id_email", other_learner.email)
    page.check("input[name=role][value=editor]")
    with page.expect_navigation():
        page.click("main form button:has-text('შენახვა')")
    assert page.locator("td:has-text('არედაქტირებს განაცხადს')").count() == 1
    assert_accessible(page)
    assert_fits_360(page)

    as_user(page, other_learner)
    page.goto(f"{base}/calls/my/")
    with page.expect_navigation():
        page.locator(f'a[href="/calls/applications/{application.pk}/"]').first.click()
    with page.expect_navigation():
        page.click("text=მონახაზის გაგრძელება")
    assert page.locator("button[name=submit]").count() == 0  # the admin submits
    page.fill("#f_motivation", "გიორგის აბზაცი ბიუჯეტზე")
    with page.expect_navigation():
        page.click("button[name=save]")
    page.goto(f"{base}/calls/applications/{application.pk}/")
    assert page.locator("table.edits th:has-text('გიორგი კაპანაძე')").count() == 1
    assert_accessible(page)
    assert_fits_360(page)
    application.refresh_from_db()
    assert application.data["motivation"] == "გიორგის აბზაცი ბიუჯეტზე"
