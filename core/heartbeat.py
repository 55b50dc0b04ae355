"""Heartbeats for tasks run by ``manage.py db_worker`` (connected in ``CoreConfig.ready``).

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: if the worker dies,
the row stays RUNNING for good. While a database-backend task runs, a daemon thread of the worker process
writes the time into ``core.TaskHeartbeat`` every ``HEARTBEAT_EVERY``; ``core.periodic.recover_lost_tasks``
treats a RUNNING task whose beat is older than ``TASK_LEASE`` as lost. A worker that dies stops beating with it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from core.models import TaskHeartbeat

log = logging.getLogger(__name__)

HEARTBEAT_EVERY = dt.timedelta(seconds=20)
# A running task whose last beat (or start) is older than this is taken for lost. Several beats fit in it, so a
# beat delayed by a busy database does not get a live task re-run.
TASK_LEASE = dt.timedelta(minutes=2)


def beat(task_id: str, worker_id: str = "") -> None:
    TaskHeartbeat.objects.update_or_create(
        task_id=task_id, defaults={"worker_id": worker_id[:64], "beat_at": timezone.now()}
    )


def is_database_worker(sender) -> bool:
    # db_worker sends the backend instance, its failure path and other backends send the class.
    return issubclass(sender if isinstance(sender, type) else type(sender), DatabaseBackend)


def _keep_beating(task_id: str, worker_id: str) -> None:
    """Beat until the task is no longer RUNNING (finished, failed, or handed to another worker)."""
    try:
        while True:
            time.sleep(HEARTBEAT_EVERY.total_seconds())
            if not DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).exists():
                break
            try:
                beat(task_id, worker_id)
            except DatabaseError as error:  # a locked database this once: the lease allows missed beats
                log.warning("task %s: heartbeat not written: %r", task_id, error)
        TaskHeartbeat.objects.filter(task_id=task_id).delete()
    except DatabaseError as error:
        log.warning("task %s: heartbeat stopped: %r", task_id, error)
    finally:
        connection.close()  # this thread's own connection


def task_started(sender, task_result, **kwargs) -> None:
    """Start beating for a task the database worker has just claimed (not for the immediate backend)."""
    if not is_database_worker(sender):
        return
    worker_id = task_result.worker_ids[-1] if task_result.worker_ids else ""
    beat(task_result.id, worker_id)
    threading.Thread(
        target=_keep_beating,
        args=(task_result.id, worker_id),
        name=f"heartbeat-{task_result.id}",
        daemon=True,
    ).start()


def task_finished(sender, task_result, **kwargs) -> None:
    if is_database_worker(sender):
        TaskHeartbeat.objects.filter(task_id=task_result.id).delete()
