import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from core import periodic
from core.models import PeriodicRun
from core.periodic import JOBS, enqueue_due

TBILISI = zoneinfo.ZoneInfo("Asia/Tbilisi")


# The scheduling rules, shown on three of the real jobs (an hourly one and two daily ones at different hours).
THREE = {"calls.deadline_reminders", "community.daily_digests", "credentials.status_list"}


@pytest.mark.django_db
def test_jobs_run_once_per_period_and_daily_jobs_wait_for_their_hour(monkeypatch):
    monkeypatch.setattr(periodic, "JOBS", [job for job in JOBS if job.name in THREE])
    first = dt.datetime(2026, 11, 23, 7, 30, tzinfo=TBILISI)
    assert enqueue_due(now=first) == [
        "calls.deadline_reminders",
        "community.daily_digests",
        "credentials.status_list",
    ]
    assert enqueue_due(now=first + dt.timedelta(minutes=29)) == []
    assert enqueue_due(now=first + dt.timedelta(minutes=30)) == [
        "community.daily_digests"
    ]  # 08:00 — today's digest
    assert enqueue_due(now=first + dt.timedelta(minutes=31)) == []
    assert enqueue_due(now=first + dt.timedelta(hours=1, minutes=1)) == ["calls.deadline_reminders"]
    assert enqueue_due(now=first + dt.timedelta(hours=5)) == ["calls.deadline_reminders"]
    # 07:30 next day: the status list was due at 04:00; no digest yet
    assert enqueue_due(now=first + dt.timedelta(days=1)) == [
        "calls.deadline_reminders",
        "credentials.status_list",
    ]
    assert enqueue_due(now=first + dt.timedelta(days=1, hours=1)) == [
        "calls.deadline_reminders",
        "community.daily_digests",
    ]
    assert PeriodicRun.objects.count() == 3


@pytest.mark.django_db
def test_run_periodic_once_enqueues_and_the_tasks_run(capsys):
    from credentials.models import PublishedStatusList
    from credentials.services import rotate_signing_key

    rotate_signing_key()  # signs a first list
    PublishedStatusList.objects.all().delete()
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=TBILISI), tick=False):
        call_command("run_periodic", "--once")
    out = capsys.readouterr().out
    assert "enqueued calls.deadline_reminders" in out
    assert "enqueued community.daily_digests" in out
    assert "enqueued credentials.status_list" in out
    assert PublishedStatusList.objects.count() == 1  # the nightly signature ran
    assert mail.outbox == []  # nothing to remind or digest in an empty database


def test_every_job_names_a_task_of_an_installed_app():
    from django.apps import apps
    from django.utils.module_loading import import_string

    assert len({job.name for job in JOBS}) == len(JOBS)
    for job in JOBS:
        assert apps.is_installed(job.app_label), job.name
        assert callable(getattr(import_string(job.task), "enqueue", None)), job.task
