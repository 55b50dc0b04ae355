"""Public endpoints: no token, no personal data, stable pages with next links, ETags, problem details."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.calls.builders import make_call
from tests.learning.builders import make_course
from tests.restapi.conftest import body, make_case, make_opportunity

pytestmark = pytest.mark.django_db


def test_a_partner_site_lists_open_calls_with_exact_deadlines_and_eligibility_in_words(client):
    course = make_course(title="საჯარო ფინანსები")
    deadline = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    grant = make_call(
        kind="small_grant",
        slug="grant",
        regions=["imereti"],
        require_verified_organisation=True,
        closes_at=deadline,
    )
    grant.required_courses.add(course)
    make_call(
        slug="later",
        opens_at=timezone.now() + timedelta(days=3),
        closes_at=timezone.now() + timedelta(days=20),
    )
    make_call(slug="draft", published=False)
    make_call(
        slug="closed",
        opens_at=timezone.now() - timedelta(days=9),
        closes_at=timezone.now() - timedelta(days=1),
    )

    response = client.get("/api/v1/calls", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    data = body(response)
    assert [c["slug"] for c in data["items"]] == ["grant", "later"]
    first = data["items"][0]
    assert first["status"] == "open"
    assert data["items"][1]["status"] == "upcoming"
    # ISO 8601 with the offset of Georgia time, to the second
    assert datetime.fromisoformat(first["closes_at"]) == grant.closes_at
    assert first["closes_at"] == timezone.localtime(deadline).strftime("%Y-%m-%dT%H:%M:%S+04:00")
    assert first["closes_at"].endswith("+04:00")
    assert first["required_courses"] == [course.slug]
    words = " ".join(first["eligibility"])
    assert "Complete all of these courses: საჯარო ფინანსები" in words
    assert "Imereti" in words and "verified" in words
    assert first["title"] == grant.title_en
    assert "contact_email" not in first and "programme@civichub.ge" not in response.content.decode()


def test_calls_filter_by_kind_status_and_region(client):
    make_call(kind="small_grant", slug="grant-imereti", regions=["imereti"])
    make_call(kind="small_grant", slug="grant-everywhere")
    make_call(kind="internship", slug="internship", regions=["kakheti"])
    make_call(slug="upcoming", opens_at=timezone.now() + timedelta(days=2))

    def slugs(query):
        return sorted(c["slug"] for c in body(client.get("/api/v1/calls" + query))["items"])

    assert slugs("?kind=small_grant") == ["grant-everywhere", "grant-imereti"]
    assert slugs("?region=imereti") == ["grant-everywhere", "grant-imereti", "upcoming"]
    assert slugs("?status=upcoming") == ["upcoming"]
    assert slugs("?status=nonsense") == []


def test_calls_come_in_stable_pages_with_next_and_previous_links(client):
    deadline = timezone.now() + timedelta(days=10)
    for n in range(5):
        make_call(slug=f"c{n}", closes_at=deadline)  # the same deadline: the primary key breaks the tie
    first = body(client.get("/api/v1/calls?limit=2"))
    assert first["count"] == 5 and [c["slug"] for c in first["items"]] == ["c0", "c1"]
    assert first["previous"] is None and first["next"].endswith("/api/v1/calls?limit=2&offset=2")
    second = body(client.get(first["next"].split("testserver")[-1].split("127.0.0.1")[-1].split(":8000")[-1]))
    assert [c["slug"] for c in second["items"]] == ["c2", "c3"]
    last = body(client.get("/api/v1/calls?limit=2&offset=4"))
    assert [c["slug"] for c in last["items"]] == ["c4"] and last["next"] is None


def test_courses_and_a_course_outline(client):
    course = make_course(slug="finance", topics=["budget"])
    make_course(slug="hidden", published=False)
    data = body(client.get("/api/v1/courses"))
    assert [c["slug"] for c in data["items"]] == ["finance"]
    assert data["items"][0]["topics"] == ["budget"]
    assert body(client.get("/api/v1/courses?topic=nothing"))["count"] == 0

    outline = body(client.get("/api/v1/courses/finance"))
    assert outline["title"] == course.title
    assert [lesson["title"] for lesson in outline["modules"][0]["lessons"]] == [
        "გაკვეთილი 1",
        "გაკვეთილი 2",
        "ტესტი",
    ]
    assert client.get("/api/v1/courses/hidden").status_code == 404


def test_opportunities_and_cases_carry_no_personal_data(client, learner, staff):
    make_opportunity(title="აკადემია", created_by=staff)
    make_opportunity(title="ძველი", deadline=timezone.now() - timedelta(days=1))
    make_case(author=learner, title="ქუთაისის ბიუჯეტი")
    make_case(author=learner, title="მონახაზი", status="draft")

    opportunities = client.get("/api/v1/opportunities")
    cases = client.get("/api/v1/cases?region=imereti&mechanism=civic_budget")

    assert [o["title"] for o in body(opportunities)["items"]] == ["აკადემია"]
    assert [c["title"] for c in body(cases)["items"]] == ["ქუთაისის ბიუჯეტი"]
    text = opportunities.content.decode() + cases.content.decode()
    for person in (learner, staff):
        for value in (person.email, person.full_name_ka, person.full_name_latin):
            assert value not in text
    assert "@" not in text


def test_no_personal_data_in_any_public_answer_even_for_a_signed_in_visitor(client, learner):
    make_call(slug="grant")
    make_course(slug="finance")
    client.force_login(learner)
    for path in ("/api/v1/calls", "/api/v1/courses", "/api/v1/courses/finance", "/api/v1/opportunities"):
        text = client.get(path).content.decode()
        assert learner.email not in text and learner.full_name_ka not in text and '"done"' not in text


def test_etag_and_if_none_match(client):
    make_call(slug="grant")
    first = client.get("/api/v1/calls")
    etag = first["ETag"]
    assert etag and first["Cache-Control"].startswith("public")
    again = client.get("/api/v1/calls", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    weak = client.get("/api/v1/calls", HTTP_IF_NONE_MATCH="W/" + etag)
    assert weak.status_code == 304
    make_call(slug="another")
    changed = client.get("/api/v1/calls", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.parametrize(("language", "title"), [("en", "Not found"), ("ka", "ვერ მოიძებნა")])
def test_errors_are_problem_details_in_the_requested_language(client, language, title):
    response = client.get("/api/v1/courses/missing", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    problem = body(response)
    assert (
        problem["status"] == 404
        and problem["title"] == title
        and problem["instance"] == "/api/v1/courses/missing"
    )


def test_invalid_parameters_are_422_problem_details(client):
    response = client.get("/api/v1/calls?limit=1000", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    problem = body(response)
    assert problem["title"] == "Some parameters are not valid"
    assert problem["errors"][0]["loc"][-1] == "limit"


@pytest.mark.parametrize(
    "path", ["/api/v1/calls", "/api/v1/courses", "/api/v1/opportunities", "/api/v1/cases"]
)
def test_list_endpoints_cost_the_same_queries_for_one_item_and_for_three(
    client, django_assert_num_queries, path
):
    builders = {
        "/api/v1/calls": lambda n: make_call(slug=f"q{n}").required_courses.add(make_course(slug=f"rc{n}")),
        "/api/v1/courses": lambda n: make_course(slug=f"qc{n}", topics=[f"t{n}", "shared"]),
        "/api/v1/opportunities": lambda n: make_opportunity(),
        "/api/v1/cases": lambda n: make_case(),
    }
    expected = {"/api/v1/calls": 3, "/api/v1/courses": 3, "/api/v1/opportunities": 2, "/api/v1/cases": 2}[
        path
    ]
    builders[path](0)
    with django_assert_num_queries(expected):
        assert body(client.get(path))["count"] == 1
    builders[path](1)
    builders[path](2)
    with django_assert_num_queries(expected):
        assert body(client.get(path))["count"] == 3


def test_the_openapi_document_is_3_1_and_lists_every_endpoint(client):
    schema = body(client.get(reverse("api_v1:openapi-json")))
    assert schema["openapi"].startswith("3.1")
    assert {"/api/v1/calls", "/api/v1/courses", "/api/v1/me/enrolments", "/api/v1/credentials/verify"} <= set(
        schema["paths"]
    )
    errors = schema["paths"]["/api/v1/courses/{slug}"]["get"]["responses"]["404"]["content"]
    assert list(errors) == ["application/problem+json"]
