"""Every multi-step write and state change of the community domain.

Forum: :func:`start_topic`, :func:`reply`, :func:`edit_post`, :func:`toggle_helpful`, :func:`mark_read`,
:func:`toggle_subscription`. Moderation: :func:`flag_post`, :func:`moderate_post`, :func:`moderate_topic`,
:func:`suspend`, :func:`lift_suspension`. Practitioners: :func:`save_practitioner`, :func:`ask_question`,
:func:`post_question_message`, :func:`change_question`, :func:`block`, :func:`report_question`.
Cases: :func:`save_case`, :func:`add_case_file`, :func:`change_case`. Each state change is logged.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.permissions import can
from accounts.regions import Region
from accounts.services import record
from community import rules
from community.models import (
    Block,
    Case,
    CaseFile,
    CaseStatus,
    Category,
    CategoryKind,
    EmailMode,
    Flag,
    Helpful,
    Member,
    ModerationAction,
    ModerationLog,
    Notification,
    NotificationKind,
    Post,
    PostRevision,
    Practitioner,
    Question,
    QuestionMessage,
    QuestionReport,
    QuestionStatus,
    Subscription,
    Suspension,
    Topic,
    TopicRead,
    pack,
)

log = logging.getLogger(__name__)


class CommunityError(Exception):
    """A write refused for a reason the person can act on; the message is translated."""


# --- limits -----------------------------------------------------------------------------------------

NEW_ACCOUNT_DAYS = 7
NEW_ACCOUNT_POSTS_PER_HOUR = 5
NEW_ACCOUNT_POSTS_PER_DAY = 20
POSTS_PER_HOUR = 60
QUESTIONS_PER_DAY = 3


def is_new_account(user) -> bool:
    return timezone.now() - user.date_joined < timedelta(days=NEW_ACCOUNT_DAYS)


def check_post_rate(user) -> None:
    """New accounts post at most 5 times an hour and 20 times a day; everyone at most 60 times an hour.

    Counted from the posts table, so the limit holds across web processes and restarts.
    """
    if rules.is_moderator(user):
        return
    now = timezone.now()
    counts = Post.objects.filter(author=user, created_at__gt=now - timedelta(days=1)).aggregate(
        hour=Count("pk", filter=Q(created_at__gt=now - timedelta(hours=1))), day=Count("pk")
    )
    if is_new_account(user):
        if counts["hour"] >= NEW_ACCOUNT_POSTS_PER_HOUR or counts["day"] >= NEW_ACCOUNT_POSTS_PER_DAY:
            raise CommunityError(
                _(
                    "New accounts can post %(hour)d times an hour and %(day)d times a day. Please try again later."
                )
                % {"hour": NEW_ACCOUNT_POSTS_PER_HOUR, "day": NEW_ACCOUNT_POSTS_PER_DAY}
            )
    elif counts["hour"] >= POSTS_PER_HOUR:
        raise CommunityError(_("You are posting very fast. Please wait a while and try again."))


def check_can_post(user, target) -> None:
    suspension = rules.active_suspension(user)
    if suspension is not None:
        raise CommunityError(
            _("You cannot post until %(date)s. Reason: %(reason)s")
            % {
                "date": timezone.localtime(suspension.ends_at).strftime("%Y-%m-%d %H:%M"),
                "reason": suspension.reason,
            }
        )
    if getattr(target, "is_locked", False) and not rules.is_moderator(user):
        raise CommunityError(_("This topic is locked: no new replies."))


# --- members and handles ----------------------------------------------------------------------------

HANDLE_RE = re.compile(r"^[a-z0-9_]{3,30}$")
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{3,30})\b")


def _handle_base(user) -> str:
    base = slugify(user.full_name_latin or "", allow_unicode=False).replace("-", "_")
    if len(base) < 3:
        base = re.sub(r"[^a-z0-9_]", "_", user.email.split("@")[0].lower())
    base = base.strip("_")[:24]
    return base if len(base) >= 3 else f"member_{base}".strip("_")


def member_for(user) -> Member:
    """The person's community settings, created with a unique @handle on first use."""
    member = Member.objects.filter(user=user).first()
    if member is not None:
        return member
    base = _handle_base(user)
    for n in range(1, 200):
        handle = base if n == 1 else f"{base}{n}"
        if Member.objects.filter(handle__iexact=handle).exists():
            continue
        try:
            with transaction.atomic():
                member = Member.objects.create(user=user, handle=handle)
        except IntegrityError:
            member = Member.objects.filter(user=user).first()
            if member is not None:
                return member
            continue
        user._community_member = member
        return member
    raise CommunityError("could not find a free handle")  # pragma: no cover - 200 taken variants


