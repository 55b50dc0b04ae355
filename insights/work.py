"""What the insights domain adds to "my work" and the header: the dashboard, for programme staff and donor viewers.
No query: from the viewer's roles (already loaded)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.api import can
from core.api import HeaderEntry, WorkItem


def work_items(viewer) -> list[WorkItem]:
    if not viewer.is_authenticated or not can(viewer, "insights.view"):
        return []
    return [WorkItem(_("Programme results"), _("Indicators dashboard"), reverse("insights:dashboard"))]


def header_entries(viewer) -> list[HeaderEntry]:
    if not viewer.is_authenticated or not can(viewer, "insights.view"):
        return []
    return [HeaderEntry(reverse("insights:dashboard"), _("Indicators"))]
