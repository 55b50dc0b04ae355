"""The installable app's shell (core/pwa.py): the manifest, the service worker, the offline page, and the header that
wipes the device's stored data when a person signs out."""

import io
import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, str]:
    return dict(part.strip().partition(" ")[::2] for part in header.split(";") if part.strip())


@pytest.mark.parametrize(
    ("path", "language", "start"),
    [("/manifest.webmanifest", "ka", "/"), ("/en/manifest.webmanifest", "en", "/en/")],
)
def test_the_manifest_makes_the_site_installable_in_the_page_language(client, path, language, start):
    response = client.get(path)

    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["lang"] == language and manifest["start_url"] == start
    assert manifest["id"] == "/" and manifest["scope"] == "/"
    assert manifest["name"] == "civichub" and manifest["short_name"] == "civichub"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b5c4a" and manifest["background_color"] == "#ffffff"
    assert {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }


def test_every_icon_of_the_manifest_is_a_png_of_its_stated_size(client):
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with open(path, "rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
        assert image.format == "PNG"
        assert f"{image.width}x{image.height}" == icon["sizes"]


def test_the_description_of_the_manifest_is_in_georgian_on_georgian_pages(client):
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert "საქართველო" in manifest["description"]


@pytest.mark.parametrize("language", ["ka", "en"])
def test_every_page_links_the_manifest_of_its_language_the_theme_colour_and_the_touch_icon(client, language):
    html = client.get("/" if language == "ka" else "/en/").content.decode()

    manifest = "/manifest.webmanifest" if language == "ka" else "/en/manifest.webmanifest"
    assert f'<link rel="manifest" href="{manifest}">' in html
    assert '<meta name="theme-color" content="#0b5c4a">' in html
    assert '<link rel="apple-touch-icon" href="/static/img/apple-touch-icon.png">' in html
    assert finders.find("img/apple-touch-icon.png")


def test_the_service_worker_is_served_from_the_root_and_checked_on_every_visit(client):
    response = client.get("/sw.js")

    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    # It stores the files every page loads and both offline pages when it installs.
    assert '"/static/css/site.css"' in script and '"/static/js/site.js"' in script
    assert '{"ka": "/offline/", "en": "/en/offline/"}' in script
    # Versioned cache; an activating version deletes only older static caches, never a stored course.
    assert 'var STATIC_CACHE = "civichub-static-" + VERSION;' in script
    assert 'name.indexOf("civichub-static-") === 0 && name !== STATIC_CACHE' in script
    # Forms and other writes pass through untouched; pages are never stored by the worker.
    assert 'if (request.method !== "GET") { return; }' in script
    assert "cache.put" in script and script.count("cache.put") == 1  # only in staticFile()


def test_the_service_worker_version_follows_the_static_files(client, settings, tmp_path):
    before = client.get("/sw.js").content.decode()
    (tmp_path / "extra.css").write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]

    after = client.get("/sw.js").content.decode()

    def version(script):
        return script.split('var VERSION = "')[1].split('"')[0]

    assert len(version(before)) == 12 and version(before) != version(after)


def test_the_policy_allows_the_worker_and_the_manifest_from_the_site_only(client):
    policy = _directives(client.get("/")["Content-Security-Policy"])
    assert policy["worker-src"] == "'self'" and policy["manifest-src"] == "'self'"
    assert policy["script-src"] == "'self'"


@pytest.mark.parametrize("path", ["/offline/", "/en/offline/"])
def test_the_offline_page_is_public_light_and_leaves_room_for_the_stored_courses(client, path):
    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<div id="offline-courses"></div>' in html
    assert "csrfmiddlewaretoken" not in html and "X-CSRFToken" not in html
    assert "sessionid" not in response.cookies
    if path == "/en/offline/":
        assert "<h1>You are offline</h1>" in html


def test_signing_out_tells_the_browser_to_wipe_the_sites_caches_and_storage(client, learner):
    client.force_login(learner)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_asking_to_delete_the_account_signs_out_and_wipes_the_device_too(client, learner):
    client.force_login(learner)

    response = client.post(reverse("accounts:delete_account"), {"confirm": "on"})

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_other_responses_do_not_wipe_anything(client, learner):
    # A visitor's pages, a visitor's sign-out, signing in, and a signed-in person's pages and writes.
    assert "Clear-Site-Data" not in client.get("/")
    assert "Clear-Site-Data" not in client.post(reverse("account_logout"))
    person = UserFactory(email="tamta@example.org")
    person.set_password("correct horse battery")
    person.save(update_fields=["password"])
    wrong = client.post(reverse("account_login"), {"login": "tamta@example.org", "password": "wrong"})
    assert wrong.status_code == 200 and "Clear-Site-Data" not in wrong
    signed_in = client.post(
        reverse("account_login"), {"login": "tamta@example.org", "password": "correct horse battery"}
    )
    assert "Clear-Site-Data" not in signed_in
    client.force_login(learner)
    assert "Clear-Site-Data" not in client.get(reverse("accounts:profile"))
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switched.status_code == 302 and "Clear-Site-Data" not in switched
    assert "_auth_user_id" in client.session
