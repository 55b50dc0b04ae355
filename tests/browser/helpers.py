"""Helpers for browser tests: sign in, accessibility (axe-core), 360 px fit, page weight."""

from __future__ import annotations

import gzip
from importlib import import_module

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from playwright.sync_api import Error as PlaywrightError

_axe = Axe()
# How long an action or an expectation waits before it fails. The live server answers one request at a time and CI
# runs the other tests beside the browser on two cores: allow for a slow moment, not only the usual second.
PAGE_TIMEOUT_MS = 30_000
BLOCKING_IMPACTS = {"serious", "critical"}


def as_user(page, user):
    """Sign a user in by session cookie, without opening a page (a privileged user's TOTP step is tested by the
    foundation)."""
    session = import_module(django_settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = django_settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": page.base_url}]
    )


def sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violation on the current page.

    axe is JavaScript: on a page opened with JavaScript off it would wait forever, so the same URL is opened
    with the same cookies in a JavaScript-enabled twin and checked there (the server sends the same markup).
    """
    if getattr(page, "javascript_enabled", True) is False:
        browser = page.context.browser
        twin_context = browser.new_context(
            storage_state=page.context.storage_state(), viewport=page.viewport_size
        )
        try:
            twin = twin_context.new_page()
            twin.goto(page.url)
            _assert_axe_clean(twin)
        finally:
            twin_context.close()
        return
    _assert_axe_clean(page)


# What Chromium says when a script ran into a page that was being replaced by a navigation (a click on a
# link returns before the next page has loaded).
_NAVIGATION_RACE = ("Execution context was destroyed", "reading 'documentElement'", "Cannot find context")


def _run_axe(page, attempts: int = 3):
    """Run axe on the page the browser shows once it has loaded, even if a click's navigation is under way."""
    for attempt in range(attempts):
        page.wait_for_load_state("load")
        try:
            return _axe.run(page)
        except PlaywrightError as error:
            if attempt == attempts - 1 or not any(sign in str(error) for sign in _NAVIGATION_RACE):
                raise
            page.wait_for_timeout(100)
    raise AssertionError("unreachable")


def _assert_axe_clean(page) -> None:
    results = _run_axe(page)
    violations = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:3] if n.get("target"))
        for v in violations
    ]
    assert summary == [], f"axe-core violations on {page.url}: {summary}"


def assert_fits_360(page) -> None:
    """At 360 px wide the page has no horizontal scrolling."""
    original = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    try:
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{page.url} scrolls horizontally by {overflow}px at 360px"
    finally:
        page.set_viewport_size(original)


def page_weight(page, url: str) -> dict:
    """Load ``url`` with an empty cache and return bytes by type, gzip-compressed as a server would send them.

    HTML is measured gzip-compressed (the front proxy compresses it in production); CSS and JS are served
    pre-compressed by WhiteNoise. Returns {"html": n, "css": n, "js": n, "other": n, "requests": n, "total_core": n}.
    """
    sizes = {"html": 0, "css": 0, "js": 0, "other": 0, "requests": 0}
    responses = []

    def collect(response):
        responses.append(response)

    page.on("response", collect)
    page.goto(url, wait_until="load")
    page.remove_listener("response", collect)
    for response in responses:
        sizes["requests"] += 1
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - redirects have no body
            continue
        kind = response.request.resource_type
        compressed = len(gzip.compress(body, compresslevel=6))
        if kind == "document":
            sizes["html"] += compressed
        elif kind == "stylesheet":
            sizes["css"] += compressed
        elif kind == "script":
            sizes["js"] += compressed
        else:
            sizes["other"] += len(body)
    sizes["total_core"] = sizes["html"] + sizes["css"] + sizes["js"]
    return sizes


def dom_size(page) -> int:
    return page.evaluate("() => document.getElementsByTagName('*').length")


def settle(page) -> None:
    """Wait until the page has no request in flight (an autosave flushed on leaving, say) before the test itself
    reads or writes the database: on SQLite the live server shares the test's connection."""
    page.wait_for_load_state("networkidle")


def loaded_html(page) -> str:
    """The page's HTML once it has loaded. A click on a submit button returns as soon as the next page starts
    loading, when its document may still be empty: reading ``page.content()`` then sees nothing (and an
    assertion that a text is absent would pass for the wrong reason)."""
    page.wait_for_load_state("load")
    return page.content()


# How long a test waits for the service worker to control a page. It installs after the page's load event (six
# static files, one request at a time from the live server), which on a busy two-core machine took over 15 s.
WORKER_TIMEOUT_MS = 60_000


def wait_for_worker(page) -> None:
    """Wait until the service worker controls the page: once it is active it claims open pages; a page opened
    before it was active and not claimed is reloaded once."""
    page.wait_for_function(
        "async () => { await navigator.serviceWorker.ready; return true; }", timeout=WORKER_TIMEOUT_MS
    )
    if not page.evaluate("() => Boolean(navigator.serviceWorker.controller)"):
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=WORKER_TIMEOUT_MS)
