"""Mentoring: reads and access helpers (404 to outsiders).

Who may see a mentorship: programme staff; its mentor (once assigned: before declaring a conflict of interest
only the mentee's name); the mentee — the person, the members of the organisation, or of the grant project's
organisation (and the project's grantee). Everyone else gets a 404, other mentors included.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.api import Membership, Role, User, is_programme_staff
from awards.models.mentoring import (
    ActionOwner,
    ActionStatus,
    AgreedAction,
    MentorConflict,
    MentoringMessage,
    MentoringSession,
    Mentorship,
    MentorshipStatus,
    RiskFlag,
)
from awards.models.projects import GrantProject, ProjectStatus
from awards.rules.mentoring import member_organisation_ids, role_in
from awards.services.mentoring import mentee_people_and_organisations
from calls.api import conflicted_person_ids

STALE_AFTER_DAYS = 30
DUE_SOON_DAYS = 14


def _mentee_q(viewer) -> Q:
    organisations = member_organisation_ids(viewer)
    return (
        Q(mentee_id=viewer.pk)
        | Q(organisation_id__in=organisations)
        | Q(project__organisation_id__in=organisations)
        | Q(project__grantee_id=viewer.pk)
    )


def _base() -> QuerySet[Mentorship]:
    return Mentorship.objects.select_related(
        "project", "project__organisation", "organisation", "mentee", "mentor"
    )


def mentorship_for(viewer, pk: int) -> tuple[Mentorship, str]:
    """The mentorship and the viewer's role in it; 404 for everyone without one."""
    mentorship = _base().filter(pk=pk).first()
    role = role_in(viewer, mentorship) if mentorship is not None else None
    if mentorship is None or role is None:
        raise Http404
    return mentorship, role


def action_for(viewer, pk: int) -> AgreedAction:
    """An agreed action whose status the viewer (its mentorship's mentor or mentee) may change; else 404."""
    action = AgreedAction.objects.select_related("mentorship", "mentorship__project").filter(pk=pk).first()
    if action is None or role_in(viewer, action.mentorship) not in ("mentor", "mentee"):
        raise Http404
    return action


def risk_flag_for_staff(viewer, pk: int) -> RiskFlag:
    flag = RiskFlag.objects.select_related("mentorship").filter(pk=pk).first()
    if flag is None or not is_programme_staff(viewer):
        raise Http404
    return flag


def _annotated(qs: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    """Open actions and open risk flags counted by subqueries (two joined counts would multiply each other)."""

    def count(model, **filters):
        sub = (
            model.objects.filter(mentorship=OuterRef("pk"), **filters)
            .order_by()
            .values("mentorship")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))

    return qs.annotate(
        open_actions=count(AgreedAction, status=ActionStatus.OPEN),
        open_risks=count(RiskFlag, acknowledged_at__isnull=True),
    )


def staff_overview(
    *, status: str = "", open_risks: bool = False, stale: bool = False
) -> QuerySet[Mentorship]:
    qs = _annotated(_base())
    if status:
        qs = qs.filter(status=status)
    if open_risks:
        qs = qs.filter(open_risks__gt=0)  # type: ignore[misc]  # an annotation
    if stale:
        since = timezone.localdate() - timedelta(days=STALE_AFTER_DAYS)
        qs = qs.filter(status=MentorshipStatus.ACTIVE).filter(
            Q(last_session_on__isnull=True) | Q(last_session_on__lt=since)
        )
    return qs.order_by("-open_risks", "-created_at", "-pk")  # type: ignore[misc]


def mentor_mentorships(viewer) -> QuerySet[Mentorship]:
    """The mentor's mentorships (waiting for their declaration, active, ended)."""
    return _annotated(_base()).filter(mentor_id=viewer.pk).order_by("status", "-created_at", "-pk")


def mentee_mentorships(viewer) -> QuerySet[Mentorship]:
    return _base().filter(_mentee_q(viewer)).exclude(mentor_id=viewer.pk).order_by("-created_at", "-pk")


def actions_due(viewer) -> QuerySet[AgreedAction]:
    """Open actions of the mentor's active mentorships due within two weeks or overdue, soonest first."""
    until = timezone.localdate() + timedelta(days=DUE_SOON_DAYS)
    return (
        AgreedAction.objects.filter(
            mentorship__mentor_id=viewer.pk,
            mentorship__status=MentorshipStatus.ACTIVE,
            status=ActionStatus.OPEN,
            due_on__lte=until,
        )
        .select_related("mentorship", "mentorship__project", "mentorship__organisation", "mentorship__mentee")
        .order_by("due_on", "pk")
    )


def my_actions_due(viewer) -> QuerySet[AgreedAction]:
    """Open actions the viewer owns as a mentee (named, or owned by the mentee with nobody named) in active
    mentorships, due within two weeks or overdue, soonest first."""
    until = timezone.localdate() + timedelta(days=DUE_SOON_DAYS)
    mine = Mentorship.objects.filter(_mentee_q(viewer), status=MentorshipStatus.ACTIVE).values("pk")
    return (
        AgreedAction.objects.filter(
            mentorship__in=mine, owner=ActionOwner.MENTEE, status=ActionStatus.OPEN, due_on__lte=until
        )
        .filter(Q(owner_person_id=viewer.pk) | Q(owner_person__isnull=True))
        .select_related("mentorship", "mentorship__project", "mentorship__organisation", "mentorship__mentee")
        .order_by("due_on", "pk")
    )


