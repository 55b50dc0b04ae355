"""Reads of the community domain and the access helpers every view loads objects through (404 to outsiders).

One module per sub-domain: ``forum`` (and ``search``), ``moderation``, ``questions``, ``cases``,
``opportunities``; everything is re-exported here.
"""

from community.queries.cases import (
    case_for_editor,
    case_for_user,
    cases_by,
    cases_waiting_for_review,
    published_cases,
)
from community.queries.forum import (
    categories,
    category_by_slug,
    is_following,
    notifications_of,
    post_for_user,
    post_position,
    posts_of_topic,
    topic_for_page,
    topic_for_user,
    topics_for_listing,
    unread_notification_count,
)
from community.queries.moderation import (
    current_suspensions,
    moderation_log,
    open_flags,
    open_question_reports,
    require_moderator,
)
from community.queries.opportunities import archived_opportunities, current_opportunities, opportunity_by_pk
from community.queries.questions import (
    blocked_by,
    directory,
    has_blocked,
    practitioner_by_pk,
    practitioner_of,
    published_question,
    published_questions,
    question_for_user,
    questions_asked_by,
    questions_for_practitioner,
)
from community.queries.search import SEARCH_COUNT_CAP, CappedPaginator, search_paginator, search_posts

__all__ = [
    "SEARCH_COUNT_CAP",
    "CappedPaginator",
    "archived_opportunities",
    "blocked_by",
    "case_for_editor",
    "case_for_user",
    "cases_by",
    "cases_waiting_for_review",
    "categories",
    "category_by_slug",
    "current_opportunities",
    "current_suspensions",
    "directory",
    "has_blocked",
    "is_following",
    "moderation_log",
    "notifications_of",
    "open_flags",
    "open_question_reports",
    "published_cases",
    "opportunity_by_pk",
    "post_for_user",
    "post_position",
    "posts_of_topic",
    "practitioner_by_pk",
    "practitioner_of",
    "published_question",
    "published_questions",
    "question_for_user",
    "questions_asked_by",
    "questions_for_practitioner",
    "require_moderator",
    "search_paginator",
    "search_posts",
    "topic_for_page",
    "topic_for_user",
    "topics_for_listing",
    "unread_notification_count",
]
