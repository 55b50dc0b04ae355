"""Permission rules of the projects sub-domain.

* ``awards.project.view`` — programme staff, every member of the project's organisation, the grantee, and the
  project's active mentor (who reads, never edits);
* ``awards.project.edit_reports`` — the project's report editors (ticked by the organisation's admin);
* ``awards.project.manage_editors`` — the organisation's admin (and programme staff);
* ``awards.project.manage`` — programme staff (milestones, tranches, review, payments, exports).
"""

from __future__ import annotations

from accounts.api import is_programme_staff, rule
from awards.services.projects import editor_project_ids, member_organisation_ids, mentored_project_ids


def sees_project(viewer, project) -> bool:
    if is_programme_staff(viewer):
        return True
    if project.grantee_id == viewer.pk:
        return True
    if project.organisation_id is not None and project.organisation_id in member_organisation_ids(viewer):
        return True
    return project.pk in mentored_project_ids(viewer)


@rule("awards.project.view")
def _view(viewer, project) -> bool:
    return sees_project(viewer, project)


@rule("awards.project.edit_reports")
def _edit_reports(viewer, project) -> bool:
    return project.pk in editor_project_ids(viewer)


@rule("awards.project.manage_editors")
def _manage_editors(viewer, project) -> bool:
    if project.organisation_id is None:
        return False
    return is_programme_staff(viewer) or project.organisation_id in viewer.admin_organisation_ids


@rule("awards.projects.list")
def _list(viewer, obj) -> bool:
    return is_programme_staff(viewer)


@rule("awards.project.manage")
def _manage(viewer, project) -> bool:
    return is_programme_staff(viewer)
