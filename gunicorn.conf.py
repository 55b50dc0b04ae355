"""How gunicorn serves civichub. gunicorn reads this file from the working directory, so `make run`,
`make bench` and a plain `gunicorn civichub.wsgi:application` in production all get the same settings;
environment variables override them.

Sync workers by default: each process serves one request at a time, as gunicorn recommends behind a buffering
reverse proxy (nginx) in production. On 2 cores under 20 signed-in users, three sync workers served the lesson
page at lower CPU per request and about half the p95 of three workers x two threads (docs/performance.md):
threads share one interpreter lock, and a keep-alive connection stays on the worker that accepted it, so a
busy worker keeps its queue while another idles. With one request per connection, whichever worker is free
takes the next one. ``GUNICORN_THREADS`` above 1 selects threaded workers (with keep-alive) instead.
"""

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


workers = _int("WEB_CONCURRENCY", 3)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "sync" if threads == 1 else "gthread"
# Threaded workers keep idle connections this long (sync workers close each connection after its response).
keepalive = _int("GUNICORN_KEEPALIVE", 5)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 5
