"""Staff exports of grant projects: one CSV per table (projects, milestones, reports, payments; ``?table=``) and
one XLSX workbook with a sheet per table. Cells are formula-safe (calls' spreadsheet_cell)."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from awards.models.projects import GrantProject, Milestone, Payment, Report
from calls.api import csv_response, spreadsheet_cell

TABLES = ("projects", "milestones", "reports", "payments")


def _projects() -> list[list[str]]:
    rows = [
        [
            _("Project"),
            _("Title"),
            _("Call"),
            _("Organisation"),
            _("Grantee"),
            _("Approved amount"),
            _("Status"),
            _("Created"),
        ]
    ]
    for p in GrantProject.objects.select_related("call", "organisation", "grantee").order_by("pk"):
        rows.append(
            [
                str(p.pk),
                p.title,
                p.call.title,
                str(p.organisation or ""),
                p.grantee.email,
                str(p.amount),
                p.get_status_display(),
                timezone.localtime(p.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return rows


def _milestones() -> list[list[str]]:
    rows = [
        [
            _("Project"),
            _("Milestone"),
            _("Report due on"),
            pgettext("grant report", "Report"),
            _("Tranche"),
            _("Deliverables"),
        ]
    ]
    queryset = Milestone.objects.select_related("tranche").order_by("project_id", "due_on", "pk")
    for m in queryset:
        tranche = getattr(m, "tranche", None)
        rows.append(
            [
                str(m.project_id),
                m.title,
                m.due_on.isoformat(),
                m.get_report_kind_display(),
                str(tranche.amount) if tranche else "",
                m.deliverables,
            ]
        )
    return rows


def _reports() -> list[list[str]]:
    rows = [
        [
            _("Project"),
            _("Milestone"),
            _("Status"),
            _("Version"),
            _("Submitted"),
            _("Decided"),
            _("Actual spending"),
        ]
    ]
    for r in Report.objects.select_related("milestone").order_by(
        "milestone__project_id", "milestone__due_on", "pk"
    ):
        spent = sum(float(v) for v in r.spending.values() if _is_number(v))
        rows.append(
            [
                str(r.milestone.project_id),
                r.milestone.title,
                r.get_status_display(),
                str(r.version),
                timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M") if r.submitted_at else "",
                timezone.localtime(r.decided_at).strftime("%Y-%m-%d %H:%M") if r.decided_at else "",
                f"{spent:.2f}",
            ]
        )
    return rows


def _is_number(value) -> bool:
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def _payments() -> list[list[str]]:
    rows = [[_("Project"), _("Tranche"), _("Milestone"), _("Paid on"), _("Amount"), _("Payment reference")]]
    queryset = Payment.objects.select_related("tranche__milestone").order_by(
        "tranche__project_id", "paid_on", "pk"
    )
    for pay in queryset:
        rows.append(
            [
                str(pay.tranche.project_id),
                str(pay.tranche.position),
                pay.tranche.milestone.title if pay.tranche.milestone else _("Signing"),
                pay.paid_on.isoformat(),
                str(pay.amount),
                pay.reference,
            ]
        )
    return rows


BUILDERS = {"projects": _projects, "milestones": _milestones, "reports": _reports, "payments": _payments}


def table(name: str) -> list[list[str]]:
    return [[spreadsheet_cell(value) for value in row] for row in BUILDERS[name]()]


def csv_export(name: str) -> HttpResponse:
    return csv_response(table(name), f"grant-{name}-{timezone.localdate().isoformat()}.csv")


def xlsx_export() -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name in TABLES:
        sheet = workbook.create_sheet(name)
        for row in table(name):
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="grant-projects-{timezone.localdate().isoformat()}.xlsx"'
    )
    return response