def my_action_counts(viewer) -> dict[str, int]:
    """How many of the viewer's own actions as a mentee are due soon, and how many of them are overdue (one query)."""
    today = timezone.localdate()
    return (
        my_actions_due(viewer)
        .order_by()
        .aggregate(actions_due=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )


def mentorship_log(mentorship: Mentorship) -> dict:
    """Sessions (with their actions), all actions, risk flags and messages (``thread``) of one mentorship (four queries)."""
    actions = list(
        AgreedAction.objects.filter(mentorship=mentorship)
        .select_related("owner_person")
        .order_by("due_on", "pk")
    )
    sessions = list(MentoringSession.objects.filter(mentorship=mentorship).order_by("-held_on", "-pk"))
    by_session: dict[int, list[AgreedAction]] = {}
    for action in actions:
        if action.session_id:
            by_session.setdefault(action.session_id, []).append(action)
    for session in sessions:
        session.agreed = by_session.get(session.pk, [])  # type: ignore[attr-defined]
    return {
        "sessions": sessions,
        "actions": actions,
        "risk_flags": list(
            RiskFlag.objects.filter(mentorship=mentorship)
            .select_related("raised_by")
            .order_by("-raised_at", "-pk")
        ),
        "thread": list(
            MentoringMessage.objects.filter(mentorship=mentorship)
            .select_related("author")
            .order_by("sent_at", "pk")
        ),
    }


def mentee_people(mentorship: Mentorship):
    """The people who may own a mentee's action: the person, or the organisation's members (and grantee)."""
    organisations = [
        o for o in (mentorship.organisation_id, getattr(mentorship.project, "organisation_id", None)) if o
    ]
    people = [p for p in (mentorship.mentee_id, getattr(mentorship.project, "grantee_id", None)) if p]
    members = Membership.objects.filter(organisation_id__in=organisations).values("user_id")
    return User.objects.filter(Q(pk__in=people) | Q(pk__in=members)).order_by("full_name_ka", "pk")


def declared_conflict(mentorship: Mentorship, mentor_id: int) -> bool:
    return mentorship.assignments.filter(mentor_id=mentor_id, conflict=MentorConflict.CONFLICT).exists()


def mentorship_of_project(project) -> Mentorship | None:
    """The mentorship of a grant project for its page (the active one first, else the waiting one, else the
    latest ended), with its mentor and the mentor's areas of expertise; None without one."""
    rank = Case(
        When(status=MentorshipStatus.ACTIVE, then=Value(0)),
        When(status=MentorshipStatus.WAITING, then=Value(1)),
        default=Value(2),
    )
    return (
        Mentorship.objects.filter(project=project)
        .select_related("mentor")
        .prefetch_related("mentor__expertise")
        .order_by(rank, "-created_at", "-pk")
        .first()
    )


def pending_assignment_count() -> int:
    return Mentorship.objects.filter(status=MentorshipStatus.WAITING, mentor__isnull=True).count()


def open_risk_count() -> int:
    return RiskFlag.objects.filter(
        acknowledged_at__isnull=True, mentorship__status=MentorshipStatus.ACTIVE
    ).count()


def mentor_candidates(mentorship: Mentorship) -> QuerySet[User]:
    """Active people with the mentor role and no conflict with this mentorship, never one who was assigned to it
    before (staff's choice when assigning)."""
    people, organisations = mentee_people_and_organisations(mentorship)
    excluded = conflicted_person_ids(person_ids=people, organisation_ids=organisations)
    excluded |= set(mentorship.assignments.values_list("mentor_id", flat=True))
    return (
        User.objects.filter(is_active=True, role_grants__role=Role.MENTOR)
        .exclude(pk__in=excluded)
        .distinct()
        .order_by("full_name_ka", "pk")
    )


# --- counts for "my work" (awards/work.py) ----------------------------------------------------------------


def mentor_counts(viewer) -> dict[str, int]:
    """One query for the mentorships, one for the actions."""
    counts = Mentorship.objects.filter(mentor_id=viewer.pk).aggregate(
        to_declare=Count("pk", filter=Q(status=MentorshipStatus.WAITING)),
        mentees=Count("pk", filter=Q(status__in=[MentorshipStatus.WAITING, MentorshipStatus.ACTIVE])),
    )
    today = timezone.localdate()
    counts |= (
        actions_due(viewer)
        .order_by()
        .aggregate(actions_due=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    return counts


def mentee_count(viewer) -> int:
    return Mentorship.objects.filter(_mentee_q(viewer)).exclude(status=MentorshipStatus.ENDED).count()


def staff_counts() -> dict[str, int]:
    return {"waiting": pending_assignment_count(), "risks": open_risk_count()}


def projects_without_mentorship() -> QuerySet[GrantProject]:
    """Active grant projects with no mentorship that has not ended (staff open one for them)."""
    current = Mentorship.objects.filter(project__isnull=False).exclude(status=MentorshipStatus.ENDED)
    return (
        GrantProject.objects.filter(status=ProjectStatus.ACTIVE)
        .exclude(pk__in=current.values("project_id"))
        .select_related("organisation")
        .order_by("title", "pk")
    )


def person_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip(), is_active=True).first()
