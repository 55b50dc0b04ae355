"""Projects: reads and the access helpers every view loads objects through (404 for outsiders)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.api import Membership, User, can, is_programme_staff, require
from awards.models.projects import (
    GrantProject,
    Milestone,
    ProjectStatus,
    Receipt,
    Report,
    ReportStatus,
    ReportVersion,
    Tranche,
)
from awards.services.projects import EDITABLE, editor_project_ids, is_payable, member_organisation_ids
from calls.api import Call, diff, present, report_fields


def visible_projects(viewer) -> QuerySet[GrantProject]:
    """The projects a person sees: staff all; others their organisations' and their own."""
    projects = GrantProject.objects.all()
    if is_programme_staff(viewer):
        return projects
    return projects.filter(Q(organisation_id__in=member_organisation_ids(viewer)) | Q(grantee_id=viewer.pk))


def project_for(viewer, pk: int) -> GrantProject:
    project = (
        GrantProject.objects.select_related("call", "organisation", "grantee", "offer").filter(pk=pk).first()
    )
    if project is None:
        raise Http404
    require(viewer, "awards.project.view", project)
    return project


def project_for_staff(viewer, pk: int) -> GrantProject:
    project = GrantProject.objects.select_related("call", "organisation", "grantee").filter(pk=pk).first()
    if project is None:
        raise Http404
    require(viewer, "awards.project.manage", project)
    return project


