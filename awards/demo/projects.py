"""Demo content for projects: the Kakheti Budget Watch grant project (from the offers demo's accepted offer) with
its report form, two milestones (the interim one reported, approved and paid; the final one upcoming) and three
tranches. Idempotent: a second run finds everything in place and creates nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.api import User
from awards.models.offers import Offer, OfferStatus
from awards.models.projects import ReportStatus
from awards.services import projects as services
from calls.api import FormField, FormKind

CALL_SLUG = "small-grants-2025"  # the offers demo: last year's call
ORGANISATION_SLUG = "kakheti-budget-watch"

REPORT_FIELDS: list[tuple[str, str, str, str, dict]] = [
    (
        "activities",
        "long_text",
        "რა გაკეთდა ამ პერიოდში",
        "What was done in this period",
        {"word_limit": 400},
    ),
    ("results", "long_text", "შედეგები და ცვლილებები", "Results and changes", {"word_limit": 300}),
    ("participants", "number", "მონაწილეთა რაოდენობა", "Number of participants", {}),
    (
        "difficulties",
        "long_text",
        "სირთულეები და როგორ გადაწყდა",
        "Difficulties and how they were solved",
        {"required": False},
    ),
]

INTERIM_ANSWERS = {
    "activities": (
        "თელავის, გურჯაანისა და საგარეჯოს მუნიციპალიტეტებში ჩავატარეთ სამი საჯარო შეხვედრა ადგილობრივი "
        "ბიუჯეტის პროექტზე. მოვამზადეთ მოქალაქის ბიუჯეტის მოკლე სახელმძღვანელო."
    ),
    "results": "საკრებულოებს წარვუდგინეთ 14 წინადადება; ორი მათგანი 2027 წლის ბიუჯეტის პროექტში აისახა.",
    "participants": "86",
    "difficulties": "გურჯაანში შეხვედრა ერთი კვირით გადაიდო; მოქალაქეებს დამატებით SMS-ით ვაცნობეთ.",
}


def _report_form(call) -> None:
    for position, (key, kind, ka, en, extra) in enumerate(REPORT_FIELDS, start=1):
        FormField.objects.get_or_create(
            call=call,
            form=FormKind.REPORT,
            key=key,
            defaults={"position": position, "kind": kind, "label_ka": ka, "label_en": en, **extra},
        )


def seed(stdout) -> dict:
    offer = (
        Offer.objects.filter(
            status=OfferStatus.ACCEPTED,
            application__call__slug=CALL_SLUG,
            application__organisation__slug=ORGANISATION_SLUG,
        )
        .select_related("application__call", "application__applicant")
        .first()
    )
    staff = User.objects.filter(email="staff@demo.civichub.ge").first()
    if offer is None or staff is None:
        if stdout:
            stdout.write("awards projects: no accepted Kakheti Budget Watch grant offer yet; no project\n")
        return {}
    _report_form(offer.application.call)
    editor = offer.application.applicant
    project = services.start_project(offer=offer, by=editor)
    if project.milestones.exists():
        return {"grant_project": project}
    today = timezone.localdate()
    amount = project.amount or Decimal("5000")
    interim = services.add_milestone(
        project=project,
        by=staff,
        title="პირველი ეტაპი: საჯარო შეხვედრები",
        due_on=today - dt.timedelta(days=20),
        deliverables="სამი საჯარო შეხვედრა; მოქალაქის ბიუჯეტის სახელმძღვანელო.",
        report_kind="interim",
    )
    final = services.add_milestone(
        project=project,
        by=staff,
        title="მეორე ეტაპი: მონიტორინგის ანგარიში",
        due_on=today + dt.timedelta(days=60),
        deliverables="ბიუჯეტის შესრულების მონიტორინგის ანგარიში და მისი საჯარო პრეზენტაცია.",
        report_kind="final",
    )
    signing_amount = (amount * Decimal("0.4")).quantize(Decimal("0.01"))
    interim_amount = (amount * Decimal("0.4")).quantize(Decimal("0.01"))
    signing = services.add_tranche(project=project, by=staff, amount=signing_amount)
    services.add_tranche(project=project, by=staff, amount=interim_amount, milestone=interim)
    services.add_tranche(
        project=project, by=staff, amount=amount - signing_amount - interim_amount, milestone=final
    )
    services.record_payment(
        tranche=signing,
        by=staff,
        paid_on=today - dt.timedelta(days=75),
        amount=signing_amount,
        reference="GE-TB-2026-0412",
    )
    report = interim.report
    lines = list(project.budget.all())
    spending = {str(line.pk): str((line.total * Decimal("0.45")).quantize(Decimal("0.01"))) for line in lines}
    services.save_report_draft(report=report, by=editor, values=INTERIM_ANSWERS, spending=spending)
    report.refresh_from_db()
    if report.status == ReportStatus.DRAFT:
        services.submit_report(report=report, by=editor)
        services.review_report(report=report, by=staff, approve=True, comment="მადლობა, დეტალური ანგარიშია.")
        tranche = project.tranches.get(milestone=interim)
        services.record_payment(
            tranche=tranche,
            by=staff,
            paid_on=today - dt.timedelta(days=10),
            amount=tranche.amount,
            reference="GE-TB-2026-0877",
        )
    if stdout:
        stdout.write(
            "awards projects: Kakheti Budget Watch grant project with two milestones (one reported and paid)\n"
        )
    return {"grant_project": project}
