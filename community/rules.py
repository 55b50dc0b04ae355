"""Permission rules of the community domain (see accounts.permissions)."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import holds_role, is_programme_staff, rule
from community.models import CaseStatus, Question
from core.rawjoin import Part, columns, select

EDIT_WINDOW_MINUTES = 30


def member_of(user):
    """The user's community Member row or None, loaded once per user object (with their suspension)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_community_member"):
        _load_viewer(user)
    return user._community_member


_VIEWER: dict[str, tuple] = {}


def _load_viewer(user) -> None:
    """The person's Member row and current suspension in one hand-written query (core.rawjoin): most forum
    pages ask both, and the ORM spent ~0.5 ms of CPU building each of the two queries it replaces."""
    from community.models import Member, Suspension

    if connection.vendor not in _VIEWER:
        member = Part.every_column(Member, "m")
        suspension = Part.every_column(Suspension, "s")
        table = Suspension._meta.db_table
        _VIEWER[connection.vendor] = (
            f"SELECT {columns(member, suspension)} FROM (SELECT 1 AS one) x"  # noqa: S608 - table names from the models
            f" LEFT JOIN {Member._meta.db_table} m ON m.user_id = %s"
            f" LEFT JOIN {table} s ON s.id = (SELECT s2.id FROM {table} s2 WHERE s2.user_id = %s"
            f" AND s2.lifted_at IS NULL AND s2.ends_at > %s ORDER BY s2.ends_at DESC LIMIT 1)",
            member,
            suspension,
        )
    sql, member, suspension = _VIEWER[connection.vendor]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    ((user._community_member, user._community_suspension),) = select(
        sql, [user.pk, user.pk, now], member, suspension
    )


def is_moderator(user) -> bool:
    """Programme staff, and anyone made a forum moderator (Member.is_moderator, set by staff in the admin)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_programme_staff(user):
        return True
    member = member_of(user)
    return bool(member and member.is_moderator)


def active_suspension(user):
    """The user's current suspension or None, loaded once per user object (with their Member row)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_community_suspension"):
        _load_viewer(user)
    return user._community_suspension


def is_practitioner(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if not hasattr(user, "_community_practitioner"):
        from community.models import Practitioner

        user._community_practitioner = Practitioner.objects.filter(user=user).first()
    return user._community_practitioner is not None


@rule("community.moderate")
def _moderate(user, obj) -> bool:
    return is_moderator(user)


@rule("community.post")
def _post(user, topic_or_category) -> bool:
    """Start a topic in a category or reply in a topic: not suspended; a locked topic takes moderators only."""
    if active_suspension(user) is not None:
        return False
    if getattr(topic_or_category, "is_locked", False) or getattr(topic_or_category, "is_hidden", False):
        return is_moderator(user)
    return True


@rule("community.view_topic.view_public")
def _view_topic(user, topic) -> bool:
    return not topic.is_hidden or is_moderator(user)


@rule("community.view_post.view_public")
def _view_post(user, post) -> bool:
    return (not post.is_hidden and not post.topic.is_hidden) or is_moderator(user)


@rule("community.edit_post")
def _edit_post(user, post) -> bool:
    if post.author_id != user.pk or post.is_hidden or active_suspension(user) is not None:
        return False
    return timezone.now() - post.created_at <= timedelta(minutes=EDIT_WINDOW_MINUTES)


@rule("community.view_question")
def _view_question(user, question: Question) -> bool:
    if question.asker_id == user.pk:
        return True
    practitioner = user._community_practitioner if is_practitioner(user) else None
    if practitioner is None:
        return is_moderator(user) and question.reports.exists()
    if question.practitioner_id == practitioner.pk:
        return True
    if question.to_pool and question.practitioner_id is None:
        return question.area in practitioner.expertise.split(",")
    return is_moderator(user) and question.reports.exists()


@rule("community.write_case")
def _write_case(user, obj) -> bool:
    return is_programme_staff(user) or is_practitioner(user) or holds_role(user, Role.PRACTITIONER)


@rule("community.edit_case")
def _edit_case(user, case) -> bool:
    if is_programme_staff(user):
        return True
    return case.author_id == user.pk and case.status != CaseStatus.PUBLISHED


@rule("community.view_case.view_public")
def _view_case(user, case) -> bool:
    if case.status == CaseStatus.PUBLISHED:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return case.author_id == user.pk or is_programme_staff(user)


@rule("community.review_case")
def _review_case(user, case) -> bool:
    return is_programme_staff(user)


@rule("community.manage_opportunities")
def _manage_opportunities(user, obj) -> bool:
    return is_programme_staff(user)
