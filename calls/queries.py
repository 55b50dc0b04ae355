"""Reads of the calls domain and the access helpers every view loads objects through (404 for outsiders)."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.permissions import require
from calls.models import (
    Application,
    ApplicationEvent,
    Assignment,
    Attachment,
    Call,
    Conflict,
    OutboxMessage,
    OutboxStatus,
    Outcome,
    Review,
    Status,
)

SORTS = {
    "score": (F("score").desc(nulls_last=True), "pk"),
    "-score": (F("score").asc(nulls_last=True), "pk"),
    "reviews": ("-review_count", "pk"),
    "spread": (F("score_spread").desc(nulls_last=True), "pk"),
    "reference": (F("reference").asc(nulls_last=True), "pk"),
    "submitted": (F("submitted_at").asc(nulls_last=True), "pk"),
}


def open_and_upcoming_calls() -> QuerySet[Call]:
    now = timezone.now()
    return Call.objects.filter(published=True, closes_at__gte=now).order_by("closes_at", "pk")


def past_calls() -> QuerySet[Call]:
    return Call.objects.filter(published=True, closes_at__lt=timezone.now()).order_by("-closes_at", "pk")


def call_for_user(user, slug: str) -> Call:
    call = Call.objects.filter(slug=slug).first()
    if call is None:
        raise Http404
    require(user, "calls.view_public", call)
    return call


def call_for_staff(user, slug: str) -> Call:
    call = Call.objects.filter(slug=slug).first()
    if call is None:
        raise Http404
    require(user, "calls.manage", call)
    return call


def application_for_applicant(user, pk: int) -> Application:
    application = (
        Application.objects.select_related("call", "organisation", "applicant").filter(pk=pk).first()
    )
    if application is None:
        raise Http404
    require(user, "calls.view_application", application)
    return application


def application_for_staff(user, pk: int) -> Application:
    application = (
        Application.objects.select_related("call", "organisation", "applicant").filter(pk=pk).first()
    )
    if application is None:
        raise Http404
    require(user, "calls.manage", application)
    return application


def assignment_for_reviewer(user, pk: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related(
            "application__call", "application__applicant", "application__organisation", "review"
        )
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    require(user, "calls.review", assignment)
    return assignment


def attachment_for_user(user, application_pk: int, pk: int) -> Attachment:
    attachment = (
        Attachment.objects.select_related("application").filter(pk=pk, application_id=application_pk).first()
    )
    if attachment is None:
        raise Http404
    require(user, "calls.download_attachment", attachment)
    return attachment


def application_of(user, call: Call) -> Application | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Application.objects.filter(call=call, applicant=user).first()


def my_applications(user) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=user)
        .select_related("call", "organisation")
        .prefetch_related(Prefetch("info_requests"))
        .order_by("-created_at", "pk")
    )


def form_fields(call: Call) -> list:
    return list(call.fields.all())


def history(application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("actor").order_by("at", "pk")


def staff_applications(call: Call, *, status: str = "", sort: str = "score") -> QuerySet[Application]:
    """The staff list / ranking table: sorted on stored score columns, so a page costs a fixed number of queries."""
    queryset = Application.objects.filter(call=call).exclude(status=Status.DRAFT)
    if status in Status.values:
        queryset = queryset.filter(status=status)
    return (
        queryset.select_related("applicant", "organisation")
        .only(*RANKING_COLUMNS)
        .order_by(*SORTS.get(sort, SORTS["score"]))
    )


# The columns the ranking table shows (the answers in ``data`` are not read for it).
RANKING_COLUMNS = (
    "id",
    "reference",
    "status",
    "outcome",
    "score",
    "review_count",
    "score_spread",
    "disagreement",
    "applicant",
    "organisation",
    "applicant__email",
    "applicant__full_name_ka",
    "applicant__full_name_latin",
    "organisation__name_ka",
    "organisation__name_en",
)
_PK_SLOT = 987654321


# One row of the ranking table; every value goes through format_html's escaping, as autoescape would.
RANKING_ROW = """<tr>
  <td><input type="checkbox" name="application" value="{pk}" id="sel-{pk}" aria-label="{label}"></td>
  <td>{rank}</td>
  <td><a href="{url}">{reference}</a></td>
  <td>{applicant}{organisation}</td>
  <td>{status}</td>
  <td>{score}</td>
  <td>{review_count}</td>
  <td>{spread}</td>