def save_member_settings(*, member: Member, handle: str, email_mode: str) -> Member:
    handle = handle.strip().lstrip("@").lower()
    if not HANDLE_RE.match(handle):
        raise CommunityError(_("A handle has 3 to 30 Latin letters, digits or underscores."))
    if Member.objects.filter(handle__iexact=handle).exclude(pk=member.pk).exists():
        raise CommunityError(_("This handle is taken. Choose another one."))
    member.handle = handle
    member.email_mode = email_mode
    try:
        with transaction.atomic():
            member.save(update_fields=["handle", "email_mode"])
    except IntegrityError:
        raise CommunityError(_("This handle is taken. Choose another one.")) from None
    return member


def mentioned_user_ids(text: str) -> set[int]:
    handles = {h.lower() for h in MENTION_RE.findall(text or "")}
    if not handles:
        return set()
    return set(
        Member.objects.filter(handle__in=handles, user__is_active=True).values_list("user_id", flat=True)
    )


# --- categories -------------------------------------------------------------------------------------

REGION_NAMES_KA = {
    Region.TBILISI: "თბილისი",
    Region.ADJARA: "აჭარა",
    Region.ABKHAZIA: "აფხაზეთი",
    Region.GURIA: "გურია",
    Region.IMERETI: "იმერეთი",
    Region.KAKHETI: "კახეთი",
    Region.KVEMO_KARTLI: "ქვემო ქართლი",
    Region.MTSKHETA_MTIANETI: "მცხეთა-მთიანეთი",
    Region.RACHA_LECHKHUMI: "რაჭა-ლეჩხუმი და ქვემო სვანეთი",
    Region.SAMEGRELO: "სამეგრელო-ზემო სვანეთი",
    Region.SAMTSKHE_JAVAKHETI: "სამცხე-ჯავახეთი",
    Region.SHIDA_KARTLI: "შიდა ქართლი",
}
GENERAL_SLUG = "general"
CASES_SLUG = "cases"


def ensure_default_categories() -> None:
    """The general category, one per region and one for case discussions. Safe to run again."""
    Category.objects.get_or_create(
        slug=GENERAL_SLUG,
        defaults={
            "kind": CategoryKind.GENERAL,
            "name_ka": "ზოგადი განხილვა",
            "name_en": "General discussion",
            "description": "კითხვები და გამოცდილება მონაწილეობის შესახებ",
            "position": 1,
        },
    )
    Category.objects.get_or_create(
        slug=CASES_SLUG,
        defaults={
            "kind": CategoryKind.CASES,
            "name_ka": "შემთხვევების განხილვა",
            "name_en": "Case discussions",
            "description": "ბიბლიოთეკის შემთხვევების განხილვა",
            "position": 2,
        },
    )
    for position, region in enumerate(Region, start=10):
        with override("en"):
            name_en = str(region.label)
        Category.objects.get_or_create(
            kind=CategoryKind.REGION,
            region=region.value,
            defaults={
                "slug": f"region-{region.value.replace('_', '-')}",
                "name_ka": REGION_NAMES_KA.get(region, name_en),
                "name_en": name_en,
                "position": position,
            },
        )


