"""Reads of the calls domain and the access helpers every view loads objects through (404 for outsiders).

Access helpers take the viewer (``request.viewer``): permission rules and the person's own rows read it.
"""

from __future__ import annotations

from django.db.models import F, OrderBy, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.api import require
from calls.models import (
    Application,
    ApplicationEvent,
    Assignment,
    Attachment,
    Call,
    Conflict,
    OutboxMessage,
    OutboxStatus,
    Review,
    Status,
)

SORTS: dict[str, tuple[str | OrderBy, ...]] = {
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


def call_for_user(viewer, slug: str) -> Call:
    call = Call.objects.filter(slug=slug).first()
    if call is None:
        raise Http404
    require(viewer, "calls.view_public", call)
    return call


def call_for_staff(viewer, slug: str) -> Call:
    call = Call.objects.filter(slug=slug).first()
    if call is None:
        raise Http404
    require(viewer, "calls.manage", call)
    return call


def application_for_applicant(viewer, pk: int) -> Application:
    application = (
        Application.objects.select_related("call", "organisation", "applicant").filter(pk=pk).first()
    )
    if application is None:
        raise Http404
    require(viewer, "calls.view_application", application)
    return application


def application_for_staff(viewer, pk: int) -> Application:
    application = (
        Application.objects.select_related("call", "organisation", "applicant").filter(pk=pk).first()
    )
    if application is None:
        raise Http404
    require(viewer, "calls.manage", application)
    return application


def assignment_for_reviewer(viewer, pk: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related(
            "application__call", "application__applicant", "application__organisation", "review"
        )
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    require(viewer, "calls.review", assignment)
    return assignment


def attachment_for_user(viewer, application_pk: int, pk: int) -> Attachment:
    attachment = (
        Attachment.objects.select_related("application").filter(pk=pk, application_id=application_pk).first()
    )
    if attachment is None:
        raise Http404
    require(viewer, "calls.download_attachment", attachment)
    return attachment


def application_of(viewer, call: Call) -> Application | None:
    if not viewer.is_authenticated:
        return None
    return Application.objects.filter(call=call, applicant_id=viewer.pk).first()


def my_applications(viewer) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant_id=viewer.pk)
        .select_related("call", "organisation")
        .prefetch_related(Prefetch("info_requests"))
        .order_by("-created_at", "pk")
    )


def form_fields(call: Call) -> list:
    return list(call.fields.all())


def history(application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("actor").order_by("at", "pk")


def staff_applications(call: Call, *, status: str = "", sort: str = "score") -> QuerySet[Application]:
    """The staff list / ranking table: sorted on stored score columns (indexed with the call), so a page costs a
    fixed number of queries and reads only its own rows."""
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


def reviewer_assignments(viewer) -> QuerySet[Assignment]:
    """The reviewer's assignments (not those they declared a conflict on), reviews still to write first."""
    return (
        Assignment.objects.filter(reviewer_id=viewer.pk)
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


def review_queue(viewer) -> QuerySet[Assignment]:
    """``reviewer_assignments`` with only what the queue page shows."""
    return reviewer_assignments(viewer).only(*QUEUE_COLUMNS)


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


def outbox_not_sent() -> QuerySet[OutboxMessage]:
    """Approved letters that failed to send or have made no progress for a while (staff may send them again)."""
    return (
        OutboxMessage.objects.filter(OutboxMessage.not_sent(timezone.now()))
        .select_related("application")
        .order_by("created_at", "pk")
    )
