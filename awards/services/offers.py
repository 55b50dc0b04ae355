"""Offers: every state change of an offer, through one transition table.

``OFFER_TRANSITIONS`` says which action moves an offer from which state to which, and who takes it.
:func:`_transition` is the only code that changes ``Offer.status``: it checks the table and the actor, moves the
row with a conditional UPDATE (two answers at once produce one outcome), writes an ``OfferEvent`` and an audit
entry. Offers are made only for accepted applications whose decision letter has been sent: the applicant learns
the decision from that letter first, and the response deadline never runs while they cannot see the offer.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts.api import Membership, is_programme_staff, record
from awards.models.offers import AgreementMode, Offer, OfferEvent, OfferStatus
from awards.services.transitions import Transition
from calls.api import (
    CallKind,
    CallsError,
    accept_waitlisted,
    queue_letter,
    requested_total,
    waitlisted_applications,
)
from core.api import safe_filename, validate_upload

log = logging.getLogger(__name__)

DEFAULT_RESPONSE_DAYS = 14
REMINDER_BEFORE = timedelta(days=3)
SIGNED_COPY_KINDS = ("pdf", "png", "jpeg")
SIGNED_COPY_MAX_BYTES = 10 * 1024 * 1024
# A deadline includes its whole last second (as calls' closing times do).
DEADLINE_SECOND = timedelta(seconds=1)


class OfferError(Exception):
    """Something a person cannot do now; ``message`` is translated and safe to show."""

    def __init__(self, message, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.code = code


# --- the transition table ---------------------------------------------------------------------------

RESPONDENT, STAFF, SYSTEM = "respondent", "staff", "system"
ROLES = (RESPONDENT, STAFF, SYSTEM)


OFFER_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.action): t
    for t in [
        Transition("accept", OfferStatus.MADE, OfferStatus.ACCEPTED, RESPONDENT),
        Transition("decline", OfferStatus.MADE, OfferStatus.DECLINED, RESPONDENT),
        Transition("expire", OfferStatus.MADE, OfferStatus.EXPIRED, SYSTEM),
        Transition("withdraw", OfferStatus.MADE, OfferStatus.WITHDRAWN, STAFF),
        # Promoting the next waitlisted application leaves the closed offer as it is (and is logged on it).
        Transition("promote", OfferStatus.DECLINED, OfferStatus.DECLINED, STAFF),
        Transition("promote", OfferStatus.EXPIRED, OfferStatus.EXPIRED, STAFF),
    ]
}
ACTION_LABELS = {
    "make": gettext_lazy("Offer made"),
    "accept": OfferStatus.ACCEPTED.label,
    "decline": OfferStatus.DECLINED.label,
    "expire": OfferStatus.EXPIRED.label,
    "withdraw": OfferStatus.WITHDRAWN.label,
    "promote": gettext_lazy("Next waitlisted application accepted"),
}


def allowed(status: str, action: str, role: str) -> Transition | None:
    found = OFFER_TRANSITIONS.get((status, action))
    return found if found is not None and found.role == role else None


def is_respondent(who, offer: Offer) -> bool:
    """The applicant, or for an organisation's application an administrator of that organisation."""
    pk = getattr(who, "pk", None)
    if pk is None:
        return False
    application = offer.application
    if application.applicant_id == pk:
        return True
    if application.organisation_id is None:
        return False
    ids = getattr(who, "admin_organisation_ids", None)
    if ids is not None:
        return application.organisation_id in ids
    return Membership.objects.filter(
        user_id=pk, organisation_id=application.organisation_id, role="admin"
    ).exists()


def acts_as(who, offer: Offer, role: str) -> bool:
    if role == RESPONDENT:
        return is_respondent(who, offer)
    if role == STAFF:
        return is_programme_staff(who)
    return role == SYSTEM and who is None


def _transition(*, offer: Offer, action: str, by, role: str, note: str = "", now=None, **changes) -> Offer:
    step = allowed(offer.status, action, role)
    if step is None or not acts_as(by, offer, role):
        raise OfferError(_("This is not possible for this offer now."), code="not_allowed")
    now = now or timezone.now()
    moved = Offer.objects.filter(pk=offer.pk, status=step.source).update(status=step.target, **changes)
    if moved != 1:
        offer.refresh_from_db()
        raise OfferError(
            _("The offer changed meanwhile (it is now: %(status)s). Nothing was done.")
            % {"status": offer.get_status_display()},
            code="conflict",
        )
    offer.status = step.target
    for name, value in changes.items():
        setattr(offer, name, value)
    user = getattr(by, "user", by)  # a viewer or a user
    OfferEvent.objects.create(
        offer=offer, action=action, from_status=step.source, to_status=step.target, by=user, at=now, note=note
    )
    record(actor=user, action=f"awards.offer.{action}", target=offer, note=note)
    return offer


