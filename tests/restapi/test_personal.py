"""A learner reads their own progress, applications and credentials with a token; nobody else's."""

from __future__ import annotations

import pytest

from learning import services as learning
from learning.models import Lesson
from tests.calls.builders import make_call, submitted
from tests.learning.builders import make_course
from tests.restapi.conftest import bearer, body

pytestmark = pytest.mark.django_db


def test_a_learner_reads_their_own_progress_with_a_token(client, learner, other_learner, token_for):
    course = make_course(slug="finance", quiz=False, lessons=4)
    learning.enrol(user=learner, course=course)
    for lesson in Lesson.objects.filter(course=course).order_by("position")[:2]:
        learning.mark_lesson_complete(user=learner, lesson=lesson)
    other = make_course(slug="other", quiz=False)
    learning.enrol(user=other_learner, course=other)

    data = body(client.get("/api/v1/me/enrolments", **bearer(token_for(learner))))

    assert [(e["course"], e["percent"]) for e in data["items"]] == [("finance", 50)]
    assert (
        data["items"][0]["next_lesson"].endswith("/learning/finance/lesson-3/")
        or "lesson-3" in data["items"][0]["next_lesson"]
    )
    response = client.get("/api/v1/me/enrolments", **bearer(token_for(learner)))
    assert response["Cache-Control"].startswith("private") and "Authorization" in response["Vary"]


def test_a_learner_reads_their_applications_and_sees_a_decision_only_once_published(
    client, learner, other_learner, staff, token_for
):
    call = make_call(slug="grant")
    application = submitted(call, learner)
    submitted(make_call(slug="someone-elses"), other_learner)

    data = body(
        client.get("/api/v1/me/applications", **bearer(token_for(learner)), HTTP_ACCEPT_LANGUAGE="en")
    )

    assert [(a["call"], a["reference"], a["status"]) for a in data["items"]] == [
        ("grant", application.reference, "submitted")
    ]
    type(application).objects.filter(pk=application.pk).update(status="decided", outcome="accepted")
    data = body(client.get("/api/v1/me/applications", **bearer(token_for(learner))))
    assert data["items"][0]["status"] == "in_review"  # the letter has not gone yet


def test_my_credentials_lists_only_mine(client, learner, token_for):
    from credentials.api import AchievementKind, ensure_achievement, issue_credential

    achievement = ensure_achievement(
        key="course:test", defaults={"kind": AchievementKind.COURSE, "name_ka": "კურსი", "name_en": "Course"}
    )
    credential, _ = issue_credential(user=learner, achievement=achievement, by=None)
    data = body(client.get("/api/v1/me/credentials", **bearer(token_for(learner))))
    assert [c["id"] for c in data["items"]] == [str(credential.pk)]
    assert data["items"][0]["url"].endswith(f"/credentials/c/{credential.pk}/")


@pytest.mark.parametrize(
    "path", ["/api/v1/me/enrolments", "/api/v1/me/applications", "/api/v1/me/credentials"]
)
def test_personal_lists_cost_the_same_queries_for_one_item_and_for_three(
    client, learner, token_for, django_assert_num_queries, path
):
    from credentials.api import AchievementKind, ensure_achievement, issue_credential

    secret = token_for(learner)

    def add(n):
        if "enrolments" in path:
            learning.enrol(user=learner, course=make_course(slug=f"p{n}", quiz=False))
        elif "applications" in path:
            submitted(make_call(slug=f"a{n}"), learner)
        else:
            achievement = ensure_achievement(
                key=f"course:{n}", defaults={"kind": AchievementKind.COURSE, "name_ka": "კ", "name_en": "C"}
            )
            issue_credential(user=learner, achievement=achievement, by=None)

    add(0)
    client.get(path, **bearer(secret))  # the last use is written once a minute: not in the counts below
    expected = {"enrolments": 5, "applications": 5, "credentials": 5}[path.rsplit("/", 1)[-1]]
    with django_assert_num_queries(expected):
        assert body(client.get(path, **bearer(secret)))["count"] == 1
    add(1)
    add(2)
    with django_assert_num_queries(expected):
        assert body(client.get(path, **bearer(secret)))["count"] == 3
