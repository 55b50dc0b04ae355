"""Periodic jobs: enqueue a domain's task on a schedule (django-tasks has no scheduler of its own).

``manage.py run_periodic`` (started by ``make run`` next to the task worker) calls :func:`enqueue_due`
every minute. Each job's last run is a row in ``core.PeriodicRun``, locked while deciding, so running
several schedulers never enqueues a run twice. The task worker does the work.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import PeriodicRun


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path to a django-tasks task
    every: dt.timedelta
    at_hour: int | None = None  # for daily jobs: the hour of day in settings.TIME_ZONE

    @property
    def app_label(self) -> str:
        return self.task.split(".")[0]


JOBS = [
    # Applicants with unsubmitted drafts hear 48 hours before a call closes (the task sends each reminder once).
    Job("calls.deadline_reminders", "calls.tasks.send_deadline_reminders", dt.timedelta(hours=1)),
    # The community's daily digest, in the morning, Georgian time.
    Job("community.daily_digests", "community.tasks.send_daily_digests", dt.timedelta(days=1), at_hour=8),
    # The certificates' revocation list is re-signed whenever it changes; a nightly signature as well keeps its
    # signing date fresh for outside verifiers and repairs a change made around the services (a database restore).
    Job("credentials.status_list", "credentials.tasks.refresh_status_list", dt.timedelta(days=1), at_hour=4),
]


def _is_due(job: Job, last: dt.datetime | None, now: dt.datetime) -> bool:
    if job.at_hour is None:
        return last is None or now - last >= job.every
    local = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    slot = local.replace(hour=job.at_hour, minute=0, second=0, microsecond=0)
    if local < slot:
        slot -= dt.timedelta(days=1)
    return last is None or last < slot


def enqueue_due(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose time has come; return their names."""
    now = now or timezone.now()
    enqueued = []
    for job in JOBS:
        if not apps.is_installed(job.app_label):
            continue
        with transaction.atomic():
            PeriodicRun.objects.get_or_create(name=job.name)
            run = PeriodicRun.objects.select_for_update().get(name=job.name)
            if not _is_due(job, run.last_enqueued_at, now):
                continue
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            import_string(job.task).enqueue()
            enqueued.append(job.name)
    return enqueued
