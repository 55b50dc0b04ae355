"""How gunicorn serves civichub. gunicorn reads this file from the working directory, so `make run`,
`make bench` and a plain `gunicorn civichub.wsgi:application` in production all get the same settings;
environment variables override them.

Sync workers by default, one per core the process may run on (at least two): each process serves one request
at a time, as gunicorn recommends behind a buffering reverse proxy (nginx) in production. On 2 cores under 20
signed-in users, sync workers served the lesson page at lower CPU per request and about half the p95 of three
workers x two threads (docs/performance.md): threads share one interpreter lock, and a keep-alive connection
stays on the worker that accepted it, so a busy worker keeps its queue while another idles. With one request
per connection, whichever worker is free takes the next one. The pages are CPU-bound (the database answers in
well under a millisecond), so a third worker on two cores only added switching: in three paired runs the forum
topic's p95 was 84-99 ms with two workers and 98-110 ms with three, the lesson page's the same (79-91 against
81-90). ``WEB_CONCURRENCY`` sets the number (more where requests wait on a remote database or service);
``GUNICORN_THREADS`` above 1 selects threaded workers (with keep-alive) instead.
"""

import gc
import os


def _int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise SystemExit(f"{name} must be at least {minimum}, not {value}")
    return value


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


workers = _int("WEB_CONCURRENCY", max(2, _cores()))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "sync" if threads == 1 else "gthread"
# Threaded workers keep idle connections this long (sync workers close each connection after its response).
keepalive = _int("GUNICORN_KEEPALIVE", 5)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 5

# Garbage collection. A worker holds ~200,000 long-lived objects once Django, the URLconf, the translation
# catalogues and the compiled templates are loaded; every full collection walks all of them, and on the
# benchmark machine one took 90-160 ms, stalling the worker's request every ~400 requests (the p99 of the lesson
# page was twice its p95). gc.freeze() moves the objects alive at that moment out of the collector's sight
# (they are still freed by reference counting; only a reference cycle among them would outlive its use), so
# later full collections walk what requests create. Done once the worker has loaded the application, and once
# more after it has served GUNICORN_GC_FREEZE_AFTER requests (templates compiled and caches filled by then);
# 0 turns both off.
gc_freeze_after = _int("GUNICORN_GC_FREEZE_AFTER", 1000, minimum=0)


def _freeze() -> None:
    gc.collect()
    gc.freeze()


def _load_lazily_built_parts() -> None:
    """What Django builds on the first request anyway: the URL resolvers and both languages' catalogues."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports every urls module
    get_resolver()._populate()
    for code, _name in settings.LANGUAGES:
        translation.activate(code)  # loads and merges the language's catalogues
    translation.deactivate()


def post_worker_init(worker) -> None:
    if gc_freeze_after:
        _load_lazily_built_parts()
        _freeze()
        worker.civichub_served = 0


def post_request(worker, req, environ, resp) -> None:
    if not gc_freeze_after:
        return
    served = getattr(worker, "civichub_served", 0) + 1
    worker.civichub_served = served
    if served == gc_freeze_after:
        _freeze()
