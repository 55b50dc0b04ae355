"""Forum writes: categories, topics, replies, edits, helpful marks, read markers, follows and flags.

Posting limits are counted from the posts table, so they hold across web processes and restarts.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts.api import Region, Viewer, as_viewer, can
from community import rules
from community.models import (
    Block,
    Category,
    CategoryKind,
    Flag,
    Helpful,
    NotificationKind,
    Post,
    PostRevision,
    Subscription,
    Topic,
    TopicRead,
)
from community.services.errors import CommunityError
from community.services.members import member_for, mentioned_user_ids
from community.services.notifications import Text, notify

NEW_ACCOUNT_DAYS = 7
NEW_ACCOUNT_POSTS_PER_HOUR = 5
NEW_ACCOUNT_POSTS_PER_DAY = 20
POSTS_PER_HOUR = 60


def is_new_account(user) -> bool:
    return timezone.now() - user.date_joined < timedelta(days=NEW_ACCOUNT_DAYS)


def check_post_rate(author: Viewer) -> None:
    """New accounts post at most 5 times an hour and 20 times a day; everyone at most 60 times an hour.

    Counted from the posts table, so the limit holds across web processes and restarts.
    """
    if rules.is_moderator(author):
        return
    now = timezone.now()
    counts = Post.objects.filter(author_id=author.pk, created_at__gt=now - timedelta(days=1)).aggregate(
        hour=Count("pk", filter=Q(created_at__gt=now - timedelta(hours=1))), day=Count("pk")
    )
    if is_new_account(author.user):
        if counts["hour"] >= NEW_ACCOUNT_POSTS_PER_HOUR or counts["day"] >= NEW_ACCOUNT_POSTS_PER_DAY:
            raise CommunityError(
                _(
                    "New accounts can post %(hour)d times an hour and %(day)d times a day. Please try again later."
                )
                % {"hour": NEW_ACCOUNT_POSTS_PER_HOUR, "day": NEW_ACCOUNT_POSTS_PER_DAY}
            )
    elif counts["hour"] >= POSTS_PER_HOUR:
        raise CommunityError(_("You are posting very fast. Please wait a while and try again."))


def check_can_post(author: Viewer, target) -> None:
    suspension = rules.active_suspension(author)
    if suspension is not None:
        raise CommunityError(
            _("You cannot post until %(date)s. Reason: %(reason)s")
            % {
                "date": date_format(timezone.localtime(suspension.ends_at), "SHORT_DATETIME_FORMAT"),
                "reason": suspension.reason,
            }
        )
    if getattr(target, "is_locked", False) and not rules.is_moderator(author):
        raise CommunityError(_("This topic is locked: no new replies."))


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


# --- forum writes -----------------------------------------------------------------------------------


def _post_url(post: Post) -> str:
    return reverse("community:post", args=[post.pk])


def _fan_out(*, post: Post, author, new_topic: bool) -> None:
    topic = post.topic
    mentioned = mentioned_user_ids(post.body) - {author.pk}
    blocked_by = set(Block.objects.filter(blocked=author).values_list("blocker_id", flat=True))
    if mentioned - blocked_by:
        notify(
            user_ids=mentioned - blocked_by,
            kind=NotificationKind.MENTION,
            post=post,
            url=_post_url(post),
            text=Text(
                gettext_lazy("%(name)s mentioned you in “%(topic)s”"), {"name": author, "topic": topic.title}
            ),
        )
    if new_topic:
        followers = set(
            Subscription.objects.filter(category_id=topic.category_id).values_list("user_id", flat=True)
        )
        category = topic.category
        text = Text(
            gettext_lazy("New topic in %(category)s: “%(topic)s”"),
            {"category": lambda: category.name, "topic": topic.title},
        )
        kind = NotificationKind.NEW_TOPIC
    else:
        followers = set(Subscription.objects.filter(topic=topic).values_list("user_id", flat=True))
        text = Text(gettext_lazy("%(name)s replied in “%(topic)s”"), {"name": author, "topic": topic.title})
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
    viewer = as_viewer(author)  # what community knows of the author, loaded once for the checks below
    check_can_post(viewer, category)
    if rate_limited:
        check_post_rate(viewer)
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
    viewer = as_viewer(author)  # what community knows of the author, loaded once for the checks below
    check_can_post(viewer, topic)
    if rate_limited:
        check_post_rate(viewer)
    member_for(author)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                locked = Topic.objects.select_for_update().get(pk=topic.pk)
                if locked.is_locked and not rules.is_moderator(viewer):
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
                text=Text(
                    gettext_lazy("%(name)s mentioned you in “%(topic)s”"),
                    {"name": editor, "topic": post.topic.title},
                ),
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
