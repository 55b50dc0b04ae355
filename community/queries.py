"""Reads of the community domain and the access helpers every view loads objects through (404 to outsiders)."""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from community import rules
from community.models import (
    Case,
    CaseStatus,
    Category,
    Flag,
    Helpful,
    Member,
    ModerationLog,
    Notification,
    Opportunity,
    Post,
    Practitioner,
    Question,
    QuestionReport,
    QuestionStatus,
    Subscription,
    Topic,
    TopicRead,
)
from core.rawjoin import Part, columns, select
from core.search import filter_prefix, terms

AUTHOR = ("author", "author__community_member")


# --- forum ------------------------------------------------------------------------------------------


def categories(user) -> QuerySet[Category]:
    qs = Category.objects.select_related("course").order_by("position", "name_ka", "pk")
    if getattr(user, "is_authenticated", False):
        qs = qs.annotate(followed=Exists(Subscription.objects.filter(user=user, category=OuterRef("pk"))))
    return qs


def category_by_slug(slug: str) -> Category:
    return get_object_or_404(Category, slug=slug)


def visible_topics(user) -> QuerySet[Topic]:
    qs = Topic.objects.all()
    if not rules.is_moderator(user):
        qs = qs.filter(is_hidden=False)
    return qs


def topics_for_listing(*, user, category: Category | None = None) -> QuerySet[Topic]:
    """Topics, pinned first then most recent, with the author and (signed in) how far the user has read."""
    qs = visible_topics(user).select_related("author", "author__community_member", "category")
    if category is not None:
        qs = qs.filter(category=category)
    if getattr(user, "is_authenticated", False):
        qs = qs.annotate(
            read_number=Subquery(
                TopicRead.objects.filter(user=user, topic=OuterRef("pk")).values("last_number")[:1],
                output_field=IntegerField(),
            )
        )
    else:
        qs = qs.annotate(read_number=Value(None, output_field=IntegerField()))
    return qs.order_by("-is_pinned", "-last_post_at", "-pk")


def topic_for_user(user, pk: int) -> Topic:
    topic = get_object_or_404(Topic.objects.select_related("category", "author"), pk=pk)
    require(user, "community.view_topic.view_public", topic)
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


def posts_of_topic(*, topic: Topic, user) -> QuerySet[Post]:
    qs = Post.objects.filter(topic=topic).select_related(*AUTHOR).only(*POST_PAGE_FIELDS).order_by("number")
    if not rules.is_moderator(user):
        qs = qs.filter(is_hidden=False)
    if getattr(user, "is_authenticated", False):
        qs = qs.annotate(marked=Exists(Helpful.objects.filter(user=user, post=OuterRef("pk"))))
    return qs


# The topic page's two reads, written as SQL once (core.rawjoin): building them with the ORM cost ~3 ms of CPU
# per view, several times what the database spends answering them (docs/performance.md).
_PAGE_TOPIC = Part.every_column(Topic, "t")
_PAGE_CATEGORY = Part.every_column(Category, "c")
_PAGE_POST = Part(
    Post,
    "p",
    ["id", *(f"{name}_id" if name in ("topic", "author") else name for name in POST_PAGE_FIELDS[:10])],
)
_PAGE_AUTHOR = Part(User, "u", ["id", "full_name_ka", "full_name_latin", "email"])
_PAGE_MEMBER = Part(Member, "m", ["id", "user_id", "handle"])
_MEMBER_CACHE = (
    User.community_member.related
)  # how select_related("author__community_member") fills the cache


@functools.cache
def _topic_page_sql(vendor: str) -> str:
    return (
        f"SELECT {columns(_PAGE_TOPIC, _PAGE_CATEGORY)},"  # noqa: S608 - table names from the models, values as parameters
        f" (SELECT r.last_number FROM {TopicRead._meta.db_table} r WHERE r.topic_id = t.id AND r.user_id = %s),"
        f" EXISTS(SELECT 1 FROM {Subscription._meta.db_table} s WHERE s.topic_id = t.id AND s.user_id = %s)"
        f" FROM {Topic._meta.db_table} t JOIN {Category._meta.db_table} c ON c.id = t.category_id"
        f" WHERE t.id = %s"
    )


