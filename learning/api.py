"""The public interface of the learning domain. Other apps use these functions, never learning's models.

* ``completed_course_ids(user)`` / ``is_completed(user=, course=)`` — eligibility checks (calls).
* ``register_completion_listener(fn)`` — ``fn(*, user, course, completed_at)`` runs on commit, once,
  when a learner completes a course (credentials issue a certificate).
* ``register_course_listener(fn)`` — ``fn(*, course)`` runs on commit when a course is created in the
  admin or by ``import_course`` (community creates the course's forum category).
* ``published_courses()`` and ``course_by_slug(slug)`` (404 when missing or unpublished).

Register listeners from your ``AppConfig.ready()``; registering the same function twice has no effect.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from learning import services
from learning.models import Course, Enrolment


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


def register_completion_listener(fn: Callable) -> None:
    services.add_completion_listener(fn)


def register_course_listener(fn: Callable) -> None:
    services.add_course_listener(fn)


def published_courses() -> QuerySet[Course]:
    return Course.objects.filter(published=True).order_by("title", "pk")


def course_by_slug(slug: str) -> Course:
    return get_object_or_404(Course, slug=slug, published=True)


__all__ = [
    "Course",
    "completed_at",
    "completed_course_ids",
    "course_by_slug",
    "is_completed",
    "published_courses",
    "register_completion_listener",
    "register_course_listener",
]
