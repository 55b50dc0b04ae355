import pytest
import time_machine
from django.utils import timezone

from accounts.models import AuditEntry
from learning import api, services
from learning.models import Enrolment, Lesson, LessonProgress, QuizAttempt
from tests.learning.builders import answers, make_course

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def heard():
    calls = []

    def listener(*, user, course, completed_at):
        calls.append((user.pk, course.pk, completed_at))

    api.register_completion_listener(listener)
    yield calls
    services._completion_listeners.remove(listener)


def _finish_reading(user, course):
    for lesson in Lesson.objects.filter(course=course, kind="text"):
        services.mark_lesson_complete(user=user, lesson=lesson)


def test_course_is_completed_at_the_moment_the_last_quiz_is_passed(learner, heard):
    course = make_course()
    services.enrol(user=learner, course=course)
    _finish_reading(learner, course)
    assert api.is_completed(user=learner, course=course) is False
    quiz = Lesson.objects.get(course=course, slug="quiz")
    with time_machine.travel("2026-03-01 12:00:00+04:00", tick=False):
        result = services.submit_quiz(user=learner, lesson=quiz, data=answers(quiz), attempt_number=1)
    assert result.completed_course is True
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.completed_at == timezone.datetime.fromisoformat("2026-03-01T12:00:00+04:00")
    assert heard == [(learner.pk, course.pk, enrolment.completed_at)]
    assert api.completed_course_ids(learner) == {course.pk}
    assert api.course_by_slug(course.slug) == course
    assert AuditEntry.objects.filter(action="learning.complete", actor=learner).count() == 1


def test_course_is_completed_when_the_last_reading_lesson_is_marked_after_the_quiz(learner, heard):
    course = make_course(lessons=2)
    services.enrol(user=learner, course=course)
    quiz = Lesson.objects.get(course=course, slug="quiz")
    services.submit_quiz(user=learner, lesson=quiz, data=answers(quiz), attempt_number=1)
    services.mark_lesson_complete(user=learner, lesson=Lesson.objects.get(course=course, slug="lesson-1"))
    assert heard == []
    completed = services.mark_lesson_complete(
        user=learner, lesson=Lesson.objects.get(course=course, slug="lesson-2")
    )
    assert completed is True
    assert len(heard) == 1


def test_a_failed_quiz_does_not_complete_the_course(learner, heard):
    course = make_course()
    services.enrol(user=learner, course=course)
    _finish_reading(learner, course)
    quiz = Lesson.objects.get(course=course, slug="quiz")
    result = services.submit_quiz(
        user=learner, lesson=quiz, data=answers(quiz, correct=False), attempt_number=1
    )
    assert result.attempt.passed is False and result.attempt.score == 0
    assert result.completed_course is False
    assert heard == []


def test_optional_lessons_are_not_required(learner, heard):
    course = make_course(lessons=2, quiz=False)
    Lesson.objects.filter(course=course, slug="lesson-2").update(required=False)
    services.enrol(user=learner, course=course)
    assert services.mark_lesson_complete(
        user=learner, lesson=Lesson.objects.get(course=course, slug="lesson-1")
    )
    assert len(heard) == 1


def test_completion_is_notified_once_even_if_steps_are_repeated(learner, heard):
    course = make_course(lessons=1, quiz=False)
    services.enrol(user=learner, course=course)
    lesson = Lesson.objects.get(course=course, slug="lesson-1")
    services.mark_lesson_complete(user=learner, lesson=lesson)
    services.mark_lesson_complete(user=learner, lesson=lesson)
    services.unenrol(user=learner, course=course)
    services.enrol(user=learner, course=course)
    assert len(heard) == 1
    assert LessonProgress.objects.filter(user=learner).count() == 1


def test_a_failing_listener_does_not_break_the_learners_step(learner, heard):
    def broken(**kwargs):
        raise RuntimeError("boom")

    api.register_completion_listener(broken)
    try:
        course = make_course(lessons=1, quiz=False)
        services.enrol(user=learner, course=course)
        services.mark_lesson_complete(user=learner, lesson=Lesson.objects.get(course=course, slug="lesson-1"))
    finally:
        services._completion_listeners.remove(broken)
    assert api.is_completed(user=learner, course=course)
    assert len(heard) == 1


def test_unenrolling_keeps_progress_and_returning_continues(learner):
    course = make_course(lessons=2)
    services.enrol(user=learner, course=course)
    services.mark_lesson_complete(user=learner, lesson=Lesson.objects.get(course=course, slug="lesson-1"))
    services.unenrol(user=learner, course=course)
    assert Enrolment.objects.get(user=learner, course=course).active is False
    with pytest.raises(services.LearningError):
        services.mark_lesson_complete(user=learner, lesson=Lesson.objects.get(course=course, slug="lesson-2"))
    services.enrol(user=learner, course=course)
    assert LessonProgress.objects.filter(user=learner, lesson__course=course).count() == 1
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1


def test_prerequisites_must_be_completed_before_enrolling(learner):
    first = make_course(title="პირველი", lessons=1, quiz=False)
    second = make_course()
    second.prerequisites.add(first)
    with pytest.raises(services.LearningError) as error:
        services.enrol(user=learner, course=second)
    assert "პირველი" in str(error.value.message)
    services.enrol(user=learner, course=first)
    services.mark_lesson_complete(user=learner, lesson=Lesson.objects.get(course=first))
    assert services.enrol(user=learner, course=second).active is True


def test_unpublished_course_cannot_be_enrolled_in(learner):
    course = make_course(published=False)
    with pytest.raises(services.LearningError):
        services.enrol(user=learner, course=course)
    with pytest.raises(Exception) as error:
        api.course_by_slug(course.slug)
    assert error.typename == "Http404"


def test_course_listener_hears_about_created_courses_on_commit(db):
    heard = []
    api.register_course_listener(lambda *, course: heard.append(course.slug))
    try:
        course = make_course(slug="new-one")
        services.announce_course_created(course=course)
    finally:
        services._course_listeners.clear()
    assert heard == ["new-one"]


def test_completed_course_ids_are_empty_for_visitors(db):
    from django.contrib.auth.models import AnonymousUser

    assert api.completed_course_ids(AnonymousUser()) == set()
    assert QuizAttempt.objects.count() == 0
