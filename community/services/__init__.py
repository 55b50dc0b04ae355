"""Every multi-step write and state change of the community domain, one module per sub-domain.

``forum`` (topics, replies, edits, helpful marks, follows, flags, categories), ``members`` (handles, email
choice), ``notifications``, ``moderation``, ``questions`` (practitioners and private questions), ``cases``.
Each state change is logged. Everything is re-exported here; emails are sent by ``community.emails`` from tasks.
"""

from community.emails import send_daily_digests, send_notification_email
from community.services.cases import CASE_TRANSITIONS, add_case_file, change_case, save_case
from community.services.errors import CommunityError
from community.services.forum import (
    CASES_SLUG,
    GENERAL_SLUG,
    NEW_ACCOUNT_POSTS_PER_HOUR,
    REGION_NAMES_KA,
    category_for_course,
    course_created,
    edit_post,
    ensure_default_categories,
    flag_post,
    mark_read,
    reply,
    start_topic,
    toggle_helpful,
    toggle_subscription,
)
from community.services.members import member_for, save_member_settings
from community.services.moderation import (
    lift_suspension,
    moderate_post,
    moderate_topic,
    resolve_question_report,
    suspend,
)
from community.services.notifications import mark_notifications_read, notify
from community.services.questions import (
    QUESTION_TRANSITIONS,
    QUESTIONS_PER_DAY,
    ask_question,
    block,
    change_question,
    post_question_message,
    report_question,
    save_practitioner,
    unblock,
)

__all__ = [
    "CASES_SLUG",
    "CASE_TRANSITIONS",
    "GENERAL_SLUG",
    "NEW_ACCOUNT_POSTS_PER_HOUR",
    "QUESTIONS_PER_DAY",
    "QUESTION_TRANSITIONS",
    "REGION_NAMES_KA",
    "CommunityError",
    "add_case_file",
    "ask_question",
    "block",
    "category_for_course",
    "change_case",
    "change_question",
    "course_created",
    "edit_post",
    "ensure_default_categories",
    "flag_post",
    "lift_suspension",
    "mark_notifications_read",
    "mark_read",
    "member_for",
    "moderate_post",
    "moderate_topic",
    "notify",
    "post_question_message",
    "reply",
    "report_question",
    "resolve_question_report",
    "save_case",
    "save_member_settings",
    "save_practitioner",
    "send_daily_digests",
    "send_notification_email",
    "start_topic",
    "suspend",
    "toggle_helpful",
    "toggle_subscription",
    "unblock",
]