@functools.cache
def _page_posts_sql(vendor: str, moderator: bool) -> str:
    hidden = "" if moderator else " AND p.is_hidden = %s"
    return (
        f"SELECT {columns(_PAGE_POST, _PAGE_AUTHOR, _PAGE_MEMBER)},"  # noqa: S608 - as above
        f" EXISTS(SELECT 1 FROM {Helpful._meta.db_table} h WHERE h.post_id = p.id AND h.user_id = %s)"
        f" FROM {Post._meta.db_table} p"
        f" LEFT JOIN {User._meta.db_table} u ON u.id = p.author_id"
        f" LEFT JOIN {Member._meta.db_table} m ON m.user_id = u.id"
        f" WHERE p.topic_id = %s{hidden} ORDER BY p.number LIMIT %s OFFSET %s"
    )


def topic_for_page(user, pk: int) -> Topic:
    """The topic with its category, and for a signed-in reader ``read_number`` (last post read) and ``followed``;
    404 when it does not exist or the user may not see it."""
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    rows = select(_topic_page_sql(connection.vendor), [user_id, user_id, pk], _PAGE_TOPIC, _PAGE_CATEGORY)
    if not rows:
        raise Http404
    topic, category, read_number, followed = rows[0]
    topic.category = category
    topic.read_number = read_number
    topic.followed = bool(followed)
    require(user, "community.view_topic.view_public", topic)
    return topic


def page_posts(*, topic: Topic, user, moderator: bool, limit: int, offset: int = 0) -> list[Post]:
    """One page of a topic's posts in order, with what the page shows of each author (name, email, handle) and,
    for a signed-in reader, ``marked`` (they found it helpful). Hidden posts only for moderators."""
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    params: list = [user_id, topic.pk] if moderator else [user_id, topic.pk, False]
    rows = select(
        _page_posts_sql(connection.vendor, moderator),
        [*params, limit, offset],
        _PAGE_POST,
        _PAGE_AUTHOR,
        _PAGE_MEMBER,
    )
    posts = []
    for post, author, member, marked in rows:
        if author is not None:
            _MEMBER_CACHE.set_cached_value(author, member)
            post.author = author
        post.topic = topic
        post.marked = bool(marked)
        posts.append(post)
    return posts


def post_for_user(user, pk: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("topic", "topic__category", *AUTHOR), pk=pk)
    require(user, "community.view_post.view_public", post)
    return post


def post_position(*, post: Post, user) -> int:
    """How many visible posts come before this one (for the permalink's page)."""
    qs = Post.objects.filter(topic_id=post.topic_id, number__lt=post.number)
    if not rules.is_moderator(user):
        qs = qs.filter(is_hidden=False)
    return qs.count()


def read_state(*, user, topic: Topic) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return TopicRead.objects.filter(user=user, topic=topic).values_list("last_number", flat=True).first() or 0


