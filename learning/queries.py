"""Reads of the learning domain and the access helpers views load objects through (404 for outsiders).

Access helpers take the viewer (``request.viewer``): permission rules and the person's own rows read it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.safestring import SafeString

from accounts.api import require
from core.api import filter_prefix, render_markdown
from learning.models import (
    Attachment,
    Course,
    Enrolment,
    Lesson,
    LessonKind,
    LessonProgress,
    Module,
    QuizAttempt,
    Topic,
)

# How long a lesson's rendered text and the outline fragment (``learning/_outline.html``) are kept. Their keys
# carry the course's ``outline_version``, which every save or delete of one of its modules, lessons or
# attachments moves forward (``learning.signals``), so a changed course is never served from an old entry; this
# is only housekeeping.
OUTLINE_CACHE_SECONDS = 24 * 60 * 60


def catalogue_courses(
    *, q: str = "", topic: str = "", language: str = "", level: str = ""
) -> QuerySet[Course]:
    """Published courses by title (an index on ``published, title, id`` serves the sort and each page)."""
    courses = Course.objects.filter(published=True)
    if q:
        courses = filter_prefix(courses, q)
    if topic:
        courses = courses.filter(topics__slug=topic)
    if language:
        courses = courses.filter(language=language)
    if level:
        courses = courses.filter(level=level)
    return courses.prefetch_related("topics").order_by("title", "pk")


def topics_in_use() -> QuerySet[Topic]:
    """Topics of at least one published course (each topic asks "is there one?", however many courses)."""
    published = Course.topics.through.objects.filter(topic_id=OuterRef("pk"), course__published=True)
    return Topic.objects.filter(Exists(published)).order_by("name")


def course_for_user(viewer, slug: str) -> Course:
    """A course the viewer may see (published, or any course for programme staff), else 404; its topics (by
    name) and prerequisite courses (by title) come with it."""
    prerequisites = Prefetch("prerequisites", queryset=Course.objects.only("pk", "title", "slug"))
    course = Course.objects.prefetch_related("topics", prerequisites).filter(slug=slug).first()
    if course is None:
        raise Http404
    require(viewer, "learning.view_public", course)
    return course


def lesson_for_user(viewer, course_slug: str, lesson_slug: str) -> Lesson:
    lesson = (
        Lesson.objects.select_related("course", "module")
        .filter(course__slug=course_slug, slug=lesson_slug)
        .order_by("pk")
        .first()
    )
    if lesson is None:
        raise Http404
    require(viewer, "learning.view_public", lesson.course)
    return lesson


def attempt_for_user(viewer, lesson: Lesson, number: int) -> QuizAttempt:
    attempt = QuizAttempt.objects.filter(lesson=lesson, user_id=viewer.pk, number=number).first()
    if attempt is None:
        raise Http404
    require(viewer, "learning.view_attempt", attempt)
    attempt.lesson = lesson
    return attempt


def enrolment_of(viewer, course: Course) -> Enrolment | None:
    """The viewer's enrolment in the course, if any (one a learner and course, by a unique constraint)."""
    if not viewer.is_authenticated:
        return None
    return Enrolment.objects.filter(user_id=viewer.pk, course=course).first()


def _with_done(lessons: QuerySet[Lesson], user_id: int) -> QuerySet[Lesson]:
    """Annotate ``read`` (marked complete) and ``passed`` (a quiz passed) for the person ``user_id``."""
    return lessons.annotate(
        read=Exists(LessonProgress.objects.filter(user_id=user_id, lesson=OuterRef("pk"))),
        passed=Exists(QuizAttempt.objects.filter(user_id=user_id, lesson=OuterRef("pk"), passed=True)),
    )


def _outline_lessons(course_ids: list[int], user_id: int | None) -> QuerySet[Lesson]:
    """The courses' lessons in outline order with the module's title and the person's ticks: one query."""
    lessons = (
        Lesson.objects.filter(course_id__in=course_ids)
        .select_related("module")
        .only(
            "pk", "course", "module", "title", "slug", "kind", "required", "module__title", "module__position"
        )
    )
    if user_id is not None:
        lessons = _with_done(lessons, user_id)
    return lessons.order_by("course_id", "module__position", "module_id", "position", "pk")


def _is_done(lesson: Lesson) -> bool:
    if lesson.kind == LessonKind.QUIZ:
        return bool(getattr(lesson, "passed", False))
    return bool(getattr(lesson, "read", False))


@dataclass(slots=True)
class OutlineItem:
    """One lesson in a course outline: what the outline, the lesson navigation and "continue" links need."""

    pk: int
    title: str
    slug: str
    kind: str
    required: bool
    module_id: int
    done: bool
    course_slug: str

    def get_absolute_url(self) -> str:
        return reverse("learning:lesson", args=[self.course_slug, self.slug])

    @property
    def counted(self) -> bool:
        """Whether the lesson counts towards completion (required reading, or a quiz)."""
        return self.required or self.kind == LessonKind.QUIZ


