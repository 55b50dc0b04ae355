"""``kill -9`` of the task worker in the middle of a task: the task runs again and completes (issue 16).

Real processes on a temporary SQLite site: a ``db_worker`` starts building a ceremony print run of many
certificates, is killed while it works, a new worker is started, and the scheduler's recovery puts the task back
in the queue (with its clock moved past the lease, so the test need not wait two minutes).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import manage

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CERTIFICATES = 120

SETUP = f"""
from accounts.models import User
from credentials import services
from credentials.models import AchievementKind
services.rotate_signing_key()
achievement = services.ensure_achievement(
    key="course:recovery",
    defaults={{"kind": AchievementKind.COURSE, "name_ka": "კურსი", "description_ka": "ა", "criteria_ka": "კ"}},
)
credentials = []
for n in range({CERTIFICATES}):
    user = User.objects.create_user(email=f"p{{n}}@example.org", password=None, full_name_ka=f"მონაწილე {{n}}")
    credentials.append(services.issue_credential(user=user, achievement=achievement)[0])
ceremony = services.create_ceremony(title="კონფერენცია", credentials=credentials, by=None)
print(ceremony.pk)
"""

STATE = """
import json
from credentials.models import Ceremony
from core.models import TaskHeartbeat
from django_tasks_db.models import DBTaskResult
c = Ceremony.objects.get(pk={pk})
tasks = list(DBTaskResult.objects.filter(task_path="credentials.tasks.build_ceremony").values("status", "worker_ids"))
print(json.dumps({{"status": c.status, "done": c.done, "pdf": bool(c.pdf), "tasks": tasks,
                  "beats": TaskHeartbeat.objects.count()}}))
"""

RECOVER = """
import datetime as dt, json
from django.utils import timezone
from core.heartbeat import TASK_LEASE
from core.periodic import recover_lost_tasks
print(json.dumps(recover_lost_tasks(now=timezone.now() + TASK_LEASE + dt.timedelta(seconds=5))))
"""


def site_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CIVICHUB_TESTING", "DATABASE_URL", "DEBUG")}
    env.update(
        CIVICHUB_LOCAL="true",
        CIVICHUB_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="recovery-test-" + "k" * 60,
        DJANGO_SETTINGS_MODULE="civichub.settings",
        EMAIL_URL="console:",
    )
    return env


def state(env: dict, pk: int) -> dict:
    return json.loads(manage(env, "shell", "-c", STATE.format(pk=pk)).strip().splitlines()[-1])


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def wait_for(predicate, *, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_ceremony_whose_worker_is_killed_mid_task_is_built_after_recovery(tmp_path):
    env = site_env(tmp_path)
    (tmp_path / "var").mkdir()
    manage(env, "migrate", "--noinput")
    pk = int(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
    assert state(env, pk)["tasks"] == [{"status": "READY", "worker_ids": []}]

    log = tmp_path / "worker.log"
    first = start_worker(env, log)
    try:
        running = wait_for(
            lambda: (s := state(env, pk))["status"] == "running" and s["done"] > 0 and s,
            timeout=120,
            what="the first worker to start building",
        )
        assert running["beats"] == 1  # the running task beats
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()

    killed = state(env, pk)
    assert killed["status"] == "running" and killed["done"] < CERTIFICATES and not killed["pdf"]
    assert [t["status"] for t in killed["tasks"]] == ["RUNNING"]

    second = start_worker(env, log)
    try:
        time.sleep(2)
        assert state(env, pk)["status"] == "running"  # a new worker alone does not pick up the lost task
        recovered = json.loads(manage(env, "shell", "-c", RECOVER).strip().splitlines()[-1])
        assert len(recovered["requeued"]) == 1 and recovered["failed"] == []
        done = wait_for(
            lambda: (s := state(env, pk))["status"] == "done" and s,
            timeout=180,
            what="the second worker to finish the print run",
        )
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(30)
        except subprocess.TimeoutExpired:
            second.kill()

    assert done["done"] == CERTIFICATES and done["pdf"]
    assert done["tasks"][0]["status"] == "SUCCESSFUL" and len(done["tasks"][0]["worker_ids"]) == 2
    assert done["beats"] == 0
    pdfs = list((tmp_path / "var" / "media" / "credentials" / "ceremonies").glob("*.pdf"))
    assert len(pdfs) == 1, pdfs  # the killed run had not saved its PDF; the re-run saved one
