from django.db import models


class PeriodicRun(models.Model):
    """When a periodic job was last enqueued. One row per job; the scheduler locks it, so any number of
    schedulers on any number of machines enqueue each run once."""

    name = models.CharField(max_length=80, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name
