"""Permission matrix rows of grant projects (awards/urls/projects.py).

The project belongs to ``learner_org``; Nino (learner) applied, so she is its report editor. Programme staff
see and manage everything but are not report editors (403 on the report form: they can see the project).
Outsiders get 404; the organisation's editors list is its admin's (Nino is a plain member: 403).
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from awards.services import projects as services
from tests.awards.projects.builders import project_for, write_report
from tests.calls.builders import pdf
from tests.matrix import SIGNED_IN, STAFF_ONLY, Row, expect


def build(world):
    organisation = world.learner.memberships.get().organisation
    project, interim, final = project_for(world.learner, world.staff, organisation=organisation)
    report = write_report(interim.report, world.learner)
    services.submit_report(report=report, by=world.learner)
    services.save_report_draft(report=final.report, by=world.learner, values={}, receipt=pdf("receipt.pdf"))
    world.grant_project = project
    world.interim_report = report
    world.final_report = final.report
    world.grant_receipt = final.report.receipts.get()
    world.signing_tranche = project.tranches.get(milestone__isnull=True)


MEMBER = expect(404, anon=302, learner=200, staff=200)
EDITOR_ONLY = expect(404, anon=302, learner=200, staff=403)
STAFF_404 = expect(404, anon=302, staff=200)


def _project(w):
    return [w.grant_project.pk]


def _interim(w):
    return [w.interim_report.pk]


def _final(w):
    return [w.final_report.pk]


ROWS = [
    Row("awards:my_projects", SIGNED_IN),
    Row("awards:project", MEMBER, args=_project),
    Row(
        "awards:project_editors",
        expect(404, anon=302, learner=403, staff=200),
        args=_project,
        note="a member who is not the admin: 403",
    ),
    Row("awards:report", MEMBER, args=_interim),
    Row("awards:report_edit", EDITOR_ONLY, args=_final),
    Row(
        "awards:report_edit",
        expect(404, anon=302, learner=302, staff=403),
        args=_interim,
        note="submitted: the editor goes back to the report",
    ),
    Row(
        "awards:report_autosave",
        expect(404, anon=200, learner=200, staff=403),
        method="post",
        args=_final,
        note="anon gets the 'session ended' fragment",
    ),
    Row("awards:report_autosave", expect(200), args=_final, note="GET: a fresh CSRF token"),
    Row("awards:report_version", MEMBER, args=lambda w: [w.interim_report.pk, 1]),
    Row("awards:receipt", MEMBER, args=lambda w: [w.final_report.pk, w.grant_receipt.pk]),
    Row(
        "awards:receipt_remove",
        expect(404, anon=302, learner=302, staff=403),
        method="post",
        args=lambda w: [w.final_report.pk, w.grant_receipt.pk],
    ),
    Row(
        "awards:report_review",
        expect(404, anon=302, staff=302),
        method="post",
        args=_interim,
        data=lambda w: {"decision": "approve"},
    ),
    Row("awards:staff_projects", STAFF_ONLY),
    Row("awards:staff_projects", STAFF_ONLY, query="?status=active", note="filtered"),
    Row("awards:projects_export_csv", STAFF_ONLY, query="?table=payments"),
    Row("awards:projects_export_xlsx", STAFF_ONLY),
    Row("awards:project_manage", STAFF_404, args=_project),
    Row(
        "awards:milestone_add",
        expect(404, anon=302, staff=302),
        method="post",
        args=_project,
        data=lambda w: {
            "milestone-title": "დამატებითი",
            "milestone-due_on": (timezone.localdate() + dt.timedelta(days=40)).isoformat(),
            "milestone-report_kind": "interim",
        },
    ),
    Row(
        "awards:tranche_add",
        expect(404, anon=302, staff=302),
        method="post",
        args=_project,
        data=lambda w: {"tranche-amount": "1"},
    ),
    Row(
        "awards:tranche_pay",
        expect(404, anon=302, staff=302),
        method="post",
        args=lambda w: [w.signing_tranche.pk],
        data=lambda w: {
            "paid_on": timezone.localdate().isoformat(),
            "amount": str(Decimal("3000")),
            "reference": "T-1",
        },
    ),
]
