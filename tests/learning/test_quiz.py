import threading

import pytest
from django.db import connection

from learning import services
from learning.models import Lesson, QuizAttempt
from tests.learning.builders import answers, make_course


@pytest.fixture
def quiz(learner):
    course = make_course()
    services.enrol(user=learner, course=course)
    return Lesson.objects.get(course=course, slug="quiz")


pytestmark = pytest.mark.django_db


def test_answers_for_another_quizs_questions_are_refused(learner, quiz):
    other_course = make_course(slug="other")
    other_quiz = Lesson.objects.get(course=other_course, slug="quiz")
    data = answers(quiz)
    data.update(answers(other_quiz))
    result = services.submit_quiz(user=learner, lesson=quiz, data=data, attempt_number=1)
    assert result.attempt is None
    assert "do not belong to this quiz" in result.form_error
    assert QuizAttempt.objects.count() == 0


def test_missing_answers_are_named_and_nothing_is_recorded(learner, quiz):
    data = answers(quiz)
    first = quiz.questions.first()
    del data[f"q{first.pk}"]
    result = services.submit_quiz(user=learner, lesson=quiz, data=data, attempt_number=1)
    assert result.attempt is None
    assert list(result.errors) == [first.pk]
    assert QuizAttempt.objects.count() == 0


def test_submit_after_attempts_are_used_up_is_refused(learner, quiz):
    for number in (1, 2, 3):
        services.submit_quiz(
            user=learner, lesson=quiz, data=answers(quiz, correct=False), attempt_number=number
        )
    result = services.submit_quiz(user=learner, lesson=quiz, data=answers(quiz), attempt_number=4)
    assert result.attempt is None
    assert "used all your attempts" in result.form_error
    assert QuizAttempt.objects.filter(user=learner).count() == 3


def test_the_same_form_submitted_twice_records_one_attempt(learner, quiz):
    first = services.submit_quiz(user=learner, lesson=quiz, data=answers(quiz), attempt_number=1)
    again = services.submit_quiz(user=learner, lesson=quiz, data=answers(quiz), attempt_number=1)
    assert first.attempt.number == 1
    assert again.attempt is None and "already submitted" in again.form_error
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_a_learner_not_enrolled_cannot_submit(other_learner, quiz):
    with pytest.raises(services.LearningError):
        services.submit_quiz(user=other_learner, lesson=quiz, data=answers(quiz), attempt_number=1)


def test_partial_score_is_recorded_with_per_question_results(learner, quiz):
    data = answers(quiz)
    numeric = quiz.questions.get(kind="numeric")
    data[f"q{numeric.pk}"] = ["7"]
    attempt = services.submit_quiz(user=learner, lesson=quiz, data=data, attempt_number=1).attempt
    assert attempt.score == 80 and attempt.passed is True
    assert attempt.results[str(numeric.pk)] == {"correct": False}


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_record_exactly_one_attempt(learner, quiz):
    data = answers(quiz)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        barrier.wait()
        try:
            outcomes.append(services.submit_quiz(user=learner, lesson=quiz, data=data, attempt_number=1))
        except Exception as error:  # SQLite may report "database is locked" to the loser
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert QuizAttempt.objects.filter(user=learner, lesson=quiz).count() == 1
    recorded = [o for o in outcomes if isinstance(o, services.QuizSubmission) and o.attempt is not None]
    assert len(recorded) == 1
