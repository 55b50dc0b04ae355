"""What waits in the calls domain for a person ("my work", the workspace app), and the header links it opens.

* applicants (and co-applicants of an organisation's application, and its administrators, who submit it): drafts with the call's deadline (urgent within
  48 hours), questions from staff to answer, decisions published lately, and a link to all their applications;
* reviewers: per call, the reviews still to write (urgent when the call's review deadline is within 48 hours or
  past) and the conflicts of interest still to declare;
* programme staff: letters waiting in the outbox and letters that were not sent, and "calls you manage": per
  call (unpublished, open, closed in the last half year, or with work left), the applications to screen, those
  with enough reviews for a decision (``Call.min_reviews``) and the reviews late (past ``Call.review_deadline``),
  with a link to the call's management page; and the decline statistics across calls.

Each group costs one or two queries whatever the number of rows (aggregates with ``Count(..., filter=Q(...))``).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Min, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.api import Membership, Role, has_role, is_programme_staff
from calls.models import (
    Application,
    Call,
    Collaborator,
    CollaboratorRole,
    Conflict,
    OutboxMessage,
    OutboxStatus,
    Status,
)
from calls.queries import HIDDEN_INVITATION
from calls.services import ORGANISATION_ADMIN
from core.api import HeaderEntry, WorkItem, counted

URGENT_WITHIN = timedelta(hours=48)
# A published decision stays on the applicant's home for this long.
DECISIONS_SHOWN_FOR = timedelta(days=60)
# Calls closed longer ago than this, with nothing left to do, leave staff's home (their pages stay linked from the
# call list and the outbox).
CALLS_SHOWN_AFTER_CLOSING = timedelta(days=180)
MAX_ROWS = 25


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _about_call(call, moment, plain: str, dated: str) -> str:
    """A line about a call, with ``moment`` when there is one: ``plain`` takes %(call)s, ``dated`` also %(date)s."""
    if moment:
        return dated % {"call": call.title, "date": _when(moment)}
    return plain % {"call": call.title}


def _url_if_exists(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- applicants ----------------------------------------------------------------------------------------------


def _draft_url(application) -> str:
    """The form for the applicant and the co-applicants who edit; the application's page for those who read."""
    if application.my_role == CollaboratorRole.VIEWER:  # type: ignore[attr-defined]
        return reverse("calls:application_detail", args=[application.pk])
    return reverse("calls:application_form", args=[application.pk])


def _applicant_items(viewer, now) -> list[WorkItem]:
    section = _("My applications")
    # Their own applications and the organisations' applications they were invited to work on (co-applicants); a
    # full-proposal draft made by shortlisting shows once its invitation letter is sent.
    invited_to = Collaborator.objects.filter(user_id=viewer.pk)
    # An organisation's administrators submit its applications, whoever of its members started them.
    administered = Membership.objects.filter(user_id=viewer.pk, role=ORGANISATION_ADMIN).values(
        "organisation_id"
    )
    mine = Application.objects.filter(
        Q(applicant_id=viewer.pk)
        | Q(pk__in=invited_to.values("application_id"))
        | Q(organisation_id__in=administered)
    ).exclude(HIDDEN_INVITATION)
    total = mine.count()
    if not total:
        return []
    rows = (
        mine.filter(
            Q(status=Status.DRAFT, call__closes_at__gt=now)
            | Q(status=Status.MORE_INFO)
            | Q(status=Status.DECIDED, decision_published_at__gte=now - DECISIONS_SHOWN_FOR)
        )
        .select_related("call")
        .only("pk", "status", "call__slug", "call__title_ka", "call__title_en", "call__closes_at")
        .annotate(
            respond_by=Min("info_requests__respond_by", filter=Q(info_requests__answered_at__isnull=True)),
            my_role=Subquery(invited_to.filter(application_id=OuterRef("pk")).values("role")[:1]),
        )
        .order_by(F("call__closes_at").asc(), "pk")[:MAX_ROWS]
    )
    items = []
    for application in rows:
        call = application.call
        if application.status == Status.DRAFT:
            items.append(
                WorkItem(
                    section=section,
                    label=_("Draft: %(call)s (deadline: %(deadline)s)")
                    % {"call": call.title, "deadline": _when(call.closes_at)},
                    url=_draft_url(application),
                    urgent=call.closes_at - now < URGENT_WITHIN,
                )
            )
        elif application.status == Status.MORE_INFO:
            respond_by = application.respond_by  # type: ignore[attr-defined]
            label = _about_call(
                call,
                respond_by,
                _("Question from staff to answer: %(call)s"),
                _("Question from staff to answer: %(call)s (answer by: %(date)s)"),
            )
            items.append(
                WorkItem(
                    section=section,
                    label=label,
                    url=_draft_url(application),
                    urgent=respond_by is None or respond_by - now < URGENT_WITHIN,
                )
            )
        else:
            items.append(
                WorkItem(
                    section=section,
                    label=_("Decision published: %(call)s") % {"call": call.title},
                    url=reverse("calls:application_detail", args=[application.pk]),
                )
            )
    items.append(
        WorkItem(
            section=section, label=_("All my applications"), url=reverse("calls:my_applications"), count=total
        )
    )
    return items


# --- reviewers -----------------------------------------------------------------------------------------------


