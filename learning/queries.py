"""Reads of the learning domain and the access helpers views load objects through (404 for outsiders)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.urls import reverse
from django.utils.safestring import SafeString

from accounts.permissions import require
from core.markdown import render_markdown
from core.rawjoin import Part, columns, select
from core.search import filter_prefix
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


def catalogue_courses(
    *, user, q: str = "", topic: str = "", language: str = "", level: str = ""
) -> QuerySet[Course]:
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
    return Topic.objects.filter(courses__published=True).distinct().order_by("name")


def course_for_user(user, slug: str, *, related: bool = True) -> Course:
    """A course the user may see (published, or any course for programme staff), else 404.

    ``related=False`` leaves out the prefetch of topics and prerequisites (the course page reads them with
    ``course_topics_and_prerequisites``).
    """
    courses = Course.objects.prefetch_related("topics", "prerequisites") if related else Course.objects.all()
    course = courses.filter(slug=slug).first()
    if course is None:
        raise Http404
    require(user, "learning.view_public", course)
    return course


def course_topics_and_prerequisites(course: Course) -> tuple[list[Topic], list[Course]]:
    """The course's topics (by name) and prerequisite courses (by title): one query.

    Plain SQL because the course page is among the most visited: two ORM prefetches cost it about 1 ms of CPU
    to build, this about a twentieth of that.
    """
    with connection.cursor() as cursor:
        cursor.execute(_TOPICS_AND_PREREQUISITES_SQL, [course.pk, course.pk])
        rows = cursor.fetchall()
    topics = [Topic(pk=pk, name=name, slug=slug) for kind, pk, name, slug in rows if kind == 0]
    prerequisites = [Course(pk=pk, title=title, slug=slug) for kind, pk, title, slug in rows if kind == 1]
    return topics, prerequisites


_TOPICS_AND_PREREQUISITES_SQL = f"""
    SELECT 0 AS kind, t.id AS id, t.name AS label, t.slug AS slug FROM {Topic._meta.db_table} t
      JOIN {Course.topics.through._meta.db_table} ct ON ct.topic_id = t.id
     WHERE ct.course_id = %s
    UNION ALL
    SELECT 1 AS kind, c.id AS id, c.title AS label, c.slug AS slug FROM {Course._meta.db_table} c
      JOIN {Course.prerequisites.through._meta.db_table} cp ON cp.to_course_id = c.id
     WHERE cp.from_course_id = %s
    ORDER BY kind, label, id
"""  # noqa: S608 - table names from the models, values as parameters


# The lesson page's lookup, written as SQL once (core.rawjoin): the ORM spent ~0.7 ms of CPU building this
# three-table select_related query on every lesson view (docs/performance.md).
_LESSON = Part.every_column(Lesson, "l")
_COURSE = Part.every_column(Course, "c")
_MODULE = Part.every_column(Module, "m")
_LESSON_SQL: dict[str, str] = {}


def lesson_for_user(user, course_slug: str, lesson_slug: str) -> Lesson:
    sql = _LESSON_SQL.get(connection.vendor)
    if sql is None:
        sql = _LESSON_SQL[connection.vendor] = (
            f"SELECT {columns(_LESSON, _COURSE, _MODULE)} FROM {Lesson._meta.db_table} l"  # noqa: S608 - table names from the models
            f" JOIN {Course._meta.db_table} c ON c.id = l.course_id JOIN {Module._meta.db_table} m ON m.id = l.module_id"
            f" WHERE c.slug = %s AND l.slug = %s ORDER BY l.id LIMIT 1"
        )
    rows = select(sql, [course_slug, lesson_slug], _LESSON, _COURSE, _MODULE)
    if not rows:
        raise Http404
    lesson, course, module = rows[0]
    lesson.course, lesson.module = course, module
    require(user, "learning.view_public", lesson.course)
    return lesson


def attempt_for_user(user, lesson: Lesson, number: int) -> QuizAttempt:
    attempt = QuizAttempt.objects.filter(lesson=lesson, user=user, number=number).first()
    if attempt is None:
        raise Http404
    require(user, "learning.view_attempt", attempt)
    attempt.lesson = lesson
    return attempt


def enrolment_of(user, course: Course) -> Enrolment | None:
    """The user's enrolment in the course, if any (one a learner and course, by a unique constraint).

    Hand-written (core.rawjoin): it runs on every lesson and course page, and the ORM spent ~0.4 ms of CPU
    building it.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    sql = _ENROLMENT_SQL.get(connection.vendor)
    if sql is None:
        sql = _ENROLMENT_SQL[connection.vendor] = (
            f"SELECT {columns(_ENROLMENT)} FROM {Enrolment._meta.db_table} e WHERE e.user_id = %s AND e.course_id = %s"  # noqa: S608 - table from the model
        )
    rows = select(sql, [user.pk, course.pk], _ENROLMENT)
    return rows[0][0] if rows else None


