"""The installable app's shell (decision 0026): the web app manifest, the service worker, the offline page, and
the header that wipes what this origin stored on the device when a person signs out.

All of it is progressive enhancement: without JavaScript, or in a browser without service workers, the site is the
same website; the worker only answers from its caches what the network cannot.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# The colours of static/css/site.css (--brand, --bg).
THEME_COLOUR = "#0b5c4a"
BACKGROUND_COLOUR = "#ffffff"
# What the worker stores when it installs: the files every page loads, and the icons (static/js/offline.js, the
# stored courses' script, once it exists).
SHELL_FILES = [
    "css/site.css",
    "js/htmx.min.js",
    "js/site.js",
    "js/offline.js",
    "img/favicon.svg",
    "img/icon-192.png",
]
ICONS = [
    ("img/icon-192.png", "192x192", "any"),
    ("img/icon-512.png", "512x512", "any"),
    ("img/icon-maskable-192.png", "192x192", "maskable"),
    ("img/icon-maskable-512.png", "512x512", "maskable"),
]
# Sent with the sign-out response: the browser deletes this origin's caches (the stored courses included) and its
# storage (IndexedDB, local storage, service worker registrations). Cookies are already ended by the sign-out.
CLEAR_SITE_DATA = '"cache", "storage"'


def static_version() -> str:
    """A short hash that changes whenever a static file changes, naming the worker's cache.

    In production the static files have hashed names and the storage's manifest carries a hash over all of them
    (``ManifestFilesMixin.manifest_hash``); in development and tests (plain names) the hash is taken over every
    static file's name, size and modification time, so an edited file is not served from an old cache.
    """
    manifest_hash = getattr(staticfiles_storage, "manifest_hash", "")
    if manifest_hash:
        return str(manifest_hash)[:12]
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


def _offline_urls() -> dict[str, str]:
    urls = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls[code] = reverse("offline")
    return urls


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js at the site's root, so its scope is the whole site. Never cached by the browser's HTTP cache
    (``no-cache``): each navigation checks it, so a deploy reaches every phone on its next visit."""
    context = {
        "version": static_version(),
        "static_prefix": json.dumps(settings.STATIC_URL),
        "shell": json.dumps([static(name) for name in SHELL_FILES if finders.find(name)]),
        "offline": json.dumps(_offline_urls()),
        "default_language": json.dumps(settings.LANGUAGE_CODE),
    }
    response = render(request, "core/sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
@cache_control(max_age=86400, public=True)
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest in the page's language (``/manifest.webmanifest``, ``/en/manifest.webmanifest``)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    data = {
        "id": "/",
        "lang": language,
        "dir": "ltr",
        "name": _("civichub"),
        "short_name": _("civichub"),
        "description": _("Learn, apply, prove and connect: a platform for civil society in Georgia."),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What a navigation shows when the network fails and the page was not stored on the device.

    The worker stores it without cookies, so it is the visitors' page: nothing personal is in it. The stored
    courses are listed by static/js/offline.js in ``#offline-courses``.
    """
    return render(request, "core/offline.html")


class ClearSiteDataOnSignOut:
    """A request that ends a signed-in session (sign-out, account deletion) answers with ``Clear-Site-Data``.

    Compared before and after the view: signed in before, not after. Only POST requests can sign out (allauth's
    sign-out and the deletion form are forms), so other requests are not looked at.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return self.get_response(request)
        signed_in = SESSION_KEY in request.session
        response = self.get_response(request)
        if signed_in and SESSION_KEY not in request.session:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
