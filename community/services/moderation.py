"""Moderation: hiding and restoring posts, locking, pinning and moving topics, suspensions, question reports.

Every act writes a ModerationLog row.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from community import rules
from community.models import (
    Category,
    Flag,
    ModerationAction,
    ModerationLog,
    Post,
    QuestionReport,
    Suspension,
    Topic,
)
from community.services.errors import CommunityError


def _log(*, actor, action: str, topic=None, post=None, target_user=None, note: str = "") -> ModerationLog:
    return ModerationLog.objects.create(
        actor=actor, action=action, topic=topic, post=post, target_user=target_user, note=note
    )


POST_ACTIONS: dict[str, tuple[bool, bool]] = {
    # action: (hidden before, hidden after)
    ModerationAction.HIDE: (False, True),
    ModerationAction.RESTORE: (True, False),
    ModerationAction.DISMISS: (False, False),
}


@transaction.atomic
def moderate_post(*, post: Post, moderator, action: str, note: str = "") -> Post:
    if not rules.is_moderator(moderator):
        raise CommunityError(_("Only moderators can do this."))
    if action not in POST_ACTIONS:
        raise CommunityError(_("Unknown action."))
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    before, after = POST_ACTIONS[action]
    if post.is_hidden != before:
        raise CommunityError(_("This post has already been changed by someone else."))
    if before != after:
        post.is_hidden = after
        post.save(update_fields=["is_hidden"])
        if post.number == 1:  # the opening post carries the topic with it
            Topic.objects.filter(pk=post.topic_id).update(is_hidden=after)
    Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )
    _log(actor=moderator, action=action, topic=post.topic, post=post, target_user=post.author, note=note)
    return post


TOPIC_ACTIONS: dict[str, tuple[str, bool, bool]] = {
    # action: (field, value before, value after)
    ModerationAction.LOCK: ("is_locked", False, True),
    ModerationAction.UNLOCK: ("is_locked", True, False),
    ModerationAction.PIN: ("is_pinned", False, True),
    ModerationAction.UNPIN: ("is_pinned", True, False),
}


@transaction.atomic
def moderate_topic(
    *, topic: Topic, moderator, action: str, category: Category | None = None, note: str = ""
) -> Topic:
    if not rules.is_moderator(moderator):
        raise CommunityError(_("Only moderators can do this."))
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if action == ModerationAction.MOVE:
        if category is None or category.pk == topic.category_id:
            raise CommunityError(_("Choose another category to move the topic to."))
        old = topic.category
        Category.objects.filter(pk=old.pk).update(topic_count=F("topic_count") - 1)
        Category.objects.filter(pk=category.pk).update(topic_count=F("topic_count") + 1)
        topic.category = category
        topic.save(update_fields=["category"])
        note = f"{old.slug} → {category.slug}" + (f"; {note}" if note else "")
    elif action in TOPIC_ACTIONS:
        field, before, after = TOPIC_ACTIONS[action]
        if getattr(topic, field) != before:
            raise CommunityError(_("This topic has already been changed by someone else."))
        setattr(topic, field, after)
        topic.save(update_fields=[field])
    else:
        raise CommunityError(_("Unknown action."))
    _log(actor=moderator, action=action, topic=topic, target_user=topic.author, note=note)
    return topic


@transaction.atomic
def suspend(*, user, moderator, reason: str, ends_at) -> Suspension:
    if not rules.is_moderator(moderator):
        raise CommunityError(_("Only moderators can do this."))
    if user.pk == moderator.pk:
        raise CommunityError(_("You cannot suspend yourself."))
    if ends_at <= timezone.now():
        raise CommunityError(_("The end of the suspension must be in the future."))
    if not reason.strip():
        raise CommunityError(_("Give the reason for the suspension; the person will see it."))
    suspension = Suspension.objects.create(
        user=user, reason=reason.strip(), ends_at=ends_at, created_by=moderator
    )
    _log(
        actor=moderator,
        action=ModerationAction.SUSPEND,
        target_user=user,
        note=f"{date_format(timezone.localtime(ends_at), 'SHORT_DATETIME_FORMAT')}: {reason.strip()}",
    )
    return suspension


@transaction.atomic
def lift_suspension(*, suspension: Suspension, moderator) -> None:
    if not rules.is_moderator(moderator):
        raise CommunityError(_("Only moderators can do this."))
    updated = Suspension.objects.filter(pk=suspension.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now()
    )
    if updated:
        _log(actor=moderator, action=ModerationAction.LIFT, target_user=suspension.user)


@transaction.atomic
def resolve_question_report(*, report: QuestionReport, moderator, note: str = "") -> None:
    if not rules.is_moderator(moderator):
        raise CommunityError(_("Only moderators can do this."))
    if QuestionReport.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    ):
        _log(
            actor=moderator,
            action=ModerationAction.RESOLVE_REPORT,
            target_user=report.question.asker,
            note=f"question {report.question_id}" + (f": {note}" if note else ""),
        )
