#!/usr/bin/env bash
# Serve civichub the way `make run` promises: the real site (DEBUG off) in local mode on this machine's loopback
# address: migrate the embedded SQLite database (WAL), load the demo content idempotently, start the background task
# worker and the scheduler, and serve with gunicorn + WhiteNoise. DEBUG=true gives Django's debug pages instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export CIVICHUB_LOCAL=true
export DEBUG="${DEBUG:-false}"
export PORT="${PORT:-8000}"
VAR="${CIVICHUB_VAR_DIR:-var}"
PY=.venv/bin/python
mkdir -p "$VAR/mail" "$VAR/media"
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
$PY manage.py seed_demo
# The worker and the scheduler run with DEBUG off even when the site has it on: DEBUG keeps every SQL statement
# in a log that only a request empties, and these processes answer none. The scheduler also re-queues the tasks
# of a worker that died.
DEBUG=false $PY manage.py db_worker --queue-name '*' --no-reload --interval 1 >"$VAR/worker.log" 2>&1 &
WORKER=$!
DEBUG=false $PY manage.py run_periodic >"$VAR/periodic.log" 2>&1 &
PERIODIC=$!
trap 'kill "$WORKER" "$PERIODIC" 2>/dev/null || true' EXIT INT TERM
SITE="${SITE_URL:-http://127.0.0.1:${PORT}}"
echo
echo "civichub is running at ${SITE}/  (English: ${SITE}/en/)"
echo "Sign in with one of the demo logins above: as nino@demo.civichub.ge (learner) with no code; staff, reviewer and"
echo "admin accounts then ask for a code: type one of the recovery codes printed beside them, or add the TOTP secret"
echo "to an authenticator app."
echo "Mail is written to $VAR/mail/ — open the newest file there to follow a verification link."
echo "Task worker log: $VAR/worker.log; periodic jobs (reminders, digests): $VAR/periodic.log. Stop with Ctrl+C."
# Workers and threads: gunicorn.conf.py (one sync worker per core, at least 2; WEB_CONCURRENCY and GUNICORN_THREADS change them).
.venv/bin/gunicorn civichub.wsgi:application --bind "127.0.0.1:${PORT}" --access-logfile - --log-level warning
