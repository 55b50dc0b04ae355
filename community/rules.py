"""Permission rules of the community domain (see accounts.permissions), and the facts about a person they read.

Rules receive the request's viewer. What the community knows about the person (their Member row, current
suspension, practitioner profile) is a viewer fact, loaded with one query the first time a request asks.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.api import Role, as_viewer, holds_role, is_programme_staff, rule
from community.models import CaseStatus, Member, Practitioner, Question, Suspension

EDIT_WINDOW_MINUTES = 30


def member_of(who) -> Member | None:
    """The person's community Member row or None (once per request)."""
    viewer = as_viewer(who)
    if not viewer.is_authenticated:
        return None
    return viewer.fact("community.member", lambda: Member.objects.filter(user_id=viewer.pk).first())


def active_suspension(who) -> Suspension | None:
    """The person's current suspension (the one that ends last) or None (once per request)."""
    viewer = as_viewer(who)
    if not viewer.is_authenticated:
        return None
    return viewer.fact(
        "community.suspension",
        lambda: (
            Suspension.objects.filter(user_id=viewer.pk, lifted_at__isnull=True, ends_at__gt=timezone.now())
            .order_by("-ends_at")
            .first()
        ),
    )


def practitioner_of(who) -> Practitioner | None:
    """The person's practitioner profile or None (once per request)."""
    viewer = as_viewer(who)
    if not viewer.is_authenticated:
        return None
    return viewer.fact(
        "community.practitioner", lambda: Practitioner.objects.filter(user_id=viewer.pk).first()
    )


def is_moderator(who) -> bool:
    """Programme staff, and anyone made a forum moderator (Member.is_moderator, set by staff in the admin)."""
    viewer = as_viewer(who)
    if not viewer.is_authenticated:
        return False
    if is_programme_staff(viewer):
        return True
    member = member_of(viewer)
    return bool(member and member.is_moderator)


def is_practitioner(who) -> bool:
    return practitioner_of(who) is not None


@rule("community.moderate")
def _moderate(viewer, _obj) -> bool:
    return is_moderator(viewer)


@rule("community.post")
def _post(viewer, topic_or_category) -> bool:
    """Start a topic in a category or reply in a topic: not suspended; a locked topic takes moderators only."""
    if active_suspension(viewer) is not None:
        return False
    if getattr(topic_or_category, "is_locked", False) or getattr(topic_or_category, "is_hidden", False):
        return is_moderator(viewer)
    return True


@rule("community.view_topic.view_public")
def _view_topic(viewer, topic) -> bool:
    """Hidden topics (their opening post was hidden) stay readable for moderators and for those who replied."""
    if not topic.is_hidden or is_moderator(viewer):
        return True
    return viewer.is_authenticated and topic.posts.filter(author_id=viewer.pk).exists()


@rule("community.view_post.view_public")
def _view_post(viewer, post) -> bool:
    return (not post.is_hidden and not post.topic.is_hidden) or is_moderator(viewer)


@rule("community.edit_post")
def _edit_post(viewer, post) -> bool:
    if post.author_id != viewer.pk or post.is_hidden or active_suspension(viewer) is not None:
        return False
    return timezone.now() - post.created_at <= timedelta(minutes=EDIT_WINDOW_MINUTES)


@rule("community.view_question")
def _view_question(viewer, question: Question) -> bool:
    if question.asker_id == viewer.pk:
        return True
    practitioner = practitioner_of(viewer)
    if practitioner is None:
        return is_moderator(viewer) and question.reports.exists()
    if question.practitioner_id == practitioner.pk:
        return True
    if question.to_pool and question.practitioner_id is None:
        return question.area in practitioner.expertise.split(",")
    return is_moderator(viewer) and question.reports.exists()


@rule("community.write_case")
def _write_case(viewer, _obj) -> bool:
    return is_programme_staff(viewer) or is_practitioner(viewer) or holds_role(viewer, Role.PRACTITIONER)


@rule("community.edit_case")
def _edit_case(viewer, case) -> bool:
    if is_programme_staff(viewer):
        return True
    return case.author_id == viewer.pk and case.status != CaseStatus.PUBLISHED


@rule("community.view_case.view_public")
def _view_case(viewer, case) -> bool:
    if case.status == CaseStatus.PUBLISHED:
        return True
    if not viewer.is_authenticated:
        return False
    return case.author_id == viewer.pk or is_programme_staff(viewer)


@rule("community.review_case")
def _review_case(viewer, case) -> bool:
    return is_programme_staff(viewer)


@rule("community.manage_opportunities")
def _manage_opportunities(viewer, _obj) -> bool:
    return is_programme_staff(viewer)