def category_for_course(course) -> Category:
    """The course's discussion category, created on first need (courses made before community registered)."""
    category = Category.objects.filter(course_id=course.pk).first()
    if category is not None:
        return category
    slug = f"course-{course.slug}"[:90]
    try:
        with transaction.atomic():
            category, _created = Category.objects.get_or_create(
                course_id=course.pk,
                defaults={
                    "kind": CategoryKind.COURSE,
                    "slug": slug,
                    "name_ka": course.title[:200],
                    "name_en": course.title[:200],
                    "position": 50,
                },
            )
    except IntegrityError:  # a concurrent request created it, or the slug is used by another category
        category = Category.objects.filter(course_id=course.pk).first()
        if category is None:
            category = Category.objects.create(
                course_id=course.pk,
                kind=CategoryKind.COURSE,
                slug=f"{slug[:80]}-{course.pk}",
                name_ka=course.title[:200],
                name_en=course.title[:200],
                position=50,
            )
    return category


def course_created(*, course) -> None:
    """Listener registered with learning: a new course gets its forum category."""
    category_for_course(course)


# --- notifications ----------------------------------------------------------------------------------


def notify(
    *, user_ids, kind: str, text: str, url: str, post: Post | None = None, question: Question | None = None
) -> int:
    """Create in-site notifications (one per person per post) and send immediate emails after commit."""
    user_ids = set(user_ids)
    if not user_ids:
        return 0
    rows = [
        Notification(user_id=uid, kind=kind, text=text[:300], url=url[:300], post=post, question=question)
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
            else created.filter(question=question, text=text[:300])
        )
        ids = list(created.values_list("pk", flat=True))

        def enqueue():
            from community.tasks import send_notification_email

            for pk in ids:
                send_notification_email.enqueue(pk)

        transaction.on_commit(enqueue)
    return len(rows)


def _absolute(url: str) -> str:
    return settings.SITE_URL + url


def send_notification_email(notification_id: int) -> bool:
    """Email one notification (immediate mode). Sent once: ``emailed_at`` is set in the same transaction."""
    from django.core.mail import send_mail

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("user")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.user.is_active:
            return False
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
        with override(notification.user.language):
            subject = _("[civichub] %(text)s") % {"text": notification.text}
            body = "\n\n".join(
                [
                    notification.text,
                    _absolute(notification.url),
                    _(
                        "You receive this email because you follow this on civichub. Change your email settings: %(url)s"
                    )
                    % {"url": _absolute(reverse("community:settings"))},
                ]
            )
        send_mail(subject[:200], body, None, [notification.user.email])
    return True


def send_daily_digests(*, now=None) -> int:
    """One email per person in daily mode with every notification not yet emailed; returns emails sent.

    Runs from the task worker (``manage.py send_community_digests`` enqueues it; schedule it daily).
    Nobody gets two digests within 20 hours, so running it twice a day is harmless.
    """
    from django.core.mail import send_mail

    now = now or timezone.now()
    cutoff = now - timedelta(hours=20)
    members = list(
        Member.objects.filter(email_mode=EmailMode.DAILY, user__is_active=True)
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=cutoff))
        .filter(user__community_notifications__emailed_at__isnull=True)
        .select_related("user")
        .distinct()
    )
    sent = 0
    for member in members:
        with transaction.atomic():
            locked = Member.objects.select_for_update().get(pk=member.pk)
            if locked.last_digest_at and locked.last_digest_at > cutoff:
                continue
            pending = list(
                Notification.objects.select_for_update()
                .filter(user_id=member.user_id, emailed_at__isnull=True)
                .order_by("created_at", "pk")
            )
            if not pending:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
            locked.last_digest_at = now
            locked.save(update_fields=["last_digest_at"])
            with override(member.user.language):
                subject = _("[civichub] Your daily community digest: %(count)d new") % {"count": len(pending)}
                lines = [_("What happened in the community since your last digest:"), ""]
                for notification in pending:
                    lines.append(f"• {notification.text}\n  {_absolute(notification.url)}")
                lines += [
                    "",
                    _("Change your email settings: %(url)s")
                    % {"url": _absolute(reverse("community:settings"))},
                ]
            send_mail(subject[:200], "\n".join(lines), None, [member.user.email])
            sent += 1
    return sent


def mark_notifications_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


