"""Courses, modules, lessons, enrolments with progress (completion only when every required lesson is done)."""

from __future__ import annotations

from datetime import timedelta

from benchmarks.datagen import GEN_SLUG_PREFIX, Scale
from benchmarks.datagen.text import COURSE_SUBJECTS, markdown_body, paragraph, past, sentence, words
from core.api import normalise

BATCH = 2000
LEVELS = ["beginner", "intermediate", "advanced"]


def delete() -> None:
    from learning.api import Course

    Course.objects.filter(slug__startswith=GEN_SLUG_PREFIX).delete()


def generate(scale: Scale, rng, stdout, *, user_ids: list[int], **_) -> dict:
    from learning.api import Course
    from learning.models import Enrolment, Lesson, LessonKind, LessonProgress, Module

    courses = []
    for i in range(scale.courses):
        title = f"{rng.choice(COURSE_SUBJECTS)} — {words(rng, 2)} {i + 1}"
        summary = paragraph(rng, 2)[:600]
        courses.append(
            Course(
                slug=f"{GEN_SLUG_PREFIX}course-{i:04d}",
                title=title,
                summary=summary,
                description=markdown_body(rng, 3),
                language="ka" if rng.random() < 0.85 else "en",
                level=rng.choice(LEVELS),
                estimated_hours=rng.randint(2, 30),
                instructors="ნინო ბერიძე, გიორგი კაპანაძე",
                published=rng.random() < 0.9,
                search_text=normalise(title, summary),
                created_at=past(rng, 700),
            )
        )
    Course.objects.bulk_create(courses, batch_size=BATCH)
    course_ids = list(
        Course.objects.filter(slug__startswith=GEN_SLUG_PREFIX).order_by("slug").values_list("pk", flat=True)
    )

    # Lessons are spread evenly: every course gets lessons // courses, in modules of five.
    per_course = max(scale.lessons // len(course_ids), 5)
    modules = []
    for course_id in course_ids:
        for m in range((per_course + 4) // 5):
            modules.append(Module(course_id=course_id, title=f"მოდული {m + 1}: {words(rng, 3)}", position=m))
    Module.objects.bulk_create(modules, batch_size=BATCH)
    module_rows = list(
        Module.objects.filter(course_id__in=course_ids)
        .order_by("course_id", "position")
        .values_list("pk", "course_id")
    )
    modules_by_course: dict[int, list[int]] = {}
    for module_id, course_id in module_rows:
        modules_by_course.setdefault(course_id, []).append(module_id)

    lessons = []
    for course_id in course_ids:
        for n in range(per_course):
            module_id = modules_by_course[course_id][n // 5]
            is_quiz = n % 5 == 4
            lessons.append(
                Lesson(
                    course_id=course_id,
                    module_id=module_id,
                    title=sentence(rng, 3, 6).rstrip("."),
                    slug=f"lesson-{n + 1:03d}",
                    kind=LessonKind.QUIZ if is_quiz else LessonKind.TEXT,
                    position=n % 5,
                    body="" if is_quiz else markdown_body(rng, 5),
                    required=not is_quiz,
                )
            )
    Lesson.objects.bulk_create(lessons, batch_size=BATCH)
    lesson_rows = list(
        Lesson.objects.filter(course_id__in=course_ids)
        .order_by("course_id", "module__position", "position")
        .values_list("pk", "course_id", "required", "kind")
    )
    lessons_by_course: dict[int, list[tuple[int, bool]]] = {}
    for lesson_id, course_id, required, kind in lesson_rows:
        # Quizzes count as done only through a passed attempt, so generated progress covers text lessons only
        # and completion is granted only for courses whose required lessons are all text lessons done.
        lessons_by_course.setdefault(course_id, []).append((lesson_id, required, kind))

    # Enrolments: distinct (user, course) pairs, drawn reproducibly.
    target = min(scale.enrolments, len(user_ids) * len(course_ids))
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < target:
        pairs.add((rng.choice(user_ids), rng.choice(course_ids)))
    enrolments = []
    progress = []
    for user_id, course_id in sorted(pairs):
        course_lessons = lessons_by_course[course_id]
        enrolled_at = past(rng, 500)
        text_lessons = [lid for lid, _required, kind in course_lessons if kind == "text"]
        done = rng.randint(0, min(6, len(text_lessons)))
        completed_at = None
        required_quiz = any(required and kind == "quiz" for _lid, required, kind in course_lessons)
        if rng.random() < 0.03 and not required_quiz:
            done = len(text_lessons)
            completed_at = enrolled_at + timedelta(days=rng.randint(5, 60))
        for k, lesson_id in enumerate(text_lessons[:done]):
            progress.append(
                LessonProgress(
                    user_id=user_id, lesson_id=lesson_id, completed_at=enrolled_at + timedelta(hours=k + 1)
                )
            )
        enrolments.append(
            Enrolment(
                user_id=user_id,
                course_id=course_id,
                enrolled_at=enrolled_at,
                completed_at=completed_at,
                last_lesson_id=text_lessons[done - 1] if done else None,
            )
        )
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    _questions(rng, [lid for lid, _c, _r, kind in lesson_rows if kind == "quiz"])
    LessonProgress.objects.bulk_create(progress, batch_size=BATCH)
    if stdout:
        stdout.write(
            f"  learning: {len(course_ids)} courses, {len(lesson_rows)} lessons, {len(enrolments)} enrolments, "
            f"{len(progress)} lessons completed"
        )
    return {"course_ids": course_ids}


def _questions(rng, quiz_ids: list[int]) -> None:
    from learning.models import Choice, Question

    Question.objects.bulk_create(
        [
            Question(
                lesson_id=lesson_id, kind="single", prompt=sentence(rng, 6, 10).rstrip(".") + "?", position=p
            )
            for lesson_id in quiz_ids
            for p in range(3)
        ],
        batch_size=BATCH,
    )
    question_ids = list(
        Question.objects.filter(lesson_id__in=quiz_ids).order_by("pk").values_list("pk", flat=True)
    )
    Choice.objects.bulk_create(
        [
            Choice(question_id=qid, text=words(rng, 3), is_correct=(c == qid % 3), position=c)
            for qid in question_ids
            for c in range(3)
        ],
        batch_size=BATCH,
    )