def is_following(*, user, topic: Topic | None = None, category: Category | None = None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Subscription.objects.filter(user=user, topic=topic, category=category).exists()


_POST_FTS_MATCH = (
    "SELECT rowid FROM community_post_fts WHERE community_post_fts MATCH %s"  # SQLite only: migration 0004
)


def _fts_match(query: str) -> str | None:
    """The FTS5 query for ``query`` on SQLite (every term a quoted prefix, ANDed); None elsewhere or without terms."""
    words = terms(query)
    if not words or connection.vendor != "sqlite":
        return None
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def match_posts(qs: QuerySet[Post], query: str) -> QuerySet[Post]:
    """Posts where every term of ``query`` begins a word (``core.search.filter_prefix``'s rule).

    On SQLite the rule is answered by the FTS5 index of migration 0004 instead of a ``LIKE`` over every row, which
    read all 100,000 posts when few matched (300-450 ms). PostgreSQL uses ``filter_prefix`` (its pg_trgm index
    serves the ``LIKE``)."""
    match = _fts_match(query)
    if match is None:
        return filter_prefix(qs, query)
    return qs.filter(pk__in=RawSQL(_POST_FTS_MATCH, [match]))  # noqa: S611 - constant SQL, the query is a parameter


def search_posts(*, query: str, user, indexed: bool = True) -> QuerySet[Post]:
    """Matching posts, newest first. On SQLite (unless ``indexed=False``) the FTS5 table is joined in the FROM
    clause rather than used as an ``IN`` list: SQLite then walks the index's matches and stops at a LIMIT (the
    capped count reads 1,001 ids in 2-3 ms instead of collecting all 80,000 matches of a common prefix first).
    ``match_posts`` keeps the ``IN`` form, which stays correct inside a subquery."""
    qs = Post.objects.filter(is_hidden=False, topic__is_hidden=False)
    if rules.is_moderator(user):
        qs = Post.objects.all()
    match = _fts_match(query) if indexed else None
    if match is None:
        qs = filter_prefix(qs, query)
    else:
        qs = qs.extra(  # noqa: S610 - constant SQL, the query is a parameter
            tables=["community_post_fts"],
            where=['community_post_fts.rowid = "community_post"."id"', "community_post_fts MATCH %s"],
            params=[match],
        )
    return qs.select_related("topic", "topic__category", *AUTHOR).order_by("-created_at", "-pk")


def search_paginator(*, query: str, user, per_page: int) -> CappedPaginator:
    """The search page's paginator. The capped count reads the matching ids from the full-text index (SQLite);
    when they reach the cap, matches are common and the pages are read newest first along the ``created_at``
    index with ``filter_prefix``, which stops at the page instead of sorting tens of thousands of matches."""
    paginator = CappedPaginator(search_posts(query=query, user=user), per_page)
    if paginator.capped:
        paginator.paginator.object_list = search_posts(query=query, user=user, indexed=False)
    return paginator


def search_topics(*, query: str, user) -> QuerySet[Topic]:
    """Topics whose opening post (which carries the title) matches."""
    posts = match_posts(Post.objects.filter(number=1), query)
    return topics_for_listing(user=user).filter(pk__in=posts.values("topic_id"))


def unread_notification_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


# --- moderation -------------------------------------------------------------------------------------


def require_moderator(user) -> None:
    require(user, "community.moderate")


def open_flags() -> QuerySet[Flag]:
    return (
        Flag.objects.filter(resolved_at__isnull=True)
        .select_related("reporter", "post", "post__topic", "post__author", "post__author__community_member")
        .order_by("created_at", "pk")
    )


def open_question_reports() -> QuerySet[QuestionReport]:
    return (
        QuestionReport.objects.filter(resolved_at__isnull=True)
        .select_related("reporter", "question")
        .order_by("created_at", "pk")
    )


def moderation_log() -> QuerySet[ModerationLog]:
    return ModerationLog.objects.select_related("actor", "topic", "post", "target_user").order_by(
        "-at", "-pk"
    )


# --- practitioners and questions --------------------------------------------------------------------


def directory(
    *, expertise: str = "", region: str = "", language: str = "", query: str = ""
) -> QuerySet[Practitioner]:
    qs = Practitioner.objects.filter(is_listed=True, user__is_active=True).select_related(
        "user", "user__community_member"
    )
    if expertise:
        qs = qs.filter(expertise__contains=f",{expertise},")
    if region:
        qs = qs.filter(regions__contains=f",{region},")
    if language:
        qs = qs.filter(languages__contains=f",{language},")
    for word in query.split()[:5]:
        qs = qs.filter(
            Q(user__full_name_ka__icontains=word)
            | Q(user__full_name_latin__icontains=word)
            | Q(bio__icontains=word)
        )
    return qs.order_by("-accepting_questions", "user__full_name_ka", "pk")


def practitioner_by_pk(pk: int) -> Practitioner:
    return get_object_or_404(
        Practitioner.objects.select_related("user", "user__community_member"),
        pk=pk,
        is_listed=True,
        user__is_active=True,
    )


def practitioner_of(user) -> Practitioner | None:
    if not getattr(user, "is_authenticated", False):
        return None
    rules.is_practitioner(user)
    return user._community_practitioner


def question_for_user(user, pk: int) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("asker", "practitioner", "practitioner__user"), pk=pk
    )
    require(user, "community.view_question", question)
    return question


