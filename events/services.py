"""Every change to events and registrations: registering, confirming, cancelling (the waitlist moves up), check-in,
reminders. Each state change goes through :data:`TRANSITIONS` and writes an audit entry; mail leaves after commit.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.api import record
from core.api import enqueue_on_commit, invalidate_anonymous_pages
from events import ics
from events.models import Audience, Event, Invitation, Registration
from events.models import RegistrationStatus as S

log = logging.getLogger(__name__)

# action -> (the states it starts from, the states it may end in). "place" ends in a place when one is free,
# else on the waitlist. Check-in keeps the state (it sets ``checked_in_at``).
TRANSITIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "confirm_email": (frozenset({S.PENDING}), frozenset({S.CONFIRMED, S.WAITLISTED})),
    "rejoin": (frozenset({S.CANCELLED}), frozenset({S.PENDING, S.CONFIRMED, S.WAITLISTED})),
    "cancel": (frozenset({S.PENDING, S.CONFIRMED, S.WAITLISTED}), frozenset({S.CANCELLED})),
    "promote": (frozenset({S.WAITLISTED}), frozenset({S.CONFIRMED})),
    "check_in": (frozenset({S.CONFIRMED}), frozenset({S.CONFIRMED})),
}


class RegistrationError(Exception):
    """A refusal the person can understand (the message is translated)."""


def allowed(status: str, action: str) -> bool:
    return status in TRANSITIONS[action][0]


def _move(registration: Registration, action: str, to: str, *, actor, **fields) -> None:
    """Move a registration by a conditional UPDATE (only from a state the table allows); refuse otherwise."""
    sources, targets = TRANSITIONS[action]
    if to not in targets:
        raise ValueError(f"{action} cannot end in {to}")
    changed = Registration.objects.filter(pk=registration.pk, status__in=sources).update(status=to, **fields)
    if not changed:
        raise RegistrationError(_("This registration cannot be changed that way now."))
    before = registration.status
    registration.status = to
    for name, value in fields.items():
        setattr(registration, name, value)
    record(
        actor=actor,
        action=f"events.registration.{action}",
        target=registration,
        note=f"{before} -> {to}",
    )


# --- who may register ------------------------------------------------------------------------------


def is_invited(*, event: Event, user=None, email: str = "") -> bool:
    invitations = Invitation.objects.filter(event=event)
    if user is not None:
        return invitations.filter(user=user).exists() or invitations.filter(email__iexact=user.email).exists()
    return bool(email) and invitations.filter(email__iexact=email).exists()


def refusal(*, event: Event, user=None, email: str = "", now: dt.datetime | None = None) -> str:
    """Why this person may not register now ("" when they may)."""
    now = now or timezone.now()
    if not event.published:
        return _("This event is not open for registration.")
    if now > event.registration_deadline:
        return _("Registration for this event has closed.")
    if user is None and event.audience != Audience.ANYONE:
        return _("Sign in to register for this event.")
    if event.audience == Audience.INVITED and not is_invited(event=event, user=user, email=email):
        return _("Registration for this event is by invitation only.")
    return ""


def _place(event: Event) -> str:
    """CONFIRMED while a place is free, else WAITLISTED (the caller holds the event's row lock)."""
    taken = Registration.objects.filter(event=event, status=S.CONFIRMED).count()
    return S.CONFIRMED if taken < event.capacity else S.WAITLISTED


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


# --- registering -----------------------------------------------------------------------------------


def register(
    *,
    event: Event,
    user=None,
    name: str = "",
    email: str = "",
    language: str = "ka",
    answers: dict | None = None,
):
    """Register a signed-in person (placed at once) or a visitor (waits for the email link). Idempotent: a second
    submit returns the same registration; after a cancellation it registers again. Returns ``(registration, new)``.
    ``answers`` are the event's registration questions as the form engine checked them (the view checks them).
    """
    answers = dict(answers or {})
    if user is not None:
        name, email, language = user.display_name, user.email, user.language or language
    email = email.strip().lower()
    with transaction.atomic():
        event = _locked(event)
        reason = refusal(event=event, user=user, email=email)
        if reason:
            raise RegistrationError(reason)
        existing = _existing(event=event, user=user, email=email)
        if existing is not None and existing.status != S.CANCELLED:
            return existing, False
        now = timezone.now()
        to = S.PENDING if user is None else _place(event)
        if existing is not None:
            _move(
                existing,
                "rejoin",
                to,
                actor=user,
                placed_at=now,
                name=name[:200],
                language=language,
                answers=answers,
            )
            registration = existing
        else:
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(
                        event=event,
                        user=user,
                        name=name[:200],
                        email=email,
                        language=language,
                        status=to,
                        placed_at=now,
                        answers=answers,
                    )
            except IntegrityError:  # a double submit raced us: the other one stands
                found = _existing(event=event, user=user, email=email)
                if found is None:
                    raise
                return found, False
            record(actor=user, action="events.registration.create", target=registration, note=to)
        _mail_after_commit(registration, MAIL_FOR_STATE[to])
    return registration, True


def _existing(*, event: Event, user, email: str) -> Registration | None:
    if user is not None:
        found = Registration.objects.filter(event=event, user=user).first()
        if found is not None:
            return found
    return Registration.objects.filter(event=event, email=email).first()


def confirm_email(*, registration: Registration) -> Registration:
    """A visitor followed the emailed link: they take a place, or join the waitlist when the event is full."""
    with transaction.atomic():
        event = _locked(registration.event)
        registration.refresh_from_db()
        if registration.status != S.PENDING:
            return registration  # a second click changes nothing
        if timezone.now() > event.registration_deadline:
            raise RegistrationError(_("Registration for this event has closed."))
        to = _place(event)
        _move(registration, "confirm_email", to, actor=None, placed_at=timezone.now())
        _mail_after_commit(registration, "registered" if to == S.CONFIRMED else "waitlisted")
    return registration


def cancel_registration(*, registration: Registration, by=None) -> Registration | None:
    """The person cancels; a place they held goes to the first person on the waitlist (same transaction, rows
    locked), who is told by email. Returns the promoted registration, if any."""
    with transaction.atomic():
        event = _locked(registration.event)
        registration.refresh_from_db()
        held_place = registration.status == S.CONFIRMED
        _move(registration, "cancel", S.CANCELLED, actor=by)
        promoted = None
        if held_place and event.starts_at > timezone.now():
            promoted = _promote_next(event)
    return promoted


def _promote_next(event: Event) -> Registration | None:
    if Registration.objects.filter(event=event, status=S.CONFIRMED).count() >= event.capacity:
        return None
    waiting = (
        Registration.objects.select_for_update()
        .filter(event=event, status=S.WAITLISTED)
        .order_by("placed_at", "pk")
    ).first()
    if waiting is None:
        return None
    _move(waiting, "promote", S.CONFIRMED, actor=None)
    _mail_after_commit(waiting, "promoted")
    return waiting


# --- check-in --------------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def check_in(*, event: Event, code: str, by) -> tuple[Registration, bool]:
    """Mark attendance by the registration's code. Idempotent: returns ``(registration, already)`` where
    ``already`` says it had been checked in before (its ``checked_in_at`` is the first time)."""
    registration = Registration.objects.filter(event=event, code=normalise_code(code)).first()
    if registration is None:
        raise RegistrationError(_("No registration for this event has this code."))
    if registration.checked_in_at is not None:
        return registration, True
    if not allowed(registration.status, "check_in"):
        raise RegistrationError(
            _("This person does not hold a place: %(status)s") % {"status": registration.get_status_display()}
        )
    with transaction.atomic():
        now = timezone.now()
        changed = Registration.objects.filter(
            pk=registration.pk, status=S.CONFIRMED, checked_in_at__isnull=True
        ).update(checked_in_at=now, checked_in_by=by)
        if not changed:
            registration.refresh_from_db()
            return registration, True
        registration.checked_in_at, registration.checked_in_by = now, by
        record(actor=by, action="events.registration.check_in", target=registration, note=registration.code)
    try:
        issue_participation(registration=registration, by=by)
    except Exception:  # the door must not stop on a credential: staff can issue it later
        log.exception("participation credential for registration %s failed", registration.pk)
    return registration, False


# --- ceremonies ------------------------------------------------------------------------------------


def invite_certified(*, event: Event, by=None) -> int:
    """Invite everyone certified by the event's certification call (accepted applicants); each once, with an
    email. Returns how many were newly invited."""
    call = event.certification_call
    if call is None:
        return 0
    from calls.api import accepted_applicants

    people = accepted_applicants(call=call)
    already = set(Invitation.objects.filter(event=event, user__in=people).values_list("user_id", flat=True))
    new = [person for person in people if person.pk not in already]
    with transaction.atomic():
        for person in new:
            invitation, created = Invitation.objects.get_or_create(event=event, user=person)
            if created:
                enqueue_on_commit("events.tasks.send_invitation_mail", invitation.pk)
        if new:
            record(actor=by, action="events.event.invite_certified", target=event, note=f"{len(new)} invited")
    return len(new)


def invite_newly_certified(*, now: dt.datetime | None = None) -> int:
    """Invite, to every published ceremony still open for registration, the people certified since it was saved
    (hourly, ``core.periodic.JOBS``); those already invited are left alone. Returns how many were invited."""
    now = now or timezone.now()
    ceremonies = Event.objects.filter(
        certification_call__isnull=False, published=True, starts_at__gt=now, registration_deadline__gt=now
    ).select_related("certification_call")
    return sum(invite_certified(event=event) for event in ceremonies)


def print_ceremony(*, event: Event, by):
    """The credentials ceremony print run (one PDF) of the certified people who hold a place at the event."""
    from credentials.api import achievement_for_call, active_credentials, create_ceremony

    if event.certification_call_id is None:
        raise RegistrationError(_("This event is not linked to a certification call."))
    achievement = achievement_for_call(event.certification_call)
    holders = Registration.objects.filter(event=event, status=S.CONFIRMED, user__isnull=False).values_list(
        "user_id", flat=True
    )
    credentials = list(active_credentials(achievement=achievement, user_ids=holders))
    if not credentials:
        raise RegistrationError(_("Nobody registered holds this call's certificate yet."))
    return create_ceremony(title=event.title_ka, credentials=credentials, by=by)


def issue_participation(*, registration: Registration, by) -> bool:
    """A participation credential for a checked-in person, where staff switched it on for the event."""
    event = registration.event
    if (
        not event.issue_participation_credentials
        or registration.user_id is None
        or not registration.checked_in_at
    ):
        return False
    from credentials.api import AchievementKind, ensure_achievement, issue_credential

    achievement = ensure_achievement(
        key=f"event:{event.pk}",
        defaults={
            "kind": AchievementKind.OTHER,
            "name_ka": f"მონაწილეობა: {event.title_ka}"[:200],
            "name_en": f"Participation: {event.title_en or event.title_ka}"[:200],
            "description_ka": f"მონაწილეობა ღონისძიებაში: {event.title_ka}",
            "description_en": f"Took part in the event: {event.title_en or event.title_ka}",
            "criteria_ka": "ღონისძიებაზე დასწრება, აღრიცხული შესასვლელთან.",
        },
    )
    _credential, created = issue_credential(user=registration.user, achievement=achievement, by=by)
    return created


# --- publishing ------------------------------------------------------------------------------------


def event_saved() -> None:
    """Visitors' cached pages list events: an event saved (in the admin) drops them."""
    transaction.on_commit(invalidate_anonymous_pages)


# --- mail ------------------------------------------------------------------------------------------

SUBJECTS = {
    "confirm": lambda: _("Confirm your registration: %(title)s"),
    "registered": lambda: _("You are registered: %(title)s"),
    "waitlisted": lambda: _("You are on the waitlist: %(title)s"),
    "promoted": lambda: _("A place is yours: %(title)s"),
    "reminder": lambda: _("Tomorrow: %(title)s"),
}
WITH_CALENDAR = {"registered", "promoted", "reminder"}
# The email a registration gets when it lands in a state (registering, confirming the email link).
MAIL_FOR_STATE: dict[str, str] = {S.PENDING: "confirm", S.CONFIRMED: "registered", S.WAITLISTED: "waitlisted"}


def _mail_after_commit(registration: Registration, kind: str) -> None:
    enqueue_on_commit("events.tasks.send_registration_mail", kind, registration.pk)


def registration_url(registration: Registration) -> str:
    return settings.SITE_URL + reverse("events:registration", args=[registration.token])


def deliver_mail(kind: str, pk: int) -> bool:
    """Send one email about a registration in the person's language; the .ics goes with a place."""
    registration = Registration.objects.select_related("event", "user").filter(pk=pk).first()
    if registration is None:
        return False
    language = (registration.user.language if registration.user else registration.language) or "ka"
    event = registration.event
    with override(language):
        subject = SUBJECTS[kind]() % {"title": event.title}
        body = render_to_string(
            f"events/email/{kind}.txt",
            {
                "registration": registration,
                "event": event,
                "url": registration_url(registration),
                "event_url": settings.SITE_URL + reverse("events:detail", args=[event.pk]),
            },
        )
        message = EmailMessage(subject[:200], body, None, [registration.email])
        if kind in WITH_CALENDAR:
            message.attach("event.ics", ics.calendar([event], language=language), "text/calendar")
    message.send()
    return True


def invitations_added(invitations) -> None:
    """Invitations staff added in the admin (a person or just an address) are emailed after commit, like the
    certified people's: an address without an account learns of the event too."""
    for invitation in invitations:
        enqueue_on_commit("events.tasks.send_invitation_mail", invitation.pk)


def deliver_invitation(pk: int) -> bool:
    """Tell an invited person about the event: an account's in their language, an address alone in Georgian."""
    invitation = Invitation.objects.select_related("event", "user").filter(pk=pk).first()
    if invitation is None:
        return False
    event, person = invitation.event, invitation.user
    address = person.email if person is not None else invitation.email
    if not address:
        return False
    with override((person.language if person is not None else "") or "ka"):
        subject = _("You are invited: %(title)s") % {"title": event.title}
        body = render_to_string(
            "events/email/invited.txt",
            {
                "name": person.display_name if person is not None else "",
                "event": event,
                "event_url": settings.SITE_URL + reverse("events:detail", args=[event.pk]),
            },
        )
    EmailMessage(subject[:200], body, None, [address]).send()
    return True


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind everyone holding a place in an event that starts within a day (each registration once)."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=S.CONFIRMED,
        reminded_at__isnull=True,
        event__published=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + dt.timedelta(days=1),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        # Claimed by a committed write first, so a second run (or a second worker) sends nothing twice.
        if not Registration.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
            continue
        try:
            deliver_mail("reminder", pk)
        except Exception:
            Registration.objects.filter(pk=pk, reminded_at=now).update(reminded_at=None)
            log.exception("event reminder %s failed", pk)
            continue
        sent += 1
    return sent
