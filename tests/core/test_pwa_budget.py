"""The installable app's scripts stay small (issue 21): the service worker, site.js and offline.js together at most
20 KB as they cross the network, gzip-compressed."""

import gzip

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

BUDGET = 20 * 1024


def _static_gzip_size(name: str) -> int | None:
    path = finders.find(name)
    if not path:
        return None
    with open(path, "rb") as handle:
        # WhiteNoise serves the .gz it wrote at collectstatic (gzip level 9).
        return len(gzip.compress(handle.read(), compresslevel=9))


def test_service_worker_and_app_scripts_fit_in_20_kb_compressed(client):
    response = client.get("/sw.js", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    sizes = {"/sw.js": len(response.content)}
    for name in ("js/site.js", "js/offline.js"):  # offline.js: counted once it exists
        size = _static_gzip_size(name)
        if size is not None:
            sizes[name] = size

    assert "js/site.js" in sizes
    assert sum(sizes.values()) <= BUDGET, sizes


# The throttled-phone page budget of `make bench` (benchmarks/throttled.py): LCP under 2.5 s first, 1 s on return.


def test_the_throttled_phone_times_the_catalogue_a_lesson_and_a_call_page():
    from benchmarks import throttled

    targets = {
        "scenarios": {
            "anonymous_catalogue": {"urls": ["/learning/", "/learning/?page=2", "/learning/c1/"]},
            "lesson_page": {"sessions": [{"cookie": "sessionid=abc", "urls": ["/learning/c1/l1/"]}]},
            "application_autosave": {"sessions": [{"cookie": "sessionid=def", "call": "/calls/grants/"}]},
        }
    }
    assert [(p["label"], p["url"], p["cookie"]) for p in throttled.service_worker_pages(targets)] == [
        ("catalogue", "/learning/", None),
        ("lesson (signed in)", "/learning/c1/l1/", "sessionid=abc"),
        ("call page", "/calls/grants/", None),
    ]
    assert throttled.LIGHTHOUSE_MOBILE == {"latency": 150, "download": 200_000, "upload": 93_750, "cpu": 4}


def test_a_page_over_its_lcp_budget_is_named():
    from benchmarks import throttled

    rows = [
        {"label": "catalogue", "first": {"lcp": 2400}, "repeat": {"lcp": 900}},
        {"label": "call page", "first": {"lcp": 2600}, "repeat": {"lcp": 1000}},
        {"label": "lesson (signed in)", "first": {"lcp": None}, "repeat": {"lcp": 300}},
    ]
    assert throttled.over_budget(rows) == [
        "call page: first visit LCP 2,600 ms (budget: under 2,500 ms)",
        "call page: repeat visit LCP 1,000 ms (budget: under 1,000 ms)",
        "lesson (signed in): first visit LCP – ms (budget: under 2,500 ms)",
    ]
