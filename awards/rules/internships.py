"""Permission rules of the internships sub-domain, and who is who (the queries use these helpers too).

A **host** manages the placements of a verified organisation they belong to while holding the host role;
programme **staff** manage every placement; a placement's **supervisor** (a member of the host organisation)
sees and evaluates the internships they supervise; the **intern** sees and answers for their own internship.
"""

from accounts.api import Membership, Role, has_role, is_programme_staff, rule


def host_org_ids(viewer) -> frozenset[int]:
    """The verified organisations the viewer hosts interns for (member + host role); one query, once a request."""

    def load() -> frozenset[int]:
        if not viewer.is_authenticated or not has_role(viewer, Role.HOST):
            return frozenset()
        return frozenset(
            Membership.objects.filter(user_id=viewer.pk, organisation__verified=True).values_list(
                "organisation_id", flat=True
            )
        )

    return viewer.fact("awards.host_org_ids", load)


def manages_position(viewer, position) -> bool:
    return is_programme_staff(viewer) or position.host_id in host_org_ids(viewer)


def is_manager(viewer, internship) -> bool:
    return is_programme_staff(viewer) or internship.position.host_id in host_org_ids(viewer)


def may_evaluate(viewer, internship) -> bool:
    return viewer.pk == internship.supervisor_id or internship.position.host_id in host_org_ids(viewer)


@rule("awards.internships.host")
def _host(viewer, obj) -> bool:
    """ "Our placements" and new placements: a host of a verified organisation."""
    return bool(host_org_ids(viewer))


@rule("awards.internships.oversee")
def _oversee(viewer, obj) -> bool:
    return is_programme_staff(viewer)


@rule("awards.position.manage")
def _manage_position(viewer, position) -> bool:
    return manages_position(viewer, position)


@rule("awards.internship.manage")
def _manage_internship(viewer, internship) -> bool:
    """Edit the agreement, discontinue: the host's managers and staff."""
    return is_manager(viewer, internship)


@rule("awards.internship.evaluate")
def _evaluate(viewer, internship) -> bool:
    """The supervisor, or a host of the organisation."""
    return may_evaluate(viewer, internship)


@rule("awards.internship.respond")
def _respond(viewer, internship) -> bool:
    """Acknowledge the agreement, write the reflection: the intern only."""
    return viewer.pk == internship.intern_id
