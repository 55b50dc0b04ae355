from django.db import models


class PeriodicRun(models.Model):
    """When a periodic job was last enqueued. One row per job; the scheduler locks it, so any number of
    schedulers on any number of machines enqueue each run once."""

    name = models.CharField(max_length=80, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name


class TaskHeartbeat(models.Model):
    """The last sign of life of a task a worker is running (``core.heartbeat`` beats while it runs).

    A running task without a recent beat was left by a worker that died (``kill -9``, a lost machine):
    ``core.periodic.recover_lost_tasks`` puts it back in the queue. django-tasks-db keeps no lease of its own.
    """

    task_id = models.UUIDField(unique=True)
    worker_id = models.CharField(max_length=64, blank=True)
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.task_id} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
