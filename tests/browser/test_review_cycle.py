"""The review cycle in a real browser with JavaScript off, in Georgian: a reviewer finds the review deadline on their
queue, confirms the call's statement with their first declaration, scores with a confidence level; staff find the
late reviews from the call's ranking and remind a reviewer, and decide below the minimum only with a reason.
Axe-clean and 360 px wide on each new or changed page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from calls.models import Application, ReviewerStatement, Status
from tests.browser.helpers import assert_accessible, assert_fits_360
from tests.browser.test_calls import as_user
from tests.calls.builders import in_review, make_call
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_review_cycle_without_javascript(nojs_page, learner, reviewer, staff):
    from calls import services

    page, base = nojs_page, nojs_page.base_url
    call = make_call(slug="review-cycle", min_reviews=2, review_deadline=timezone.now() + timedelta(days=5))
    application = in_review(call, learner, staff)
    assignment = services.assign_reviewer(application=application, reviewer=reviewer, by=staff)

    as_user(page, reviewer)
    page.goto(f"{base}/calls/reviews/")
    assert "შეფასების ვადა:" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.click(f"a[href='/calls/reviews/{assignment.pk}/']")
    assert "კონფიდენციალურობა და ინტერესთა კონფლიქტი" in page.locator("main").inner_text()
    assert_accessible(page)
    assert_fits_360(page)
    page.check("input[name=conflict][value=no]")
    page.check("input[name=accept_statement]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert ReviewerStatement.objects.filter(reviewer=reviewer, call=call).exists()
    for criterion in call.criteria.all():
        page.select_option(f"#score_{criterion.pk}", str(criterion.max_score))
    page.check("input[name=recommendation][value=accept]")
    page.check("input[name=confidence][value=high]")
    assert_accessible(page)
    assert_fits_360(page)
    with page.expect_navigation():
        page.click("button[name=submit]")
    assignment.refresh_from_db()
    assert assignment.review.is_submitted and assignment.review.confidence == "high"

    # A second reviewer is late: staff find them from the ranking and remind them.
    late_call = make_call(
        slug="review-cycle-late",
        review_deadline=timezone.now() - timedelta(days=2),
        opens_at=timezone.now() - timedelta(days=30),
        closes_at=timezone.now() - timedelta(days=20),
    )
    from accounts.models import Role
    from tests.factories import give_role

    late_reviewer = give_role(UserFactory(), Role.REVIEWER)
    late_application = Application.objects.create(
        call=late_call, applicant=UserFactory(), status=Status.IN_REVIEW, reference="CH-2026-900001"
    )
    late = services.assign_reviewer(application=late_application, reviewer=late_reviewer, by=staff)
    as_user(page, staff)
    page.goto(f"{base}/calls/{late_call.slug}/manage/")
    with page.expect_navigation():
        page.click(f"a[href='/calls/{late_call.slug}/manage/late-reviews/']")
    assert "CH-2026-900001" in page.locator("main").inner_text()
    assert_accessible(page)
    assert_fits_360(page)
    with page.expect_navigation():
        page.click(f"button[name=assignment][value='{late.pk}']")
    late.refresh_from_db()
    assert late.nudged_at is not None

    # One review of the two the call asks for: the decision needs a reason.
    page.goto(f"{base}/calls/manage/applications/{application.pk}/")
    assert "გადაწყვეტილებისთვის საჭირო წარდგენილი შეფასებები: 2" in page.locator("main").inner_text()
    assert_accessible(page)
    assert_fits_360(page)
    decide = page.locator("form:has(input[name=action][value=decide])")
    decide.locator("input[name=outcome][value=accepted]").check()
    decide.locator("textarea[name=override_reason]").fill("მეორე შემფასებელმა თავი შეიკავა")
    with page.expect_navigation():
        decide.locator("button[type=submit]").click()
    application.refresh_from_db()
    assert (application.status, application.outcome) == (Status.DECIDED, "accepted")