@dataclass(slots=True)
class OutlineModule:
    pk: int
    title: str
    outline_lessons: list[OutlineItem] = field(default_factory=list)


@dataclass
class Outline:
    modules: list[OutlineModule]
    lessons: list[OutlineItem]
    done: int = 0
    total: int = 0
    next_lesson: OutlineItem | None = None
    # What the outline fragment's cache key needs beyond the course: whose ticks it shows and which they are
    # ("" for an outline without ticks, the same for everyone).
    ticks: str = ""

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 0

    def item(self, pk: int | None) -> OutlineItem | None:
        return next((item for item in self.lessons if item.pk == pk), None) if pk else None

    def neighbours(self, lesson) -> tuple[OutlineItem | None, OutlineItem | None]:
        ids = [item.pk for item in self.lessons]
        i = ids.index(lesson.pk)
        return (
            self.lessons[i - 1] if i > 0 else None,
            self.lessons[i + 1] if i + 1 < len(self.lessons) else None,
        )


# One lesson of an outline as plain values: pk, title, slug, kind, required, module id, module title.
OutlineRow = tuple[int, str, str, str, bool, int, str]


def _rows_of(lessons) -> list[OutlineRow]:
    return [(le.pk, le.title, le.slug, le.kind, le.required, le.module_id, le.module.title) for le in lessons]


def _outline(course: Course, rows: list[OutlineRow], done_ids: set[int], user_id: int | None) -> Outline:
    items: list[OutlineItem] = []
    modules: list[OutlineModule] = []
    for pk, title, slug, kind, required, module_id, module_title in rows:
        item = OutlineItem(
            pk=pk,
            title=title,
            slug=slug,
            kind=kind,
            required=required,
            module_id=module_id,
            done=pk in done_ids,
            course_slug=course.slug,
        )
        items.append(item)
        if not modules or modules[-1].pk != module_id:
            modules.append(OutlineModule(pk=module_id, title=module_title))
        modules[-1].outline_lessons.append(item)
    ticked = [item.pk for item in items if item.done]
    return Outline(
        modules=modules,
        lessons=items,
        done=sum(item.done for item in items if item.counted),
        total=sum(item.counted for item in items),
        next_lesson=next((item for item in items if not item.done), None),
        ticks=f"{user_id}:{','.join(map(str, ticked))}" if ticked else "",
    )


def outline_rows(course: Course) -> list[OutlineRow]:
    """The course's lessons in outline order, the same for everyone: from the cache after the first view.

    The key carries the course's ``outline_version``, which any change to a module or lesson moves forward
    (``learning.signals``), so every process reads the new outline at once.
    """
    key = f"learning:outline-rows:{course.pk}:{course.outline_version}:{course.updated_at.isoformat()}"
    rows = cache.get(key)
    if rows is None:
        lessons = Lesson.objects.filter(course_id=course.pk).order_by(
            "module__position", "module_id", "position", "pk"
        )
        rows = list(
            lessons.values_list("pk", "title", "slug", "kind", "required", "module_id", "module__title")
        )
        cache.set(key, rows, OUTLINE_CACHE_SECONDS)
    return rows


def done_lesson_ids(course: Course, user_id: int) -> set[int]:
    """The lessons of the course the person has done: reading lessons marked complete, quizzes passed (one query)."""
    read = (
        LessonProgress.objects.filter(user_id=user_id, lesson__course_id=course.pk)
        .exclude(lesson__kind=LessonKind.QUIZ)
        .order_by()
        .values_list("lesson_id", flat=True)
    )
    passed = (
        QuizAttempt.objects.filter(
            user_id=user_id, lesson__course_id=course.pk, lesson__kind=LessonKind.QUIZ, passed=True
        )
        .order_by()
        .values_list("lesson_id", flat=True)
    )
    return set(read.union(passed))


def course_outline(course: Course, viewer) -> Outline:
    """Modules (those with lessons) and lessons in order, a tick for each lesson the viewer has done."""
    done = done_lesson_ids(course, viewer.pk) if viewer.is_authenticated else set()
    return _outline(course, outline_rows(course), done, viewer.pk)


@dataclass(frozen=True, slots=True)
class LessonContent:
    """What a lesson page shows of the lesson itself, the same for every learner."""

    body: SafeString
    transcript: SafeString
    attachments: list[Attachment]


def lesson_cache_key(lesson: Lesson) -> str:
    course = lesson.course
    return f"learning:lesson:{lesson.pk}:{course.outline_version}:{course.updated_at.isoformat()}"


