"""Whole pages cached for visitors who are not signed in: a view opts in with ``@cache_anonymous_page()``.

This is Django's per-view cache (``cache_page``) applied only where the page is the same for every visitor:

* a signed-in person never gets a cached page and their page is never stored (the view simply runs);
* nor does a visitor with a pending message (a "you signed out" notice must not be stored for everyone, nor
  hidden behind a cached page);
* ``cache_page`` stores only 200 responses to GET and HEAD, keyed on the full URL (host, path, query string)
  and the active language;
* ``csrf_protect`` inside it, as Django's documentation advises for cached views: a page that does use a CSRF
  token then sets the cookie and varies on it, and ``cache_page`` does not store it (no visitor is handed
  another's token).

``invalidate_anonymous_pages()`` drops every cached page at once (call it after publishing what such a page
lists); otherwise a page expires after ``timeout`` seconds. The pages' version number, part of every key, lives
in Django's default cache: with Redis all processes share it, so an invalidation reaches every web process at
once; with the local-memory cache (no ``REDIS_URL``) each process has its own pages and version, so the other
processes serve their copy until it expires.
"""

from __future__ import annotations

import time
from contextlib import suppress
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_page
from django.views.decorators.csrf import csrf_protect

VERSION_KEY = "anon-pages-version"
HIT_HEADER = "X-Page-Cache"


def _cacheable(request) -> bool:
    return not request.user.is_authenticated and not len(get_messages(request))


def _version() -> int | None:
    # Starts from the clock, not from 1: if the version is ever evicted, the new one cannot fall back on a number
    # whose pages are still stored.
    return cache.get_or_set(VERSION_KEY, time.time_ns, None)


def cache_anonymous_page(timeout: int = 60):
    """Serve the view's page from the cache to visitors who are not signed in for up to ``timeout`` seconds."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            rendered = []

            @csrf_protect
            def render(request, *args, **kwargs):
                rendered.append(True)
                return view(request, *args, **kwargs)

            cached_view = cache_page(timeout, key_prefix=f"anon-pages-{_version()}")(render)
            response = cached_view(request, *args, **kwargs)
            response[HIT_HEADER] = "miss" if rendered else "hit"
            # cache_page also lets browsers keep the page for ``timeout`` seconds; a visitor who signs in meanwhile
            # must see their own page at once, so browsers ask again each time (the server's copy still serves).
            patch_cache_control(response, no_cache=True, max_age=0)
            return response

        return wrapped

    return decorator


def invalidate_anonymous_pages() -> None:
    """Forget every cached visitor's page (their keys hold the version; this moves it on)."""
    # Without a stored version there is nothing to move on: the next request starts a new one, which no stored
    # page has.
    with suppress(ValueError):
        cache.incr(VERSION_KEY)
