"""Reads of the practitioner network: the directory, questions and the published Q&A library."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.api import as_viewer, require
from community import rules
from community.models import Block, Practitioner, Question, QuestionStatus, unpack
from core.api import filter_prefix


def directory(
    *, expertise: str = "", region: str = "", language: str = "", query: str = ""
) -> QuerySet[Practitioner]:
    qs = Practitioner.objects.filter(is_listed=True, user__is_active=True).select_related(
        "user", "user__community_member"
    )
    if expertise:
        qs = qs.filter(expertise__contains=f",{expertise},")
    if region:
        qs = qs.filter(regions__contains=f",{region},")
    if language:
        qs = qs.filter(languages__contains=f",{language},")
    for word in query.split()[:5]:
        qs = qs.filter(
            Q(user__full_name_ka__icontains=word)
            | Q(user__full_name_latin__icontains=word)
            | Q(bio__icontains=word)
        )
    return qs.order_by("-accepting_questions", "user__full_name_ka", "pk")


def practitioner_by_pk(pk: int) -> Practitioner:
    return get_object_or_404(
        Practitioner.objects.select_related("user", "user__community_member"),
        pk=pk,
        is_listed=True,
        user__is_active=True,
    )


def practitioner_of(viewer) -> Practitioner | None:
    """The viewer's own practitioner profile, or None."""
    return rules.practitioner_of(viewer)


def question_for_user(viewer, pk: int) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("asker", "practitioner", "practitioner__user"), pk=pk
    )
    require(viewer, "community.view_question", question)
    return question


def questions_asked_by(viewer) -> QuerySet[Question]:
    return (
        Question.objects.filter(asker_id=as_viewer(viewer).pk)
        .select_related("practitioner__user")
        .order_by("-created_at", "-pk")
    )


def questions_for_practitioner(practitioner: Practitioner) -> QuerySet[Question]:
    """Questions to this practitioner, and open pool questions in their areas that nobody has taken yet."""
    areas = unpack(practitioner.expertise)
    blocked = Block.objects.filter(blocker_id=practitioner.user_id).values("blocked_id")
    return (
        Question.objects.filter(
            Q(practitioner=practitioner)
            | Q(to_pool=True, practitioner__isnull=True, status=QuestionStatus.OPEN, area__in=areas)
        )
        .exclude(Q(practitioner__isnull=True) & Q(asker_id__in=blocked))
        .exclude(asker_id=practitioner.user_id)
        .select_related("asker", "practitioner__user")
        .order_by("-created_at", "-pk")
    )


def has_blocked(*, viewer, person) -> bool:
    """Whether the viewer has blocked ``person``."""
    return Block.objects.filter(blocker_id=as_viewer(viewer).pk, blocked=person).exists()


def blocked_by(viewer) -> QuerySet[Block]:
    return Block.objects.filter(blocker_id=as_viewer(viewer).pk).select_related("blocked")


def published_questions(query: str = "") -> QuerySet[Question]:
    qs = Question.objects.filter(published_at__isnull=False, status=QuestionStatus.ANSWERED).select_related(
        "practitioner__user"
    )
    if query:
        qs = filter_prefix(qs, query)
    return qs.order_by("-published_at", "-pk")


def published_question(pk: int) -> Question:
    return get_object_or_404(published_questions().select_related("asker"), pk=pk)
