"""Reads of the calls domain and the access helpers every view loads objects through (404 for outsiders)."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

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
    application = Application.objects.select_related("call", "organisation", "applicant").filter(pk=pk).first()
    if application is None:
        raise Http404
    require(user, "calls.view_application", application)
    return application


def application_for_staff(user, pk: int) -> Application:
    application = Application.objects.select_related("call", "organisation", "applicant").filter(pk=pk).first()
    if application is None:
        raise Http404
    require(user, "calls.manage", application)
    return application


def assignment_for_reviewer(user, pk: int) -> Assignment:
    assignment = (Assignment.objects.select_related("application__call", "review").filter(pk=pk).first())
    if assignment is None:
        raise Http404
    require(user, "calls.review", assignment)
    return assignment


def attachment_for_user(user, application_pk: int, pk: int) -> Attachment:
    attachment = Attachment.objects.select_related("application").filter(pk=pk, application_id=application_pk).first()
    if attachment is None:
        raise Http404
    require(user, "calls.download_attachment", attachment)
    return attachment


def application_of(user, call: Call) -> Application | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Application.objects.filter(call=call, applicant=user).first()


def my_applications(user) -> QuerySet[Application]:
    return (Application.objects.filter(applicant=user).select_related("call", "organisation")
            .prefetch_related(Prefetch("info_requests"))
            .order_by("-created_at", "pk"))


def form_fields(call: Call) -> list:
    return list(call.fields.all())


def history(application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("actor").order_by("at", "pk")


def staff_applications(call: Call, *, status: str = "", sort: str = "score") -> QuerySet[Application]:
    """The staff list / ranking table: sorted on stored score columns, so a page costs a fixed number of queries."""
    queryset = Application.objects.filter(call=call).exclude(status=Status.DRAFT)
    if status in Status.values:
        queryset = queryset.filter(status=status)
    return queryset.select_related("applicant", "organisation").order_by(*SORTS.get(sort, SORTS["score"]))


def reviewer_assignments(user) -> QuerySet[Assignment]:
    return (Assignment.objects.filter(reviewer=user).exclude(conflict=Conflict.CONFLICT)
            .select_related("application__call", "review")
            .order_by(F("review__submitted_at").asc(nulls_first=True), "-assigned_at", "pk"))


def reviews_of(application: Application) -> QuerySet[Review]:
    return (Review.objects.filter(assignment__application=application).exclude(assignment__conflict=Conflict.CONFLICT)
            .select_related("assignment__reviewer").order_by("pk"))


def outbox(status: str = OutboxStatus.PENDING) -> QuerySet[OutboxMessage]:
    return (OutboxMessage.objects.filter(status=status).select_related("application__call")
            .order_by("created_at", "pk"))
