"""The report's small/large table lists every scenario run at both scales, the list pages among them."""

import pytest

from benchmarks.locustfile_names import ORDER
from benchmarks.run import markdown

pytestmark = pytest.mark.slow

LIST_PAGES = ["call_list", "review_queue", "catalogue_signed_in", "reviewer_ranking"]


def run(scale: str, p95: float) -> dict:
    def result(scenario: str) -> dict:
        return {
            "scenario": scenario,
            "tool": "wrk",
            "users": 20,
            "rps": 100.0,
            "p50_ms": p95 / 2,
            "p95_ms": p95,
            "p99_ms": p95 * 2,
            "errors": 0,
            "ratio": 0.1,
            "avg_bytes": 1000,
            "failures": [],
        }

    ceiling = {"rps": 1000.0, "p50_ms": 1.0, "p95_ms": 2.0}
    return {
        "scale": scale,
        "generated_users": 2000,
        "database": "SQLite (WAL)",
        "server": "gunicorn",
        "started": "2026-12-06T16:00:00+00:00",
        "ceiling": ceiling,
        "ceiling_runs": [1000.0],
        "results": [result(s) for s in ORDER if s != "mixed"],
        "skipped": {},
    }


def test_the_small_large_table_lists_the_list_pages():
    assert set(LIST_PAGES) <= set(ORDER)
    text = markdown([run("small", 10.0), run("large", 12.0)], "make bench")
    table = text.split("p95 as data grows", 1)[1]
    for scenario in LIST_PAGES:
        assert f"| {scenario} | 10 | 12 | 1.20× |" in table, scenario