# --- forum writes -----------------------------------------------------------------------------------


def _post_url(post: Post) -> str:
    return reverse("community:post", args=[post.pk])


def _fan_out(*, post: Post, author, new_topic: bool) -> None:
    topic = post.topic
    mentioned = mentioned_user_ids(post.body) - {author.pk}
    blocked_by = set(Block.objects.filter(blocked=author).values_list("blocker_id", flat=True))
    name = author.display_name
    if mentioned - blocked_by:
        notify(
            user_ids=mentioned - blocked_by,
            kind=NotificationKind.MENTION,
            post=post,
            url=_post_url(post),
            text=_("%(name)s mentioned you in “%(topic)s”") % {"name": name, "topic": topic.title},
        )
    if new_topic:
        followers = set(
            Subscription.objects.filter(category_id=topic.category_id).values_list("user_id", flat=True)
        )
        text = _("New topic in %(category)s: “%(topic)s”") % {
            "category": topic.category.name,
            "topic": topic.title,
        }
        kind = NotificationKind.NEW_TOPIC
    else:
        followers = set(Subscription.objects.filter(topic=topic).values_list("user_id", flat=True))
        text = _("%(name)s replied in “%(topic)s”") % {"name": name, "topic": topic.title}
        kind = NotificationKind.REPLY
    followers -= {author.pk} | mentioned | blocked_by
    if followers:
        notify(user_ids=followers, kind=kind, post=post, url=_post_url(post), text=text)


def _subscribe(user, *, topic=None, category=None) -> None:
    try:
        with transaction.atomic():
            Subscription.objects.get_or_create(user=user, topic=topic, category=category)
    except IntegrityError:
        pass


@transaction.atomic
def start_topic(*, category: Category, author, title: str, body: str, rate_limited: bool = True) -> Topic:
    check_can_post(author, category)
    if rate_limited:
        check_post_rate(author)
    member_for(author)
    now = timezone.now()
    topic = Topic.objects.create(
        category=category, title=title.strip(), author=author, created_at=now, last_post_at=now, post_count=1
    )
    post = Post.objects.create(
        topic=topic, number=1, author=author, body=body, created_at=now, nofollow=is_new_account(author)
    )
    Category.objects.filter(pk=category.pk).update(topic_count=F("topic_count") + 1, last_post_at=now)
    TopicRead.objects.create(user=author, topic=topic, last_number=1)
    _subscribe(author, topic=topic)
    _fan_out(post=post, author=author, new_topic=True)
    return topic


def reply(*, topic: Topic, author, body: str, rate_limited: bool = True) -> Post:
    """Add a post at the end of a topic. Numbers are unique per topic; a concurrent reply retries.

    ``rate_limited=False`` is for imports and demo content only, never for a person's request.
    """
    check_can_post(author, topic)
    if rate_limited:
        check_post_rate(author)
    member_for(author)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                locked = Topic.objects.select_for_update().get(pk=topic.pk)
                if locked.is_locked and not rules.is_moderator(author):
                    raise CommunityError(_("This topic is locked: no new replies."))
                number = (Post.objects.filter(topic=locked).aggregate(n=Max("number"))["n"] or 0) + 1
                now = timezone.now()
                post = Post.objects.create(
                    topic=locked,
                    number=number,
                    author=author,
                    body=body,
                    created_at=now,
                    nofollow=is_new_account(author),
                )
                Topic.objects.filter(pk=locked.pk).update(post_count=F("post_count") + 1, last_post_at=now)
                Category.objects.filter(pk=locked.category_id).update(last_post_at=now)
                TopicRead.objects.update_or_create(
                    user=author, topic=locked, defaults={"last_number": number}
                )
                _subscribe(author, topic=locked)
                post.topic = locked
                _fan_out(post=post, author=author, new_topic=False)
                return post
        except IntegrityError:
            continue
    raise CommunityError(
        _("Many people are replying at once. Please send your reply again.")
    )  # pragma: no cover