def _reviewer_items(viewer, now) -> list[WorkItem]:
    section = _("My reviews")
    waiting = "applications__assignments"
    calls = (
        Call.objects.filter(
            Q(**{f"{waiting}__review__isnull": True})
            | Q(**{f"{waiting}__review__submitted_at__isnull": True}),
            **{
                f"{waiting}__reviewer_id": viewer.pk,
                f"{waiting}__conflict__in": [Conflict.NONE, Conflict.PENDING],
            },
        )
        .annotate(
            to_write=Count(waiting, filter=Q(**{f"{waiting}__conflict": Conflict.NONE})),
            to_declare=Count(waiting, filter=Q(**{f"{waiting}__conflict": Conflict.PENDING})),
        )
        .order_by("closes_at", "pk")[:MAX_ROWS]
    )
    queue = reverse("calls:review_queue")
    items = []
    to_declare = 0
    for call in calls:
        to_declare += call.to_declare  # type: ignore[attr-defined]
        if not call.to_write:  # type: ignore[attr-defined]
            continue
        deadline = call.review_deadline
        label = _about_call(
            call,
            deadline,
            _("Reviews to write: %(call)s"),
            _("Reviews to write: %(call)s (review deadline: %(date)s)"),
        )
        items.append(
            WorkItem(
                section=section,
                label=label,
                url=queue,
                count=call.to_write,  # type: ignore[attr-defined]
                urgent=bool(deadline and deadline - now < URGENT_WITHIN),
            )
        )
    items += counted(section, _("Conflicts of interest to declare"), queue, to_declare)
    items.append(WorkItem(section=section, label=_("All my review assignments"), url=queue))
    return items


# --- programme staff -----------------------------------------------------------------------------------------


def _staff_items(viewer, now) -> list[WorkItem]:
    # The same heading as awards' staff items: one section in both languages.
    section = _("Programme staff")
    letters = OutboxMessage.objects.aggregate(
        pending=Count("pk", filter=Q(status=OutboxStatus.PENDING)),
        not_sent=Count("pk", filter=OutboxMessage.not_sent(now)),
    )
    outbox = reverse("calls:outbox")
    items = [
        WorkItem(
            section=section, label=_("Letters waiting for approval"), url=outbox, count=letters["pending"]
        )
    ]
    items += counted(section, _("Letters that were not sent"), outbox, letters["not_sent"], urgent=True)
    statistics = _url_if_exists("calls:decline_statistics")
    if statistics:
        items.append(WorkItem(section=section, label=_("Decline reasons across calls"), url=statistics))
    return items + _managed_call_items(now)


def _managed_call_items(now) -> list[WorkItem]:
    """Per call: applications to screen, applications awaiting a decision, a link to the call's management."""
    section = _("Calls you manage")
    assignment = "applications__assignments"
    calls = (
        Call.objects.annotate(
            # distinct: the late reviews' join repeats an application once per assignment.
            to_screen=Count(
                "applications",
                filter=Q(applications__status__in=[Status.SUBMITTED, Status.SCREENING]),
                distinct=True,
            ),
            to_decide=Count(
                "applications",
                filter=Q(
                    applications__status=Status.IN_REVIEW, applications__review_count__gte=F("min_reviews")
                ),
                distinct=True,
            ),
            late=Count(
                assignment,
                filter=Q(
                    review_deadline__lt=now,
                    applications__status=Status.IN_REVIEW,
                    **{f"{assignment}__conflict": Conflict.NONE, f"{assignment}__review__submitted_at": None},
                ),
                distinct=True,
            ),
        )
        .filter(
            Q(published=False)
            | Q(closes_at__gte=now - CALLS_SHOWN_AFTER_CLOSING)
            | Q(to_screen__gt=0)
            | Q(to_decide__gt=0)
        )
        .only("pk", "slug", "title_ka", "title_en", "closes_at", "published", "review_deadline")
        .order_by("-closes_at", "pk")[:MAX_ROWS]
    )
    items = []
    for call in calls:
        manage = reverse("calls:manage_call", args=[call.slug])
        label = call.title if call.published else _("%(call)s (not published)") % {"call": call.title}
        items.append(WorkItem(section=section, label=label, url=manage))
        about = {"call": call.title}
        to_screen, to_decide, late = call.to_screen, call.to_decide, call.late  # type: ignore[attr-defined]
        items += counted(section, _("Applications to screen: %(call)s") % about, manage, to_screen)
        decide = f"{manage}?status={Status.IN_REVIEW}"
        items += counted(section, _("Applications awaiting a decision: %(call)s") % about, decide, to_decide)
        items += counted(section, _("Reviews late: %(call)s") % about, manage, late, urgent=True)
    return items


# --- the public surface ---------------------------------------------------------------------------------------


def work_items(viewer) -> list[WorkItem]:
    if not viewer.is_authenticated:
        return []
    now = timezone.now()
    items = _applicant_items(viewer, now)
    if has_role(viewer, Role.REVIEWER):
        items += _reviewer_items(viewer, now)
    if is_programme_staff(viewer):
        items += _staff_items(viewer, now)
    return items


def header_entries(viewer) -> list[HeaderEntry]:
    """No query: from the viewer's roles (already loaded for the header)."""
    if not viewer.is_authenticated:
        return []
    entries = []
    if has_role(viewer, Role.REVIEWER):
        entries.append(HeaderEntry(url=reverse("calls:review_queue"), label=_("My reviews")))
    if is_programme_staff(viewer):
        entries.append(HeaderEntry(url=reverse("calls:outbox"), label=_("Outbox")))
    return entries
