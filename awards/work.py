"""What waits in the awards domain for a person (core.api.WorkItem rows for "my work", header entries).

One function per sub-domain, each with a constant number of queries; ``work_items`` joins them.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import is_programme_staff
from awards.models.offers import OfferStatus
from awards.queries.offers import offers_of, staff_counts
from core.api import HeaderEntry, WorkItem


def _offers_items(viewer) -> list[WorkItem]:
    """The offers a person answers (one aggregate query), and for programme staff the offers to follow (one more)."""
    now = timezone.now()
    counts = offers_of(viewer).aggregate(
        total=Count("pk"),
        waiting=Count("pk", filter=Q(status=OfferStatus.MADE, response_deadline__gte=now)),
        soon=Count(
            "pk",
            filter=Q(
                status=OfferStatus.MADE,
                response_deadline__gte=now,
                response_deadline__lte=now + timedelta(days=3),
            ),
        ),
    )
    items = []
    if counts["total"]:
        section = _("My offers")
        if counts["waiting"]:
            items.append(
                WorkItem(
                    section,
                    _("Offers waiting for your answer"),
                    reverse("awards:my_offers"),
                    counts["waiting"],
                    urgent=bool(counts["soon"]),
                )
            )
        items.append(WorkItem(section, _("My offers"), reverse("awards:my_offers"), counts["total"]))
    if is_programme_staff(viewer):
        section = _("Programme staff")
        staff = staff_counts()
        url = reverse("awards:staff_offers")
        items.append(WorkItem(section, _("Offers waiting for an answer"), url, staff["waiting"]))
        if staff["to_promote"]:
            items.append(
                WorkItem(
                    section,
                    _("Declined or expired offers with a waiting list to promote"),
                    url,
                    staff["to_promote"],
                    urgent=True,
                )
            )
    return items


def _projects_items(viewer) -> list[WorkItem]:
    """Grant projects: a member's projects and the reports due for an editor (the viewer's memberships and
    editorships once per request, then two counts), and for programme staff reports to review and tranches
    payable (two counts)."""
    from awards.queries import projects as project_queries

    items = []
    projects = project_queries.my_projects(viewer).count()
    if projects:
        section = _("My grant projects")
        url = reverse("awards:my_projects")
        due = project_queries.reports_due_for(viewer).aggregate(
            due=Count("pk"), late=Count("pk", filter=Q(milestone__due_on__lt=timezone.localdate()))
        )
        if due["due"]:
            items.append(WorkItem(section, _("Reports due"), url, due["due"], urgent=bool(due["late"])))
        items.append(WorkItem(section, _("My grant projects"), url, projects))
    if is_programme_staff(viewer):
        section = _("Programme staff")
        url = reverse("awards:staff_projects")
        items.append(
            WorkItem(section, _("Grant reports to review"), url, project_queries.reports_to_review().count())
        )
        items.append(
            WorkItem(section, _("Grant tranches to pay"), url, project_queries.payable_tranches().count())
        )
    return items


def _mentoring_items(viewer) -> list[WorkItem]:
    """A mentor's mentees and actions due (two aggregate queries), a mentee's mentor (one count, plus the viewer's
    memberships once per request) and their own actions due (one more, only for someone mentored) and, for staff, mentorships waiting for a mentor and open risk flags (two)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from accounts.api import Role, holds_role, is_programme_staff
    from awards.queries.mentoring import mentee_count, mentor_counts, my_action_counts, staff_counts

    items = []
    mine = reverse("awards:mentoring_mine")
    if holds_role(viewer, Role.MENTOR):
        counts = mentor_counts(viewer)
        section = _("Mentoring")
        if counts["to_declare"]:
            items.append(
                WorkItem(section, _("Conflicts of interest to declare"), mine, counts["to_declare"], True)
            )
        items.append(WorkItem(section, _("My mentees"), mine, counts["mentees"]))
        if counts["actions_due"]:
            items.append(
                WorkItem(
                    section, _("Actions due"), f"{mine}#actions", counts["actions_due"], counts["overdue"] > 0
                )
            )
    mentored = mentee_count(viewer)
    if mentored:
        items.append(WorkItem(_("Mentoring"), _("My mentor"), mine, mentored))
        own = my_action_counts(viewer)
        if own["actions_due"]:
            items.append(
                WorkItem(
                    _("Mentoring"),
                    _("My actions due"),
                    f"{mine}#my-actions",
                    own["actions_due"],
                    own["overdue"] > 0,
                )
            )
    if is_programme_staff(viewer):
        counts = staff_counts()
        overview = reverse("awards:mentoring_overview")
        section = _("Programme staff")
        items.append(
            WorkItem(
                section,
                _("Mentorships waiting for a mentor"),
                f"{overview}?status=waiting",
                counts["waiting"],
            )
        )
        items.append(
            WorkItem(
                section,
                _("Open risk flags"),
                f"{overview}?open_risks=on",
                counts["risks"],
                counts["risks"] > 0,
            )
        )
    return items


