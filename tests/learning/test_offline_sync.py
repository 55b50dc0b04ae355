"""Steps taken offline and sent later (learning.sync): stored once per device-made id, applied through the
same services as online (grading, attempt limits, completion, the course credential, call eligibility)."""

import json
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from credentials.models import Credential
from learning.models import Enrolment, Lesson, LessonProgress, QuizAttempt, SyncEvent
from tests.learning.builders import answers, enrol, make_course

pytestmark = pytest.mark.django_db

SYNC = "/en/learning/my/sync/"


def _done(course, slug, event_id=None):
    return {
        "id": str(event_id or uuid.uuid4()),
        "kind": "lesson_done",
        "course": course.slug,
        "lesson": slug,
        "device_time": "2026-12-06T10:00:00Z",
    }


def _quiz(course, *, correct=True, event_id=None):
    quiz = Lesson.objects.get(course=course, slug="quiz")
    return {
        "id": str(event_id or uuid.uuid4()),
        "kind": "quiz_answers",
        "course": course.slug,
        "lesson": "quiz",
        "answers": answers(quiz, correct=correct),
        "device_time": "2026-12-06T10:05:00+04:00",
    }


def _send(client, events, **extra):
    response = client.post(SYNC, json.dumps({"events": events}), content_type="application/json", **extra)
    return response, response.json()


@pytest.fixture
def course():
    return make_course(slug="budgets", lessons=2)


@pytest.fixture
def signed_in(client, learner, course):
    enrol(learner, course)
    client.force_login(learner)
    return client


def test_sync_url_is_under_my_learning():
    assert reverse("learning:offline_sync") == SYNC


def test_a_whole_course_taken_offline_completes_it_and_issues_the_credential_once(
    signed_in, learner, course, django_capture_on_commit_callbacks
):
    events = [_done(course, "lesson-1"), _done(course, "lesson-2"), _quiz(course)]
    with django_capture_on_commit_callbacks(execute=True):
        response, body = _send(signed_in, events)
    assert response.status_code == 200
    first, second, quiz = body["results"]
    assert [first["status"], second["status"], quiz["status"]] == ["applied"] * 3
    assert first["course_completed"] is False and first["credential_url"] is None
    assert quiz["score"] == 100 and quiz["passed"] is True and quiz["attempt"] == 1
    assert quiz["course_completed"] is True
    assert quiz["credential_url"] == reverse("credentials:my_credentials")
    assert quiz["attempt_url"] == reverse("learning:attempt", args=["budgets", "quiz", 1])
    assert "completed the course" in quiz["message"]
    # Feedback of the chosen options arrives with the result; the explanation once passed (as online).
    assert any("სწორია: გეგმა." in row["feedback"] for row in quiz["feedback"])
    assert any(row["explanation"] == "ბიუჯეტი არის **გეგმა**." for row in quiz["feedback"])
    assert Enrolment.objects.get(user=learner, course=course).completed_at is not None
    credential = Credential.objects.get(user=learner)
    assert credential.achievement.key == "course:budgets"
    assert SyncEvent.objects.filter(user=learner).count() == 3
    stored = SyncEvent.objects.get(event_id=events[0]["id"])
    assert stored.device_time.isoformat() == "2026-12-06T10:00:00+00:00"

    # The phone sends the same batch again (the answer was lost): the stored results, nothing doubled.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _response, again = _send(signed_in, events)
    assert callbacks == []
    assert [r["replayed"] for r in again["results"]] == [True, True, True]
    assert again["results"][2]["score"] == 100 and again["results"][2]["course_completed"] is True
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    assert LessonProgress.objects.filter(user=learner).count() == 2
    assert SyncEvent.objects.filter(user=learner).count() == 3
    assert Credential.objects.filter(user=learner).count() == 1


def test_completion_offline_makes_the_learner_eligible_for_a_call_as_online(
    signed_in, learner, course, django_capture_on_commit_callbacks
):
    from calls.services import eligibility
    from tests.calls.builders import make_call

    call = make_call()
    call.required_courses.add(course)
    assert eligibility(call=call, user=learner) != []
    with django_capture_on_commit_callbacks(execute=True):
        _send(signed_in, [_done(course, "lesson-1"), _done(course, "lesson-2"), _quiz(course)])
    assert eligibility(call=call, user=learner) == []


def test_the_same_event_twice_in_one_batch_is_applied_once(signed_in, learner, course):
    event = _quiz(course, correct=False)
    _response, body = _send(signed_in, [event, event])
    first, second = body["results"]
    assert first["status"] == "applied" and first["passed"] is False and first["attempts_left"] == 2
    assert second["replayed"] is True and second["attempt"] == 1
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    # Before passing, the key stays hidden: right/wrong and the chosen options' feedback only.
    assert all(row["explanation"] == "" for row in first["feedback"])
    assert "1.5" not in json.dumps(first)