def _locked(offer: Offer) -> Offer:
    return (
        Offer.objects.select_for_update(of=("self",))
        .select_related("application__call", "application__applicant", "application__organisation")
        .get(pk=offer.pk)
    )


def open_until(offer: Offer, at: datetime) -> bool:
    """Whether an answer at ``at`` is in time (the deadline's whole last second counts)."""
    return at < offer.response_deadline.replace(microsecond=0) + DEADLINE_SECOND


# --- making offers ----------------------------------------------------------------------------------


def default_deadline(now=None) -> datetime:
    """Fourteen days from now, at the end of that day (23:59, Georgia time)."""
    local = timezone.localtime(now or timezone.now()) + timedelta(days=DEFAULT_RESPONSE_DAYS)
    return local.replace(hour=23, minute=59, second=0, microsecond=0)


def default_amount(application) -> Decimal | None:
    """The requested budget's total for a small grant; no amount for other kinds of call."""
    if application.call.kind != CallKind.SMALL_GRANT:
        return None
    return requested_total(application)


def default_terms(application, amount: Decimal | None) -> tuple[str, str]:
    """The agreement's terms in Georgian and English, from the call (staff may edit them before making the offer)."""
    call = application.call
    context = {"call": call, "application": application, "amount": amount}
    texts = []
    for lang in ("ka", "en"):
        with override(lang):
            texts.append(render_to_string("awards/offers/terms.txt", {**context, "LANG": lang}).strip())
    return texts[0], texts[1]


def can_receive_offer(application) -> bool:
    return (
        application.status == "decided"
        and application.outcome == "accepted"
        and application.decision_published_at is not None
    )


def make_offer(
    *,
    application,
    by,
    response_deadline: datetime | None = None,
    amount: Decimal | None | str = "default",
    agreement_mode: str = AgreementMode.ACKNOWLEDGE,
    terms_ka: str | None = None,
    terms_en: str | None = None,
    now=None,
) -> Offer:
    """Make the offer for an accepted application (once: a second call returns the first offer unchanged).

    Its letter waits in calls' outbox for staff to approve it.
    """
    if not is_programme_staff(by):
        raise OfferError(_("This is not possible for this offer now."), code="not_allowed")
    existing = Offer.objects.filter(application=application).first()
    if existing is not None:
        return existing
    if not can_receive_offer(application):
        raise OfferError(
            _("An offer can be made only for an accepted application whose decision letter has been sent."),
            code="not_accepted",
        )
    now = now or timezone.now()
    deadline = response_deadline or default_deadline(now)
    if deadline <= now:
        raise OfferError(_("The answer deadline must be in the future."), code="deadline")
    if agreement_mode not in AgreementMode.values:
        raise OfferError(_("Choose how the agreement is confirmed."), code="mode")
    value = default_amount(application) if amount == "default" else amount
    default_ka, default_en = default_terms(application, value if isinstance(value, Decimal) else None)
    user = getattr(by, "user", by)
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                application=application,
                amount=value,
                response_deadline=deadline,
                agreement_mode=agreement_mode,
                terms_ka=default_ka if terms_ka is None else terms_ka,
                terms_en=default_en if terms_en is None else terms_en,
                created_by=user,
                created_at=now,
            )
            OfferEvent.objects.create(
                offer=offer, action="make", from_status="", to_status=OfferStatus.MADE, by=user, at=now
            )
            record(actor=user, action="awards.offer.make", target=offer)
            _queue_offer_letter(offer)
    except IntegrityError:  # made at the same moment by another request
        return Offer.objects.get(application=application)
    return offer


