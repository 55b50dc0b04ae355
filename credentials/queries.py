"""Reads of the credentials domain and the access helpers views load objects through (404 for outsiders).

Access helpers take the viewer (``request.viewer``): permission rules and the person's own rows read it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.api import can, require
from credentials.models import (
    Achievement,
    Ceremony,
    Credential,
    CredentialStatus,
    PublishedStatusList,
    StatusListPurpose,
)


def _credentials() -> QuerySet[Credential]:
    return Credential.objects.select_related("achievement", "signing_key")


def public_credential(pk) -> Credential | None:
    """For the verification page, in one query: achievement and key joined, and the published status list
    (``published_status_list``, the signed VC-JWT, or None before the first one is published)."""
    published = PublishedStatusList.objects.filter(purpose=StatusListPurpose.REVOCATION).values("token")[:1]
    return _credentials().annotate(published_status_list=Subquery(published)).filter(pk=pk).first()


def credential_for_owner(viewer, pk) -> Credential:
    credential = _credentials().filter(pk=pk).first()
    if credential is None or not viewer.is_authenticated:
        raise Http404
    require(viewer, "credentials.view_own", credential)
    return credential


def credential_for_staff(viewer, pk) -> Credential:
    credential = _credentials().select_related("user").filter(pk=pk).first()
    if credential is None:
        raise Http404
    require(viewer, "credentials.manage", credential)
    return credential


def credential_for_pdf(viewer, pk) -> Credential:
    credential = _credentials().select_related("user").filter(pk=pk).first()
    if credential is None:
        raise Http404
    # Anonymous visitors get the PDF only while the holder shows the name (the rule answers for people signed in).
    if not (credential.show_name or can(viewer, "credentials.download_pdf", credential)):
        raise Http404
    return credential


def credentials_of(viewer) -> QuerySet[Credential]:
    return _credentials().filter(user_id=viewer.pk).order_by("-issued_at")


def staff_credentials(*, achievement_id=None, query: str = "", status: str = "") -> QuerySet[Credential]:
    qs = _credentials().select_related("user").order_by("-issued_at")
    if achievement_id:
        qs = qs.filter(achievement_id=achievement_id)
    if status in CredentialStatus.values:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(
            Q(recipient_name_ka__icontains=query)
            | Q(recipient_name_latin__icontains=query)
            | Q(short_code__iexact=query.replace("-", ""))
            | Q(user__email__iexact=query)
        )
    return qs


def achievement_by_key(key: str) -> Achievement:
    return get_object_or_404(Achievement, key=key)


def achievements() -> QuerySet[Achievement]:
    return Achievement.objects.order_by("name_ka")


def ceremony_for_staff(viewer, pk) -> Ceremony:
    ceremony = Ceremony.objects.filter(pk=pk).first()
    if ceremony is None:
        raise Http404
    require(viewer, "credentials.manage", ceremony)
    return ceremony


def ceremony_credentials(ceremony: Ceremony) -> QuerySet[Credential]:
    return ceremony.credentials.select_related("achievement").order_by(
        "recipient_name_ka", "recipient_name_latin"
    )