def test_the_unique_constraint_keeps_one_row_per_learner_and_event(learner, other_learner, course):
    """Two concurrent sends of one event: the second insert of the claim fails on this constraint (on
    PostgreSQL it waits for the first transaction, then fails) and the sender reads the stored result."""
    event_id = uuid.uuid4()
    SyncEvent.objects.create(user=learner, event_id=event_id, kind="lesson_done")
    with pytest.raises(IntegrityError), transaction.atomic():
        SyncEvent.objects.create(user=learner, event_id=event_id, kind="lesson_done")
    # The id is the device's: another person's phone may make the same one.
    SyncEvent.objects.create(user=other_learner, event_id=event_id, kind="lesson_done")


def test_a_claim_lost_to_a_concurrent_send_returns_the_winners_result(signed_in, learner, course):
    """What the loser of a race sees: its claim hits the stored row, nothing of its step is applied."""
    from learning import sync

    event = _done(course, "lesson-1")
    SyncEvent.objects.create(
        user=learner,
        event_id=event["id"],
        kind="lesson_done",
        result={"id": event["id"], "status": "applied", "message": "stored"},
    )
    parsed = sync._read_event(event)
    lesson = Lesson.objects.get(course=course, slug="lesson-1")
    result = sync._apply_once(learner, parsed, lesson)
    assert result == {"id": event["id"], "status": "applied", "message": "stored", "replayed": True}
    assert LessonProgress.objects.filter(user=learner).count() == 0


def test_attempts_beyond_the_limit_are_refused_with_the_reason(signed_in, learner, course):
    events = [_quiz(course, correct=False) for _ in range(4)]
    _response, body = _send(signed_in, events)
    statuses = [r["status"] for r in body["results"]]
    assert statuses == ["applied", "applied", "applied", "refused"]
    assert [r.get("attempt") for r in body["results"][:3]] == [1, 2, 3]
    assert body["results"][3]["message"] == "You have used all your attempts for this quiz."
    assert body["results"][2]["attempts_left"] == 0
    # With no attempts left the key is revealed, as on the result page online.
    assert any(row["explanation"] for row in body["results"][2]["feedback"])
    assert QuizAttempt.objects.filter(user=learner).count() == 3
    # A refusal is not stored: sending it again is refused again, and records nothing.
    assert not SyncEvent.objects.filter(event_id=events[3]["id"]).exists()
    _response, again = _send(signed_in, [events[3]])
    assert again["results"][0]["status"] == "refused"
    assert QuizAttempt.objects.filter(user=learner).count() == 3


def test_missing_answers_are_refused_per_question_and_nothing_is_kept(signed_in, learner, course):
    event = _quiz(course)
    first_field = next(iter(event["answers"]))
    del event["answers"][first_field]
    _response, body = _send(signed_in, [event, _done(course, "lesson-1")])
    refused, done = body["results"]
    assert refused["status"] == "refused"
    assert refused["errors"] == {first_field[1:]: "Answer this question."}
    assert done["status"] == "applied"
    assert QuizAttempt.objects.count() == 0
    assert not SyncEvent.objects.filter(event_id=event["id"]).exists()


def test_another_persons_course_or_lessons_elsewhere_are_refused(client, other_learner, learner, course):
    enrol(learner, course)
    client.force_login(other_learner)
    hidden = make_course(slug="draft", published=False)
    events = [
        _done(course, "lesson-1"),  # not enrolled
        _quiz(course),
        {**_done(course, "lesson-1"), "course": "no-such-course"},
        _done(hidden, "lesson-1"),  # unpublished
        {**_done(course, "quiz")},  # a quiz is passed, not marked
    ]
    _response, body = _send(client, events)
    messages = [(r["status"], r["message"]) for r in body["results"]]
    assert messages[0] == ("refused", "Enrol in the course first.")
    assert messages[1] == ("refused", "Enrol in the course first.")
    assert messages[2] == ("refused", "This course or lesson was not found.")
    assert messages[3] == ("refused", "This course or lesson was not found.")
    assert messages[4] == ("refused", "Enrol in the course first.")
    assert LessonProgress.objects.count() == 0 and QuizAttempt.objects.count() == 0
    assert SyncEvent.objects.count() == 0


def test_a_quiz_cannot_be_marked_done(signed_in, course):
    _response, body = _send(signed_in, [_done(course, "quiz")])
    assert body["results"][0] == {
        "id": body["results"][0]["id"],
        "kind": "lesson_done",
        "course": "budgets",
        "lesson": "quiz",
        "lesson_title": "ტესტი",
        "status": "refused",
        "message": "A quiz is completed by passing it.",
    }