_ENROLMENT = Part.every_column(Enrolment, "e")
_ENROLMENT_SQL: dict[str, str] = {}


def _with_done(lessons: QuerySet[Lesson], user) -> QuerySet[Lesson]:
    """Annotate ``done``: a reading lesson marked complete, or a quiz passed, by ``user``."""
    if not getattr(user, "is_authenticated", False):
        return lessons.annotate(read=Value(False), passed=Value(False))
    return lessons.annotate(
        read=Exists(LessonProgress.objects.filter(user=user, lesson=OuterRef("pk"))),
        passed=Exists(QuizAttempt.objects.filter(user=user, lesson=OuterRef("pk"), passed=True)),
    )


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
    url: str


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
    by_module: dict[int, list[OutlineItem]] = field(default_factory=dict)

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


_SLUG_MARKER = "--outline-lesson--"

# How long the per-course part of an outline (modules, lesson titles and slugs) is kept. The cache key carries
# the course's ``updated_at``, which every save or delete of one of its modules or lessons moves forward
# (``learning.signals``), so a changed course is never served from an old entry; this is only housekeeping.
OUTLINE_CACHE_SECONDS = 24 * 60 * 60

# One row per lesson, in outline order: (pk, title, slug, kind, required, module_id, module title).
_OutlineRow = tuple[int, str, str, str, bool, int, str]


def outline_cache_key(course_id: int, updated_at) -> str:
    return f"learning:outline:{course_id}:{updated_at.isoformat() if updated_at else ''}"


def lesson_cache_key(lesson_id: int, updated_at) -> str:
    """For ``lesson_content``; ``updated_at`` is the course's."""
    return f"learning:lesson:{lesson_id}:{updated_at.isoformat() if updated_at else ''}"


def _outline_rows_and_done(course: Course, user) -> tuple[list[_OutlineRow], set[int]]:
    """The course's lessons in order and the ids of those ``user`` has done: always one query.

    The lesson rows are the same for every learner, so they come from the cache when they can; then the one
    query asks only for the learner's ticks. On a miss, one query reads rows and ticks together, as before.
    """
    key = outline_cache_key(course.pk, course.updated_at)
    rows = cache.get(key)
    if rows is None:
        quiz = LessonKind.QUIZ.value
        rows, done = [], set()
        for *row, read, passed in (
            _with_done(Lesson.objects.filter(course=course), user)
            .order_by("module__position", "module_id", "position", "pk")
            .values_list(
                "pk", "title", "slug", "kind", "required", "module_id", "module__title", "read", "passed"
            )
        ):
            rows.append(tuple(row))
            if passed if row[3] == quiz else read:
                done.add(row[0])
        cache.set(key, rows, OUTLINE_CACHE_SECONDS)
        return rows, done
    if not getattr(user, "is_authenticated", False):
        return rows, set()
    return rows, _done_lesson_ids([course.pk], user, rows)


