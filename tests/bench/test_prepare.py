"""The bench's targets for calls and credentials work against the real views: verification pages answer, an
autosave sent the way the load test sends it (multipart, session + CSRF cookie, X-CSRFToken header) saves
the draft, programme staff get the ranking table, and the list pages (calls, the reviewer's queue, the signed-in
catalogue) are requested with their second page whenever the data fills one."""

import ast
import random
import re
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (apps.is_installed("calls") and apps.is_installed("credentials")),
        reason="calls or credentials not installed",
    ),
]


def client_with(cookie_header: str, **kwargs) -> Client:
    client = Client(**kwargs)
    for name, morsel in SimpleCookie(cookie_header).items():
        client.cookies[name] = morsel.value
    return client


@pytest.fixture
def generated():
    from benchmarks.management.commands import generate_data

    # Through the command's class: the benchmarks app (and so its commands) is installed only when benchmarking.
    call_command(generate_data.Command(), scale="tiny", seed=1)


@pytest.fixture
def targets(generated):
    from benchmarks.prepare import build

    return build(random.Random(7), sessions=5)["scenarios"]


def test_verification_targets_are_real_certificate_pages(targets):
    urls = targets["credential_verification"]["urls"]
    assert urls
    from credentials.formats import format_code
    from credentials.models import Credential

    credential = Credential.objects.get(pk=urls[0].rstrip("/").split("/")[-1])
    response = Client().get(urls[0])
    assert response.status_code == 200
    assert format_code(credential.short_code) in response.content.decode()


def test_autosave_as_the_load_test_sends_it_saves_the_draft(targets):
    from benchmarks.locustfile_names import CLASSES
    from calls.models import Application

    assert "ApplicationAutosave" in CLASSES["application_autosave"]
    applicant = targets["application_autosave"]["sessions"][0]
    client = client_with(applicant["cookie"], enforce_csrf_checks=True)
    key, value = next((k, v) for k, v in applicant["pairs"] if not k.endswith(("-qty", "-unit", "-item")))
    post = {}
    for k, v in applicant["pairs"]:
        post.setdefault(k, []).append(v)
    post[key] = [value + " (autosave)"]

    response = client.post(
        applicant["autosave"], post, HTTP_X_CSRFTOKEN=applicant["csrf"], HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert b"<strong>" not in response.content  # no error, no expired session
    pk = int(applicant["autosave"].rstrip("/").split("/")[-2])
    assert Application.objects.get(pk=pk).data[key.removeprefix("f_")] == value + " (autosave)"


def test_ranking_targets_open_for_programme_staff(targets):
    session = targets["reviewer_ranking"]["sessions"][0]
    response = client_with(session["cookie"]).get(session["urls"][0])
    assert response.status_code == 200
    assert b"ranking" in response.content


def test_mixed_scenario_includes_every_kind_of_person(targets):
    mixed = targets["mixed"]
    for kind in ("learners", "applicants", "reviewers", "forum", "anonymous"):
        assert mixed[kind], kind


def test_signed_in_targets_carry_the_csrf_cookie_a_returning_browser_has(targets):
    """Without it the server would mint a new CSRF secret on every page of the benchmark."""
    session = targets["lesson_page"]["sessions"][0]
    sent = SimpleCookie(session["cookie"])["csrftoken"].value
    response = client_with(session["cookie"]).get(session["urls"][0])
    assert response.status_code == 200
    assert response.cookies["csrftoken"].value == sent  # refreshed, not replaced
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_every_scenario_prepare_builds_is_in_the_report_order_with_a_locust_class(targets):
    from benchmarks.locustfile_names import CLASSES, ORDER

    assert set(targets) - {"trivial"} == set(ORDER)
    assert set(CLASSES) == set(ORDER) | {"trivial"}
    for name in ("call_list", "review_queue", "catalogue_signed_in", "reviewer_ranking"):
        assert "skip" not in targets[name], name


def test_wrk_sends_the_list_pages_as_prepared(targets):
    from benchmarks import wrk

    visitors = wrk.people("call_list", targets["call_list"])
    assert [(p["method"], p["urls"], "Cookie" in p["headers"]) for p in visitors] == [
        ("GET", targets["call_list"]["urls"], False)
    ]
    for name in ("review_queue", "catalogue_signed_in", "reviewer_ranking"):
        sessions = targets[name]["sessions"]
        sent = {(p["headers"]["Cookie"], tuple(p["urls"])) for p in wrk.people(name, targets[name])}
        assert sent == {(s["cookie"], tuple(s["urls"])) for s in sessions}, name


def test_each_locust_class_named_in_the_table_runs_its_own_scenario():
    """Read from the source: importing the locustfile would patch the test process with gevent."""
    from benchmarks.locustfile_names import CLASSES

    source = Path(__file__).resolve().parents[2] / "benchmarks" / "locustfile.py"
    scenario_of = {}
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef):
            scenario_of[node.name] = next(
                (
                    statement.value.value
                    for statement in node.body
                    if isinstance(statement, ast.Assign)
                    and [t.id for t in statement.targets if isinstance(t, ast.Name)] == ["scenario"]
                ),
                None,
            )
    for scenario, classes in CLASSES.items():
        for name in classes.split():
            assert name in scenario_of, name
            if scenario != "mixed":
                assert scenario_of[name] == scenario, name


