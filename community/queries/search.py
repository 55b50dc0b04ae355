"""Forum search: word prefixes (``core.api.filter_prefix``'s rule), answered by the FTS5 index on SQLite.

On SQLite the FTS5 table ``community_post_fts`` of migration 0004 (kept in step with ``Post.search_text`` by
triggers) is joined to the posts, so a search walks the index's matches instead of a ``LIKE`` over every row.
PostgreSQL uses ``filter_prefix`` and its pg_trgm index. The search page counts at most ``SEARCH_COUNT_CAP``
matches.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet

from community import rules
from community.models import Post
from community.queries.forum import AUTHOR
from core.api import filter_prefix, terms

SEARCH_COUNT_CAP = 1000


def _fts_match(query: str) -> str | None:
    """The FTS5 query for ``query`` on SQLite (every term a quoted prefix, ANDed); None elsewhere or without terms."""
    words = terms(query)
    if not words or connection.vendor != "sqlite":
        return None
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def search_posts(*, query: str, viewer, indexed: bool = True) -> QuerySet[Post]:
    """Matching posts, newest first; hidden posts and posts of hidden topics only for moderators.

    On SQLite (unless ``indexed=False``) the FTS5 table is joined in the FROM clause, so SQLite walks the index's
    matches and stops at a LIMIT."""
    qs = Post.objects.filter(is_hidden=False, topic__is_hidden=False)
    if rules.is_moderator(viewer):
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


class CappedPaginator:
    """Pagination for search results that counts at most ``SEARCH_COUNT_CAP`` matches.

    Counting every match of a common word prefix among 100,000 posts costs more than finding the first
    page; nobody reads past page 50, so the count stops at the cap and the page says "more than".
    """

    def __init__(self, queryset, per_page: int):
        self.per_page = per_page
        self.cap = SEARCH_COUNT_CAP
        self.total = len(queryset.order_by().values("pk")[: self.cap + 1])
        self.capped = self.total > self.cap
        self.paginator = Paginator(queryset, per_page)
        self.paginator.count = min(self.total, self.cap)  # a cached_property: set, it skips COUNT(*)

    def get_page(self, number):
        return self.paginator.get_page(number)


def search_paginator(*, query: str, viewer, per_page: int) -> CappedPaginator:
    """The search page's paginator. When the matches reach the cap they are common, and the pages are read newest
    first along the ``created_at`` index with ``filter_prefix``, which stops at the page instead of sorting tens
    of thousands of matches."""
    paginator = CappedPaginator(search_posts(query=query, viewer=viewer), per_page)
    if paginator.capped:
        paginator.paginator.object_list = search_posts(query=query, viewer=viewer, indexed=False)
    return paginator