def _done_lesson_ids(course_ids: list[int], user, rows: list[_OutlineRow]) -> set[int]:
    """Lessons among ``rows`` (of the courses ``course_ids``) done by ``user``: reading lessons marked
    complete, quizzes passed (one query).

    Written as SQL because it runs on every lesson page and building the same UNION through the ORM cost more
    CPU than everything else in the outline together; the statement is plain enough for SQLite and PostgreSQL.
    """
    marks = ", ".join(["%s"] * len(course_ids))
    with connection.cursor() as cursor:
        cursor.execute(_DONE_SQL.format(courses=marks), [user.pk, *course_ids, user.pk, *course_ids])
        found = cursor.fetchall()
    reading = {lesson_id for lesson_id, quiz_passed in found if not quiz_passed}
    quizzes = {lesson_id for lesson_id, quiz_passed in found if quiz_passed}
    quiz = LessonKind.QUIZ.value
    return {pk for pk, _title, _slug, kind, *_rest in rows if pk in (quizzes if kind == quiz else reading)}


_DONE_SQL = f"""
    SELECT p.lesson_id, 0 FROM {LessonProgress._meta.db_table} p
      JOIN {Lesson._meta.db_table} l ON l.id = p.lesson_id
     WHERE p.user_id = %s AND l.course_id IN ({{courses}})
    UNION
    SELECT a.lesson_id, 1 FROM {QuizAttempt._meta.db_table} a
      JOIN {Lesson._meta.db_table} l ON l.id = a.lesson_id
     WHERE a.user_id = %s AND l.course_id IN ({{courses}}) AND a.passed
"""  # noqa: S608 - table names from the models, values as parameters


def course_outline(course: Course, user) -> Outline:
    """Modules (those with lessons) and lessons in order, a tick for each lesson done: one query.

    Rows come as plain tuples (no model instances), the per-course part from the cache (see
    ``_outline_rows_and_done``), and each lesson's address is built from one reversed URL, because the outline
    is on every lesson and course page.
    """
    rows, done_ids = _outline_rows_and_done(course, user)
    prefix, suffix = reverse("learning:lesson", args=[course.slug, _SLUG_MARKER]).rsplit(_SLUG_MARKER, 1)
    quiz = LessonKind.QUIZ.value
    lessons: list[OutlineItem] = []
    modules: list[OutlineModule] = []
    by_module: dict[int, list[OutlineItem]] = {}
    done = total = 0
    next_lesson = None
    for pk, title, slug, kind, required, module_id, module_title in rows:
        item = OutlineItem(
            pk=pk,
            title=title,
            slug=slug,
            kind=kind,
            required=required,
            module_id=module_id,
            done=pk in done_ids,
            url=f"{prefix}{slug}{suffix}",
        )
        lessons.append(item)
        group = by_module.get(module_id)
        if group is None:
            module = OutlineModule(pk=module_id, title=module_title)
            modules.append(module)
            group = by_module[module_id] = module.outline_lessons
        group.append(item)
        if required or kind == quiz:
            total += 1
            done += item.done
        if next_lesson is None and not item.done:
            next_lesson = item
    return Outline(
        modules=modules, lessons=lessons, done=done, total=total, next_lesson=next_lesson, by_module=by_module
    )


@dataclass(frozen=True, slots=True)
class LessonContent:
    """What a lesson page shows of the lesson itself, the same for every learner."""

    body: SafeString
    transcript: SafeString
    attachments: list[Attachment]


def lesson_content(lesson: Lesson) -> LessonContent:
    """The lesson's Markdown rendered (and sanitised) and its attachments: from the cache after the first view.

    The key carries the course's ``updated_at``, which any save or delete of the lesson or of one of its
    attachments moves forward (``learning.signals``).
    """
    key = lesson_cache_key(lesson.pk, lesson.course.updated_at)
    content = cache.get(key)
    if content is None:
        content = LessonContent(
            body=render_markdown(lesson.body),
            transcript=render_markdown(lesson.transcript),
            attachments=list(lesson.attachments.all()) if not lesson.is_quiz else [],
        )
        cache.set(key, content, OUTLINE_CACHE_SECONDS)
    return content


