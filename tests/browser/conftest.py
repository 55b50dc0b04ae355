"""Browser fixtures: Playwright for Python driving Debian's Chromium (never a downloaded browser).

Outside CI, browser tests skip with a clear message when no Chromium is found; with ``CI=true`` they fail.
Every page's console errors and uncaught exceptions fail the test, and any request that leaves the
machine is refused (a page must not depend on a third party).
"""

import os
import re
import shutil
from urllib.parse import urlparse

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

from tests.browser.helpers import PAGE_TIMEOUT_MS

CHROMIUM_CANDIDATES = ["/usr/bin/chromium", shutil.which("chromium") or ""]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class OneRequestAtATime(WSGIServer):
    """The live server answers one request at a time.

    On SQLite the test database lives in memory and the server's threads share the test's one connection: two
    requests at once (an autosave and the page it flushes on leaving, say) interleave their transactions on it,
    and one can roll back the other's writes. Browsers open a connection per request here (Django answers
    ``Connection: close`` when the server is not threaded), so requests simply queue.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)  # the server thread itself uses the test's connections


LiveServerThread.server_class = OneRequestAtATime


def _chromium_path() -> str | None:
    if os.environ.get("CHROMIUM_PATH"):  # an explicit choice is the only candidate
        return os.environ["CHROMIUM_PATH"] if os.path.exists(os.environ["CHROMIUM_PATH"]) else None
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            # Browser tests share one Chromium per xdist worker; keep them together.
            item.add_marker(pytest.mark.xdist_group("browser"))
            # A real browser on a loaded two-core machine has slow moments no wait covers (the only two CI failures
            # in 25 submissions were such moments). A browser test that fails runs once more, and fails only if it
            # fails again: a broken behaviour still fails, and the "R" in the output shows every second run.
            item.add_marker(pytest.mark.flaky(reruns=1))


@pytest.fixture(scope="session")
def chromium():
    path = _chromium_path()
    if path is None:
        message = "Chromium not found (install Debian's 'chromium' package or set CHROMIUM_PATH)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " — browser tests are required in CI")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
    playwright.stop()


def _local_only(route):
    host = urlparse(route.request.url).hostname or ""
    if host in {"localhost", "127.0.0.1", "::1"} or route.request.url.startswith(("data:", "blob:")):
        route.continue_()
    else:
        route.abort()


class PageProblems:
    def __init__(self):
        self.errors: list[str] = []

    def console(self, message):
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def page_error(self, error):
        self.errors.append(f"page error: {error}")


def _make_page(chromium, *, javascript: bool, width: int = 1280, height: int = 900):
    context = chromium.new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": height}, locale="ka-GE"
    )
    context.route("**/*", _local_only)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    problems = PageProblems()
    page.on("console", problems.console)
    page.on("pageerror", problems.page_error)
    return context, page, problems


@pytest.fixture
def browser_page(chromium, live_server, transactional_db):
    context, page, problems = _make_page(chromium, javascript=True)
    page.base_url = live_server.url
    page.javascript_enabled = True
    yield page
    context.close()
    # Pages deliberately answered with a 4xx status (404, 403, a 400 form error) log "Failed to load resource";
    # nothing else may be logged.
    real = [
        e
        for e in problems.errors
        if not re.search(r"Failed to load resource: the server responded with a status of 4\d\d", e)
    ]
    assert real == [], f"browser console errors: {real}"


@pytest.fixture
def nojs_page(chromium, live_server, transactional_db):
    context, page, problems = _make_page(chromium, javascript=False)
    page.base_url = live_server.url
    page.javascript_enabled = False
    yield page
    context.close()
