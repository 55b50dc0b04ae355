"""Builders for offers tests: applications accepted (or waitlisted) through calls' services, decision letters sent."""

from __future__ import annotations

from decimal import Decimal

from calls import services as calls_services
from calls.models import Application, OutboxMessage, OutboxStatus, Outcome
from tests.calls.builders import GOOD, in_review, make_call

BUDGET = [{"item": "ტრენინგი", "qty": "2", "unit": "1500"}, {"item": "ბეჭდვა", "qty": "1", "unit": "250.50"}]
BUDGET_TOTAL = Decimal("3250.50")


def grant_call(**fields):
    fields.setdefault("applicant_type", "both")
    return make_call(kind="small_grant", budget=True, **fields)


def decided(call, user, staff, *, outcome=Outcome.ACCEPTED, organisation=None, score=None, send=True):
    """An application decided with ``outcome``; with ``send`` its decision letter is approved and sent."""
    data = {**GOOD, "budget": BUDGET} if call.fields.filter(key="budget").exists() else dict(GOOD)
    application = in_review(call, user, staff, data=data, organisation=organisation)
    if score is not None:
        Application.objects.filter(pk=application.pk).update(score=Decimal(score))
        application.score = Decimal(score)
    # Decided without a review (the reviews are calls' business): staff record why.
    calls_services.decide(application=application, by=staff, outcome=outcome, override_reason="offers tests")
    if send:
        letters = OutboxMessage.objects.filter(application=application, status=OutboxStatus.PENDING)
        send_letters(letters, staff)
    application.refresh_from_db()
    return application


def accepted(call, user, staff, **kwargs):
    return decided(call, user, staff, outcome=Outcome.ACCEPTED, **kwargs)


def send_letters(letters, staff) -> None:
    """Staff approve the letters and the task worker sends them (called directly: tests run in one transaction)."""
    letters = list(letters)
    calls_services.approve_outbox(messages=letters, by=staff)
    for letter in letters:
        calls_services.deliver_outbox_message(letter.pk)
