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
from django.utils.functional import cached_property

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


class CappedPaginator(Paginator):
    """Pagination for search results that counts at most ``SEARCH_COUNT_CAP`` matches.

    Counting every match of a common word prefix among 100,000 posts costs more than finding the first
    page; nobody reads past page 50, so the count stops at the cap and the page says "more than".
    """

    def __init__(self, object_list, per_page: int, *, matches: int):
        super().__init__(object_list, per_page)
        self.cap = SEARCH_COUNT_CAP
        self.matches = matches
        self.capped = matches > self.cap

    @cached_property
    def count(self) -> int:
        return min(self.matches, self.cap)


def search_paginator(*, query: str, viewer, per_page: int) -> CappedPaginator:
    """The search page's paginator. The capped count reads the matching ids from the full-text index (SQLite);
    when they reach the cap, matches are common, and the pages are read newest first along the ``created_at``
    index with ``filter_prefix``, which stops at the page instead of sorting tens of thousands of matches."""
    found = search_posts(query=query, viewer=viewer)
    matches = len(found.order_by().values("pk")[: SEARCH_COUNT_CAP + 1])
    if matches > SEARCH_COUNT_CAP:
        found = search_posts(query=query, viewer=viewer, indexed=False)
    return CappedPaginator(found, per_page, matches=matches)
