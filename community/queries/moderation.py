"""Reads of forum moderation: the queue of flags and reports, suspensions and the log (moderators only)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from accounts.api import require
from community.models import Flag, ModerationLog, QuestionReport, Suspension


def require_moderator(viewer) -> None:
    require(viewer, "community.moderate")


def open_flags() -> QuerySet[Flag]:
    return (
        Flag.objects.filter(resolved_at__isnull=True)
        .select_related("reporter", "post", "post__topic", "post__author", "post__author__community_member")
        .order_by("created_at", "pk")
    )


def open_question_reports() -> QuerySet[QuestionReport]:
    return (
        QuestionReport.objects.filter(resolved_at__isnull=True)
        .select_related("reporter", "question")
        .order_by("created_at", "pk")
    )


def current_suspensions() -> QuerySet[Suspension]:
    return Suspension.objects.filter(lifted_at__isnull=True, ends_at__gt=timezone.now()).select_related(
        "user", "created_by"
    )


def moderation_log() -> QuerySet[ModerationLog]:
    return ModerationLog.objects.select_related("actor", "topic", "post", "target_user").order_by(
        "-at", "-pk"
    )