def lesson_content(lesson: Lesson) -> LessonContent:
    """The lesson's Markdown rendered (and sanitised) and its attachments: from the cache after the first view.

    The key carries the course's ``outline_version``, which any save or delete of the lesson or of one of its
    attachments moves forward (``learning.signals``).
    """
    key = lesson_cache_key(lesson)
    content = cache.get(key)
    if content is None:
        content = LessonContent(
            body=render_markdown(lesson.body),
            transcript=render_markdown(lesson.transcript),
            attachments=list(lesson.attachments.all()) if not lesson.is_quiz else [],
        )
        cache.set(key, content, OUTLINE_CACHE_SECONDS)
    return content


def my_learning(viewer) -> tuple[list[Enrolment], list[Enrolment]]:
    """(in progress, completed) enrolments with ``percent`` and ``next_lesson`` (an ``OutlineItem``) set: two
    queries, whatever the number of courses."""
    enrolments = list(
        Enrolment.objects.filter(user_id=viewer.pk)
        .filter(Q(active=True) | Q(completed_at__isnull=False))
        .select_related("course", "last_lesson")
        .order_by("-enrolled_at", "-pk")
    )
    lessons_of: dict[int, list[Lesson]] = defaultdict(list)
    if enrolments:
        for lesson in _outline_lessons([e.course_id for e in enrolments], viewer.pk):
            lessons_of[lesson.course_id].append(lesson)
    for enrolment in enrolments:
        lessons = lessons_of[enrolment.course_id]
        done = {lesson.pk for lesson in lessons if _is_done(lesson)}
        outline = _outline(enrolment.course, _rows_of(lessons), done, viewer.pk)
        # A learner who has done every lesson is pointed at the last one.
        # Read by the "my learning" template beside the enrolment's own fields.
        enrolment.next_lesson = outline.next_lesson or (outline.lessons[-1] if outline.lessons else None)  # type: ignore[attr-defined]
        enrolment.percent = outline.percent  # type: ignore[attr-defined]
    in_progress = [e for e in enrolments if e.completed_at is None]
    completed = [e for e in enrolments if e.completed_at is not None]
    return in_progress, completed


@dataclass
class CourseReport:
    course: Course
    enrolled: int
    active: int
    completed: int
    quizzes: list[dict]
    regions: list[Any]

    @property
    def completion_rate(self) -> int:
        return self.completed * 100 // self.enrolled if self.enrolled else 0


def course_report(course: Course) -> CourseReport:
    """Enrolments, completion rate, average quiz scores (best attempt per learner), per-region counts."""
    totals = Enrolment.objects.filter(course=course).aggregate(
        enrolled=Count("pk"),
        active=Count("pk", filter=Q(active=True)),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
    )
    quizzes = []
    attempts = QuizAttempt.objects.filter(lesson__course=course).values(
        "lesson_id", "user_id", "score", "passed"
    )
    best: dict[int, dict[int, int]] = defaultdict(dict)
    passed: dict[int, set[int]] = defaultdict(set)
    counts: dict[int, int] = defaultdict(int)
    for row in attempts:
        per = best[row["lesson_id"]]
        per[row["user_id"]] = max(per.get(row["user_id"], 0), row["score"])
        counts[row["lesson_id"]] += 1
        if row["passed"]:
            passed[row["lesson_id"]].add(row["user_id"])
    for quiz in Lesson.objects.filter(course=course, kind=LessonKind.QUIZ).order_by(
        "module__position", "position", "pk"
    ):
        scores = list(best[quiz.pk].values())
        quizzes.append(
            {
                "lesson": quiz,
                "learners": len(scores),
                "attempts": counts[quiz.pk],
                "average": round(sum(scores) / len(scores)) if scores else None,
                "passed": len(passed[quiz.pk]),
            }
        )
    regions = list(
        Enrolment.objects.filter(course=course)
        .values("user__region")
        .annotate(enrolled=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by("user__region")
    )
    return CourseReport(course=course, quizzes=quizzes, regions=regions, **totals)


def course_for_report(viewer, slug: str) -> Course:
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        raise Http404
    require(viewer, "learning.view_report", course)
    return course


def offline_course(course: Course) -> list[Module]:
    """Every module with every lesson (and questions, without answers) for the offline download."""
    modules = list(Module.objects.filter(course=course).order_by("position", "pk"))
    lessons = (
        Lesson.objects.filter(course=course)
        .prefetch_related("attachments", "questions__choices")
        .order_by("module__position", "module_id", "position", "pk")
    )
    grouped: dict[int, list[Lesson]] = defaultdict(list)
    for lesson in lessons:
        grouped[lesson.module_id].append(lesson)
    for module in modules:
        module.outline_lessons = grouped.get(module.pk, [])  # type: ignore[attr-defined]  # read by the template
    return modules
