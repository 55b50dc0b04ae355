"""Internships: reads and access helpers (404 to outsiders); who is who: ``awards/rules/internships.py``."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.api import Organisation, is_programme_staff
from awards.models.internships import (
    EvaluationKind,
    InternCandidate,
    Internship,
    InternshipEvaluation,
    InternshipStatus,
    Position,
    PositionStatus,
)
from awards.rules.internships import host_org_ids, is_manager, manages_position, may_evaluate

__all__ = ["host_org_ids", "is_manager", "manages_position", "may_evaluate"]  # re-exported for the views


def host_organisations(viewer):
    return Organisation.objects.filter(pk__in=host_org_ids(viewer)).order_by("name_ka", "pk")


def _positions() -> QuerySet[Position]:
    return Position.objects.select_related("host", "supervisor").annotate(
        taken=Count("internships", filter=~Q(internships__status=InternshipStatus.DISCONTINUED))
    )


def published_positions(*, region: str = "") -> QuerySet[Position]:
    rows = _positions().filter(status=PositionStatus.PUBLISHED)
    if region:
        rows = rows.filter(region=region)
    return rows.order_by("-starts_on", "-pk")


def position_for(viewer, pk: int) -> Position:
    """A published placement for anyone; a draft or closed one for its host's managers and staff."""
    position = _positions().filter(pk=pk).prefetch_related("required_courses").first()
    if position is None:
        raise Http404
    if position.status == PositionStatus.PUBLISHED or manages_position(viewer, position):
        return position
    raise Http404


def position_to_manage(viewer, pk: int) -> Position:
    position = _positions().filter(pk=pk).prefetch_related("required_courses").first()
    if position is None or not manages_position(viewer, position):
        raise Http404
    return position


def positions_of_hosts(viewer) -> QuerySet[Position]:
    return _positions().filter(host_id__in=host_org_ids(viewer)).order_by("-starts_on", "-pk")


def all_positions() -> QuerySet[Position]:
    return _positions().order_by("-starts_on", "-pk")


def candidates_for(position: Position) -> QuerySet[InternCandidate]:
    """People of the placement's call whose internship offers were accepted and who are not placed yet."""
    if position.call_id is None:
        return InternCandidate.objects.none()
    return (
        InternCandidate.objects.filter(call_id=position.call_id, internship__isnull=True)
        .select_related("person", "application")
        .order_by("ready_at", "pk")
    )


def candidate_for(position: Position, pk: int) -> InternCandidate:
    candidate = candidates_for(position).filter(pk=pk).first()
    if candidate is None:
        raise Http404
    return candidate


def _internships() -> QuerySet[Internship]:
    return Internship.objects.select_related("position__host", "intern", "supervisor")


def internship_for(viewer, pk: int) -> Internship:
    """The intern, the supervisor, the host's managers and staff see an internship; everyone else gets 404."""
    if not viewer.is_authenticated:
        raise Http404
    internship = (
        _internships()
        .select_related("reflection")
        .filter(pk=pk)
        .prefetch_related(
            Prefetch("evaluations", queryset=InternshipEvaluation.objects.order_by("submitted_at", "pk")),
        )
        .first()
    )
    if internship is None:
        raise Http404
    if viewer.pk in (internship.intern_id, internship.supervisor_id):
        return internship
    if is_programme_staff(viewer) or internship.position.host_id in host_org_ids(viewer):
        return internship
    raise Http404


def internships_of_position(position: Position) -> QuerySet[Internship]:
    return _internships().filter(position=position).order_by("selected_at", "pk")


def my_internships(viewer) -> QuerySet[Internship]:
    """As intern or as supervisor."""
    return (
        _internships()
        .filter(Q(intern_id=viewer.pk) | Q(supervisor_id=viewer.pk))
        .annotate(evaluation_count=Count("evaluations"))
        .order_by("-starts_on", "-pk")
    )


def all_internships() -> QuerySet[Internship]:
    return _internships().annotate(evaluation_count=Count("evaluations")).order_by("-starts_on", "-pk")


def evaluation_of(internship: Internship, kind: str) -> InternshipEvaluation | None:
    for evaluation in internship.evaluations.all():
        if evaluation.kind == kind:
            return evaluation
    return None


EVALUATION_KINDS = (EvaluationKind.MIDTERM, EvaluationKind.FINAL)