@transaction.atomic
def edit_post(*, post: Post, editor, body: str, title: str | None = None) -> Post:
    """Change a post within the edit window; the previous text is kept as a revision. New mentions notify."""
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if not can(editor, "community.edit_post", post):
        raise CommunityError(_("The time to edit this post has passed."))
    if body != post.body:
        PostRevision.objects.create(post=post, body=post.body, edited_by=editor)
        post.body = body
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "edited_at"])
        mentioned = mentioned_user_ids(body) - {editor.pk}
        if mentioned:  # the unique (user, post) constraint keeps anyone already notified from a second one
            notify(
                user_ids=mentioned,
                kind=NotificationKind.MENTION,
                post=post,
                url=_post_url(post),
                text=_("%(name)s mentioned you in “%(topic)s”")
                % {"name": editor.display_name, "topic": post.topic.title},
            )
    if title is not None and post.number == 1 and title.strip() and title.strip() != post.topic.title:
        Topic.objects.filter(pk=post.topic_id).update(title=title.strip())
    return post


def toggle_helpful(*, post: Post, user) -> bool:
    """Mark a post helpful, or take the mark back. Returns whether it is now marked. Not on one's own post."""
    if post.author_id == user.pk:
        raise CommunityError(_("You cannot mark your own post as helpful."))
    with transaction.atomic():
        deleted, _rows = Helpful.objects.filter(post=post, user=user).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") - 1)
            return False
        try:
            with transaction.atomic():
                Helpful.objects.create(post=post, user=user)
        except IntegrityError:  # a double click got there first
            return True
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
        return True


def mark_read(*, user, topic: Topic, number: int) -> None:
    """Remember the highest post number seen; never moves backwards."""
    updated = TopicRead.objects.filter(user=user, topic=topic, last_number__lt=number).update(
        last_number=number
    )
    if not updated:
        try:
            with transaction.atomic():
                TopicRead.objects.get_or_create(user=user, topic=topic, defaults={"last_number": number})
        except IntegrityError:
            pass


def toggle_subscription(*, user, topic: Topic | None = None, category: Category | None = None) -> bool:
    deleted, _rows = Subscription.objects.filter(user=user, topic=topic, category=category).delete()
    if deleted:
        return False
    _subscribe(user, topic=topic, category=category)
    return True


# --- moderation -------------------------------------------------------------------------------------


def _log(*, actor, action: str, topic=None, post=None, target_user=None, note: str = "") -> ModerationLog:
    return ModerationLog.objects.create(
        actor=actor, action=action, topic=topic, post=post, target_user=target_user, note=note
    )


def flag_post(*, post: Post, reporter, reason: str) -> Flag:
    """Anyone signed in may flag a post once (until a moderator resolves it); a second flag is the same flag."""
    reason = reason.strip()
    if not reason:
        raise CommunityError(_("Say briefly what is wrong with this post."))
    existing = Flag.objects.filter(post=post, reporter=reporter, resolved_at__isnull=True).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Flag.objects.create(post=post, reporter=reporter, reason=reason)
    except IntegrityError:
        return Flag.objects.get(post=post, reporter=reporter, resolved_at__isnull=True)


