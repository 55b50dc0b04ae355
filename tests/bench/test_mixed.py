"""The mixed scenario models people already on the site: each starts somewhere in their 1-3 s of think time
instead of all clicking at the same instant (that queue of first clicks used to be the scenario's p95). Run with
Locust against a recording HTTP server on loopback."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from benchmarks.run import run_locust

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("load")]


class Clock(BaseHTTPRequestHandler):
    arrivals: list[tuple[float, str]] = []
    lock = threading.Lock()

    def do_GET(self):  # noqa: N802 - the standard library's name
        with self.lock:
            self.arrivals.append((time.monotonic(), self.headers.get("Cookie", "")))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_people_of_the_mixed_scenario_arrive_spread_over_their_think_time(tmp_path):
    Clock.arrivals = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Clock)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()

    def person(n):
        return {
            "cookie": f"sessionid=p{n}",
            "urls": [f"/page/{n}"],
            "course": "/c",
            "my": "/my",
            "queue": "/q",
        }

    targets = tmp_path / "targets.json"
    targets.write_text(
        json.dumps(
            {
                "scenarios": {
                    "mixed": {
                        "learners": [person(n) for n in range(0, 20)],
                        "applicants": [],
                        "reviewers": [person(n) for n in range(20, 40)],
                        "forum": [person(n) for n in range(40, 60)],
                        "anonymous": ["/"],
                    }
                }
            }
        )
    )
    try:
        result = run_locust(
            scenario="mixed",
            host=f"http://127.0.0.1:{httpd.server_port}",
            targets=str(targets),
            users=24,
            duration=5,
        )
    finally:
        httpd.shutdown()
        httpd.server_close()

    first: dict[str, float] = {}
    for moment, cookie in Clock.arrivals:
        if cookie:
            first.setdefault(cookie, moment)
    starts = sorted(first.values())
    assert result["errors"] == 0 and len(starts) >= 10
    spread = starts[-1] - starts[0]
    together = sum(1 for moment in starts if moment - starts[0] < 0.3)
    # Started at once, every signed-in person's first click lands within a few milliseconds of the others'.
    assert spread > 1.2, starts
    assert together <= len(starts) // 2, starts
