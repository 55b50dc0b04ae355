"""Gathers what every installed domain says waits for a person (``api.work_items``) and the header links their roles
open (``api.header_entries``).

Each domain's ``api`` is imported by name, and only when its app is installed (``CIVICHUB_APPS`` may switch a
domain off). The order here is the order of the sections on the page: what a learner and applicant does first,
then the roles' work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from django.apps import apps
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.api import Organisation, is_programme_staff
from core.api import HeaderEntry, WorkItem

MAX_ORGANISATIONS = 25


def domain_apis() -> list[ModuleType]:
    """The ``api`` module of every installed domain that says what waits for a person."""
    found: list[ModuleType] = []
    if apps.is_installed("learning"):
        from learning import api as learning_api

        found.append(learning_api)
    if apps.is_installed("calls"):
        from calls import api as calls_api

        found.append(calls_api)
    if apps.is_installed("awards"):
        from awards import api as awards_api

        found.append(awards_api)
    if apps.is_installed("credentials"):
        from credentials import api as credentials_api

        found.append(credentials_api)
    if apps.is_installed("community"):
        from community import api as community_api

        found.append(community_api)
    if apps.is_installed("events"):
        from events import api as events_api

        found.append(events_api)
    if apps.is_installed("insights"):
        from insights import api as insights_api

        found.append(insights_api)
    return found


def account_items(viewer) -> list[WorkItem]:
    """Staff: the organisations registered, those not yet verified first (accounts has no "my work" of its own; its
    organisation pages are reached from here and from each member's profile). One query."""
    if not is_programme_staff(viewer):
        return []
    section = _("Organisations")
    organisations = Organisation.objects.only("pk", "slug", "name_ka", "name_en", "verified").order_by(
        F("verified").asc(), "-pk"
    )[:MAX_ORGANISATIONS]
    return [
        WorkItem(
            section=section,
            label=organisation.name
            if organisation.verified
            else _("%(name)s (not yet verified)") % {"name": organisation.name},
            url=reverse("accounts:organisation_detail", args=[organisation.slug]),
        )
        for organisation in organisations
    ]


def _gather(name: str, viewer) -> list:
    results: list = []
    for api in domain_apis():
        provider: Callable[[object], list] = getattr(api, name)
        results.extend(provider(viewer))
    return results


def work_items(viewer) -> list[WorkItem]:
    if not viewer.is_authenticated:
        return []
    return [*_gather("work_items", viewer), *account_items(viewer)]


def header_entries(viewer) -> list[HeaderEntry]:
    """No query beyond the roles the header already loads (each domain's ``header_entries`` promises it)."""
    if not viewer.is_authenticated:
        return []
    return _gather("header_entries", viewer)


@dataclass
class Section:
    title: str
    items: list[WorkItem] = field(default_factory=list)

    @property
    def urgent(self) -> int:
        return sum(1 for item in self.items if item.urgent)


def by_section(items: list[WorkItem]) -> list[Section]:
    """Items grouped under their section's heading, sections in the order they first appear."""
    sections: dict[str, Section] = {}
    for item in items:
        sections.setdefault(item.section, Section(item.section)).items.append(item)
    return list(sections.values())