def questions_asked_by(user) -> QuerySet[Question]:
    return (
        Question.objects.filter(asker=user)
        .select_related("practitioner__user")
        .order_by("-created_at", "-pk")
    )


def questions_for_practitioner(practitioner: Practitioner) -> QuerySet[Question]:
    """Questions to this practitioner, and open pool questions in their areas that nobody has taken yet."""
    from community.models import Block, unpack

    areas = unpack(practitioner.expertise)
    blocked = Block.objects.filter(blocker=practitioner.user).values("blocked_id")
    return (
        Question.objects.filter(
            Q(practitioner=practitioner)
            | Q(to_pool=True, practitioner__isnull=True, status=QuestionStatus.OPEN, area__in=areas)
        )
        .exclude(Q(practitioner__isnull=True) & Q(asker_id__in=blocked))
        .exclude(asker=practitioner.user)
        .select_related("asker", "practitioner__user")
        .order_by("-created_at", "-pk")
    )


def published_questions(query: str = "") -> QuerySet[Question]:
    qs = Question.objects.filter(published_at__isnull=False, status=QuestionStatus.ANSWERED).select_related(
        "practitioner__user"
    )
    if query:
        qs = filter_prefix(qs, query)
    return qs.order_by("-published_at", "-pk")


def published_question(pk: int) -> Question:
    return get_object_or_404(published_questions().select_related("asker"), pk=pk)


# --- cases ------------------------------------------------------------------------------------------


def published_cases(*, mechanism: str = "", region: str = "", query: str = "") -> QuerySet[Case]:
    qs = Case.objects.filter(status=CaseStatus.PUBLISHED)
    if mechanism:
        qs = qs.filter(mechanism=mechanism)
    if region:
        qs = qs.filter(region=region)
    if query:
        qs = filter_prefix(qs, query)
    return qs.order_by("-year", "-published_at", "-pk")


def cases_waiting_for_review() -> QuerySet[Case]:
    return (
        Case.objects.filter(status=CaseStatus.SUBMITTED).select_related("author").order_by("created_at", "pk")
    )


def cases_by(user) -> QuerySet[Case]:
    return (
        Case.objects.filter(author=user).exclude(status=CaseStatus.PUBLISHED).order_by("-created_at", "-pk")
    )


def case_for_user(user, slug: str) -> Case:
    case = get_object_or_404(Case.objects.select_related("author", "topic"), slug=slug)
    require(user, "community.view_case.view_public", case)
    return case


def case_for_editor(user, slug: str) -> Case:
    case = case_for_user(user, slug)
    require(user, "community.edit_case", case)
    return case


# --- opportunities ----------------------------------------------------------------------------------


def current_opportunities() -> QuerySet[Opportunity]:
    """Open opportunities, nearest deadline first. A passed deadline moves it to the archive by this query alone."""
    return Opportunity.objects.filter(deadline__gte=timezone.now()).order_by("deadline", "pk")


def archived_opportunities() -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(deadline__lt=timezone.now()).order_by("-deadline", "-pk")


def opportunity_by_pk(pk: int) -> Opportunity:
    opportunity = Opportunity.objects.filter(pk=pk).first()
    if opportunity is None:
        raise Http404
    return opportunity


SEARCH_COUNT_CAP = 1000


class CappedPaginator:
    """Pagination for search results that counts at most ``SEARCH_COUNT_CAP`` matches.

    Counting every match of a common word prefix among 100,000 posts costs more than finding the first
    page; nobody reads past page 50, so the count stops at the cap and the page says "more than".
    """

    def __init__(self, queryset, per_page: int):
        from django.core.paginator import Paginator

        self.per_page = per_page
        capped = queryset.order_by().values("pk")[: SEARCH_COUNT_CAP + 1]
        self.total = len(capped)
        self.capped = self.total > SEARCH_COUNT_CAP
        self.paginator = Paginator(queryset, per_page)
        self.paginator.count = min(self.total, SEARCH_COUNT_CAP)  # cached_property: set to skip COUNT(*)

    def get_page(self, number):
        return self.paginator.get_page(number)
