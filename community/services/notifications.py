"""In-site notifications (one row per person per post) and the immediate emails they enqueue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from accounts.api import User
from community import tasks
from community.models import EmailMode, Member, Notification, Post, Question


@dataclass(frozen=True)
class Text:
    """A notification's text, written in each recipient's language (not the language of whoever caused it).

    ``message`` is a lazy translation with ``%(name)s`` placeholders; a parameter that is a person is shown by their
    name in the recipient's script, and a callable is called in the recipient's language (e.g. a category's name).
    """

    message: Promise
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, language: str) -> str:
        with translation.override(language):
            values = {key: _value(value, language) for key, value in self.params.items()}
            return (str(self.message) % values)[:300]


def _value(value: Any, language: str) -> str:
    if isinstance(value, User):
        return value.name_in(language)
    if isinstance(value, Callable):  # type: ignore[arg-type]
        return str(value())
    return str(value)


def notify(
    *, user_ids, kind: str, text: Text, url: str, post: Post | None = None, question: Question | None = None
) -> int:
    """Create in-site notifications (one per person per post) and send immediate emails after commit."""
    user_ids = set(user_ids)
    if not user_ids:
        return 0
    languages = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "language"))
    texts = {
        language: text.render(language)
        for language in {languages.get(uid, settings.LANGUAGE_CODE) for uid in user_ids}
    }
    rows = [
        Notification(
            user_id=uid,
            kind=kind,
            text=texts[languages.get(uid, settings.LANGUAGE_CODE)],
            url=url[:300],
            post=post,
            question=question,
        )
        for uid in user_ids
    ]
    if post is not None:
        already = set(
            Notification.objects.filter(post=post, user_id__in=user_ids).values_list("user_id", flat=True)
        )
        rows = [row for row in rows if row.user_id not in already]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    immediate = set(
        Member.objects.filter(
            user_id__in=[r.user_id for r in rows], email_mode=EmailMode.IMMEDIATE
        ).values_list("user_id", flat=True)
    )
    # Members without a settings row yet get the default, immediate email.
    without_member = {r.user_id for r in rows} - set(
        Member.objects.filter(user_id__in=[r.user_id for r in rows]).values_list("user_id", flat=True)
    )
    recipients = immediate | without_member
    if recipients:
        created = Notification.objects.filter(user_id__in=recipients, emailed_at__isnull=True, kind=kind)
        created = (
            created.filter(post=post)
            if post is not None
            else created.filter(question=question, text__in=set(texts.values()))
        )
        ids = list(created.values_list("pk", flat=True))

        def enqueue():
            for pk in ids:
                tasks.send_notification_email.enqueue(pk)

        transaction.on_commit(enqueue)
    return len(rows)


def mark_notifications_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
