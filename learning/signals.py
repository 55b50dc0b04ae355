"""Keep cached course outlines and lesson pages honest: any save or delete of a module, lesson or attachment
moves its course's ``outline_version`` (and ``updated_at``) forward.

Visitors' cached course pages (``core.cache``) are dropped too, once the change is committed.

The outline fragment (``learning/_outline.html``) and each lesson's rendered text and attachments
(``queries.lesson_content``) are cached under keys that carry ``Course.outline_version``, so moving it forward
makes every process, whatever cache it uses, read them afresh. Signals rather than calls in the services, because
these rows are also written by the admin's inline formsets and removed by cascade deletes. This is cache
bookkeeping, not business work.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from learning import services
from learning.models import Attachment, Course, Lesson, Module


def _course_changed(course_id: int) -> None:
    services.catalogue_changed()  # visitors' cached course pages show the outline
    Course.objects.filter(pk=course_id).update(
        outline_version=F("outline_version") + 1, updated_at=timezone.now()
    )


@receiver(post_save, sender=Lesson, dispatch_uid="learning.cache.lesson_saved")
@receiver(post_delete, sender=Lesson, dispatch_uid="learning.cache.lesson_deleted")
@receiver(post_save, sender=Module, dispatch_uid="learning.cache.module_saved")
@receiver(post_delete, sender=Module, dispatch_uid="learning.cache.module_deleted")
def outline_changed(instance, raw=False, **kwargs):
    if raw or not instance.course_id:
        return  # fixtures: loaddata writes the course's own version
    _course_changed(instance.course_id)


@receiver(post_save, sender=Attachment, dispatch_uid="learning.cache.attachment_saved")
@receiver(post_delete, sender=Attachment, dispatch_uid="learning.cache.attachment_deleted")
def attachments_changed(instance, raw=False, **kwargs):
    if raw:
        return
    course_id = Lesson.objects.filter(pk=instance.lesson_id).values_list("course_id", flat=True).first()
    if course_id is not None:  # None: the lesson itself is being deleted, which moves the version already
        _course_changed(course_id)
