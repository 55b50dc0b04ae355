"""/healthz tells a monitor when the task worker or the scheduler has stopped (issue 16)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from core.periodic import tick


def _ready_task(enqueued_at):
    row = DBTaskResult.objects.create(
        status=TaskResultStatus.READY,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="credentials.tasks.refresh_status_list",
        backend_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(id=row.id).update(enqueued_at=enqueued_at)
    return row


@pytest.mark.django_db
def test_healthz_reports_no_ages_before_anything_ran(client):
    assert client.get("/healthz").json() == {
        "status": "ok",
        "database": "ok",
        "oldest_ready_task_age_seconds": None,
        "last_periodic_run_age_seconds": None,
    }


@pytest.mark.django_db
def test_healthz_reports_the_oldest_waiting_task_and_the_last_scheduler_round(client):
    now = timezone.now()
    with time_machine.travel(now - dt.timedelta(minutes=5), tick=False):
        tick()
    _ready_task(now - dt.timedelta(minutes=10))
    _ready_task(now - dt.timedelta(minutes=1))
    with time_machine.travel(now, tick=False):
        body = client.get("/healthz").json()
    assert body["oldest_ready_task_age_seconds"] == 600
    assert body["last_periodic_run_age_seconds"] == 300