def my_learning(user) -> tuple[list[Enrolment], list[Enrolment]]:
    """(in progress, completed) enrolments with ``percent`` and ``next_lesson`` (an ``OutlineItem``) set: two
    queries, whatever the number of courses.

    The lessons of each course come from the outline cache (``_outline_rows_and_done``), the ticks from one query
    for all courses; if any course is missing from the cache, one query reads lessons and ticks of all of them.
    """
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .filter(Q(active=True) | Q(completed_at__isnull=False))
        .select_related("course", "last_lesson")
        .order_by("-enrolled_at", "-pk")
    )
    courses = {enrolment.course_id: enrolment.course for enrolment in enrolments}
    keys = {outline_cache_key(course.pk, course.updated_at): course.pk for course in courses.values()}
    rows_by_course = {keys[key]: rows for key, rows in cache.get_many(list(keys)).items()} if keys else {}
    if len(rows_by_course) < len(courses):
        rows_by_course, done_ids = _outline_rows_of_courses(list(courses.values()), user)
    elif courses:
        done_ids = _done_lesson_ids(
            list(courses), user, [row for rows in rows_by_course.values() for row in rows]
        )
    quiz = LessonKind.QUIZ.value
    for enrolment in enrolments:
        course = enrolment.course
        prefix, suffix = reverse("learning:lesson", args=[course.slug, _SLUG_MARKER]).rsplit(_SLUG_MARKER, 1)
        rows = rows_by_course.get(course.pk, [])
        counted = done = 0
        enrolment.next_lesson = None
        for pk, title, slug, kind, required, module_id, _module_title in rows:
            if required or kind == quiz:
                counted += 1
                done += pk in done_ids
            if enrolment.next_lesson is None and pk not in done_ids:
                enrolment.next_lesson = OutlineItem(
                    pk=pk,
                    title=title,
                    slug=slug,
                    kind=kind,
                    required=required,
                    module_id=module_id,
                    done=False,
                    url=f"{prefix}{slug}{suffix}",
                )
        if enrolment.next_lesson is None and rows:
            pk, title, slug, kind, required, module_id, _module_title = rows[-1]
            enrolment.next_lesson = OutlineItem(
                pk=pk,
                title=title,
                slug=slug,
                kind=kind,
                required=required,
                module_id=module_id,
                done=True,
                url=f"{prefix}{slug}{suffix}",
            )
        enrolment.percent = done * 100 // counted if counted else 0
    in_progress = [e for e in enrolments if e.completed_at is None]
    completed = [e for e in enrolments if e.completed_at is not None]
    return in_progress, completed


def _outline_rows_of_courses(courses: list[Course], user) -> tuple[dict[int, list[_OutlineRow]], set[int]]:
    """Outline rows of several courses and the user's ticks in them, in one query; caches each course's rows."""
    quiz = LessonKind.QUIZ.value
    rows_by_course: dict[int, list[_OutlineRow]] = {course.pk: [] for course in courses}
    done: set[int] = set()
    for course_id, *row, read, passed in (
        _with_done(Lesson.objects.filter(course_id__in=list(rows_by_course)), user)
        .order_by("course_id", "module__position", "module_id", "position", "pk")
        .values_list(
            "course_id",
            "pk",
            "title",
            "slug",
            "kind",
            "required",
            "module_id",
            "module__title",
            "read",
            "passed",
        )
    ):
        rows_by_course[course_id].append(tuple(row))
        if passed if row[3] == quiz else read:
            done.add(row[0])
    cache.set_many(
        {outline_cache_key(course.pk, course.updated_at): rows_by_course[course.pk] for course in courses},
        OUTLINE_CACHE_SECONDS,
    )
    return rows_by_course, done


@dataclass
class CourseReport:
    course: Course
    enrolled: int
    active: int
    completed: int
    quizzes: list[dict]
    regions: list[dict]

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


def course_for_report(user, slug: str) -> Course:
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        raise Http404
    require(user, "learning.view_report", course)
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
        module.outline_lessons = grouped.get(module.pk, [])
    return modules
