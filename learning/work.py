"""What waits in the learning domain for a person ("my work", the workspace app), and the header links it opens.

* learners: the courses they are taking, each with its progress and a link to the next lesson, and a link to all
  their courses (two queries, whatever the number of courses: ``queries.my_learning``);
* programme staff: the courses not published yet (their pages are visible to staff only), one query.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.api import is_programme_staff
from core.api import HeaderEntry, WorkItem
from learning import queries
from learning.models import Course

MAX_ROWS = 25


def _learner_items(viewer) -> list[WorkItem]:
    in_progress, completed = queries.my_learning(viewer)
    if not in_progress and not completed:
        return []
    section = _("My courses")
    items = []
    for enrolment in in_progress[:MAX_ROWS]:
        course = enrolment.course
        next_lesson = enrolment.next_lesson  # type: ignore[attr-defined]
        url = (
            reverse("learning:lesson", args=[course.slug, next_lesson.slug])
            if next_lesson is not None
            else reverse("learning:course_detail", args=[course.slug])
        )
        items.append(
            WorkItem(
                section=section,
                label=_("%(course)s (done: %(percent)s%%)")
                % {"course": course.title, "percent": enrolment.percent},  # type: ignore[attr-defined]
                url=url,
            )
        )
    items.append(
        WorkItem(
            section=section,
            label=_("All my courses"),
            url=reverse("learning:my_learning"),
            count=len(in_progress),
        )
    )
    return items


def _staff_items(viewer) -> list[WorkItem]:
    section = _("Courses not published")
    courses = (
        Course.objects.filter(published=False).only("pk", "slug", "title").order_by("title", "pk")[:MAX_ROWS]
    )
    return [
        WorkItem(
            section=section, label=course.title, url=reverse("learning:course_detail", args=[course.slug])
        )
        for course in courses
    ]


def work_items(viewer) -> list[WorkItem]:
    if not viewer.is_authenticated:
        return []
    items = _learner_items(viewer)
    if is_programme_staff(viewer):
        items += _staff_items(viewer)
    return items


def header_entries(viewer) -> list[HeaderEntry]:
    """Learning opens no header entry beyond the main menu's "Courses"."""
    return []
