"""Reads of the events domain and the access helpers views load objects through (404 to outsiders)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from accounts.api import require
from events.models import Event, Registration
from events.models import RegistrationStatus as S


def published_events():
    return Event.objects.filter(published=True)


def upcoming_events(now=None):
    return published_events().filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")


def past_events(now=None):
    return published_events().filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")


def event_for(viewer, pk) -> Event:
    """A published event (staff see drafts too); 404 otherwise."""
    event = Event.objects.filter(pk=pk).first()
    if event is None:
        raise Http404
    require(viewer, "events.view_public", event)
    return event


def event_for_staff(viewer, pk) -> Event:
    event = Event.objects.filter(pk=pk).first()
    if event is None:
        raise Http404
    require(viewer, "events.manage", event)
    return event


class SignInFirst(Exception):
    """The registration belongs to an account: the visitor signs in first."""

    def __init__(self, request):
        self.response = redirect_to_login(request.get_full_path())


def registration_by_token(request, token: str) -> Registration:
    """The registration behind an emailed link: a visitor's by the link alone, an account's for its owner only."""
    registration = Registration.objects.select_related("event").filter(token=token).first()
    if registration is None:
        raise Http404
    if registration.user_id is not None:
        if not request.user.is_authenticated:
            raise SignInFirst(request)
        require(request.viewer, "events.view_registration", registration)
    return registration


def registrations_of(viewer):
    return (
        Registration.objects.filter(user_id=viewer.pk)
        .exclude(status=S.CANCELLED)
        .select_related("event")
        .order_by("-event__starts_at", "-pk")
    )


def my_registration(viewer, event: Event) -> Registration | None:
    if not viewer.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user_id=viewer.pk).exclude(status=S.CANCELLED).first()


def counts(event: Event) -> dict[str, int]:
    """Places taken, waitlist, checked in, pending (one query)."""
    return Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=S.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=S.WAITLISTED)),
        pending=Count("pk", filter=Q(status=S.PENDING)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )


def events_with_counts():
    """Every event for staff, newest first, with its counts (one query)."""
    return Event.objects.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=S.CONFIRMED)),
        waitlisted=Count("registrations", filter=Q(registrations__status=S.WAITLISTED)),
        checked_in=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
    ).order_by("-starts_at", "-pk")


# What the staff list and its export show of a registration: nothing else is read.
STAFF_COLUMNS = ("name", "email", "status", "placed_at", "checked_in_at", "code", "answers")


def registrations_for_staff(event: Event):
    return Registration.objects.filter(event=event).only(*STAFF_COLUMNS).order_by("status", "placed_at", "pk")


def status_labels() -> dict[str, str]:
    """Each registration status's label in the active language, for a list of many rows (one translation each,
    not one per row)."""
    return {value: str(label) for value, label in S.choices}
