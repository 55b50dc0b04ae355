"""Every multi-step write of the learning domain: enrolment, progress, quiz attempts, completion.

Completion is decided here, inside the transaction of the learner's last step (no cron): the
enrolment's ``completed_at`` is set once by a conditional UPDATE, and the completion listeners
registered through ``learning.api`` run on commit.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.api import record
from core.api import invalidate_anonymous_pages, safe_filename, validate_upload
from learning import grading
from learning.models import (
    Attachment,
    Course,
    Enrolment,
    Lesson,
    LessonKind,
    LessonProgress,
    Question,
    QuestionKind,
    QuizAttempt,
)

log = logging.getLogger(__name__)

ATTACHMENT_KINDS = ("pdf", "docx", "odt", "xlsx", "ods", "png", "jpeg", "webp")

_completion_listeners: list[Callable] = []
_course_listeners: list[Callable] = []


class LearningError(Exception):
    """A step the learner cannot take now; ``message`` is translated and safe to show."""

    def __init__(self, message, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.code = code


def add_completion_listener(fn: Callable) -> None:
    if fn not in _completion_listeners:
        _completion_listeners.append(fn)


def add_course_listener(fn: Callable) -> None:
    if fn not in _course_listeners:
        _course_listeners.append(fn)


def _call_listeners(listeners, **kwargs) -> None:
    for fn in list(listeners):
        try:
            fn(**kwargs)
        except Exception:  # one failing listener must not hide the learner's result or stop the others
            log.exception("learning listener %r failed", fn)


def announce_course_created(*, course: Course) -> None:
    """Tell other domains (the forum creates a category) once the course is committed."""
    transaction.on_commit(lambda: _call_listeners(_course_listeners, course=course))


# --- the public catalogue ---------------------------------------------------------------------------


def catalogue_changed() -> None:
    """Courses or topics visitors see were created, changed, published, unpublished or deleted.

    The catalogue is served to anonymous visitors from the full-page cache (``core.cache``); once the change
    is committed every cached page is dropped, so the next visitor sees the new state.
    """
    transaction.on_commit(invalidate_anonymous_pages)


def course_saved(*, course: Course, created: bool, actor=None, published_changed: bool = False) -> None:
    """After an author saved a course (admin, course folder import): refresh the catalogue, record a change
    of publication, and announce a new course to other domains."""
    if published_changed and not created:
        record(
            actor=actor,
            action="learning.publish" if course.published else "learning.unpublish",
            target=course,
        )
    if created:
        announce_course_created(course=course)
    # After the announcement: on commit the forum creates the course's category first, then the cached pages
    # (the course page links to that category) are dropped.
    catalogue_changed()


@transaction.atomic
def set_published(*, course: Course, published: bool, actor) -> bool:
    """Publish or unpublish a course. Returns False if it already was in that state (nothing written)."""
    changed = (
        Course.objects.filter(pk=course.pk)
        .exclude(published=published)
        .update(published=published, updated_at=timezone.now())
    )
    course.published = published
    if not changed:
        return False
    record(actor=actor, action="learning.publish" if published else "learning.unpublish", target=course)
    catalogue_changed()
    return True


# --- enrolment --------------------------------------------------------------------------------------


def missing_prerequisites(*, user, course: Course) -> list[Course]:
    required = list(course.prerequisites.all())
    if not required:
        return []
    done = set(
        Enrolment.objects.filter(user=user, course__in=required, completed_at__isnull=False).values_list(
            "course_id", flat=True
        )
    )
    return [c for c in required if c.pk not in done]


@transaction.atomic
def enrol(*, user, course: Course) -> Enrolment:
    """Enrol (or re-enrol, keeping earlier progress). Idempotent: one row per learner and course."""
    if not course.published:
        raise LearningError(_("This course is not open for enrolment."), code="unpublished")
    missing = missing_prerequisites(user=user, course=course)
    if missing:
        raise LearningError(
            _("Complete these courses first: %(titles)s.") % {"titles": ", ".join(c.title for c in missing)},
            code="prerequisites",
        )
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    if enrolment is None:
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(user=user, course=course)
        except IntegrityError:  # a second click raced the first
            enrolment = Enrolment.objects.get(user=user, course=course)
        else:
            record(actor=user, action="learning.enrol", target=course)
    if not enrolment.active:
        enrolment.active = True
        enrolment.save(update_fields=["active"])
        record(actor=user, action="learning.re_enrol", target=course)
    # Progress made earlier counts: a learner who finished everything before unenrolling is complete now.
    _complete_if_done(enrolment=enrolment)
    return enrolment


@transaction.atomic
def unenrol(*, user, course: Course) -> None:
    """Leave the course; lessons done and quiz attempts are kept for a later return."""
    changed = Enrolment.objects.filter(user=user, course=course, active=True).update(active=False)
    if changed:
        record(actor=user, action="learning.unenrol", target=course)


def active_enrolment(*, user, course: Course) -> Enrolment:
    enrolment = Enrolment.objects.filter(user=user, course=course, active=True).first()
    if enrolment is None:
        raise LearningError(_("Enrol in the course first."), code="not_enrolled")
    return enrolment


def record_visit(*, enrolment: Enrolment, lesson: Lesson) -> None:
    """Remember the last lesson opened, for "continue where you left off" (one UPDATE, only on change)."""
    if enrolment.last_lesson_id != lesson.pk:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
        enrolment.last_lesson_id = lesson.pk


# --- progress and completion ------------------------------------------------------------------------


@transaction.atomic
def mark_lesson_complete(*, user, lesson: Lesson, continue_at_id: int | None = None) -> bool:
    """Mark a reading lesson done. Returns True if this step completed the course.

    ``continue_at_id`` is the lesson the learner is sent to next: it becomes the "continue where you left
    off" lesson in this same transaction, so opening it right after writes nothing more.
    """
    if lesson.kind != LessonKind.TEXT:
        raise LearningError(_("A quiz is completed by passing it."), code="quiz")
    enrolment = active_enrolment(user=user, course=lesson.course)
    try:
        with transaction.atomic():
            LessonProgress.objects.create(user=user, lesson=lesson)
    except IntegrityError:
        pass  # already marked: a repeated click changes nothing
    completed = _complete_if_done(enrolment=enrolment)
    resume = lesson.pk if completed or continue_at_id is None else continue_at_id
    if enrolment.last_lesson_id != resume:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson_id=resume)
        enrolment.last_lesson_id = resume
    return completed


def requirements_met(*, user, course: Course) -> bool:
    lessons = list(Lesson.objects.filter(course=course).values_list("pk", "kind", "required"))
    if not lessons:
        return False
    required_text = {pk for pk, kind, required in lessons if kind == LessonKind.TEXT and required}
    quizzes = {pk for pk, kind, _required in lessons if kind == LessonKind.QUIZ}
    done = set(
        LessonProgress.objects.filter(user=user, lesson_id__in=required_text).values_list(
            "lesson_id", flat=True
        )
    )
    passed = set(
        QuizAttempt.objects.filter(user=user, lesson_id__in=quizzes, passed=True).values_list(
            "lesson_id", flat=True
        )
    )
    return done >= required_text and passed >= quizzes


def _complete_if_done(*, enrolment: Enrolment) -> bool:
    """Record completion in the current transaction if every requirement is met; notify on commit once."""
    if enrolment.completed_at is not None or not requirements_met(
        user=enrolment.user, course=enrolment.course
    ):
        return False
    now = timezone.now()
    # The conditional UPDATE decides who records the completion: exactly one writer wins.
    won = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(completed_at=now)
    if not won:
        return False
    enrolment.completed_at = now
    record(actor=enrolment.user, action="learning.complete", target=enrolment.course)
    user, course = enrolment.user, enrolment.course
    transaction.on_commit(
        lambda: _call_listeners(_completion_listeners, user=user, course=course, completed_at=now)
    )
    return True


# --- quizzes ----------------------------------------------------------------------------------------


def quiz_questions(lesson: Lesson, *, order_seed: str | None = None) -> list[Question]:
    """The quiz's questions with their choices, shuffled reproducibly per learner and attempt if asked."""
    questions = list(lesson.questions.prefetch_related("choices"))
    if lesson.shuffle and order_seed is not None:
        rng = random.Random(order_seed)  # noqa: S311 - presentation order, not security
        rng.shuffle(questions)
        for question in questions:
            choices = list(question.choices.all())
            rng.shuffle(choices)
            question.ordered_choices = choices  # type: ignore[attr-defined]  # read by the quiz template
    else:
        for question in questions:
            question.ordered_choices = list(question.choices.all())  # type: ignore[attr-defined]
    return questions


