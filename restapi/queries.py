"""Reads of access tokens: a person's own, and the access helper that answers 404 to anyone else."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from restapi.models import AccessToken


def tokens_of(viewer) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user_id=viewer.pk).order_by("-created_at", "-pk")


def token_for_owner(viewer, pk: int) -> AccessToken:
    return get_object_or_404(AccessToken, pk=pk, user_id=viewer.pk)