POST_ACTIONS = {
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


TOPIC_ACTIONS = {
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
        note=f"{timezone.localtime(ends_at):%Y-%m-%d %H:%M}: {reason.strip()}",
    )
    for attr in ("_community_suspension",):
        if hasattr(user, attr):
            delattr(user, attr)
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


# --- practitioners and questions --------------------------------------------------------------------


@transaction.atomic
def save_practitioner(
    *,
    user,
    kind: str,
    bio: str,
    expertise,
    regions,
    languages,
    accepting_questions: bool,
    is_listed: bool = True,
) -> Practitioner:
    practitioner, created = Practitioner.objects.update_or_create(
        user=user,
        defaults={
            "kind": kind,
            "bio": bio,
            "expertise": pack(expertise),
            "regions": pack(regions),
            "languages": pack(languages),
            "accepting_questions": accepting_questions,
            "is_listed": is_listed,
        },
    )
    member_for(user)
    if created:
        record(actor=user, action="community.practitioner.join", target=user)
    user._community_practitioner = practitioner
    return practitioner


def check_question_rate(user) -> None:
    since = timezone.now() - timedelta(days=1)
    if Question.objects.filter(asker=user, created_at__gt=since).count() >= QUESTIONS_PER_DAY:
        raise CommunityError(
            _("You can ask %(count)d questions a day. Please wait for answers and try again tomorrow.")
            % {"count": QUESTIONS_PER_DAY}
        )


def is_blocked(*, blocker, blocked) -> bool:
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


@transaction.atomic
def ask_question(
    *, asker, title: str, body: str, practitioner: Practitioner | None = None, area: str = ""
) -> Question:
    """Ask one practitioner, or the pool of practitioners of an area. Private until both agree to publish."""
    if rules.active_suspension(asker) is not None:
        raise CommunityError(_("You cannot post while you are suspended."))
    check_question_rate(asker)
    if practitioner is not None:
        if practitioner.user_id == asker.pk:
            raise CommunityError(_("You cannot ask yourself."))
        if not practitioner.accepting_questions or not practitioner.user.is_active:
            raise CommunityError(
                _("This practitioner is not accepting questions now. Try the pool of practitioners.")
            )
        if is_blocked(blocker=practitioner.user, blocked=asker):
            raise CommunityError(_("This practitioner is not accepting questions from you."))
        area = ""
    elif not area:
        raise CommunityError(_("Choose the topic of your question."))
    member_for(asker)
    question = Question.objects.create(
        asker=asker,
        practitioner=practitioner,
        to_pool=practitioner is None,
        area=area,
        title=title.strip(),
        body=body,
    )
    record(actor=asker, action="community.question.ask", target=f"question {question.pk}")
    url = reverse("community:question", args=[question.pk])
    text = _("New question: “%(title)s”") % {"title": question.title}
    if practitioner is not None:
        notify(
            user_ids={practitioner.user_id},
            kind=NotificationKind.QUESTION,
            question=question,
            url=url,
            text=text,
        )
    else:
        pool = (
            Practitioner.objects.filter(
                accepting_questions=True, expertise__contains=f",{area},", user__is_active=True
            )
            .exclude(user=asker)
            .exclude(user_id__in=Block.objects.filter(blocked=asker).values("blocker_id"))
            .values_list("user_id", flat=True)
        )
        notify(user_ids=set(pool), kind=NotificationKind.QUESTION, question=question, url=url, text=text)
    return question


@transaction.atomic
def post_question_message(*, question: Question, author, body: str) -> QuestionMessage:
    """A message in the private thread. The first practitioner to answer a pool question takes it."""
    question = (
        Question.objects.select_for_update(of=("self",)).select_related("practitioner").get(pk=question.pk)
    )
    if rules.active_suspension(author) is not None:
        raise CommunityError(_("You cannot post while you are suspended."))
    if question.status == QuestionStatus.CLOSED:
        raise CommunityError(_("This question is closed."))
    is_asker = author.pk == question.asker_id
    if not is_asker:
        practitioner = Practitioner.objects.filter(user=author).first()
        if practitioner is None:
            raise CommunityError(_("Only the asker and the practitioner can write here."))
        if question.practitioner_id is None and question.to_pool:
            question.practitioner = practitioner
            question.save(update_fields=["practitioner"])
        elif question.practitioner_id != practitioner.pk:
            raise CommunityError(_("Another practitioner has already taken this question."))
    other = question.practitioner.user_id if is_asker and question.practitioner else question.asker_id
    if other and (is_blocked(blocker=other, blocked=author) or is_blocked(blocker=author, blocked=other)):
        raise CommunityError(_("You cannot write to this person: one of you has blocked the other."))
    message = QuestionMessage.objects.create(question=question, author=author, body=body)
    if other:
        notify(
            user_ids={other},
            kind=NotificationKind.QUESTION_MESSAGE,
            question=question,
            url=reverse("community:question", args=[question.pk]),
            text=_("New message about “%(title)s”") % {"title": question.title},
        )
    return message


# The question workflow, in one table: (status before, action) -> status after, and who may do it.
QUESTION_TRANSITIONS = {
    (QuestionStatus.OPEN, "mark_answered"): (QuestionStatus.ANSWERED, "asker"),
    (QuestionStatus.ANSWERED, "reopen"): (QuestionStatus.OPEN, "asker"),
    (QuestionStatus.OPEN, "close"): (QuestionStatus.CLOSED, "asker"),
    (QuestionStatus.ANSWERED, "thank"): (QuestionStatus.ANSWERED, "asker"),
    (QuestionStatus.ANSWERED, "consent"): (QuestionStatus.ANSWERED, "either"),
    (QuestionStatus.ANSWERED, "withdraw_consent"): (QuestionStatus.ANSWERED, "either"),
}


@transaction.atomic
def change_question(*, question: Question, user, action: str, thanks: str = "") -> Question:
    question = (
        Question.objects.select_for_update(of=("self",)).select_related("practitioner").get(pk=question.pk)
    )
    key = (question.status, action)
    if key not in QUESTION_TRANSITIONS:
        raise CommunityError(_("This cannot be done to the question now."))
    after, who = QUESTION_TRANSITIONS[key]
    is_asker = user.pk == question.asker_id
    is_answerer = question.practitioner is not None and question.practitioner.user_id == user.pk
    if (who == "asker" and not is_asker) or (who == "either" and not (is_asker or is_answerer)):
        raise CommunityError(_("Only the person who asked can do this."))
    now = timezone.now()
    before = question.status
    fields = ["status"]
    if action == "mark_answered":
        if not question.messages.exclude(author_id=question.asker_id).exists():
            raise CommunityError(_("No practitioner has answered yet."))
        question.answered_at = now
        fields.append("answered_at")
    elif action == "reopen":
        question.answered_at = None
        question.published_at = None
        fields += ["answered_at", "published_at"]
    elif action == "thank":
        question.thanked_at = now
        question.thanks = thanks.strip()[:500]
        fields += ["thanked_at", "thanks"]
    elif action in ("consent", "withdraw_consent"):
        field = "asker_consents" if is_asker else "practitioner_consents"
        setattr(question, field, action == "consent")
        fields.append(field)
        both = question.asker_consents and question.practitioner_consents
        question.published_at = (question.published_at or now) if both else None
        fields.append("published_at")
    question.status = after
    question.save(update_fields=fields)
    record(
        actor=user,
        action=f"community.question.{action}",
        target=f"question {question.pk}",
        note=f"{before} → {after}",
    )
    other = question.practitioner.user_id if is_asker and question.practitioner else question.asker_id
    if other and other != user.pk and action in ("mark_answered", "thank", "consent"):
        texts = {
            "mark_answered": _("“%(title)s” was marked answered"),
            "thank": _("You were thanked for your answer to “%(title)s”"),
            "consent": _("Publishing “%(title)s” in the Q&A library was proposed"),
        }
        notify(
            user_ids={other},
            kind=NotificationKind.QUESTION_STATE,
            question=question,
            url=reverse("community:question", args=[question.pk]),
            text=texts[action] % {"title": question.title},
        )
    return question


def block(*, blocker, blocked) -> None:
    if blocker.pk == blocked.pk:
        raise CommunityError(_("You cannot block yourself."))
    try:
        with transaction.atomic():
            Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    except IntegrityError:
        pass
    record(actor=blocker, action="community.block", target=f"user {blocked.pk}")


def unblock(*, blocker, blocked) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    record(actor=blocker, action="community.unblock", target=f"user {blocked.pk}")


def report_question(*, question: Question, reporter, reason: str) -> QuestionReport:
    reason = reason.strip()
    if not reason:
        raise CommunityError(_("Say briefly what is wrong."))
    existing = QuestionReport.objects.filter(
        question=question, reporter=reporter, resolved_at__isnull=True
    ).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return QuestionReport.objects.create(question=question, reporter=reporter, reason=reason)
    except IntegrityError:
        return QuestionReport.objects.get(question=question, reporter=reporter, resolved_at__isnull=True)


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


# --- case library -----------------------------------------------------------------------------------

CASE_FIELDS = (
    "title",
    "mechanism",
    "region",
    "municipality",
    "year",
    "summary",
    "what_happened",
    "outcome",
    "lessons",
    "links",
)


@transaction.atomic
def save_case(*, author, case: Case | None = None, **fields) -> Case:
    if case is None:
        case = Case(author=author)
    for name in CASE_FIELDS:
        if name in fields:
            setattr(case, name, fields[name])
    case.save()
    return case


def add_case_file(*, case: Case, upload, by) -> CaseFile:
    from core.uploads import safe_filename, validate_upload

    kind = validate_upload(upload)
    name = safe_filename(upload.name)
    if case.files.count() >= 10:
        raise ValidationError(_("A case can have at most 10 files."))
    return CaseFile.objects.create(
        case=case, file=upload, name=name, kind=kind, size=upload.size, uploaded_by=by
    )


# The case review workflow: (status before, action) -> status after. Staff review; authors submit.
CASE_TRANSITIONS = {
    (CaseStatus.DRAFT, "submit"): CaseStatus.SUBMITTED,
    (CaseStatus.RETURNED, "submit"): CaseStatus.SUBMITTED,
    (CaseStatus.SUBMITTED, "publish"): CaseStatus.PUBLISHED,
    (CaseStatus.SUBMITTED, "return"): CaseStatus.RETURNED,
    (CaseStatus.PUBLISHED, "unpublish"): CaseStatus.RETURNED,
}
STAFF_CASE_ACTIONS = {"publish", "return", "unpublish"}


@transaction.atomic
def change_case(*, case: Case, user, action: str, note: str = "") -> Case:
    from accounts.permissions import is_programme_staff

    case = Case.objects.select_for_update().get(pk=case.pk)
    key = (case.status, action)
    if key not in CASE_TRANSITIONS:
        raise CommunityError(_("This cannot be done to the case now."))
    if action in STAFF_CASE_ACTIONS and not is_programme_staff(user):
        raise CommunityError(_("Only programme staff review cases."))
    if action == "submit" and not (case.author_id == user.pk or is_programme_staff(user)):
        raise CommunityError(_("Only the author can submit the case."))
    before = case.status
    case.status = CASE_TRANSITIONS[key]
    fields = ["status"]
    if action in ("return", "unpublish"):
        case.review_note = note.strip()
        fields.append("review_note")
    if action == "publish":
        case.published_at = case.published_at or timezone.now()
        case.review_note = ""
        fields += ["published_at", "review_note"]
        if case.topic_id is None:
            case.topic = _case_topic(case)
            fields.append("topic")
    case.save(update_fields=fields)
    record(
        actor=user,
        action=f"community.case.{action}",
        target=f"case {case.pk}",
        note=f"{before} → {case.status}",
    )
    if case.author_id and case.author_id != user.pk:
        texts = {
            "publish": _("Your case “%(title)s” was published"),
            "return": _("Your case “%(title)s” was returned for changes"),
            "unpublish": _("Your case “%(title)s” was taken back for changes"),
        }
        if action in texts:
            notify(
                user_ids={case.author_id},
                kind=NotificationKind.CASE,
                url=case.get_absolute_url(),
                text=texts[action] % {"title": case.title},
            )
    return case


def _case_topic(case: Case) -> Topic:
    """The case's discussion topic in the case-discussions category, opened by the author."""
    ensure_default_categories()
    category = Category.objects.get(slug=CASES_SLUG)
    now = timezone.now()
    topic = Topic.objects.create(
        category=category,
        title=case.title,
        author=case.author,
        created_at=now,
        last_post_at=now,
        post_count=1,
    )
    with override("ka"):
        body = f"{case.summary}\n\n[{_('Read the case')}]({case.get_absolute_url()})"
    Post.objects.create(topic=topic, number=1, author=case.author, body=body, created_at=now)
    Category.objects.filter(pk=category.pk).update(topic_count=F("topic_count") + 1, last_post_at=now)
    return topic