</tr>
"""


def ranking_rows(applications, *, start: int) -> list[SafeString]:
    """The HTML of each row of the ranking table (rank, link, checkbox label, applicant, status, score, spread),
    built here once: a dozen template tags a row made a page of 50 rows cost ~20 ms of CPU (the same markup,
    compared in tests/calls/test_staff.py). ``applications`` come from ``staff_applications``
    (``.only(*RANKING_COLUMNS)``); ``start`` is the rank of the first row."""
    url = reverse("calls:manage_application", args=[_PK_SLOT])
    statuses = {value: str(label) for value, label in Status.choices}
    outcomes = {value: str(label) for value, label in Outcome.choices}
    select, spread = _("Select %(ref)s"), _("spread %(s)s")
    rows = []
    for rank, application in enumerate(applications, start=start):
        status = statuses.get(application.status, application.status)
        if application.outcome:
            status = f"{status}: {outcomes.get(application.outcome, application.outcome)}"
        rows.append(
            format_html(
                RANKING_ROW,
                pk=application.pk,
                rank=rank,
                url=url.replace(str(_PK_SLOT), str(application.pk)),
                reference=application.reference,
                label=mark_safe(select % {"ref": escape(application.reference)}),  # noqa: S308 - the reference is escaped
                applicant=application.applicant.display_name,
                organisation=(
                    format_html('<br><span class="small muted">{}</span>', application.organisation.name)
                    if application.organisation_id
                    else ""
                ),
                status=status,
                score="—" if application.score is None else formats.localize(application.score),
                review_count=application.review_count,
                spread=(
                    format_html(
                        '<span class="badge warn">{}</span>',
                        mark_safe(spread % {"s": escape(formats.localize(application.score_spread))}),  # noqa: S308
                    )
                    if application.disagreement
                    else ""
                ),
            )
        )
    return rows


def reviewer_assignments(user) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(reviewer=user)
        .exclude(conflict=Conflict.CONFLICT)
        .select_related("application__call", "review")
        .order_by(F("review__submitted_at").asc(nulls_first=True), "-assigned_at", "pk")
    )


# The columns the reviewer's queue shows (not the answers, the call's texts or the review's scores).
QUEUE_COLUMNS = (
    "id",
    "conflict",
    "application",
    "application__reference",
    "application__call",
    "application__call__slug",
    "application__call__title_ka",
    "application__call__title_en",
    "review__id",
    "review__submitted_at",
)


def review_queue(user) -> QuerySet[Assignment]:
    """``reviewer_assignments`` with only what the queue page shows."""
    return reviewer_assignments(user).only(*QUEUE_COLUMNS)


def review_queue_rows(assignments) -> list[dict]:
    """One dict of ready-made strings per row of the reviewer's queue (link, call, export link, state), built
    once here rather than with two ``{% url %}`` and a chain of ``{% if %}`` a row in the template."""
    url = reverse("calls:review", args=[_PK_SLOT])
    states = {
        "pending": _("Declare conflicts first"),
        "submitted": _("Submitted"),
        "draft": _("Draft"),
        "none": _("Not started"),
    }
    calls: dict[int, tuple[str, str]] = {}
    rows = []
    for assignment in assignments:
        application = assignment.application
        if application.call_id not in calls:
            call = application.call
            calls[call.pk] = (call.title, reverse("calls:reviewer_export", args=[call.slug]))
        title, export_url = calls[application.call_id]
        review = getattr(assignment, "review", None)
        if assignment.conflict == Conflict.PENDING:
            state = states["pending"]
        elif review is not None and review.submitted_at:
            state = states["submitted"]
        else:
            state = states["draft" if review is not None else "none"]
        rows.append(
            {
                "url": url.replace(str(_PK_SLOT), str(assignment.pk)),
                "reference": application.reference,
                "call": title,
                "export_url": export_url,
                "state": state,
            }
        )
    return rows


def reviews_of(application: Application) -> QuerySet[Review]:
    return (
        Review.objects.filter(assignment__application=application)
        .exclude(assignment__conflict=Conflict.CONFLICT)
        .select_related("assignment__reviewer")
        .order_by("pk")
    )


def outbox(status: str = OutboxStatus.PENDING) -> QuerySet[OutboxMessage]:
    return (
        OutboxMessage.objects.filter(status=status)
        .select_related("application__call")
        .order_by("created_at", "pk")
    )