def attempts_used(*, user, lesson: Lesson) -> int:
    return QuizAttempt.objects.filter(user=user, lesson=lesson).aggregate(n=Max("number"))["n"] or 0


@dataclass
class QuizSubmission:
    """The outcome of a submit: an attempt, or errors per question (and for the form) with the input kept."""

    attempt: QuizAttempt | None = None
    errors: dict[int, str] = field(default_factory=dict)
    form_error: str = ""
    completed_course: bool = False


def _question_field(name: str) -> int | None:
    if name.startswith("q") and name[1:].isdigit():
        return int(name[1:])
    return None


@transaction.atomic
def submit_quiz(
    *, user, lesson: Lesson, data: Mapping[str, list[str]], attempt_number: int
) -> QuizSubmission:
    """Grade and record one attempt.

    ``data`` maps form field names to posted values (``q<question id>``); ``attempt_number`` is the
    number the form was shown for, so a repeated submit of the same form records nothing twice and
    two submits at once record exactly one attempt (unique user, quiz, number).
    """
    if lesson.kind != LessonKind.QUIZ:
        raise LearningError(_("This lesson has no quiz."), code="not_quiz")
    enrolment = active_enrolment(user=user, course=lesson.course)
    used = attempts_used(user=user, lesson=lesson)
    if lesson.max_attempts and used >= lesson.max_attempts:
        return QuizSubmission(form_error=str(_("You have used all your attempts for this quiz.")))
    if attempt_number != used + 1:
        return QuizSubmission(
            form_error=str(_("This attempt was already submitted. Your result is shown below."))
        )
    questions = list(lesson.questions.prefetch_related("choices"))
    if not questions:
        return QuizSubmission(form_error=str(_("This quiz has no questions yet.")))
    by_id = {q.pk: q for q in questions}
    posted_ids = {qid for name in data if (qid := _question_field(name)) is not None}
    if posted_ids - set(by_id):
        return QuizSubmission(
            form_error=str(_("The answers sent do not belong to this quiz. Reload the page and try again."))
        )

    errors: dict[int, str] = {}
    answers: dict[str, object] = {}
    results: dict[str, dict] = {}
    earned = possible = 0
    for question in questions:
        choices = list(question.choices.all())
        possible += question.points
        try:
            value = grading.parse_answer(
                question, list(data.get(f"q{question.pk}", [])), {c.pk for c in choices}
            )
        except grading.AnswerError as error:
            errors[question.pk] = str(error.message)
            continue
        correct = grading.is_correct(question, value, {c.pk for c in choices if c.is_correct})
        answers[str(question.pk)] = value
        results[str(question.pk)] = {"correct": correct}
        earned += question.points if correct else 0
    if errors:
        return QuizSubmission(
            errors=errors,
            form_error=str(_("Some answers are missing or not valid. See the marked questions.")),
        )

    score = grading.score_percent(earned, possible)
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                user=user,
                lesson=lesson,
                number=attempt_number,
                score=score,
                passed=score >= lesson.pass_score,
                answers=answers,
                results=results,
            )
    except IntegrityError:
        return QuizSubmission(
            form_error=str(_("This attempt was already submitted. Your result is shown below."))
        )
    record(actor=user, action="learning.quiz_attempt", target=lesson, note=f"#{attempt_number}: {score}%")
    Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
    completed = attempt.passed and _complete_if_done(enrolment=enrolment)
    return QuizSubmission(attempt=attempt, completed_course=completed)


