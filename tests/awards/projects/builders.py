"""Builders for grant-project tests: an accepted small-grant offer and its project, made through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from awards.models import Offer
from awards.services import projects as services
from calls.models import FormField
from tests.calls.builders import draft, make_call

BUDGET = [
    {"item": "ტრენინგები მუნიციპალიტეტებში", "qty": "4", "unit": "1500"},
    {"item": "ანგარიშის ბეჭდვა", "qty": "200", "unit": "10"},
]
GOOD_REPORT = {"summary": "ჩავატარეთ ოთხი ტრენინგი", "people": "48"}


def grant_call(**fields):
    call = make_call(kind="small_grant", budget=True, applicant_type="both", **fields)
    FormField.objects.create(
        call=call,
        form="report",
        position=1,
        key="summary",
        kind="long_text",
        label_ka="რა გაკეთდა",
        label_en="What was done",
    )
    FormField.objects.create(
        call=call,
        form="report",
        position=2,
        key="people",
        kind="number",
        label_ka="მონაწილეთა რაოდენობა",
        label_en="Number of participants",
    )
    return call


def accepted_offer(user, *, organisation=None, amount=Decimal("8000"), call=None) -> Offer:
    call = call or grant_call()
    application = draft(
        call,
        user,
        organisation=organisation,
        data={
            "motivation": "ბიუჯეტის მონიტორინგი",
            "experience_years": "3",
            "full_name": "x",
            "budget": BUDGET,
        },
    )
    application.status, application.outcome = "decided", "accepted"
    application.decision_published_at = timezone.now()
    application.save()
    return Offer.objects.create(
        application=application,
        amount=amount,
        status="accepted",
        response_deadline=timezone.now() + dt.timedelta(days=7),
        responded_at=timezone.now(),
    )


def project_for(user, staff, *, organisation=None, amount=Decimal("8000")):
    """A project with an interim and a final milestone, a signing tranche and one tranche per milestone."""
    offer = accepted_offer(user, organisation=organisation, amount=amount)
    project = services.start_project(offer=offer, by=user)
    today = timezone.localdate()
    interim = services.add_milestone(
        project=project,
        by=staff,
        title="შუალედური ანგარიში",
        due_on=today + dt.timedelta(days=30),
        deliverables="ოთხი ტრენინგი",
        report_kind="interim",
    )
    final = services.add_milestone(
        project=project,
        by=staff,
        title="საბოლოო ანგარიში",
        due_on=today + dt.timedelta(days=90),
        report_kind="final",
    )
    services.add_tranche(project=project, by=staff, amount=Decimal("3000"))
    services.add_tranche(project=project, by=staff, amount=Decimal("3000"), milestone=interim)
    services.add_tranche(project=project, by=staff, amount=Decimal("2000"), milestone=final)
    return project, interim, final


def write_report(report, user, data=None, spending=None):
    lines = list(report.milestone.project.budget.all())
    services.save_report_draft(
        report=report,
        by=user,
        values=dict(GOOD_REPORT if data is None else data),
        spending=spending if spending is not None else {str(lines[0].pk): "2900", str(lines[1].pk): "0"},
    )
    report.refresh_from_db()
    return report
