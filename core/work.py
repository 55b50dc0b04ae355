"""What waits for a person: each domain's ``api.work_items(viewer)`` returns :class:`WorkItem` rows, and "my work"
(the workspace app) shows them grouped by section. ``api.header_entries(viewer)`` names the header links a
person's roles open, from the roles the viewer already holds (no query)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkItem:
    section: str  # the heading it is shown under, e.g. "Programme staff", "My reviews" (translated)
    label: str  # what waits, e.g. "Applications to screen" (translated)
    url: str
    count: int | None = None  # None: a link without a count
    urgent: bool = False  # something late or due soon


def counted(section: str, label: str, url: str, count: int, *, urgent: bool = False) -> list[WorkItem]:
    """The item when something waits (``count`` is not zero), else none: ``items += counted(...)``."""
    return [WorkItem(section, label, url, count, urgent)] if count else []


@dataclass(frozen=True)
class HeaderEntry:
    url: str
    label: str
