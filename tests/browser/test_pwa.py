"""The installable app in Chromium (issue 21): a valid manifest, a service worker that controls the page and serves
static files on return visits, the offline page for a page that is not stored, sign-out that leaves nothing personal
on a shared phone, and a site that works the same without JavaScript."""

import pytest

from tests.browser.helpers import (
    assert_accessible,
    assert_fits_360,
    loaded_html,
    settle,
    sign_in,
    wait_for_worker,
)
from tests.factories import TEST_PASSWORD, UserFactory

CACHE_CONTENTS = """async () => {
  const out = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    out[name] = [];
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      out[name].push([new URL(request.url).pathname, response.headers.get("Content-Type") || ""]);
    }
  }
  return out;
}"""


def _controlled(page, path="/"):
    """Open a page and wait until the service worker controls it (it claims the page once active)."""
    page.goto(page.base_url + path)
    wait_for_worker(page)
    settle(page)


def test_the_manifest_is_valid_json_and_its_icons_load(browser_page):
    page = browser_page
    page.goto(page.base_url + "/en/")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    assert href == "/en/manifest.webmanifest"

    manifest = page.request.get(page.base_url + href).json()

    assert manifest["name"] == "civichub" and manifest["start_url"] == "/en/" and manifest["lang"] == "en"
    assert manifest["display"] == "standalone"
    purposes = set()
    for icon in manifest["icons"]:
        response = page.request.get(page.base_url + icon["src"])
        assert response.status == 200 and response.headers["content-type"] == "image/png", icon
        purposes.add(icon["purpose"])
    assert purposes == {"any", "maskable"}


def test_the_service_worker_controls_the_page_and_serves_static_files_on_a_return_visit(browser_page):
    page = browser_page
    _controlled(page)
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.scope)")
    assert scope == page.base_url + "/"

    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(page.base_url + "/learning/")
    settle(page)

    static = {r.url.removeprefix(page.base_url): r for r in responses if "/static/" in r.url}
    assert {"/static/css/site.css", "/static/js/site.js", "/static/js/htmx.min.js"} <= set(static)
    assert all(r.from_service_worker for r in static.values()), [
        (url, r.from_service_worker) for url, r in static.items()
    ]
    page_response = next(r for r in responses if r.url == page.base_url + "/learning/")
    assert page_response.status == 200
    # Only the static cache exists, and it holds no page but the two offline pages.
    contents = page.evaluate(CACHE_CONTENTS)
    assert [name.startswith("civichub-static-") for name in contents] == [True]
    html = sorted(path for path, kind in next(iter(contents.values())) if kind.startswith("text/html"))
    assert html == ["/en/offline/", "/offline/"]


def test_offline_a_page_not_stored_shows_the_offline_page_in_its_language(browser_page):
    page = browser_page
    _controlled(page)
    page.context.set_offline(True)
    try:
        page.goto(page.base_url + "/calls/")
        assert page.url == page.base_url + "/calls/"
        assert page.locator("#offline-courses").count() == 1
        assert page.locator("html").get_attribute("lang") == "ka"
        assert_accessible(page)
        assert_fits_360(page)

        page.goto(page.base_url + "/en/community/")
        assert page.locator("h1").inner_text() == "You are offline"
        assert page.locator("html").get_attribute("lang") == "en"
    finally:
        page.context.set_offline(False)


def test_the_offline_page_is_accessible_and_fits_a_phone(browser_page):
    page = browser_page
    page.goto(page.base_url + "/en/offline/")
    assert page.locator("h1").inner_text() == "You are offline"
    assert page.locator("#offline-courses").count() == 1
    assert_accessible(page)
    assert_fits_360(page)