def test_the_call_list_targets_are_the_visitors_list_in_both_languages(targets):
    from django.urls import reverse
    from django.utils import translation

    from calls.models import Call

    with translation.override("en"):
        english = reverse("calls:call_list")
    # The tiny data has fewer calls than a page holds: no second page is asked for.
    assert targets["call_list"]["urls"] == [reverse("calls:call_list"), english]
    announced = Call.objects.filter(slug__startswith="gen-call-announced-").first()
    for url in targets["call_list"]["urls"]:
        response = Client().get(url)
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
    assert announced.title_en in Client().get(english).content.decode()


def test_the_review_queue_targets_open_for_their_reviewers(targets):
    from django.urls import reverse

    from calls.models import Assignment

    sessions = targets["review_queue"]["sessions"]
    assert sessions
    for session in sessions:
        assert session["urls"] == [reverse("calls:review_queue")]
        response = client_with(session["cookie"]).get(session["urls"][0])
        assert response.status_code == 200
        user = response.wsgi_request.user
        first = Assignment.objects.filter(reviewer=user).exclude(conflict="conflict").first()
        assert first.application.reference in response.content.decode()


def test_the_signed_in_catalogue_targets_are_read_by_enrolled_learners(targets):
    from django.urls import reverse

    sessions = targets["catalogue_signed_in"]["sessions"]
    assert sessions
    for session in sessions:
        assert session["urls"] == [reverse("learning:catalogue")]
        response = client_with(session["cookie"]).get(session["urls"][0])
        assert response.status_code == 200
        assert response.wsgi_request.user.enrolments.filter(active=True).exists()
        assert reverse("learning:my_learning") in response.content.decode()


def links(response, pattern: str) -> set[str]:
    return set(re.findall(pattern, response.content.decode()))


def test_the_staff_application_list_targets_include_page_two_and_a_second_sort(targets, monkeypatch):
    """The ranking table is the staff application list: one scenario, not two. (Pages of one row here: the
    tiny data fills no second page of 25.)"""
    from calls import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    session = targets["reviewer_ranking"]["sessions"][0]
    urls = session["urls"]
    assert "page=2" in urls[1]
    assert {re.search(r"sort=([-\w]+)", url).group(1) for url in urls if "sort=" in url} >= {
        "score",
        "spread",
    }
    client = client_with(session["cookie"])
    first, second = (client.get(url) for url in urls[:2])
    assert (first.status_code, second.status_code) == (200, 200)
    rows = [links(page, r"/calls/manage/applications/\d+/") for page in (first, second)]
    assert rows[0] and rows[1] and not rows[0] & rows[1]


def test_list_targets_ask_for_page_two_when_the_data_fills_more_than_a_page(generated, monkeypatch):
    """With pages of one row the tiny data fills several: every list scenario then asks for its second page,
    which lists other rows than the first."""
    from benchmarks.prepare import build
    from calls import views as calls_views
    from learning import views as learning_views

    monkeypatch.setattr(calls_views, "PAGE_SIZE", 1)
    monkeypatch.setattr(learning_views, "PAGE_SIZE", 1)
    targets = build(random.Random(7), sessions=5)["scenarios"]

    calls = targets["call_list"]["urls"]
    assert [url.endswith("?page=2") for url in calls] == [False, True, False, True]
    # Sorted by deadline: the open call first, the call announced for later on the next page.
    first, second = (Client().get(url).content.decode() for url in calls[:2])
    assert "/calls/gen-call-000/" in first and "/calls/gen-call-announced-000/" not in first
    assert "/calls/gen-call-announced-000/" in second
    row_links = {"review_queue": r"/calls/reviews/\d+/", "catalogue_signed_in": r"/learning/gen-[\w-]+/"}
    for name, pattern in row_links.items():
        session = next(s for s in targets[name]["sessions"] if len(s["urls"]) == 2)
        first, second = session["urls"]
        assert second == first + "?page=2"
        client = client_with(session["cookie"])
        pages = [client.get(first), client.get(second)]
        assert [p.status_code for p in pages] == [200, 200]
        rows = [links(page, pattern) for page in pages]
        assert len(rows[0]) == len(rows[1]) == 1 and rows[0] != rows[1], name
