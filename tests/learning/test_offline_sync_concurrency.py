"""Two sends at the same moment (a phone retrying while its first send is still under way, two tabs): one outcome.
Real threads need PostgreSQL's locks; on SQLite the unique constraint behind it is tested in test_offline_sync.py."""

import json
import uuid

import pytest
from django.db import connection

from credentials.models import Credential
from learning import sync
from learning.models import Lesson, LessonProgress, QuizAttempt, SyncEvent
from tests.calls.test_concurrency import at_once
from tests.learning.builders import answers, enrol, make_course

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("threads writing at once need PostgreSQL (set DATABASE_URL)")


def _quiz_event(course, event_id=None):
    quiz = Lesson.objects.get(course=course, slug="quiz")
    return {
        "id": str(event_id or uuid.uuid4()),
        "kind": "quiz_answers",
        "course": course.slug,
        "lesson": "quiz",
        "answers": answers(quiz),
    }


def test_the_same_batch_sent_twice_at_once_is_applied_once(learner):
    course = make_course(slug="budgets", lessons=1)
    enrol(learner, course)
    batch = [
        {"id": str(uuid.uuid4()), "kind": "lesson_done", "course": "budgets", "lesson": "lesson-1"},
        _quiz_event(course),
    ]

    def send():
        return sync.sync(user=learner, events=sync.read_batch(json.dumps({"events": batch}).encode()))

    first, second = at_once(send, send)
    assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
    for done, quiz in (first, second):
        assert done["status"] == "applied" and quiz["status"] == "applied"
        assert quiz["score"] == 100 and quiz["attempt"] == 1
    # Exactly one of the two sends applied each event; the other read its stored result.
    assert sorted(bool(r[1].get("replayed")) for r in (first, second)) == [False, True]
    assert LessonProgress.objects.filter(user=learner).count() == 1
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    assert SyncEvent.objects.filter(user=learner).count() == 2
    assert Credential.objects.filter(user=learner).count() == 1


def test_two_different_attempts_sent_at_once_get_two_numbers(learner):
    course = make_course(slug="budgets", lessons=1)
    enrol(learner, course)

    def send(event):
        return lambda: sync.sync(
            user=learner, events=sync.read_batch(json.dumps({"events": [event]}).encode())
        )

    first, second = at_once(send(_quiz_event(course)), send(_quiz_event(course)))
    assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
    assert sorted([first[0]["attempt"], second[0]["attempt"]]) == [1, 2]
    assert list(
        QuizAttempt.objects.filter(user=learner).order_by("number").values_list("number", flat=True)
    ) == [
        1,
        2,
    ]
