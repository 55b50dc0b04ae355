"""Tasks whose worker died are put back in the queue by the scheduler (core.periodic.recover_lost_tasks).

django-tasks-db marks a claimed task RUNNING and never looks at it again; the real ``kill -9`` of a worker is
tests/core/test_worker_recovery.py (slow). These tests drive the rule on rows.
"""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResultStatus
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from core import heartbeat
from core.heartbeat import TASK_LEASE
from core.models import PeriodicRun, TaskHeartbeat
from core.periodic import MAX_ATTEMPTS, SCHEDULER, recover_lost_tasks, tick

pytestmark = pytest.mark.django_db


def _running(*, started_ago: dt.timedelta, workers: int = 1) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - started_ago,
        worker_ids=[f"worker-{n}" for n in range(workers)],
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="credentials.tasks.build_ceremony",
        backend_name="default",
        run_after=get_date_max(),
    )


def _status(task) -> str:
    return DBTaskResult.objects.get(id=task.id).status


def test_a_running_task_silent_for_longer_than_the_lease_is_queued_again():
    lost = _running(started_ago=TASK_LEASE + dt.timedelta(seconds=1))
    assert recover_lost_tasks() == {"requeued": [str(lost.id)], "failed": []}
    assert _status(lost) == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().filter(id=lost.id).exists()  # a worker will claim it


def test_a_task_that_beats_or_has_just_started_is_left_running():
    beating = _running(started_ago=dt.timedelta(hours=1))
    heartbeat.beat(str(beating.id), "worker-0")
    fresh = _running(started_ago=dt.timedelta(seconds=30))
    assert recover_lost_tasks() == {"requeued": [], "failed": []}
    assert (_status(beating), _status(fresh)) == (TaskResultStatus.RUNNING, TaskResultStatus.RUNNING)


def test_a_task_whose_beat_stopped_is_queued_again_and_its_beat_removed():
    task = _running(started_ago=dt.timedelta(hours=1))
    heartbeat.beat(str(task.id), "worker-0")
    TaskHeartbeat.objects.update(beat_at=timezone.now() - TASK_LEASE - dt.timedelta(seconds=1))
    assert recover_lost_tasks()["requeued"] == [str(task.id)]
    assert not TaskHeartbeat.objects.exists()


def test_a_task_that_killed_its_worker_again_and_again_is_given_up():
    task = _running(started_ago=dt.timedelta(hours=1), workers=MAX_ATTEMPTS)
    assert recover_lost_tasks() == {"requeued": [], "failed": [str(task.id)]}
    row = DBTaskResult.objects.get(id=task.id)
    assert row.status == TaskResultStatus.FAILED and row.exception_class_path == "core.periodic.WorkerLost"
    assert row.finished_at is not None


def test_finished_tasks_are_not_touched():
    done = _running(started_ago=dt.timedelta(hours=1))
    DBTaskResult.objects.filter(id=done.id).update(status=TaskResultStatus.SUCCESSFUL)
    assert recover_lost_tasks() == {"requeued": [], "failed": []}
    assert _status(done) == TaskResultStatus.SUCCESSFUL


def test_each_scheduler_round_recovers_and_is_noted_for_healthz():
    lost = _running(started_ago=dt.timedelta(hours=1))
    assert f"re-queued task {lost.id} (its worker stopped)" in tick()
    assert PeriodicRun.objects.get(name=SCHEDULER).last_enqueued_at is not None


def test_only_the_database_worker_beats():
    assert heartbeat.is_database_worker(DatabaseBackend)
    assert not heartbeat.is_database_worker(ImmediateBackend)
