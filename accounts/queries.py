"""Reads of the accounts domain and the access helpers views load objects through."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Invitation, Membership, Organisation, User
from accounts.permissions import require
from accounts.viewer import Viewer


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name_ka")
    )


def public_organisation(slug: str) -> Organisation:
    """Organisations are public bodies: anyone may see their public page."""
    return get_object_or_404(Organisation, slug=slug)


def organisation_for_admin(viewer: Viewer, slug: str) -> Organisation:
    organisation = public_organisation(slug)
    require(viewer, "accounts.manage_organisation", organisation)
    return organisation


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__full_name_ka", "user__email")


def open_invitation(token) -> Invitation:
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None:
        raise Http404
    return invitation


def user_with_profile(user_id: int) -> User:
    return get_object_or_404(
        User.objects.prefetch_related(
            "expertise", Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
        ),
        pk=user_id,
    )
