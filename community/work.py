"""What waits in the community domain for a person ("my work", the workspace app), and the header links it opens.

* everyone: unread notifications (one COUNT query) and answers to the questions they asked;
* practitioners: the questions waiting for their answer (their own and open pool questions in their areas);
* moderators (programme staff, or members made moderators): the open flags and question reports.

Each is one COUNT query; the practitioner profile and the member row are the request's viewer facts
(``community.rules``), loaded once.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.api import Role, holds_role, is_programme_staff
from community import queries, rules
from community.models import Flag, Notification, Question, QuestionReport, QuestionStatus
from core.api import HeaderEntry, WorkItem, counted


def _member_items(viewer) -> list[WorkItem]:
    unread = Notification.objects.filter(user_id=viewer.pk, read_at__isnull=True).count()
    return counted(_("Community"), _("Unread notifications"), reverse("community:notifications"), unread)


def _practitioner_items(viewer) -> list[WorkItem]:
    me = rules.practitioner_of(viewer)
    if me is None:
        return []
    waiting = queries.questions_for_practitioner(me).filter(status=QuestionStatus.OPEN).count()
    return [
        WorkItem(
            section=_("Community"),
            label=_("Questions waiting for your answer"),
            url=reverse("community:questions"),
            count=waiting,
        )
    ]


def _asker_items(viewer) -> list[WorkItem]:
    answered = Question.objects.filter(
        asker_id=viewer.pk, status=QuestionStatus.ANSWERED, thanked_at__isnull=True
    ).count()
    return counted(_("Community"), _("Answers to your questions"), reverse("community:questions"), answered)


def _moderator_items(viewer) -> list[WorkItem]:
    if not rules.is_moderator(viewer):
        return []
    open_reports = (
        Flag.objects.filter(resolved_at__isnull=True).count()
        + QuestionReport.objects.filter(resolved_at__isnull=True).count()
    )
    section = _("Moderation")
    return [
        WorkItem(
            section=section,
            label=_("Reports to moderate"),
            url=reverse("community:moderation"),
            count=open_reports,
        ),
        WorkItem(section=section, label=_("Moderation log"), url=reverse("community:moderation_log")),
    ]


def work_items(viewer) -> list[WorkItem]:
    if not viewer.is_authenticated:
        return []
    return [
        *_member_items(viewer),
        *_asker_items(viewer),
        *_practitioner_items(viewer),
        *_moderator_items(viewer),
    ]


def header_entries(viewer) -> list[HeaderEntry]:
    """No query: from the viewer's roles (already loaded for the header). Members made moderators in the forum
    (a community fact, not a role) find moderation on their "my work" page instead."""
    if not viewer.is_authenticated:
        return []
    entries = []
    if holds_role(viewer, Role.PRACTITIONER):
        entries.append(HeaderEntry(url=reverse("community:questions"), label=_("Questions to me")))
    if is_programme_staff(viewer):
        entries.append(HeaderEntry(url=reverse("community:moderation"), label=_("Moderation")))
    return entries