def make_offers(*, applications, by, **options) -> tuple[int, list[str]]:
    """Make an offer for each application that has none yet; returns (number made, problems)."""
    made, problems = 0, []
    for application in applications:
        if Offer.objects.filter(application=application).exists():
            continue
        try:
            make_offer(application=application, by=by, **options)
            made += 1
        except OfferError as error:
            problems.append(f"{application.label}: {error.message}")
    return made, problems


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _queue_offer_letter(offer: Offer) -> None:
    application = offer.application
    language = application.applicant.language or settings.LANGUAGE_CODE
    with override(language):
        body = render_to_string(
            "awards/offers/email/offer_made.txt",
            {
                "offer": offer,
                "application": application,
                "call": application.call,
                "name": application.applicant.name_in(language),
                "url": _absolute(reverse("awards:offer_detail", args=[offer.pk])),
            },
        ).strip()
        subject = _("Offer: %(reference)s") % {"reference": application.reference or ""}
    queue_letter(application=application, subject=subject, body=body)


# --- answering --------------------------------------------------------------------------------------


def _check_in_time(offer: Offer, now: datetime) -> None:
    if not open_until(offer, now):
        raise OfferError(
            _("The deadline for answering this offer has passed. Please write to the programme team."),
            code="deadline",
        )


def _after_acceptance(offer: Offer, by) -> None:
    """What an accepted offer starts, by the call's kind (in the accepting transaction)."""
    kind = offer.application.call.kind
    if kind == CallKind.SMALL_GRANT:
        from awards.services.projects import start_project

        start_project(offer=offer, by=by)
    elif kind == CallKind.INTERNSHIP:
        from awards.services.internships import offer_accepted

        offer_accepted(offer=offer, by=by)
    elif kind == CallKind.MENTORING:
        from awards.services.mentoring import offer_accepted as mentoring_accepted

        mentoring_accepted(offer=offer, by=by)


def accept_offer(*, offer: Offer, by, acknowledged: bool = False, signed_copy=None, now=None) -> Offer:
    """Accept the offer (the applicant or their organisation's admin), before its deadline.

    By the agreement mode: tick the acknowledgement, or upload a signed copy (PDF or image). Accepting twice
    (a double submit) leaves one acceptance.
    """
    user = getattr(by, "user", by)
    if offer.status == OfferStatus.ACCEPTED and is_respondent(by, offer):
        return offer
    if offer.agreement_mode == AgreementMode.ACKNOWLEDGE and not acknowledged:
        raise OfferError(_("Please confirm that you have read and accept the agreement."), code="acknowledge")
    stored_name, original = "", ""
    if offer.agreement_mode == AgreementMode.UPLOAD:
        if signed_copy is None:
            raise OfferError(_("Please upload the signed agreement."), code="signed_copy")
        try:
            validate_upload(signed_copy, kinds=SIGNED_COPY_KINDS, max_bytes=SIGNED_COPY_MAX_BYTES)
        except ValidationError as error:
            raise OfferError(" ".join(str(m) for m in error.messages), code="signed_copy") from error
        original = safe_filename(signed_copy.name)
        # Stored before the transaction (storage may be remote); removed again if the answer is refused.
        field = Offer._meta.get_field("signed_copy")
        stored_name = field.generate_filename(offer, original)
        stored_name = field.storage.save(stored_name, signed_copy, max_length=field.max_length)
    try:
        with transaction.atomic():
            locked = _locked(offer)
            moment = now or timezone.now()
            if locked.status == OfferStatus.ACCEPTED and is_respondent(by, locked):
                if stored_name:
                    transaction.on_commit(
                        lambda: Offer._meta.get_field("signed_copy").storage.delete(stored_name)
                    )
                return locked
            if locked.status == OfferStatus.MADE:
                _check_in_time(locked, moment)
            changes: dict = {"responded_by": user, "responded_at": moment}
            if locked.agreement_mode == AgreementMode.ACKNOWLEDGE:
                changes["acknowledged_at"] = moment
            if stored_name:
                changes.update(signed_copy=stored_name, signed_copy_name=original, acknowledged_at=moment)
            _transition(offer=locked, action="accept", by=by, role=RESPONDENT, now=moment, **changes)
            _after_acceptance(locked, user)
    except Exception:
        if stored_name:
            Offer._meta.get_field("signed_copy").storage.delete(stored_name)
        raise
    return locked


def decline_offer(*, offer: Offer, by, reason: str = "", now=None) -> Offer:
    user = getattr(by, "user", by)
    with transaction.atomic():
        locked = _locked(offer)
        moment = now or timezone.now()
        if locked.status == OfferStatus.DECLINED and is_respondent(by, locked):
            return locked
        if locked.status == OfferStatus.MADE:
            _check_in_time(locked, moment)
        _transition(
            offer=locked,
            action="decline",
            by=by,
            role=RESPONDENT,
            note=reason,
            now=moment,
            responded_by=user,
            responded_at=moment,
            decline_reason=reason.strip(),
        )
    return locked


