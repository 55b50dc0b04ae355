"""Exports for staff (CSV, XLSX, attachments as a zip) and blind exports for reviewers."""

from __future__ import annotations

import csv
import io
import zipfile

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from calls import formkit as answers
from calls.models import Application, Attachment, Call, FormKind, Status

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """Plain text that spreadsheet programs will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _applications(call: Call, ids=None):
    queryset = (
        Application.objects.filter(call=call)
        .exclude(status=Status.DRAFT)
        .select_related("applicant", "organisation")
        .prefetch_related("attachments", "assignments__review")
        .order_by("reference", "pk")
    )
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset


def rows(call: Call, *, blind: bool, ids=None) -> list[list[str]]:
    """Header and one row per submitted application; ``blind`` leaves out identity and identifying answers."""
    fields = list(call.fields.filter(form=FormKind.APPLICATION))
    criteria = list(call.criteria.all())
    visible = [f for f in fields if not (blind and f.hidden_in_blind_review)]
    header = [_("Reference")]
    if not blind:
        header += [_("Applicant"), _("Email"), _("Organisation")]
    header += [_("Status"), _("Outcome"), _("Score"), _("Reviews"), _("Disagreement")]
    header += [c.title for c in criteria]
    header += [f.label for f in visible]
    result = [header]
    for application in _applications(call, ids):
        row = [application.reference]
        if not blind:
            row += [
                application.applicant.display_name,
                application.applicant.email,
                application.organisation.name if application.organisation else "",
            ]
        row += [
            application.get_status_display(),
            application.get_outcome_display(),
            application.score if application.score is not None else "",
            application.review_count,
            _("yes") if application.disagreement else "",
        ]
        reviews = [
            a.review
            for a in application.assignments.all()
            if a.conflict != "conflict" and hasattr(a, "review") and a.review.is_submitted
        ]
        for criterion in criteria:
            values = [
                r.scores.get(str(criterion.pk))
                for r in reviews
                if r.scores.get(str(criterion.pk)) is not None
            ]
            row.append(f"{sum(values) / len(values):.2f}" if values else "")
        presented = answers.present(visible, application.data, application.attachments.all())
        for answer in presented:
            if answer.attachment is not None and blind:
                row.append(f"{application.reference}-{answer.field.key}.{answer.attachment.extension}")
            else:
                row.append(answers.as_text(answer))
        result.append([_cell(v) for v in row])
    return result


def _filename(call: Call, suffix: str) -> str:
    return f"{call.slug}-{timezone.localdate():%Y%m%d}{suffix}"


def csv_response(table: list[list[str]], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel reads UTF-8 Georgian only with a byte-order mark
    csv.writer(response).writerows(table)
    return response


def xlsx_response(table: list[list[str]], filename: str) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("applications")
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def attachments_zip(call: Call, *, blind: bool = False, ids=None) -> StreamingHttpResponse | HttpResponse:
    """Every attachment of the call's submitted applications, one folder per reference."""
    attachments = (
        Attachment.objects.filter(application__call=call)
        .exclude(application__status=Status.DRAFT)
        .select_related("application")
        .order_by("application__reference", "pk")
    )
    if ids is not None:
        attachments = attachments.filter(application_id__in=ids)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for attachment in attachments:
            folder = attachment.application.reference or f"draft-{attachment.application_id}"
            name = (
                f"{attachment.field_key}-{attachment.pk}.{attachment.extension}"
                if blind
                else f"{attachment.field_key}-{attachment.pk}-{attachment.original_name}"
            )
            with attachment.file.open("rb") as handle:
                archive.writestr(f"{folder}/{name}", handle.read())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_filename(call, "-attachments.zip")}"'
    return response


# --- feedback: decline statistics ------------------------------------------------------------------------------


def decline_labels_table(stats) -> list[list[str]]:
    """Across calls: one row per reason label (in the active language), a column per call, and the total."""
    header = [_("Reason"), *(entry.call.title for entry in stats.calls), _("Total")]
    table: list[list] = [header]
    for label, counts, total in stats.labels:
        table.append([label, *counts, total])
    table.append(
        [
            _("No reason recorded"),
            *(entry.without_reason for entry in stats.calls),
            sum(e.without_reason for e in stats.calls),
        ]
    )
    table.append(
        [
            _("Declined applications"),
            *(entry.declined for entry in stats.calls),
            sum(e.declined for e in stats.calls),
        ]
    )
    return [[_cell(value) for value in row] for row in table]


def decline_calls_table(stats) -> list[list[str]]:
    """Per call: one row per (call, reason) with the count and its share of the call's declined applications."""
    table: list[list] = [
        [_("Call"), _("Reason"), _("Offered"), _("Applications"), _("Share of declined (%)")]
    ]
    for entry in stats.calls:
        for reason, count, share in entry.reasons:
            table.append(
                [entry.call.title, reason.label, _("yes") if reason.active else _("no"), count, share]
            )
        share = round(100 * entry.without_reason / entry.declined, 1) if entry.declined else 0.0
        table.append([entry.call.title, _("No reason recorded"), "", entry.without_reason, share])
    return [[_cell(value) for value in row] for row in table]


# --- end feedback ---------------------------------------------------------------------------------------------
