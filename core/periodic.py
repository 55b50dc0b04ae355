"""Periodic jobs: enqueue a domain's task on a schedule (django-tasks has no scheduler of its own).

``manage.py run_periodic`` (started by ``make run`` next to the task worker) calls :func:`tick` every minute:
it puts tasks whose worker died back in the queue (:func:`recover_lost_tasks`, run here and not as a task,
since a dead worker would not run it), notes the tick for ``/healthz``, then :func:`enqueue_due`. Each job's
last run is a row in ``core.PeriodicRun``, locked while deciding, so running several schedulers never enqueues
a run twice. The task worker does the work.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.heartbeat import TASK_LEASE
from core.models import PeriodicRun, TaskHeartbeat

# The scheduler's own row in PeriodicRun: when it last ticked (``/healthz`` reports its age).
SCHEDULER = "core.scheduler"
# A task started this many times without finishing is given up (marked failed) instead of run again: it is
# more likely to kill its worker than to be unlucky.
MAX_ATTEMPTS = 3


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
    # Offers: the ones past their answer deadline expire; the people who answer hear three days before it (once).
    Job("awards.expire_offers", "awards.tasks.expire_offers", dt.timedelta(hours=1)),
    Job("awards.offer_reminders", "awards.tasks.send_offer_reminders", dt.timedelta(hours=1)),
    # Grant report editors hear 7 days and 1 day before a report is due, then weekly while overdue (each once).
    Job("awards.report_reminders", "awards.tasks.send_report_reminders", dt.timedelta(days=1), at_hour=9),
    # The owner of a mentoring action (mentor or mentee) hears once when it is overdue.
    Job("awards.action_reminders", "awards.tasks.send_action_reminders", dt.timedelta(days=1), at_hour=9),
    # Applicants with unsubmitted drafts hear 48 hours before a call closes (the task sends each reminder once).
    Job("calls.deadline_reminders", "calls.tasks.send_deadline_reminders", dt.timedelta(hours=1)),
    # Reviewers without a submitted review hear 3 days and 1 day before the call's review deadline (once each).
    Job("calls.review_reminders", "calls.tasks.send_review_reminders", dt.timedelta(hours=1)),
    # The community's daily digest, in the morning, Georgian time.
    Job("community.daily_digests", "community.tasks.send_daily_digests", dt.timedelta(days=1), at_hour=8),
    # The indicators dashboard reads a snapshot of every domain's aggregates, computed again every hour.
    Job("insights.refresh", "insights.tasks.refresh_indicators", dt.timedelta(hours=1)),
    # The certificates' revocation list is re-signed whenever it changes; a nightly signature as well keeps its
    # signing date fresh for outside verifiers and repairs a change made around the services (a database restore).
    Job("credentials.status_list", "credentials.tasks.refresh_status_list", dt.timedelta(days=1), at_hour=4),
    # People holding a place in an event hear the day before it starts (each registration once).
    Job("events.reminders", "events.tasks.send_reminders", dt.timedelta(hours=1)),
    # A ceremony's invitations follow its certification call: people certified after it was announced are invited.
    Job("events.ceremony_invitations", "events.tasks.invite_newly_certified", dt.timedelta(hours=1)),
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


def recover_lost_tasks(*, now: dt.datetime | None = None) -> dict[str, list[str]]:
    """Put RUNNING tasks whose worker stopped beating for ``TASK_LEASE`` back in the queue.

    Tasks are written to be run again safely (each claims its own row or checks its result first). A task
    that has already been started ``MAX_ATTEMPTS`` times is marked failed instead. Returns the ids of both.
    """
    now = now or timezone.now()
    stale = now - TASK_LEASE
    alive = TaskHeartbeat.objects.filter(beat_at__gte=stale).values("task_id")
    lost = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=stale).exclude(
        id__in=alive
    )
    requeued, failed = [], []
    for task in lost.only("id", "started_at", "worker_ids"):
        # Conditional on the row being unchanged, so two schedulers recovering at once act once.
        same = DBTaskResult.objects.filter(
            id=task.id, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) >= MAX_ATTEMPTS:
            if same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="core.periodic.WorkerLost",
                traceback=f"The worker running this task stopped {len(task.worker_ids)} times; not run again.",
            ):
                failed.append(str(task.id))
        elif same.update(status=TaskResultStatus.READY):
            requeued.append(str(task.id))
    TaskHeartbeat.objects.filter(
        Q(task_id__in=requeued + failed) | Q(beat_at__lt=now - dt.timedelta(days=1))
    ).delete()
    return {"requeued": requeued, "failed": failed}


def tick(*, now: dt.datetime | None = None) -> list[str]:
    """One scheduler round: recover lost tasks, note the round, enqueue the due jobs. Returns what it did,
    a line each ("re-queued task <id>", "enqueued <job>")."""
    now = now or timezone.now()
    recovered = recover_lost_tasks(now=now)
    PeriodicRun.objects.update_or_create(name=SCHEDULER, defaults={"last_enqueued_at": now})
    return [
        *(f"re-queued task {task_id} (its worker stopped)" for task_id in recovered["requeued"]),
        *(
            f"gave up task {task_id} (its worker stopped {MAX_ATTEMPTS} times)"
            for task_id in recovered["failed"]
        ),
        *(f"enqueued {name}" for name in enqueue_due(now=now)),
    ]
