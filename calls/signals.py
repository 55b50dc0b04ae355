"""Keep visitors' cached call list honest: a call saved or deleted (by staff pages, the admin or a cascade) drops
the cached pages once the change is committed. Cache bookkeeping, not business work.

A call that opens or closes with time moves on the list when its cached page expires (``views.CALL_LIST_CACHE_SECONDS``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from calls.models import Call
from core.api import invalidate_anonymous_pages


@receiver(post_save, sender=Call, dispatch_uid="calls.cache.call_saved")
@receiver(post_delete, sender=Call, dispatch_uid="calls.cache.call_deleted")
def call_changed(instance, raw=False, **kwargs):
    if not raw:
        transaction.on_commit(invalidate_anonymous_pages)
