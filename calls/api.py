"""The public interface of the calls domain for other apps (credentials issues certificates from it).

* ``certification_calls()`` — calls of kind "individual certification", newest first;
* ``accepted_applicants(call=...)`` — the people whose applications to ``call`` were accepted;
* ``call_by_pk(pk)`` — one call (404 when missing);
* ``conflicted_person_ids(person_ids=..., organisation_ids=...)`` — the conflict-of-interest rule reviewers and
  mentors share: who may not assess these people's and organisations' work.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.api import User
from calls.models import Application, Call, CallKind, Outcome, Status
from calls.services import queue_letter


def certification_calls() -> QuerySet[Call]:
    return Call.objects.filter(kind=CallKind.CERTIFICATION).order_by("-opens_at", "-pk")


def accepted_applicants(*, call: Call) -> list[User]:
    applicant_ids = Application.objects.filter(
        call=call, status=Status.DECIDED, outcome=Outcome.ACCEPTED
    ).values("applicant_id")
    return list(User.objects.filter(pk__in=applicant_ids).order_by("full_name_ka", "pk"))


def call_by_pk(pk: int) -> Call:
    return get_object_or_404(Call, pk=pk)


def requested_total(application: Application) -> Decimal | None:
    """The total of the application's budget table(s) (the call's budget fields); None when the call has none."""
    keys = [
        f.key
        for f in application.call.fields.all()
        if f.kind == FieldKind.BUDGET and getattr(f, "form", "application") == "application"
    ]
    if not keys:
        return None
    return sum((budget_total(application.data.get(key)) for key in keys), Decimal("0.00"))


__all__ = [
    "accepted_applicants",
    "call_by_pk",
    "certification_calls",
    "queue_letter",
    "requested_total",
]


# --- grant report forms and the form engine (used by awards' grant projects) ---------------------------
from calls import drafts as _drafts  # noqa: E402
from calls import exports as _exports  # noqa: E402
from calls import formkit as _formkit  # noqa: E402
from calls.models import FieldKind, FormField, FormKind  # noqa: E402

AnswerForm = _formkit.AnswerForm
BudgetLine = _formkit.BudgetLine
budget_lines = _formkit.budget_lines
budget_total = _formkit.budget_total
draft_form = _formkit.draft_form
checked_form = _formkit.checked_form
present = _formkit.present
diff = _formkit.diff
as_text = _formkit.as_text
parse_number = _formkit.parse_number
merge_draft = _drafts.merge
spreadsheet_cell = _exports._cell
fingerprints = _drafts.fingerprints
encode_base = _drafts.encode_base
decode_base = _drafts.decode_base


def report_fields(call: Call) -> list[FormField]:
    """The questions of the call's grant report form, in order."""
    return list(call.fields.filter(form=FormKind.REPORT))


def budget_of(application: Application) -> list[_formkit.BudgetLine]:
    """The budget table of an application (its first budget question), line by line with totals."""
    for row in application.call.fields.filter(form=FormKind.APPLICATION, kind=FieldKind.BUDGET):
        return _formkit.budget_lines(application.data.get(row.key))
    return []


__all__ += [
    "AnswerForm",
    "BudgetLine",
    "Call",
    "FormField",
    "FormKind",
    "as_text",
    "budget_lines",
    "budget_of",
    "budget_total",
    "checked_form",
    "spreadsheet_cell",
    "decode_base",
    "diff",
    "draft_form",
    "encode_base",
    "fingerprints",
    "merge_draft",
    "parse_number",
    "present",
    "report_fields",
]


# --- review: the waiting list decided later (awards' offers promote the next waitlisted application) -----
from calls.services import CallsError, accept_waitlisted, reject_waitlisted  # noqa: E402

__all__ += ["CallsError", "accept_waitlisted", "reject_waitlisted"]
# --- end review


# --- form pieces awards' forms share: long text fields, the draft's bookkeeping (revision, base, resolve) ------
from calls.forms import DraftStateForm, long_text  # noqa: E402

__all__ += ["DraftStateForm", "long_text"]
# --- end form pieces


# --- the conflict-of-interest rule reviewers and mentors share (used by awards' mentoring) -------------------
from calls.services import conflicted_person_ids  # noqa: E402

__all__ += ["conflicted_person_ids"]


# --- offers (used by awards' offers): the accepted and the waitlisted applications of a call -----------------
from django.db.models import Count, F, Q  # noqa: E402


def accepted_applications(call: Call) -> QuerySet[Application]:
    """The call's accepted applications, best score first (with the applicant and organisation)."""
    return (
        Application.objects.filter(call=call, status=Status.DECIDED, outcome=Outcome.ACCEPTED)
        .select_related("applicant", "organisation")
        .order_by(F("score").desc(nulls_last=True), "reference", "pk")
    )


def waitlisted_applications(call: Call) -> QuerySet[Application]:
    """The call's waiting list in the order it is promoted: highest score first."""
    return (
        Application.objects.filter(call=call, status=Status.DECIDED, outcome=Outcome.WAITLISTED)
        .select_related("applicant", "organisation")
        .order_by(F("score").desc(nulls_last=True), "submitted_at", "pk")
    )