def quiz_review(attempt: QuizAttempt, *, reveal: bool) -> list[dict]:
    """What to show after a submit: the learner's answer, right or wrong, feedback; the key if ``reveal``."""
    rows = []
    for question in attempt.lesson.questions.prefetch_related("choices"):
        key = str(question.pk)
        given = attempt.answers.get(key)
        choices = list(question.choices.all())
        chosen = set(given) if isinstance(given, list) else set()
        row = {
            "question": question,
            "correct": attempt.results.get(key, {}).get("correct", False),
            "given": given,
            "choices": [
                {
                    "choice": c,
                    "chosen": c.pk in chosen,
                    "is_correct": reveal and c.is_correct,
                    # per-choice feedback for what the learner chose; for all choices once revealed
                    "feedback": c.feedback if (c.pk in chosen or reveal) else "",
                }
                for c in choices
            ],
            "reveal": reveal,
        }
        if question.kind == QuestionKind.TRUE_FALSE:
            row["given_label"] = _("True") if given is True else _("False") if given is False else ""
            row["answer_label"] = _("True") if question.correct_bool else _("False")
        elif question.kind == QuestionKind.NUMERIC:
            row["given_label"] = given or ""
            row["answer_label"] = (
                f"{question.numeric_answer.normalize():f}" if question.numeric_answer is not None else ""
            )
            if question.tolerance:
                row["answer_label"] += f" ± {question.tolerance.normalize():f}"
        elif question.kind == QuestionKind.TEXT:
            row["given_label"] = given or ""
            row["answer_label"] = (question.accepted_answers.splitlines() or [""])[0]
        rows.append(row)
    return rows


# --- authoring --------------------------------------------------------------------------------------


def add_attachment(*, lesson: Lesson, upload, title: str = "", position: int = 0) -> Attachment:
    """Store a validated file (type by content, size, safe name) on a lesson."""
    validate_upload(upload, kinds=ATTACHMENT_KINDS)
    upload.name = safe_filename(upload.name)
    attachment = Attachment(lesson=lesson, title=title or upload.name, position=position, size=upload.size)
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment
