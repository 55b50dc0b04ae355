"""Reads of the forum: categories, topics and posts, read markers, follows and notifications.

Functions that depend on who looks take ``viewer`` (``request.viewer`` in views; a bare ``User`` also works).
"""

from __future__ import annotations

from django.db.models import BooleanField, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.shortcuts import get_object_or_404

from accounts.api import as_viewer, require
from community import rules
from community.models import Category, Helpful, Notification, Post, Subscription, Topic, TopicRead

AUTHOR = ("author", "author__community_member")


def categories(viewer) -> QuerySet[Category]:
    viewer = as_viewer(viewer)
    qs = Category.objects.select_related("course").order_by("position", "name_ka", "pk")
    if viewer.is_authenticated:
        qs = qs.annotate(
            followed=Exists(Subscription.objects.filter(user_id=viewer.pk, category=OuterRef("pk")))
        )
    return qs


def category_by_slug(slug: str) -> Category:
    return get_object_or_404(Category.objects.select_related("course"), slug=slug)


def visible_topics(viewer) -> QuerySet[Topic]:
    qs = Topic.objects.all()
    if not rules.is_moderator(viewer):
        qs = qs.filter(is_hidden=False)
    return qs


def _read_number(viewer):
    """The number of the last post ``viewer`` has read of the outer topic (None: never opened it)."""
    return Subquery(
        TopicRead.objects.filter(user_id=viewer.pk, topic=OuterRef("pk")).values("last_number")[:1],
        output_field=IntegerField(),
    )


def topics_for_listing(*, viewer, category: Category | None = None) -> QuerySet[Topic]:
    """Topics, pinned first then most recent, with the author and (signed in) how far the viewer has read."""
    viewer = as_viewer(viewer)
    qs = visible_topics(viewer).select_related(*AUTHOR, "category")
    if category is not None:
        qs = qs.filter(category=category)
    if viewer.is_authenticated:
        qs = qs.annotate(read_number=_read_number(viewer))
    else:
        qs = qs.annotate(read_number=Value(None, output_field=IntegerField()))
    return qs.order_by("-is_pinned", "-last_post_at", "-pk")


def topic_for_user(viewer, pk: int) -> Topic:
    topic = get_object_or_404(Topic.objects.select_related("category", "author"), pk=pk)
    require(viewer, "community.view_topic.view_public", topic)
    return topic


def topic_for_page(viewer, pk: int) -> Topic:
    """The topic page's topic with its category and, for a signed-in viewer, ``read_number`` (last post read,
    None when never opened) and ``followed``; 404 when it does not exist or the viewer may not see it."""
    viewer = as_viewer(viewer)
    qs = Topic.objects.select_related("category")
    if viewer.is_authenticated:
        qs = qs.annotate(
            read_number=_read_number(viewer),
            followed=Exists(Subscription.objects.filter(user_id=viewer.pk, topic=OuterRef("pk"))),
        )
    else:
        qs = qs.annotate(
            read_number=Value(None, output_field=IntegerField()),
            followed=Value(False, output_field=BooleanField()),
        )
    topic = get_object_or_404(qs, pk=pk)
    require(viewer, "community.view_topic.view_public", topic)
    return topic


# What the topic page shows of a post and its author (not the search text, nor the author's password, bio...).
POST_PAGE_FIELDS = (
    "topic",
    "number",
    "author",
    "body",
    "nofollow",
    "created_at",
    "edited_at",
    "is_hidden",
    "helpful_count",
    "body_html",
    "author__full_name_ka",
    "author__full_name_latin",
    "author__email",
    "author__community_member__handle",
)


def posts_of_topic(*, topic: Topic, viewer) -> QuerySet[Post]:
    """A topic's posts in order with what the page shows of each author and, for a signed-in viewer,
    ``marked`` (they found it helpful). Hidden posts only for moderators, except the opening post: people who
    replied to a topic whose opening post was hidden still see the topic, with that post shown as hidden."""
    viewer = as_viewer(viewer)
    qs = Post.objects.filter(topic=topic).select_related(*AUTHOR).only(*POST_PAGE_FIELDS).order_by("number")
    if not rules.is_moderator(viewer):
        qs = qs.filter(Q(is_hidden=False) | Q(number=1))
    if viewer.is_authenticated:
        qs = qs.annotate(marked=Exists(Helpful.objects.filter(user_id=viewer.pk, post=OuterRef("pk"))))
    else:
        qs = qs.annotate(marked=Value(False, output_field=BooleanField()))
    return qs


def post_for_user(viewer, pk: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("topic", "topic__category", *AUTHOR), pk=pk)
    require(viewer, "community.view_post.view_public", post)
    return post


def post_position(*, post: Post, viewer) -> int:
    """How many visible posts come before this one (for the permalink's page)."""
    qs = Post.objects.filter(topic_id=post.topic_id, number__lt=post.number)
    if not rules.is_moderator(viewer):
        qs = qs.filter(Q(is_hidden=False) | Q(number=1))
    return qs.count()


def is_following(*, viewer, topic: Topic | None = None, category: Category | None = None) -> bool:
    viewer = as_viewer(viewer)
    if not viewer.is_authenticated:
        return False
    return Subscription.objects.filter(user_id=viewer.pk, topic=topic, category=category).exists()


def unread_notification_count(viewer) -> int:
    viewer = as_viewer(viewer)
    if not viewer.is_authenticated:
        return 0
    return Notification.objects.filter(user_id=viewer.pk, read_at__isnull=True).count()


def notifications_of(viewer) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=as_viewer(viewer).pk).order_by("-created_at", "-pk")