def test_a_new_version_keeps_the_stored_courses_and_drops_the_old_static_cache(
    browser_page, settings, tmp_path
):
    page = browser_page
    _controlled(page)
    page.evaluate(
        """async () => {
          const cache = await caches.open("civichub-course-demo");
          await cache.put("/learning/demo/", new Response("<p>stored</p>", {headers: {"Content-Type": "text/html"}}));
        }"""
    )
    before = set(page.evaluate("caches.keys()"))

    # A deploy: a static file changes, so /sw.js changes and the browser installs the new version.
    (tmp_path / "deploy.css").write_text("p { margin: 0; }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    old_static = {n for n in before if n.startswith("civichub-static-")}
    assert len(old_static) == 1
    for _ in range(100):  # the new version installs, then activates and drops the old static cache
        names = set(page.evaluate("caches.keys()"))
        if not old_static & names and [n for n in names if n.startswith("civichub-static-")]:
            break
        page.wait_for_timeout(200)
    settle(page)

    after = set(page.evaluate("caches.keys()"))
    assert "civichub-course-demo" in after
    assert not old_static & after
    assert [n for n in after if n.startswith("civichub-static-")]


def test_sign_out_wipes_stored_data_and_offline_pages_never_show_the_signed_in_page(browser_page):
    page = browser_page
    person = UserFactory(
        email="shared-phone@example.org", full_name_latin="Eka Kapanadze", full_name_ka="ეკა კაპანაძე"
    )
    sign_in(page, page.base_url, person.email, TEST_PASSWORD)
    _controlled(page, "/me/profile/")
    assert "ეკა კაპანაძე" in page.inner_text("header")
    page.goto(page.base_url + "/learning/my/")
    # What static/js/offline.js keeps: a stored course and answers waiting to sync.
    page.evaluate(
        """async () => {
          const cache = await caches.open("civichub-course-demo");
          await cache.put("/learning/demo/", new Response("<p>Eka's course</p>", {headers: {"Content-Type": "text/html"}}));
          await new Promise((resolve, reject) => {
            const open = indexedDB.open("civichub-offline", 1);
            open.onupgradeneeded = () => open.result.createObjectStore("events", {keyPath: "id"});
            open.onsuccess = () => { open.result.close(); resolve(); };
            open.onerror = reject;
          });
        }"""
    )
    settle(page)

    with page.expect_response(lambda r: r.url.endswith("/accounts/logout/")) as signed_out:
        page.locator("header form[action$='/accounts/logout/'] button").click()
    assert signed_out.value.all_headers().get("clear-site-data") == '"cache", "storage"'
    page.wait_for_load_state()
    assert "ეკა კაპანაძე" not in page.inner_text("header")

    names = page.evaluate("caches.keys()")
    assert not [n for n in names if n.startswith("civichub-course-")]
    databases = page.evaluate("indexedDB.databases().then(list => list.map(d => d.name))")
    assert "civichub-offline" not in databases

    # The next person on this phone, offline: the signed-in pages are gone, only the offline page answers.
    wait_for_worker(page)
    settle(page)
    page.context.set_offline(True)
    try:
        for path in ("/me/profile/", "/learning/my/", "/learning/demo/"):
            page.goto(page.base_url + path)
            assert page.locator("#offline-courses").count() == 1, path
            assert "ეკა" not in loaded_html(page) and "Eka" not in loaded_html(page), path
    finally:
        page.context.set_offline(False)
    contents = page.evaluate(CACHE_CONTENTS)
    assert all(name.startswith("civichub-static-") for name in contents)
    html = sorted(
        path for entries in contents.values() for path, kind in entries if kind.startswith("text/html")
    )
    assert html == ["/en/offline/", "/offline/"]


PUT_ONE_WAITING_STEP = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("civichub-offline", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("events", {keyPath: "id"});
  open.onerror = reject;
  open.onsuccess = () => {
    const tx = open.result.transaction("events", "readwrite");
    tx.objectStore("events").put({id: "5f0c1f9e-0000-4000-8000-000000000001", n: 1, kind: "lesson", title: "L"});
    tx.oncomplete = () => { open.result.close(); resolve(); };
    tx.onerror = reject;
  };
})"""


def test_steps_waiting_to_sync_make_a_sign_out_from_any_page_ask_first(browser_page):
    """Sign-out clears the device: from a page that is not a course page (where offline.js does not load), the
    header's sign-out asks first while steps wait, and saying no keeps the person signed in and the steps kept."""
    page = browser_page
    person = UserFactory(email="waiting@example.org", full_name_ka="ნია ლომიძე")
    sign_in(page, page.base_url, person.email, TEST_PASSWORD)
    page.goto(page.base_url + "/me/profile/")
    settle(page)
    sign_out = page.locator("header form[action$='/accounts/logout/']")
    assert sign_out.get_attribute("data-confirm") is None  # nothing waits: no question
    page.evaluate(PUT_ONE_WAITING_STEP)
    page.goto(page.base_url + "/workspace/")
    page.wait_for_function(
        "() => document.querySelector(\"header form[action$='/accounts/logout/']\").hasAttribute('data-confirm')"
    )
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    sign_out.locator("button").click()
    settle(page)
    assert asked == [
        "კავშირის გარეშე შესრულებულის ნაწილი ჯერ კიდევ ელოდება სინქრონიზაციას და დაიკარგება. მაინც გახვალთ სისტემიდან?"
    ]
    assert "ნია ლომიძე" in page.inner_text("header")  # still signed in
    count = page.evaluate(
        """() => new Promise((ok) => { const o = indexedDB.open("civichub-offline", 1);
             o.onsuccess = () => { const c = o.result.transaction("events").objectStore("events").count();
               c.onsuccess = () => { o.result.close(); ok(c.result); }; }; })"""
    )
    assert count == 1


@pytest.mark.parametrize("path", ["/", "/learning/", "/offline/", "/en/offline/"])
def test_without_javascript_the_site_works_and_nothing_is_registered(nojs_page, path):
    page = nojs_page
    response = page.goto(page.base_url + path)
    assert response.status == 200
    assert page.locator("h1").count() >= 1
    assert page.locator("link[rel=manifest]").count() == 1
    assert page.context.service_workers == []


@pytest.mark.slow
def test_the_throttled_phone_times_a_return_visit_with_the_worker_in_control(chromium, live_server):
    from benchmarks import throttled

    fast = {"latency": 40, "download": 400_000, "upload": 200_000, "cpu": 1}
    pages = [{"label": "offline page", "url": "/en/offline/", "cookie": None}]
    result = throttled.measure_service_worker(chromium, live_server.url, pages, runs=1, profile=fast)

    row = result["pages"][0]
    assert row["first"]["status"] == 200 and row["first"]["lcp"] > 0
    # The return visit: the page and its static files all answered through the worker.
    assert row["repeat"]["from_service_worker"] >= 4 and row["repeat"]["requests"] == 0
    # The worker's own fetch of the page is throttled too: at least one round trip.
    assert row["repeat"]["html"] >= 40
    # (the budget itself is for the bench server: the test's one-request-at-a-time server is no measure of it)
    assert result["budget"] == {"first": 2500, "repeat": 1000}
    lines = throttled.markdown({"pages": {}, "profiles": {}, "runs_per_page": 1, "service_worker": result})
    assert any(line.startswith("| offline page | ") for line in lines)