def withdraw_offer(*, offer: Offer, by, note: str = "") -> Offer:
    with transaction.atomic():
        locked = _locked(offer)
        _transition(offer=locked, action="withdraw", by=by, role=STAFF, note=note)
    return locked


def expire_offers(*, now=None) -> int:
    """Mark offers past their deadline as expired (the periodic job); returns how many."""
    now = now or timezone.now()
    expired = 0
    due = Offer.objects.filter(status=OfferStatus.MADE, response_deadline__lt=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            offer = _locked(Offer(pk=pk))
            if offer.status != OfferStatus.MADE or open_until(offer, now):
                continue
            _transition(offer=offer, action="expire", by=None, role=SYSTEM, now=now)
            expired += 1
    return expired


# --- the waiting list -------------------------------------------------------------------------------


def next_waitlisted(call):
    """The call's waitlisted application with the highest score (None when the list is empty)."""
    return waitlisted_applications(call).first()


def promote_next(*, offer: Offer, application, by, note: str = "") -> Offer:
    """Accept ``application`` (the call's next waitlisted one, as the staff page showed it) in place of a declined
    or expired offer. Its letter waits in calls' outbox; once sent, staff can make it an offer."""
    with transaction.atomic():
        locked = _locked(offer)
        if locked.promoted_id is not None:
            raise OfferError(_("An application was already promoted in place of this offer."), code="done")
        current = next_waitlisted(locked.application.call)
        if current is None or current.pk != application.pk:
            raise OfferError(
                _("The waiting list changed meanwhile. Please look at it again."), code="conflict"
            )
        user = getattr(by, "user", by)
        _transition(
            offer=locked,
            action="promote",
            by=by,
            role=STAFF,
            note=note or (application.reference or ""),
            promoted=application,
        )
        try:
            accept_waitlisted(application=application, by=user, note=note)
        except CallsError as error:
            raise OfferError(error.message, code=error.code) from error
    return locked


# --- reminders --------------------------------------------------------------------------------------


def respondents(offer: Offer) -> list:
    """The people who may answer: the applicant and, for an organisation, its administrators."""
    people = {offer.application.applicant_id: offer.application.applicant}
    if offer.application.organisation_id:
        for membership in Membership.objects.filter(
            organisation_id=offer.application.organisation_id, role="admin"
        ).select_related("user"):
            people.setdefault(membership.user_id, membership.user)
    return list(people.values())


def send_response_reminders(*, now=None) -> int:
    """Three days before an offer's deadline, remind the people who may answer (each once, in their language).

    The offer is claimed by a conditional UPDATE (committed at once) before any mail goes; a mail server failure
    un-claims it for the next run.
    """
    now = now or timezone.now()
    due = Offer.objects.filter(
        status=OfferStatus.MADE,
        reminder_sent_at__isnull=True,
        response_deadline__gt=now,
        response_deadline__lte=now + REMINDER_BEFORE,
    ).select_related("application__call", "application__applicant")
    sent = 0
    for offer in due:
        if not Offer.objects.filter(pk=offer.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
            continue
        try:
            for person in respondents(offer):
                _send_reminder(offer, person)
        except Exception as error:  # noqa: BLE001 - the mail server failed: the next run tries again
            log.warning("offer reminder %s not sent: %r", offer.pk, error)
            Offer.objects.filter(pk=offer.pk, reminder_sent_at=now).update(reminder_sent_at=None)
            continue
        sent += 1
    return sent


def _send_reminder(offer: Offer, person) -> None:
    language = person.language or settings.LANGUAGE_CODE
    with override(language):
        context = {
            "offer": offer,
            "call": offer.application.call,
            "application": offer.application,
            "name": person.name_in(language),
            "url": _absolute(reverse("awards:offer_detail", args=[offer.pk])),
        }
        subject = _("Please answer the offer: %(reference)s") % {
            "reference": offer.application.reference or ""
        }
        body = render_to_string("awards/offers/email/reminder.txt", context).strip()
    send_mail(subject, body, None, [person.email])


__all__ = [
    "OFFER_TRANSITIONS",
    "OfferError",
    "accept_offer",
    "decline_offer",
    "expire_offers",
    "make_offer",
    "make_offers",
    "promote_next",
    "send_response_reminders",
    "withdraw_offer",
]
