#!/usr/bin/env bash
# Serve civichub the way `make run` promises: migrate the embedded SQLite database (WAL), load the demo
# content idempotently, start the background task worker, and serve with gunicorn + WhiteNoise.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-true}"
PORT="${PORT:-8000}"
PY=.venv/bin/python
mkdir -p var/mail var/media
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
$PY manage.py seed_demo
$PY manage.py db_worker --queue-name '*' --no-reload --interval 1 >var/worker.log 2>&1 &
WORKER=$!
$PY manage.py run_periodic >var/periodic.log 2>&1 &
PERIODIC=$!
trap 'kill "$WORKER" "$PERIODIC" 2>/dev/null || true' EXIT INT TERM
echo
echo "civichub is running at http://127.0.0.1:${PORT}/  (English: http://127.0.0.1:${PORT}/en/)"
echo "Mail is written to var/mail/ — open the newest file there to follow a verification link."
echo "Task worker log: var/worker.log; periodic jobs (reminders, digests): var/periodic.log. Stop with Ctrl+C."
# Workers and threads: gunicorn.conf.py (one sync worker per core, at least 2; WEB_CONCURRENCY and GUNICORN_THREADS change them).
.venv/bin/gunicorn civichub.wsgi:application --bind "127.0.0.1:${PORT}" --access-logfile - --log-level warning