def report_for(viewer, pk: int) -> Report:
    report = (
        Report.objects.select_related("milestone__project__call", "milestone__project__organisation")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    require(viewer, "awards.project.view", report.milestone.project)
    return report


def receipt_for(viewer, report_pk: int, pk: int) -> Receipt:
    report = report_for(viewer, report_pk)
    receipt = report.receipts.filter(pk=pk).first()
    if receipt is None:
        raise Http404
    return receipt


def tranche_for_staff(viewer, pk: int) -> Tranche:
    tranche = Tranche.objects.select_related("project", "milestone__report").filter(pk=pk).first()
    if tranche is None:
        raise Http404
    require(viewer, "awards.project.manage", tranche.project)
    return tranche


def can_edit_reports(viewer, project) -> bool:
    return can(viewer, "awards.project.edit_reports", project)


# --- the project page -------------------------------------------------------------------------------------


@dataclass
class MilestoneRow:
    milestone: Milestone
    report: Report | None
    tranche: Tranche | None
    payable: bool


@dataclass
class ProjectPage:
    project: GrantProject
    budget: list
    budget_total: Decimal
    milestones: list[MilestoneRow]
    tranches: list[Tranche]
    signing_tranches: list[Tranche]
    paid_total: Decimal
    spent_by_line: dict[int, Decimal]


def project_page(project: GrantProject) -> ProjectPage:
    """Everything the project pages show, in a fixed number of queries."""
    budget = list(project.budget.all())
    tranches = list(project.tranches.select_related("payment", "milestone__report"))
    by_milestone = {t.milestone_id: t for t in tranches if t.milestone_id}
    milestones = list(project.milestones.select_related("report"))
    rows = [
        MilestoneRow(
            milestone=m,
            report=getattr(m, "report", None),
            tranche=by_milestone.get(m.pk),
            payable=bool(by_milestone.get(m.pk)) and is_payable(by_milestone[m.pk]),
        )
        for m in milestones
    ]
    spent: dict[int, Decimal] = {}
    for row in rows:
        if row.report is not None and row.report.status == ReportStatus.APPROVED:
            for key, value in row.report.spending.items():
                try:
                    spent[int(key)] = spent.get(int(key), Decimal(0)) + Decimal(str(value).replace(",", "."))
                except (ValueError, ArithmeticError):
                    continue
    return ProjectPage(
        project=project,
        budget=budget,
        budget_total=sum((b.total for b in budget), Decimal(0)),
        milestones=rows,
        tranches=tranches,
        signing_tranches=[t for t in tranches if t.milestone_id is None],
        paid_total=sum((t.payment.amount for t in tranches if hasattr(t, "payment")), Decimal(0)),
        spent_by_line=spent,
    )


def members_with_editor_flag(project: GrantProject) -> list[tuple[User, bool]]:
    if project.organisation_id is None:
        return []
    editors = set(project.editors.values_list("user_id", flat=True))
    members = (
        Membership.objects.filter(organisation_id=project.organisation_id)
        .select_related("user")
        .order_by("user__full_name_ka", "user_id")
    )
    return [(m.user, m.user_id in editors) for m in members]


# --- reports ------------------------------------------------------------------------------------------------


def report_questions(report: Report) -> list:
    return report_fields(report.milestone.project.call)


def versions_of(report: Report) -> list[ReportVersion]:
    return list(report.versions.select_related("submitted_by"))


def version_of(report: Report, number: int) -> ReportVersion:
    version = report.versions.select_related("submitted_by").filter(number=number).first()
    if version is None:
        raise Http404
    return version


def answers_of(report: Report, data: dict) -> list:
    return present(report_questions(report), data, [])


@dataclass
class SpendingLine:
    item: object
    amount: str
    before: str = ""


def spending_lines(report: Report, spending: dict, previous: dict | None = None) -> list[SpendingLine]:
    return [
        SpendingLine(
            item=line,
            amount=str(spending.get(str(line.pk), "") or ""),
            before=str((previous or {}).get(str(line.pk), "") or ""),
        )
        for line in report.milestone.project.budget.all()
    ]


def changes_between(report: Report, old: ReportVersion, new: ReportVersion) -> list:
    """(question, before, after) for every narrative answer that changed between two versions."""
    return diff(report_questions(report), old.data, new.data, [])


# --- lists -------------------------------------------------------------------------------------------------


def my_projects(viewer) -> QuerySet[GrantProject]:
    return (
        GrantProject.objects.filter(
            Q(organisation_id__in=member_organisation_ids(viewer)) | Q(grantee_id=viewer.pk)
        )
        .select_related("call", "organisation")
        .order_by("-created_at", "-pk")
    )


def staff_projects(*, call_id: int | None = None, status: str = "") -> QuerySet[GrantProject]:
    projects = GrantProject.objects.select_related("call", "organisation", "grantee").annotate(
        milestone_count=Count("milestones", distinct=True),
        to_review=Count(
            "milestones", filter=Q(milestones__report__status=ReportStatus.SUBMITTED), distinct=True
        ),
        paid=Sum("tranches__payment__amount"),
    )
    if call_id:
        projects = projects.filter(call_id=call_id)
    if status in ProjectStatus.values:
        projects = projects.filter(status=status)
    return projects.order_by("-created_at", "-pk")


def project_calls():
    """The calls that have grant projects, for the staff list's filter."""
    return Call.objects.filter(grant_projects__isnull=False).distinct().order_by("-opens_at", "pk")


# --- "my work" counts ---------------------------------------------------------------------------------------


def payable_tranches() -> QuerySet[Tranche]:
    approved = Report.objects.filter(milestone=OuterRef("milestone_id"), status=ReportStatus.APPROVED)
    return Tranche.objects.filter(payment__isnull=True, project__status=ProjectStatus.ACTIVE).filter(
        Q(milestone__isnull=True) | Exists(approved)
    )


def reports_to_review() -> QuerySet[Report]:
    return Report.objects.filter(status=ReportStatus.SUBMITTED)


def reports_due_for(viewer, *, within_days: int = 14) -> QuerySet[Report]:
    until = timezone.localdate() + dt.timedelta(days=within_days)
    return Report.objects.filter(
        milestone__project_id__in=editor_project_ids(viewer),
        milestone__project__status=ProjectStatus.ACTIVE,
        status__in=EDITABLE,
        milestone__due_on__lte=until,
    )
