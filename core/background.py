"""Enqueue background tasks from services without importing the task modules.

A domain's ``tasks.py`` calls its services; if services imported the tasks back to enqueue them, the two modules
would import each other. Services name the task by its dotted path instead (as ``core.periodic`` does for
scheduled jobs), and the task is enqueued only once the surrounding transaction has committed, so a worker never
picks up work for rows it cannot see yet, or for a write that was rolled back.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue_on_commit(task_path: str, *args, **kwargs) -> None:
    """Enqueue ``task_path`` (e.g. ``"calls.tasks.send_outbox_message"``) with these arguments after commit."""
    task = import_string(task_path)
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
