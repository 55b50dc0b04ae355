"""The throttled phone timing of `make bench` (benchmarks/throttled.py) measures real page loads."""

import pytest

from benchmarks import throttled
from tests.factories import UserFactory

pytestmark = pytest.mark.slow

FAST = {"test": {"latency": 40, "download": 400_000, "upload": 200_000, "cpu": 2}}


def test_throttled_timing_reports_paint_times_and_what_crossed_the_network(chromium, live_server, client):
    pages = [
        {"label": "home", "url": "/", "cookie": None},
        {"label": "sign in", "url": "/accounts/login/", "cookie": None},
    ]
    result = throttled.measure(chromium, live_server.url, pages, runs=1, profiles=FAST)
    rows = result["pages"]["test"]
    assert [row["label"] for row in rows] == ["home", "sign in"]
    for row in rows:
        first, repeat = row["first"], row["repeat"]
        assert first["status"] == 200
        # (a first paint may come just after the load event: they are independent)
        assert first["fcp"] > 0 and first["lcp"] >= first["fcp"] and first["load"] > 0
        # HTML, stylesheet and two scripts on a first visit; the return visit takes the static files from the cache.
        assert first["requests"] >= 4
        assert repeat["requests"] < first["requests"]
        assert repeat["bytes"] < first["bytes"]
        # Latency is applied: every request waits at least one round trip.
        assert first["load"] >= 40
    lines = throttled.markdown(result)
    assert any(line.startswith("| home | ") for line in lines)
    assert "40 ms latency" in "\n".join(lines)


def test_signed_in_pages_are_timed_with_the_session_cookie(chromium, live_server, client):
    person = UserFactory(email="phone@example.org")
    client.force_login(person)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    pages = [{"label": "profile", "url": "/me/profile/", "cookie": cookie}]
    result = throttled.measure(chromium, live_server.url, pages, runs=1, profiles=FAST)
    first = result["pages"]["test"][0]["first"]
    assert first["status"] == 200
    assert first["final_path"] == "/me/profile/"  # not redirected to the sign-in page


def test_pages_from_targets_picks_one_page_of_each_kind():
    targets = {
        "scenarios": {
            "anonymous_catalogue": {"urls": ["/learning/", "/learning/?page=2", "/learning/c1/"]},
            "lesson_page": {"sessions": [{"cookie": "sessionid=abc", "urls": ["/learning/c1/l1/"]}]},
            "credential_verification": {"urls": ["/credentials/c/x/"]},
            "sign_in_page": {"urls": ["/accounts/login/"]},
            "forum_topic": {"skip": "community has not landed"},
        }
    }
    pages = throttled.pages_from(targets)
    assert [(p["label"], p["url"], p["cookie"]) for p in pages] == [
        ("home", "/", None),
        ("catalogue", "/learning/", None),
        ("course page", "/learning/c1/", None),
        ("lesson (signed in)", "/learning/c1/l1/", "sessionid=abc"),
        ("certificate verification", "/credentials/c/x/", None),
        ("sign in", "/accounts/login/", None),
    ]
