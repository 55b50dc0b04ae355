"""What waits in the credentials domain for a person ("my work", the workspace app), and the header links it opens.

* everyone with certificates: a link to them with their number (one COUNT query);
* programme staff: certificate management, issuing for a call, and the ceremony print runs, with the runs still
  being prepared or failed (one aggregate query).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.api import is_programme_staff
from core.api import HeaderEntry, WorkItem, counted
from credentials.models import Ceremony, CeremonyStatus, Credential, CredentialStatus


def _holder_items(viewer) -> list[WorkItem]:
    held = Credential.objects.filter(user_id=viewer.pk, status=CredentialStatus.ACTIVE).count()
    return counted(_("My certificates"), _("My certificates"), reverse("credentials:my_credentials"), held)


def _staff_items(viewer) -> list[WorkItem]:
    section = _("Certificates")
    runs = Ceremony.objects.aggregate(
        working=Count("pk", filter=Q(status__in=[CeremonyStatus.QUEUED, CeremonyStatus.RUNNING])),
        failed=Count("pk", filter=Q(status=CeremonyStatus.FAILED)),
    )
    ceremonies = reverse("credentials:ceremonies")
    items = [
        WorkItem(section=section, label=_("Manage certificates"), url=reverse("credentials:manage")),
        WorkItem(
            section=section, label=_("Issue certificates for a call"), url=reverse("credentials:bulk_issue")
        ),
        WorkItem(section=section, label=_("Ceremony print runs"), url=ceremonies),
    ]
    items += counted(section, _("Print runs being prepared"), ceremonies, runs["working"])
    items += counted(section, _("Print runs that failed"), ceremonies, runs["failed"], urgent=True)
    return items


def work_items(viewer) -> list[WorkItem]:
    if not viewer.is_authenticated:
        return []
    items = _holder_items(viewer)
    if is_programme_staff(viewer):
        items += _staff_items(viewer)
    return items


def header_entries(viewer) -> list[HeaderEntry]:
    """No query: from the viewer's roles (already loaded for the header)."""
    if not viewer.is_authenticated or not is_programme_staff(viewer):
        return []
    return [HeaderEntry(url=reverse("credentials:manage"), label=_("Certificate management"))]