def _internships_items(viewer) -> list[WorkItem]:
    """The intern's and the supervisor's internships (one aggregate query), a host's placements (two) and, for
    staff, the internships under way (one). The final evaluation and the reflection are due from a week before
    the internship's end."""
    from datetime import timedelta

    from django.db.models import Count, Exists, OuterRef, Q
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from accounts.api import is_programme_staff
    from awards.models.internships import (
        EvaluationKind,
        Internship,
        InternshipEvaluation,
        InternshipReflection,
        InternshipStatus,
        Position,
    )
    from awards.rules.internships import host_org_ids

    items = []
    mine = Q(intern_id=viewer.pk)
    supervised = Q(supervisor_id=viewer.pk)
    ending = Q(status=InternshipStatus.ACTIVE, ends_on__lte=timezone.localdate() + timedelta(days=7))
    counts = (
        Internship.objects.filter(mine | supervised)
        .annotate(
            has_final=Exists(
                InternshipEvaluation.objects.filter(internship=OuterRef("pk"), kind=EvaluationKind.FINAL)
            ),
            has_reflection=Exists(InternshipReflection.objects.filter(internship=OuterRef("pk"))),
        )
        .aggregate(
            as_intern=Count("pk", filter=mine),
            to_acknowledge=Count("pk", filter=mine & Q(status=InternshipStatus.AGREEMENT_PENDING)),
            to_reflect=Count("pk", filter=mine & ending & Q(has_reflection=False)),
            supervised=Count(
                "pk",
                filter=supervised
                & Q(status__in=[InternshipStatus.AGREEMENT_PENDING, InternshipStatus.ACTIVE]),
            ),
            to_evaluate=Count("pk", filter=supervised & ending & Q(has_final=False)),
        )
    )
    url = reverse("awards:my_internships")
    if counts["to_acknowledge"]:
        items.append(
            WorkItem(
                _("My internship"),
                _("Learning agreement to acknowledge"),
                url,
                counts["to_acknowledge"],
                True,
            )
        )
    if counts["to_reflect"]:
        items.append(
            WorkItem(_("My internship"), _("Your reflection is due"), url, counts["to_reflect"], True)
        )
    if counts["as_intern"]:
        items.append(WorkItem(_("My internship"), _("My internships"), url, counts["as_intern"]))
    if counts["to_evaluate"]:
        items.append(
            WorkItem(
                _("Host organisation"), _("Final evaluations to write"), url, counts["to_evaluate"], True
            )
        )
    if counts["supervised"]:
        items.append(WorkItem(_("Host organisation"), _("Interns you supervise"), url, counts["supervised"]))
    hosts = host_org_ids(viewer)
    if hosts:
        placements = Position.objects.filter(host_id__in=hosts).count()
        items.append(
            WorkItem(
                _("Host organisation"), _("Our placements"), reverse("awards:host_placements"), placements
            )
        )
    if is_programme_staff(viewer):
        under_way = Internship.objects.filter(
            status__in=[InternshipStatus.AGREEMENT_PENDING, InternshipStatus.ACTIVE]
        ).count()
        items.append(
            WorkItem(
                _("Programme staff"),
                _("Internships under way"),
                reverse("awards:internships_overview"),
                under_way,
            )
        )
    return items


def work_items(viewer) -> list[WorkItem]:
    if not viewer.is_authenticated:
        return []
    return [
        *_offers_items(viewer),
        *_projects_items(viewer),
        *_mentoring_items(viewer),
        *_internships_items(viewer),
    ]


def _offers_entries(viewer) -> list[HeaderEntry]:
    if is_programme_staff(viewer):
        return [HeaderEntry(url=reverse("awards:staff_offers"), label=_("Offers"))]
    return []


def _projects_entries(viewer) -> list[HeaderEntry]:
    return []


def _mentoring_entries(viewer) -> list[HeaderEntry]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from accounts.api import Role, holds_role, is_programme_staff

    entries = []
    if holds_role(viewer, Role.MENTOR):
        entries.append(HeaderEntry(url=reverse("awards:mentoring_mine"), label=_("My mentees")))
    if is_programme_staff(viewer):
        entries.append(HeaderEntry(url=reverse("awards:mentoring_overview"), label=_("All mentoring")))
    return entries


def _internships_entries(viewer) -> list[HeaderEntry]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from accounts.api import Role, is_programme_staff

    entries = []
    if Role.HOST in viewer.roles:
        entries.append(HeaderEntry(url=reverse("awards:host_placements"), label=_("Our placements")))
    if is_programme_staff(viewer):
        entries.append(HeaderEntry(url=reverse("awards:internships_overview"), label=_("Internships")))
    return entries


def header_entries(viewer) -> list[HeaderEntry]:
    """No query: from the viewer's roles (already loaded) only."""
    if not viewer.is_authenticated:
        return []
    return [
        *_offers_entries(viewer),
        *_projects_entries(viewer),
        *_mentoring_entries(viewer),
        *_internships_entries(viewer),
    ]
