"""The public interface of the learning domain. Other apps use these functions, never learning's models.

* ``completed_course_ids(user)`` / ``is_completed(user=, course=)`` — eligibility checks (calls).
* ``register_completion_listener(fn)`` — ``fn(*, user, course, completed_at)`` runs on commit, once,
  when a learner completes a course (credentials issue a certificate).
* ``register_course_listener(fn)`` — ``fn(*, course)`` runs on commit when a course is created in the
  admin or by ``import_course`` (community creates the course's forum category).
* ``published_courses()`` and ``course_by_slug(slug)`` (404 when missing or unpublished).
* ``work_items`` / ``header_entries`` — what waits for a person here ("my work") and the header links their roles
  open.
* ``api_courses()``, ``course_outline``, ``my_learning`` — reads for the REST API (published courses with their
  topics, a course's outline, a person's learning).
* ``enrolment_figures()`` — aggregates only (no person's data) for the indicators dashboard.

Register listeners from your ``AppConfig.ready()``; registering the same function twice has no effect.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404

from learning import services
from learning.models import Course, Enrolment
from learning.queries import course_outline, my_learning
from learning.work import header_entries, work_items


def completed_course_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Enrolment.objects.filter(user=user, completed_at__isnull=False).values_list("course_id", flat=True)
    )


def is_completed(*, user, course) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    course_id = course.pk if hasattr(course, "pk") else int(course)
    return Enrolment.objects.filter(user=user, course_id=course_id, completed_at__isnull=False).exists()


def completed_at(*, user, course):
    """When ``user`` completed ``course`` (aware datetime) or None."""
    course_id = course.pk if hasattr(course, "pk") else int(course)
    return (
        Enrolment.objects.filter(user=user, course_id=course_id, completed_at__isnull=False)
        .values_list("completed_at", flat=True)
        .first()
    )


def completions_among(*, user_ids, course_ids) -> set[tuple[int, int]]:
    """The (user id, course id) pairs completed among these people and courses: one query whatever the sizes."""
    if not user_ids or not course_ids:
        return set()
    return set(
        Enrolment.objects.filter(
            user_id__in=user_ids, course_id__in=course_ids, completed_at__isnull=False
        ).values_list("user_id", "course_id")
    )


def register_completion_listener(fn: Callable) -> None:
    services.add_completion_listener(fn)


def register_course_listener(fn: Callable) -> None:
    services.add_course_listener(fn)


def published_courses() -> QuerySet[Course]:
    return Course.objects.filter(published=True).order_by("title", "pk")


def course_by_slug(slug: str) -> Course:
    return get_object_or_404(Course, slug=slug, published=True)


def api_courses() -> QuerySet[Course]:
    """Published courses with their topics (one query for the page, one for the topics), stable order."""
    return published_courses().prefetch_related("topics")


def enrolment_figures() -> list[dict]:
    """Enrolments per course, month enrolled, the learner's region and gender, with how many completed. One query."""
    return [
        dict(row)
        for row in Enrolment.objects.annotate(month=TruncMonth("enrolled_at"))
        .values("course_id", "course__title", "month", "user__region", "user__gender")
        .annotate(n=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by()
    ]


__all__ = [
    "Course",
    "api_courses",
    "completed_at",
    "completed_course_ids",
    "completions_among",
    "course_by_slug",
    "course_outline",
    "enrolment_figures",
    "header_entries",
    "is_completed",
    "my_learning",
    "published_courses",
    "register_completion_listener",
    "register_course_listener",
    "work_items",
]
