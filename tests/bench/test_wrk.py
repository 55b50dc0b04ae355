"""The wrk driver of the closed-loop scenarios sends what the Locust users send: each person their own cookies
and URLs, autosave bodies byte for byte (Georgian text included), and counts every answer other than 200 —
and an autosave that answers with an error — as an error. Checked against a real HTTP server on loopback.

Outside CI the test skips when wrk is not installed; with ``CI=true`` it fails (``.ci/run`` installs it)."""

from __future__ import annotations

import gzip
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from benchmarks import wrk
from benchmarks.locustfile_names import multipart

pytestmark = pytest.mark.slow

if not wrk.available():
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("wrk is not installed — the load driver's test is required in CI", pytrace=False)
    pytest.skip("wrk is not installed (apt-get install wrk)", allow_module_level=True)


class Recorder(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str, bytes]] = []
    encodings: set[str] = set()
    lock = threading.Lock()

    def _answer(self, body: bytes = b"") -> None:
        with self.lock:
            self.seen.append((self.command, self.path, self.headers.get("Cookie", ""), body))
            self.encodings.add(self.headers.get("Accept-Encoding", ""))
        status = 404 if self.path.startswith("/missing") else 200
        payload = b"<strong>error</strong>" + b" " * 300 if b"refuse" in body else b"ok"
        compressed = len(payload) >= 200 and "gzip" in self.headers.get("Accept-Encoding", "")
        if compressed:  # as Django's GZipMiddleware does for answers of 200 bytes or more
            payload = gzip.compress(payload)
        self.send_response(status)
        if compressed:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):  # noqa: N802 - the standard library's name
        self._answer()

    def do_POST(self):  # noqa: N802
        self._answer(self.rfile.read(int(self.headers["Content-Length"])))

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Recorder.seen = []
    Recorder.encodings = set()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", Recorder.seen
    httpd.shutdown()
    httpd.server_close()


def test_lua_string_escapes_every_byte_that_is_not_plain_ascii():
    assert wrk.lua_string('a"b\\c') == '"a\\034b\\092c"'
    assert wrk.lua_string("ა\r\n") == '"\\225\\131\\144\\013\\010"'


def test_anonymous_urls_are_requested_and_other_answers_than_200_are_errors(server):
    host, seen = server
    result = wrk.run(
        scenario="anonymous_home", spec={"urls": ["/", "/en/", "/missing/"]}, host=host, users=2, duration=1
    )
    paths = {path for _, path, _, _ in seen}
    assert paths == {"/", "/en/", "/missing/"}
    missing = sum(1 for _, path, _, _ in seen if path == "/missing/")
    assert result["requests"] >= len(seen) - 2  # requests in flight when wrk stopped are not counted
    assert missing > 0
    assert result["errors"] >= missing - 2
    assert result["errors"] <= missing
    assert result["tool"] == "wrk"
    assert Recorder.encodings == {
        "gzip, deflate, br"
    }  # as browsers ask: the server compresses as it does for them
    assert result["rps"] > 0
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]


def test_each_person_keeps_their_own_cookie_and_urls(server):
    host, seen = server
    sessions = [
        {"cookie": "sessionid=aaa; csrftoken=x", "urls": ["/lesson/a1/", "/lesson/a2/"]},
        {"cookie": "sessionid=bbb; csrftoken=y", "urls": ["/lesson/b1/"]},
    ]
    result = wrk.run(scenario="lesson_page", spec={"sessions": sessions}, host=host, users=2, duration=1)
    assert result["errors"] == 0
    by_cookie: dict[str, set[str]] = {}
    for method, path, cookie, _ in seen:
        assert method == "GET"
        by_cookie.setdefault(cookie, set()).add(path)
    assert by_cookie == {
        "sessionid=aaa; csrftoken=x": {"/lesson/a1/", "/lesson/a2/"},
        "sessionid=bbb; csrftoken=y": {"/lesson/b1/"},
    }
    assert Recorder.encodings == {"gzip, deflate, br"}


def test_autosave_posts_the_form_byte_for_byte_and_an_error_answer_counts(server):
    host, seen = server
    pairs = [["f_motivation", "მინდა ვისწავლო"], ["f_budget-0-item", "ტრენინგი"]]
    sessions = [
        {
            "cookie": "sessionid=ccc; csrftoken=t1",
            "csrf": "t1",
            "autosave": "/calls/applications/1/autosave/",
            "pairs": pairs,
        },
        {
            "cookie": "sessionid=ddd; csrftoken=t2",
            "csrf": "t2",
            "autosave": "/calls/applications/2/autosave/",
            "pairs": [["f_text", "refuse"]],
        },
    ]
    result = wrk.run(
        scenario="application_autosave", spec={"sessions": sessions}, host=host, users=2, duration=1
    )
    expected = {
        multipart(pairs),
        multipart([("f_motivation", "მინდა ვისწავლო "), ("f_budget-0-item", "ტრენინგი")]),
    }
    first = [body for method, path, cookie, body in seen if cookie.startswith("sessionid=ccc")]
    assert len(first) > 4
    assert set(first) == expected
    assert all(a != b for a, b in zip(first, first[1:], strict=False))  # every save changes the draft
    assert all(
        method == "POST" and path == "/calls/applications/1/autosave/"
        for method, path, cookie, _ in seen
        if "ccc" in cookie
    )
    refused = sum(1 for _, _, cookie, _ in seen if "ddd" in cookie)
    assert refused > 0
    assert refused - 1 <= result["errors"] <= refused
