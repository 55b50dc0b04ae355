"""A small grant run in a real browser, in Georgian: the organisation accepts the offer, staff set up milestones
and tranches, the interim report is written, approved and its tranche paid, then the final report and the last
payment complete the project. And the report form with JavaScript off."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import GrantProject, Offer, Report
from awards.services import projects as services
from tests.awards.projects.builders import accepted_offer, project_for, write_report
from tests.browser.helpers import assert_accessible, assert_fits_360, loaded_html, sign_in
from tests.browser.test_calls import as_user
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def _made_offer(user, organisation):
    offer = accepted_offer(user, organisation=organisation, amount=Decimal("8000"))
    Offer.objects.filter(pk=offer.pk).update(status="made", responded_at=None, agreement_mode="acknowledge")
    return offer


def _check(page):
    assert_accessible(page)
    assert_fits_360(page)


def _write_report(page, report, summary):
    page.goto(page.base_url + reverse("awards:report_edit", args=[report.pk]))
    page.fill("#f_summary", summary)
    page.fill("#f_people", "48")
    for line in report.milestone.project.budget.all():
        page.fill(f"#spend-{line.pk}", "1000")
    _check(page)
    with page.expect_navigation():
        page.locator("button[name=submit]").click()


def _approve(page, report):
    page.goto(page.base_url + reverse("awards:report", args=[report.pk]))
    page.check("#id_decision_0")
    with page.expect_navigation():
        page.locator("form[action$='/review/'] button[type=submit]").click()


def _pay(page, project, tranche, reference):
    page.goto(page.base_url + reverse("awards:project_manage", args=[project.pk]))
    page.fill(f"#reference-{tranche.pk}", reference)
    with page.expect_navigation():
        page.locator(f"form[action$='/tranches/{tranche.pk}/pay/'] button[type=submit]").click()


def test_small_grant_from_offer_to_last_payment_in_georgian(browser_page, org_admin, admin_org, staff):
    page = browser_page
    offer = _made_offer(org_admin, admin_org)
    sign_in(page, page.base_url, org_admin.email, TEST_PASSWORD)
    page.goto(page.base_url + reverse("awards:offer_detail", args=[offer.pk]))
    page.check("#id_acknowledge")
    with page.expect_navigation():
        page.locator("form[action$='/accept/'] button[type=submit]").click()
    project = GrantProject.objects.get(offer=offer)

    as_user(page, staff)
    page.goto(page.base_url + reverse("awards:project_manage", args=[project.pk]))
    _check(page)
    for title, days, kind in (("შუალედური ანგარიში", 30, 0), ("საბოლოო ანგარიში", 90, 1)):
        page.fill("#id_milestone-title", title)
        page.fill("#id_milestone-due_on", (timezone.localdate() + dt.timedelta(days=days)).isoformat())
        page.check(f"#id_milestone-report_kind_{kind}")
        with page.expect_navigation():
            page.locator("form[action$='/milestones/'] button[type=submit]").click()
    interim, final = list(project.milestones.order_by("due_on"))
    for amount, milestone in (("3000", None), ("3000", interim), ("2000", final)):
        page.fill("#id_tranche-amount", amount)
        if milestone is not None:
            page.select_option("#id_tranche-milestone", str(milestone.pk))
        with page.expect_navigation():
            page.locator("form[action$='/tranches/'] button[type=submit]").click()
    signing, first, last = list(project.tranches.order_by("position"))
    _pay(page, project, signing, "TB-001")
    assert signing.__class__.objects.get(pk=signing.pk).payment.reference == "TB-001"

    as_user(page, org_admin)
    page.goto(page.base_url + reverse("awards:my_projects"))
    with page.expect_navigation():
        page.click(f"a[href='{reverse('awards:project', args=[project.pk])}']")
    assert "შუალედური ანგარიში" in loaded_html(page)
    _check(page)
    _write_report(page, interim.report, "ჩავატარეთ ოთხი ტრენინგი")
    assert Report.objects.get(pk=interim.report.pk).status == "submitted"

    as_user(page, staff)
    _approve(page, interim.report)
    assert Report.objects.get(pk=interim.report.pk).status == "approved"
    _pay(page, project, first, "TB-002")

    as_user(page, org_admin)
    _write_report(page, final.report, "პროექტი დასრულდა")
    as_user(page, staff)
    _approve(page, final.report)
    _pay(page, project, last, "TB-003")
    project.refresh_from_db()
    assert project.status == "completed"
    page.goto(page.base_url + reverse("awards:project", args=[project.pk]))
    assert "დასრულებული" in loaded_html(page)
    _check(page)


def test_report_form_without_javascript(nojs_page, org_admin, admin_org, staff):
    page = nojs_page
    _project, interim, _final = project_for(org_admin, staff, organisation=admin_org)
    sign_in(page, page.base_url, org_admin.email, TEST_PASSWORD)
    page.goto(page.base_url + reverse("awards:report_edit", args=[interim.report.pk]))
    page.fill("#f_summary", "სკრიპტის გარეშე დაწერილი")
    with page.expect_navigation():
        page.locator("button[name=save]").click()
    report = Report.objects.get(pk=interim.report.pk)
    assert report.data["summary"] == "სკრიპტის გარეშე დაწერილი"
    assert page.locator("#f_summary").input_value() == "სკრიპტის გარეშე დაწერილი"
    _check(page)
    with page.expect_navigation():
        page.locator("button[name=submit]").click()  # the number of participants is missing
    assert page.locator(".notice.error a[href='#f_people']").count() == 1
    assert Report.objects.get(pk=interim.report.pk).status == "draft"
    page.fill("#f_people", "12")
    with page.expect_navigation():
        page.locator("button[name=submit]").click()
    assert Report.objects.get(pk=interim.report.pk).status == "submitted"
    services.review_report(report=Report.objects.get(pk=interim.report.pk), by=staff, approve=True)


def test_report_saves_itself_while_typing(browser_page, org_admin, admin_org, staff):
    page = browser_page
    _project, interim, _final = project_for(org_admin, staff, organisation=admin_org)
    sign_in(page, page.base_url, org_admin.email, TEST_PASSWORD)
    page.goto(page.base_url + reverse("awards:report_edit", args=[interim.report.pk]))
    line = interim.project.budget.first()
    page.fill(f"#spend-{line.pk}", "750")
    page.click("#f_summary")
    page.keyboard.type("თავისით შეინახება")
    page.wait_for_selector("#autosave-status:has-text('შენახულია')")
    report = Report.objects.get(pk=interim.report.pk)
    assert report.data["summary"] == "თავისით შეინახება"
    assert report.spending[str(line.pk)] == "750"
    for open_page in list(page.context.pages):
        open_page.close()


def test_the_other_project_pages_are_accessible_and_fit_360(browser_page, org_admin, admin_org, staff):
    page = browser_page
    project, interim, _final = project_for(org_admin, staff, organisation=admin_org)
    report = write_report(interim.report, org_admin)
    services.submit_report(report=report, by=org_admin)
    services.review_report(report=report, by=staff, approve=False, comment="დაამატეთ ფოტოები")
    write_report(report, org_admin, data={"summary": "ფოტოებით", "people": "50"})
    services.submit_report(report=report, by=org_admin)
    sign_in(page, page.base_url, org_admin.email, TEST_PASSWORD)
    for url in (
        reverse("awards:my_projects"),
        reverse("awards:project_editors", args=[project.pk]),
        reverse("awards:report", args=[report.pk]),
        reverse("awards:report_version", args=[report.pk, 2]),
    ):
        page.goto(page.base_url + url)
        _check(page)
    assert "<ins>ფოტოებით</ins>" in loaded_html(page)
    as_user(page, staff)
    for url in (reverse("awards:staff_projects"), reverse("awards:report", args=[report.pk])):
        page.goto(page.base_url + url)
        _check(page)
