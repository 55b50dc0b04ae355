"""Reads of opportunities: current ones and the archive (a passed deadline is the only difference)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from community.models import Opportunity


def current_opportunities() -> QuerySet[Opportunity]:
    """Open opportunities, nearest deadline first. A passed deadline moves it to the archive by this query alone."""
    return Opportunity.objects.filter(deadline__gte=timezone.now()).order_by("deadline", "pk")


def archived_opportunities() -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(deadline__lt=timezone.now()).order_by("-deadline", "-pk")


def opportunity_by_pk(pk: int) -> Opportunity:
    return get_object_or_404(Opportunity, pk=pk)
