"""Grant project pages: what each person sees and can do, without JavaScript; constant query counts."""

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from awards.models import Payment, Report, ReportVersion
from awards.services import projects as services
from tests.awards.projects.builders import accepted_offer, project_for, write_report
from tests.calls.builders import pdf
from tests.factories import UserFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(org_admin, admin_org, staff):
    """Mariam's organisation's project (she applied, so she is its first editor)."""
    return project_for(org_admin, staff, organisation=admin_org)


def _form_post(report, **extra):
    lines = list(report.milestone.project.budget.all())
    data = {
        "f_summary": "ჩავატარეთ ოთხი ტრენინგი",
        "f_people": "48",
        f"spend-{lines[0].pk}": "2900",
        f"spend-{lines[1].pk}": "0",
        "save": "1",
    }
    data.update(extra)
    return data


def test_every_member_sees_the_project_but_only_editors_write(grant, admin_org, client_for):
    project, interim, _final = grant
    member = UserFactory()
    make_member(member, admin_org)
    client = client_for(member)
    page = client.get(reverse("awards:project", args=[project.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "ტრენინგები მუნიციპალიტეტებში" in body
    assert "შუალედური ანგარიში" in body
    assert reverse("awards:report_edit", args=[interim.report.pk]) not in body
    assert client.get(reverse("awards:report_edit", args=[interim.report.pk])).status_code == 403
    assert (
        client.post(
            reverse("awards:report_edit", args=[interim.report.pk]), _form_post(interim.report)
        ).status_code
        == 403
    )


def test_admin_ticks_editors_and_the_member_can_then_write(grant, admin_org, org_admin, client_for):
    project, interim, _final = grant
    member = UserFactory()
    make_member(member, admin_org)
    client = client_for(org_admin)
    response = client.post(
        reverse("awards:project_editors", args=[project.pk]), {"editors": [str(member.pk)]}
    )
    assert response.status_code == 302
    assert set(project.editors.values_list("user_id", flat=True)) == {member.pk}
    client = client_for(member)
    assert client.get(reverse("awards:report_edit", args=[interim.report.pk])).status_code == 200
    assert (
        client_for(org_admin).get(reverse("awards:report_edit", args=[interim.report.pk])).status_code == 403
    )


def test_report_without_javascript_save_then_submit(
    grant, org_admin, client_for, django_capture_on_commit_callbacks
):
    _project, interim, _final = grant
    client = client_for(org_admin)
    url = reverse("awards:report_edit", args=[interim.report.pk])
    page = client.get(url)
    assert 'name="save"' in page.content.decode()
    response = client.post(url, _form_post(interim.report, receipt=pdf("ქვითარი.pdf")))
    assert response.status_code == 302
    report = Report.objects.get(pk=interim.report.pk)
    assert report.data == {"summary": "ჩავატარეთ ოთხი ტრენინგი", "people": "48"}
    assert sorted(report.spending.values()) == ["0", "2900"]
    assert report.receipts.get().original_name == "ქვითარი.pdf"
    data = _form_post(report, submit="1")
    data.pop("save")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    assert ReportVersion.objects.filter(report=report).count() == 1
    assert [m.to for m in mail.outbox] == [[org_admin.email]]


def test_submit_with_missing_answer_shows_the_message(grant, org_admin, client_for):
    _project, interim, _final = grant
    data = _form_post(interim.report, f_summary="", submit="1")
    response = client_for(org_admin).post(reverse("awards:report_edit", args=[interim.report.pk]), data)
    assert response.status_code == 200
    assert 'href="#f_summary"' in response.content.decode()
    assert Report.objects.get(pk=interim.report.pk).status == "draft"


def test_receipt_of_the_wrong_type_is_refused(grant, org_admin, client_for):
    _project, interim, _final = grant
    fake = pdf("receipt.pdf", b"MZ\x90\x00not a pdf")
    response = client_for(org_admin).post(
        reverse("awards:report_edit", args=[interim.report.pk]),
        _form_post(interim.report, receipt=fake),
        follow=True,
    )
    assert not interim.report.receipts.exists()
    assert Report.objects.get(pk=interim.report.pk).data["summary"] == "ჩავატარეთ ოთხი ტრენინგი"
    assert response.status_code == 200


def test_autosave_fragment(grant, org_admin, client_for):
    _project, interim, _final = grant
    response = client_for(org_admin).post(
        reverse("awards:report_autosave", args=[interim.report.pk]), {"f_summary": "ნაწილობრივ"}
    )
    assert 'data-state="saved"' in response.content.decode()
    assert Report.objects.get(pk=interim.report.pk).data["summary"] == "ნაწილობრივ"


def test_staff_review_payment_and_version_diff(grant, org_admin, staff, client_for):
    project, interim, _final = grant
    report = write_report(interim.report, org_admin)
    services.submit_report(report=report, by=org_admin)
    client = client_for(staff)
    page = client.get(reverse("awards:report", args=[report.pk]))
    assert reverse("awards:report_review", args=[report.pk]) in page.content.decode()
    client.post(
        reverse("awards:report_review", args=[report.pk]), {"decision": "changes", "comment": "მეტი დეტალი"}
    )
    report.refresh_from_db()
    assert report.status == "changes_requested"
    write_report(report, org_admin, data={"summary": "ახალი ტექსტი", "people": "50"})
    services.submit_report(report=report, by=org_admin)
    diff = client_for(org_admin).get(reverse("awards:report_version", args=[report.pk, 2])).content.decode()
    assert "<del>ჩავატარეთ ოთხი ტრენინგი</del>" in diff
    assert "<ins>ახალი ტექსტი</ins>" in diff
    client = client_for(staff)
    client.post(reverse("awards:report_review", args=[report.pk]), {"decision": "approve"})
    tranche = project.tranches.get(milestone=interim)
    response = client.post(
        reverse("awards:tranche_pay", args=[tranche.pk]),
        {"paid_on": timezone.localdate().isoformat(), "amount": "3000", "reference": "BANK-77"},
    )
    assert response.status_code == 302
    assert Payment.objects.get(tranche=tranche).reference == "BANK-77"


def test_staff_set_up_milestones_and_tranches(org_admin, admin_org, staff, client_for):
    project = services.start_project(offer=accepted_offer(org_admin, organisation=admin_org), by=org_admin)
    client = client_for(staff)
    client.post(
        reverse("awards:milestone_add", args=[project.pk]),
        {
            "milestone-title": "პირველი ეტაპი",
            "milestone-due_on": "2030-05-01",
            "milestone-report_kind": "interim",
        },
    )
    milestone = project.milestones.get()
    assert milestone.report.status == "draft"
    client.post(
        reverse("awards:tranche_add", args=[project.pk]),
        {"tranche-amount": "5000", "tranche-milestone": str(milestone.pk)},
    )
    response = client.post(
        reverse("awards:tranche_add", args=[project.pk]), {"tranche-amount": "5000"}, follow=True
    )
    assert [t.amount for t in project.tranches.all()] == [Decimal("5000")]
    assert "8" in response.content.decode()  # the refusal names the approved amount


def test_exports(grant, staff, client_for):
    client = client_for(staff)
    csv = client.get(reverse("awards:projects_export_csv") + "?table=milestones").content.decode("utf-8-sig")
    assert "შუალედური ანგარიში" in csv
    xlsx = client.get(reverse("awards:projects_export_xlsx"))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["projects", "milestones", "reports", "payments"]
    assert workbook["projects"].max_row == 2


def _projects(n, staff, admin_org, org_admin):
    for _ in range(n):
        project_for(org_admin, staff, organisation=admin_org)


@pytest.mark.parametrize("count", [1, 3])
def test_my_projects_query_count(count, org_admin, admin_org, staff, client_for, django_assert_num_queries):
    _projects(count, staff, admin_org, org_admin)
    client = client_for(org_admin)
    client.get(reverse("awards:my_projects"))
    with django_assert_num_queries(6):
        response = client.get(reverse("awards:my_projects"))
    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [1, 3])
def test_staff_projects_query_count(
    count, org_admin, admin_org, staff, client_for, django_assert_num_queries
):
    _projects(count, staff, admin_org, org_admin)
    client = client_for(staff)
    client.get(reverse("awards:staff_projects"))
    with django_assert_num_queries(7):
        response = client.get(reverse("awards:staff_projects"))
    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [1, 3])
def test_project_page_query_count(count, org_admin, admin_org, staff, client_for, django_assert_num_queries):
    project, _i, _f = project_for(org_admin, staff, organisation=admin_org)
    for n in range(count):
        services.add_milestone(
            project=project, by=staff, title=f"ეტაპი {n}", due_on=timezone.localdate(), report_kind="interim"
        )
    client = client_for(org_admin)
    client.get(reverse("awards:project", args=[project.pk]))
    with django_assert_num_queries(10):
        client.get(reverse("awards:project", args=[project.pk]))


def test_an_individual_grantee_runs_their_own_project(learner, other_learner, staff, client_for):
    project, interim, _final = project_for(learner, staff)
    assert project.organisation is None
    client = client_for(learner)
    assert client.get(reverse("awards:project", args=[project.pk])).status_code == 200
    assert client.get(reverse("awards:project_editors", args=[project.pk])).status_code == 403
    assert client.get(reverse("awards:report_edit", args=[interim.report.pk])).status_code == 200
    assert client_for(other_learner).get(reverse("awards:project", args=[project.pk])).status_code == 404
    with pytest.raises(services.ProjectError):
        services.set_editors(project=project, by=staff, user_ids=[other_learner.pk])