def test_answers_for_another_quiz_are_refused(signed_in, course):
    other = make_course(slug="other")
    event = _quiz(course)
    foreign = Lesson.objects.get(course=other, slug="quiz")
    event["answers"] = answers(foreign)
    _response, body = _send(signed_in, [event])
    assert body["results"][0]["status"] == "refused"
    assert "do not belong to this quiz" in body["results"][0]["message"]
    assert QuizAttempt.objects.count() == 0


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ("not an object", "This step is not readable."),
        ({"id": "123", "kind": "lesson_done"}, "This step has no valid id."),
        ({"id": str(uuid.uuid4()), "kind": "delete_all"}, "This kind of step is not known."),
        (
            {"id": str(uuid.uuid4()), "kind": "lesson_done", "course": "../../etc", "lesson": "x"},
            "This step names no valid course and lesson.",
        ),
        (
            {
                "id": str(uuid.uuid4()),
                "kind": "lesson_done",
                "course": "a",
                "lesson": "b",
                "device_time": "soon",
            },
            "The time of this step is not readable.",
        ),
        (
            {"id": str(uuid.uuid4()), "kind": "quiz_answers", "course": "a", "lesson": "b", "answers": ["x"]},
            "The answers of this step are not readable.",
        ),
        (
            {
                "id": str(uuid.uuid4()),
                "kind": "quiz_answers",
                "course": "a",
                "lesson": "b",
                "answers": {"q1": ["x" * 501]},
            },
            "The answers of this step are not readable.",
        ),
        (
            {
                "id": str(uuid.uuid4()),
                "kind": "quiz_answers",
                "course": "a",
                "lesson": "b",
                "answers": {"csrfmiddlewaretoken": ["x"]},
            },
            "The answers of this step are not readable.",
        ),
    ],
)
def test_hostile_events_get_a_problem_each_and_the_rest_is_applied(
    signed_in, learner, course, event, message
):
    _response, body = _send(signed_in, [event, _done(course, "lesson-1")])
    problem, done = body["results"]
    assert problem["status"] == "invalid" and problem["message"] == message
    assert done["status"] == "applied"
    assert LessonProgress.objects.filter(user=learner).count() == 1


@pytest.mark.parametrize(
    ("body", "status", "problem"),
    [
        (b"{not json", 400, "The steps sent are not readable (JSON expected)."),
        (b'{"events": []}', 400, "No steps were sent."),
        (b'{"events": {"a": 1}}', 400, "No steps were sent."),
        (b"\xff\xfe", 400, "The steps sent are not readable (JSON expected)."),
        (b"[" * 100_000, 400, "The steps sent are not readable (JSON expected)."),
    ],
)
def test_unreadable_batches_are_refused_whole(signed_in, body, status, problem):
    response = signed_in.post(SYNC, body, content_type="application/json")
    assert response.status_code == status
    assert response.json()["problem"] == problem


def test_oversized_batches_are_refused_whole_and_nothing_is_applied(signed_in, learner, course):
    many = [_done(course, "lesson-1") for _ in range(101)]
    response, body = _send(signed_in, many)
    assert response.status_code == 413
    assert body["problem"] == "Too many steps at once: send at most 100 in each batch."
    big = _done(course, "lesson-1") | {"padding": "x" * 300_000}
    response, body = _send(signed_in, [big])
    assert response.status_code == 413
    assert body["problem"] == "Too much to send at once: send fewer steps in each batch."
    assert LessonProgress.objects.count() == 0 and SyncEvent.objects.count() == 0


def test_signed_out_gets_a_json_answer_and_a_fresh_token_when_signed_in(client, learner):
    response = client.post(SYNC, "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["problem"] == "Sign in to send the steps kept on this phone."
    client.force_login(learner)
    response = client.get(SYNC)
    assert response.status_code == 200 and len(response.json()["csrf_token"]) == 64
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_csrf_token_is_required_in_the_header(learner, course):
    from django.test import Client

    enrol(learner, course)
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    body = json.dumps({"events": [_done(course, "lesson-1")]})
    refused = client.post(SYNC, body, content_type="application/json")
    assert refused.status_code == 403
    assert LessonProgress.objects.count() == 0
    token = client.get(SYNC).json()["csrf_token"]
    accepted = client.post(SYNC, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert accepted.status_code == 200 and accepted.json()["results"][0]["status"] == "applied"


def test_query_count_per_batch(signed_in, course, django_assert_num_queries):
    # Reading lessons marked done: the session, the user, the stored ids, the lessons (one query for the batch),
    # then per event: the claim, the enrolment lock, mark_lesson_complete's own steps (as online), the result.
    one = [_done(course, "lesson-1")]
    with django_assert_num_queries(23):
        _send(signed_in, one)
    three = [_done(course, "lesson-1"), _done(course, "lesson-2"), _done(course, "lesson-1")]
    with django_assert_num_queries(62):
        _send(signed_in, three)
    # Sent again: the stored results only.
    with django_assert_num_queries(3):
        _send(signed_in, three)
