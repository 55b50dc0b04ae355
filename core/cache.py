"""Full-page cache for anonymous visitors, which a view opts into with ``@cache_anonymous_page()``.

Safe by construction:

* only GET/HEAD from a visitor who is not signed in, and who has no pending message (a "you signed out"
  notice must not be cached, nor hidden by a cached page);
* the key varies on the host, the active language and the full path with its query string;
* only 200 responses that set no cookie of their own are stored;
* CSRF tokens in the page (the language switch and the htmx header carry one) are replaced by a
  placeholder when stored and by the visitor's own fresh token when served, so every form on a cached page
  still works and the CSRF cookie is set exactly as on an uncached page.

Pages without a CSRF token (the usual case: a visitor's header switches language with a link, not a form) are the
same bytes for every visitor, so they are also stored gzip-compressed and served as they are to browsers that
accept gzip: no compression per request, which was a quarter of a cache hit's CPU. They carry no secret, so they
need no BREACH padding (core.middleware.GZipMiddleware pads every page it compresses).

``invalidate_anonymous_pages()`` drops every cached page at once, in every process (call it after publishing
content that an anonymous page lists); otherwise pages expire after ``timeout`` seconds. The cache is Django's
default cache: shared between processes with Redis, where the pages' version number lives in the cache too; per
process with local memory, where the version is a stamp file under VAR_DIR (``settings.PAGE_CACHE_STAMP``) that
every process reads on each cached request (a few microseconds): a version kept in one worker's memory left the
other workers serving the old catalogue for up to five minutes after a course was published.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from django.utils.translation import get_language

VERSION_KEY = "pagecache:version"
PLACEHOLDER = b"@@civichub-csrf-token@@"
HIT_HEADER = "X-Page-Cache"
MAX_PATH = 300
_CANDIDATE = re.compile(rb"[A-Za-z0-9]{64}")
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Link")


def _has_pending_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    if storage is not None and getattr(storage, "_queued_messages", None):
        return True
    if CookieStorage.cookie_name in request.COOKIES:
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES and hasattr(request, "session"):
        return bool(request.session.get(SessionStorage.session_key))
    return False


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if len(request.get_full_path()) > MAX_PATH:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not _has_pending_messages(request)


def per_process() -> bool:
    """Whether Django's default cache lives in each process's memory (no REDIS_URL)."""
    return isinstance(caches["default"], LocMemCache)


def _version():
    if per_process():
        try:
            with open(settings.PAGE_CACHE_STAMP, "rb") as stamp:
                return stamp.read().decode("ascii", "replace")
        except FileNotFoundError:
            return 0
    return cache.get(VERSION_KEY, 0)


def _key(request) -> str:
    version = _version()
    digest = hashlib.sha256(
        f"{request.get_host()}|{get_language()}|{request.get_full_path()}".encode()
    ).hexdigest()
    return f"pagecache:{version}:{digest}"


def _freeze(request, response) -> dict | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if "no-store" in response.get("Cache-Control", "") or "private" in response.get("Cache-Control", ""):
        return None
    content = response.content
    secret = request.META.get("CSRF_COOKIE")
    if secret:

        def hide(match: re.Match) -> bytes:
            return PLACEHOLDER if _unmask_cipher_token(match.group(0).decode()) == secret else match.group(0)

        content = _CANDIDATE.sub(hide, content)
    frozen = {
        "content": content,
        "headers": {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)},
    }
    if PLACEHOLDER not in content:
        compressed = compress_string(content)
        if len(compressed) < len(content):
            frozen["gzip"] = compressed
    return frozen


def _thaw(request, frozen: dict) -> HttpResponse:
    compressed = frozen.get("gzip")
    if compressed is not None and re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(compressed)
        response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves an encoded response alone
    else:
        content = frozen["content"]
        if PLACEHOLDER in content:
            content = content.replace(PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content)
    patch_vary_headers(response, ("Accept-Encoding",))
    for name, value in frozen["headers"].items():
        response[name] = value
    return response


def cache_anonymous_page(timeout: int = 60):
    """Serve the view's page from the cache to anonymous visitors for up to ``timeout`` seconds."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _key(request)
            frozen = cache.get(key)
            if frozen is not None:
                response = _thaw(request, frozen)
                response[HIT_HEADER] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            frozen = _freeze(request, response)
            if frozen is not None:
                cache.set(key, frozen, timeout)
                response[HIT_HEADER] = "miss"
            return response

        return wrapped

    return decorator


def invalidate_anonymous_pages() -> None:
    """Forget every cached anonymous page, in every process (they are keyed by a version; this moves it on)."""
    if per_process():
        stamp = Path(settings.PAGE_CACHE_STAMP)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        fresh = stamp.with_name(f"{stamp.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fresh.write_text(secrets.token_hex(8), encoding="ascii")
        os.replace(fresh, stamp)  # readers see the old stamp or the new one, never half of one
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)
