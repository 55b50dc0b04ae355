"""The community app's public surface: other apps (and benchmarks/) import from here, never from community's
other modules.

* ``start_topic`` / ``reply`` — forum writes with their limits and notifications (benchmark data);
* ``search_paginator`` — the forum search page's capped paginator (the search benchmark);
* ``Category``, ``CategoryKind``, ``Topic``, ``Post`` — the forum's models, for data generators that bulk-insert;
* ``work_items`` / ``header_entries`` — what waits for a person here ("my work") and the header links their roles open;
* ``current_opportunities`` / ``published_cases`` — reads for the REST API and its feeds;
* ``activity_figures`` — aggregates only (no person's data) for the indicators dashboard.

Besides, community registers its course listener with ``learning.api`` itself, and ``core/periodic.py`` names its
digest task by path (``community.tasks.send_daily_digests``).
"""

from django.db.models import Count
from django.db.models.functions import TruncMonth

from community.models import Category, CategoryKind, Post, Question, Topic
from community.queries import search_paginator
from community.queries.cases import published_cases
from community.queries.opportunities import current_opportunities
from community.services import reply, start_topic
from community.work import header_entries, work_items

__all__ = [
    "Category",
    "CategoryKind",
    "Post",
    "Topic",
    "activity_figures",
    "current_opportunities",
    "header_entries",
    "published_cases",
    "reply",
    "search_paginator",
    "start_topic",
    "work_items",
]


def activity_figures() -> dict[str, list[dict]]:
    """Forum posts per month (the author's region and gender) and practitioners' answers per month and area. Two
    queries."""
    posts = [
        dict(row)
        for row in Post.objects.filter(is_hidden=False)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "author__region", "author__gender")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    answers = [
        dict(row)
        for row in Question.objects.filter(answered_at__isnull=False)
        .annotate(month=TruncMonth("answered_at"))
        .values("month", "area")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    return {"posts": posts, "answers": answers}
