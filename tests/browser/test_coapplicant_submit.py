"""Who submits an organisation's application, in a browser with JavaScript off: Giorgi, a plain member who started
Kakheti Budget Watch's application, edits it and is told who submits; his submit button is not there. Mariam, the
organisation's administrator, finds it from "My applications" and submits it. Axe-clean and 360 px wide."""

import pytest

from calls.models import Application, Status
from tests.browser.helpers import assert_accessible, assert_fits_360, settle
from tests.browser.test_calls import as_user
from tests.calls.builders import draft, make_call
from tests.factories import make_member

pytestmark = pytest.mark.browser


def test_a_member_edits_and_the_admin_submits_without_javascript(
    nojs_page, org_admin, admin_org, other_learner
):
    page, base = nojs_page, nojs_page.base_url
    make_member(other_learner, admin_org)
    call = make_call(slug="org-grant", kind="small_grant", applicant_type="organisations")
    application = draft(call, other_learner, organisation=admin_org)

    as_user(page, other_learner)
    page.goto(f"{base}/calls/applications/{application.pk}/edit/")
    page.wait_for_load_state()
    who = page.locator("#who-submits")
    assert "მარიამ ხარაიშვილი" in who.inner_text()
    assert page.locator("button[name=submit]").count() == 0
    page.fill("#f_motivation", "გიორგის ტექსტი")
    with page.expect_navigation():
        page.click("button[name=save]")
    assert_accessible(page)
    assert_fits_360(page)
    settle(page)
    application.refresh_from_db()
    assert application.data["motivation"] == "გიორგის ტექსტი"

    as_user(page, org_admin)
    page.goto(f"{base}/calls/my/")
    with page.expect_navigation():
        page.locator(f'a[href="/calls/applications/{application.pk}/"]').first.click()
    assert page.locator("#who-submits").count() == 0
    assert_accessible(page)
    with page.expect_navigation():
        page.click("text=მონახაზის გაგრძელება")
    with page.expect_navigation():
        page.click("button[name=submit]")
    settle(page)
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.SUBMITTED
    assert application.events.get(action="submit").actor == org_admin