def calls_with_accepted() -> QuerySet[Call]:
    """Calls with at least one accepted application, newest first, with ``accepted_count``."""
    accepted = Q(applications__status=Status.DECIDED, applications__outcome=Outcome.ACCEPTED)
    return (
        Call.objects.annotate(accepted_count=Count("applications", filter=accepted))
        .filter(accepted_count__gt=0)
        .order_by("-closes_at", "-pk")
    )


__all__ += [
    "Application",
    "Call",
    "CallKind",
    "Outcome",
    "Status",
    "accepted_applications",
    "calls_with_accepted",
    "waitlisted_applications",
]
# --- end offers


# --- workspace: what waits for a person in this domain ("my work") and the header links their roles open
from calls.work import header_entries, work_items  # noqa: E402

__all__ += ["header_entries", "work_items"]
# --- end workspace


# --- internships (used by awards' internships): the calls a placement can take interns from; export helpers
from calls.exports import csv_response, xlsx_response  # noqa: E402


def internship_calls() -> QuerySet[Call]:
    """Calls of kind "internship", newest first."""
    return Call.objects.filter(kind=CallKind.INTERNSHIP).order_by("-opens_at", "-pk")


__all__ += ["csv_response", "internship_calls", "xlsx_response"]
# --- end internships

# --- restapi: reads for the REST API (open and upcoming calls, a person's applications, a call's staff data)
from django.conf import settings  # noqa: E402
from django.db.models import Prefetch  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from calls.models import Review  # noqa: E402
from calls.queries import call_for_staff, call_for_user, my_applications  # noqa: E402
from calls.queries import open_and_upcoming_calls as _open_and_upcoming  # noqa: E402
from core.api import CalendarEntry  # noqa: E402

application_rows = _exports.rows  # the staff export's table (``blind`` leaves identity out), for JSON exports


def open_and_upcoming_calls() -> QuerySet[Call]:
    """Published calls that are open or open later, nearest deadline first, with their required courses."""
    return _open_and_upcoming().prefetch_related("required_courses")


def submitted_applications(call: Call) -> QuerySet[Application]:
    """The call's applications past the draft, by reference, with applicant, organisation and submitted reviews
    (conflicted reviewers' left out): a fixed number of queries per page."""
    reviews = (
        Review.objects.filter(submitted_at__isnull=False)
        .exclude(assignment__conflict="conflict")
        .order_by("pk")
    )
    return (
        Application.objects.filter(call=call)
        .exclude(status=Status.DRAFT)
        .select_related("applicant", "organisation")
        .prefetch_related(Prefetch("assignments__review", queryset=reviews))
        .order_by("reference", "pk")
    )


def deadline_entry(call: Call) -> CalendarEntry:
    """A call's deadline as a calendar moment (start = end = the closing time), for every calendar that lists it
    (the events feed, the REST API's deadlines file): one UID per call wherever it appears."""
    return CalendarEntry(
        key=f"call-deadline-{call.pk}",
        starts_at=call.closes_at,
        ends_at=call.closes_at,
        summary=_("Deadline: %(title)s") % {"title": call.title},
        url=settings.SITE_URL + call.get_absolute_url(),
    )


__all__ += [
    "application_rows",
    "deadline_entry",
    "call_for_staff",
    "call_for_user",
    "my_applications",
    "open_and_upcoming_calls",
    "submitted_applications",
]
# --- end restapi


# --- insights: aggregates only (no person's data) for the indicators dashboard
def application_figures() -> dict[str, list[dict]]:
    """Submitted applications per call, status and outcome, month submitted, the applying organisation's region and
    type (else the applicant's region) and the applicant's gender; decline reasons per month. Two queries."""
    from django.db.models.functions import TruncMonth

    from calls.models import DeclineReasonUse

    applications = [
        dict(row)
        for row in Application.objects.exclude(status=Status.DRAFT)
        .annotate(month=TruncMonth("submitted_at"))
        .values(
            "call_id",
            "call__title_ka",
            "call__title_en",
            "status",
            "outcome",
            "month",
            "organisation__region",
            "organisation__kind",
            "applicant__region",
            "applicant__gender",
        )
        .annotate(n=Count("pk"))
        .order_by()
    ]
    reasons = [
        dict(row)
        for row in DeclineReasonUse.objects.annotate(month=TruncMonth("assigned_at"))
        .values("reason__label_ka", "reason__label_en", "month")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    return {"applications": applications, "reasons": reasons}


__all__ += ["application_figures"]
# --- end insights


# --- events: registration questions — a questionnaire, the form engine's owner other than a call (decision 0025)
from calls.models import Questionnaire  # noqa: E402

questionnaire_form = _formkit.questionnaire_form
cleaned_answers = _formkit.cleaned_answers
answer_columns = _formkit.answer_columns


def questionnaire_rows(questionnaire_id: int | None) -> list[FormField]:
    """A questionnaire's questions in order (one query; none without a questionnaire)."""
    if questionnaire_id is None:
        return []
    return list(FormField.objects.filter(questionnaire_id=questionnaire_id))


def present_answers(rows: list[FormField], answers: dict) -> list[_formkit.Answer]:
    """Every question with its answer as people read it (labels and choices in the active language)."""
    return _formkit.present(rows, answers if isinstance(answers, dict) else {}, ())


__all__ += [
    "Questionnaire",
    "answer_columns",
    "cleaned_answers",
    "present_answers",
    "questionnaire_form",
    "questionnaire_rows",
]
# --- end events
