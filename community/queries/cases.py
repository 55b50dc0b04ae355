"""Reads of the case library."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.api import as_viewer, require
from community.models import Case, CaseStatus
from core.api import filter_prefix


def published_cases(*, mechanism: str = "", region: str = "", query: str = "") -> QuerySet[Case]:
    qs = Case.objects.filter(status=CaseStatus.PUBLISHED)
    if mechanism:
        qs = qs.filter(mechanism=mechanism)
    if region:
        qs = qs.filter(region=region)
    if query:
        qs = filter_prefix(qs, query)
    return qs.order_by("-year", "-published_at", "-pk")


def cases_waiting_for_review() -> QuerySet[Case]:
    return (
        Case.objects.filter(status=CaseStatus.SUBMITTED).select_related("author").order_by("created_at", "pk")
    )


def cases_by(viewer) -> QuerySet[Case]:
    return (
        Case.objects.filter(author_id=as_viewer(viewer).pk)
        .exclude(status=CaseStatus.PUBLISHED)
        .order_by("-created_at", "-pk")
    )


def case_for_user(viewer, slug: str) -> Case:
    case = get_object_or_404(Case.objects.select_related("author", "topic"), slug=slug)
    require(viewer, "community.view_case.view_public", case)
    return case


def case_for_editor(viewer, slug: str) -> Case:
    case = case_for_user(viewer, slug)
    require(viewer, "community.edit_case", case)
    return case
