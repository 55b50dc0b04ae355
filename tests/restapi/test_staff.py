"""Staff-scoped reads: a call's applications with reviews and decisions, and its staff export as JSON."""

from __future__ import annotations

import pytest

from accounts.models import RoleGrant
from calls import services as calls
from restapi.models import Scope
from tests.calls.builders import in_review, make_call, scores_for, submitted
from tests.factories import UserFactory
from tests.restapi.conftest import bearer, body

pytestmark = pytest.mark.django_db


def _reviewed(call, learner, reviewer, staff):
    application = in_review(call, learner, staff)
    assignment = calls.assign_reviewer(application=application, reviewer=reviewer, by=staff)
    calls.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
    assignment.refresh_from_db()
    calls.save_review(
        assignment=assignment,
        by=reviewer,
        scores=scores_for(call, 10, 5),
        comments="კარგი",
        recommendation="accept",
        submit=True,
    )
    application.refresh_from_db()
    return application


def test_staff_pull_a_calls_applications_with_reviews_and_decisions(
    client, learner, reviewer, staff, token_for
):
    call = make_call(slug="grant")
    application = _reviewed(call, learner, reviewer, staff)
    calls.decide(application=application, by=staff, outcome="accepted")

    response = client.get("/api/v1/staff/calls/grant/applications", **bearer(token_for(staff, Scope.STAFF)))

    assert response.status_code == 200
    [item] = body(response)["items"]
    assert item["reference"] == application.reference
    assert item["status"] == "decided" and item["outcome"] == "accepted" and item["decided_at"]
    assert item["applicant"]["email"] == learner.email  # as in the staff export
    assert len(item["reviews"]) == 1 and item["reviews"][0]["recommendation"] == "accept"
    # reviewers' identities are never given
    text = response.content.decode()
    assert reviewer.email not in text and reviewer.full_name_ka not in text
    assert (
        body(
            client.get(
                "/api/v1/staff/calls/grant/applications?outcome=rejected",
                **bearer(token_for(staff, Scope.STAFF)),
            )
        )["count"]
        == 0
    )


def test_staff_export_as_json_is_the_staff_export_table(client, learner, reviewer, staff, token_for):
    from calls.exports import rows

    call = make_call(slug="grant", blind=True)
    _reviewed(call, learner, reviewer, staff)
    data = body(client.get("/api/v1/staff/calls/grant/export", **bearer(token_for(staff, Scope.STAFF))))
    table = rows(call, blind=False)
    assert data["columns"] == [str(c) for c in table[0]]
    assert data["rows"] == [[str(v) for v in row] for row in table[1:]]


def test_a_read_token_of_staff_or_any_token_of_a_learner_cannot_read_staff_data(
    client, learner, staff, token_for
):
    make_call(slug="grant")
    for secret in (token_for(staff), token_for(learner)):
        response = client.get(
            "/api/v1/staff/calls/grant/applications", **bearer(secret), HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 403
        assert body(response)["title"] == "This access token may not do that"


def test_a_staff_token_stops_when_the_person_is_no_longer_staff(client, staff, token_for):
    make_call(slug="grant")
    secret = token_for(staff, Scope.STAFF)
    RoleGrant.objects.filter(user=staff).delete()
    assert client.get("/api/v1/staff/calls/grant/applications", **bearer(secret)).status_code == 403


def test_an_unknown_call_is_404(client, staff, token_for):
    assert (
        client.get(
            "/api/v1/staff/calls/nope/applications", **bearer(token_for(staff, Scope.STAFF))
        ).status_code
        == 404
    )


def test_staff_applications_cost_the_same_queries_for_one_and_for_three(
    client, staff, reviewer, token_for, django_assert_num_queries
):
    call = make_call(slug="grant")
    secret = token_for(staff, Scope.STAFF)
    _reviewed(call, UserFactory(), reviewer, staff)
    client.get("/api/v1/staff/calls/grant/applications", **bearer(secret))
    with django_assert_num_queries(12):
        assert body(client.get("/api/v1/staff/calls/grant/applications", **bearer(secret)))["count"] == 1
    _reviewed(call, UserFactory(), reviewer, staff)
    submitted(call, UserFactory())
    with django_assert_num_queries(12):
        assert body(client.get("/api/v1/staff/calls/grant/applications", **bearer(secret)))["count"] == 3
