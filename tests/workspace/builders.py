"""Builders for the workspace tests: what waits for each persona, made through each domain's services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from calls import services as calls
from community import services as community
from community.models import Category
from credentials import services as credentials
from credentials.models import AchievementKind
from learning import services as learning
from tests.calls.builders import draft, in_review, make_call
from tests.credentials.keys import test_private_key
from tests.factories import UserFactory
from tests.learning.builders import make_course


def drafts(user, n: int, *, closes_in=timedelta(days=10)) -> list:
    """``n`` drafts of ``user``, each to its own call closing in ``closes_in``."""
    now = timezone.now()
    return [draft(make_call(closes_at=now + closes_in), user) for _ in range(n)]


def courses_in_progress(user, n: int) -> list:
    courses = [make_course() for _ in range(n)]
    for course in courses:
        learning.enrol(user=user, course=course)
    return courses


def certificates(user, n: int) -> list:
    credentials.rotate_signing_key(private_key=test_private_key(0))
    issued = []
    for i in range(n):
        achievement = credentials.ensure_achievement(
            key=f"course:workspace-{i}",
            defaults={
                "kind": AchievementKind.COURSE,
                "name_ka": f"კურსი {i}",
                "description_ka": "აღწერა",
                "criteria_ka": "კრიტერიუმები",
            },
        )
        issued.append(credentials.issue_credential(user=user, achievement=achievement)[0])
    return issued


def assignments(reviewer, staff, n: int, *, declared=True, **call_fields) -> list:
    """``n`` applications to different calls, each assigned to ``reviewer`` (conflict declared unless not)."""
    made = []
    for _ in range(n):
        applicant = UserFactory()
        application = in_review(make_call(**call_fields), applicant, staff)
        assignment = calls.assign_reviewer(application=application, reviewer=reviewer, by=staff)
        if declared:
            calls.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
        made.append(assignment)
    return made


def submitted_to(n: int, staff=None, **call_fields) -> list:
    """``n`` calls with one submitted application each (screened into review when ``staff`` is given)."""
    from tests.calls.builders import submitted

    made = []
    for _ in range(n):
        call = make_call(**call_fields)
        application = in_review(call, UserFactory(), staff) if staff else submitted(call, UserFactory())
        made.append(application)
    return made


def flags(n: int) -> list:
    community.ensure_default_categories()
    general = Category.objects.get(slug="general")
    author = UserFactory()
    topic = community.start_topic(category=general, author=author, title="ბიუჯეტი", body="პოსტი")
    made = []
    for _ in range(n):
        post = community.reply(topic=topic, author=author, body="სპამი")
        made.append(community.flag_post(post=post, reporter=UserFactory(), reason="სპამი"))
    return made


def reviewed(call, applicant, reviewer, staff):
    """An application to ``call`` in review with one submitted review by ``reviewer``."""
    from tests.calls.builders import scores_for

    application = in_review(call, applicant, staff)
    assignment = calls.assign_reviewer(application=application, reviewer=reviewer, by=staff)
    calls.declare_conflict(assignment=assignment, by=reviewer, conflict=False)
    calls.confirm_statement(reviewer=reviewer, call=call)
    calls.save_review(
        assignment=assignment,
        by=reviewer,
        scores=scores_for(call, 8, 4),
        comments="კარგი",
        recommendation="accept",
        submit=True,
    )
    application.refresh_from_db()
    return application
