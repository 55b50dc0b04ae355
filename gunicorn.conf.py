"""How gunicorn serves civichub. gunicorn reads this file from the working directory, so `make run`,
`make bench` and a plain `gunicorn civichub.wsgi:application` in production all get the same settings;
environment variables override them.

Sync workers by default, one per core the process may run on (at least two): each process serves one request
at a time, as gunicorn recommends behind a buffering reverse proxy (nginx) in production. On two cores they served
the signed-in pages at a lower p95 than threaded workers (docs/performance.md): threads share one interpreter
lock, and a keep-alive connection stays on the worker that accepted it, so a busy worker keeps its queue while
another idles. The pages are CPU-bound (the database answers quickly), so more workers than cores only add
switching. ``WEB_CONCURRENCY`` sets the number (more where requests wait on a remote database or service);
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

# The application is loaded once, in the master process, before the workers are forked from it.
preload_app = True


def when_ready(server) -> None:
    """Once, after the application is loaded and before the first worker is forked: freeze the loaded objects.

    Django, the URLconf and the translation catalogues are long-lived objects that every full garbage collection
    would walk again in every worker (a pause in the middle of a request). gc.freeze() moves them out of the
    collector's sight (reference counting still frees them), and forked workers share those memory pages instead
    of copying them as the collector touches them: the Python documentation's advice for a process that forks.
    """
    _load_lazily_built_parts()
    gc.collect()
    gc.freeze()


def _load_lazily_built_parts() -> None:
    """What Django builds on the first request anyway: the URL resolvers and both languages' catalogues."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # loads and merges the language's catalogues
            reverse("home")  # imports every urls module and fills the resolver
