"""Making, answering, expiring and reminding offers; waiting-list promotion; what acceptance starts."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AuditEntry, MembershipRole
from awards.models.offers import AgreementMode, Offer, OfferEvent, OfferStatus
from awards.services import offers as services
from awards.services.offers import OfferError
from calls.models import Application, OutboxMessage, OutboxStatus, Outcome
from tests.awards.offers.builders import BUDGET_TOTAL, accepted, decided, grant_call, send_letters
from tests.calls.builders import PDF, make_call
from tests.factories import UserFactory, make_member


def test_an_offer_is_made_once_with_a_letter_waiting_in_the_outbox(application, staff, learner):
    before = OutboxMessage.objects.filter(application=application).count()
    offer = services.make_offer(application=application, by=staff)
    again = services.make_offer(application=application, by=staff)
    assert again.pk == offer.pk
    assert Offer.objects.filter(application=application).count() == 1
    assert offer.status == OfferStatus.MADE
    assert offer.amount is None  # a certification call has no money
    # Fourteen days, at the end of the day, Georgia time.
    local = timezone.localtime(offer.response_deadline)
    assert (local.date() - timezone.localdate()).days == 14
    assert (local.hour, local.minute) == (23, 59)
    letters = OutboxMessage.objects.filter(application=application).order_by("pk")
    assert letters.count() == before + 1
    letter = letters.last()
    assert letter.status == OutboxStatus.PENDING and letter.to_email == learner.email
    assert "შეთავაზება" in letter.subject  # Nino reads Georgian
    assert f"/awards/offers/{offer.pk}/" in letter.body
    assert list(OfferEvent.objects.filter(offer=offer).values_list("action", "to_status")) == [
        ("make", "made")
    ]
    assert AuditEntry.objects.filter(action="awards.offer.make", actor=staff).count() == 1


def test_the_letter_is_in_the_applicants_own_language(call, other_learner, staff):
    other_learner.language = "en"
    other_learner.save(update_fields=["language"])
    offer = services.make_offer(application=accepted(call, other_learner, staff), by=staff)
    letter = OutboxMessage.objects.filter(application=offer.application).latest("pk")
    assert letter.subject.startswith("Offer:")
    assert "Please answer by" in letter.body


def test_a_grant_offer_is_for_the_requested_budget_with_terms_from_the_call(learner, staff):
    call = grant_call()
    offer = services.make_offer(application=accepted(call, learner, staff), by=staff)
    assert offer.amount == BUDGET_TOTAL
    assert call.title_ka in offer.terms_ka and call.title_en in offer.terms_en
    assert "3\xa0250.50" in offer.terms_ka and "3,250.50" in offer.terms_en


def test_no_offer_before_the_decision_letter_is_sent_or_for_a_rejection(call, learner, other_learner, staff):
    unsent = accepted(call, learner, staff, send=False)
    with pytest.raises(OfferError) as error:
        services.make_offer(application=unsent, by=staff)
    assert error.value.code == "not_accepted"
    rejected = decided(call, other_learner, staff, outcome=Outcome.REJECTED)
    with pytest.raises(OfferError):
        services.make_offer(application=rejected, by=staff)
    assert not Offer.objects.exists()


def test_only_staff_make_offers(application, learner):
    with pytest.raises(OfferError):
        services.make_offer(application=application, by=learner)
    assert not Offer.objects.exists()


def test_make_offers_skips_those_with_an_offer(call, application, other_learner, staff):
    second = accepted(call, other_learner, staff)
    services.make_offer(application=application, by=staff)
    made, problems = services.make_offers(applications=[application, second], by=staff)
    assert (made, problems) == (1, [])
    assert Offer.objects.count() == 2


def test_accepting_needs_the_acknowledgement_and_records_who_and_when(offer, learner):
    with pytest.raises(OfferError) as error:
        services.accept_offer(offer=offer, by=learner)
    assert error.value.code == "acknowledge"
    services.accept_offer(offer=offer, by=learner, acknowledged=True)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert offer.responded_by == learner and offer.acknowledged_at is not None
    assert AuditEntry.objects.filter(action="awards.offer.accept", actor=learner).count() == 1


def test_a_double_submit_makes_one_acceptance(offer, learner):
    services.accept_offer(offer=offer, by=learner, acknowledged=True)
    services.accept_offer(offer=Offer.objects.get(pk=offer.pk), by=learner, acknowledged=True)
    services.accept_offer(offer=offer, by=learner, acknowledged=True)  # a stale copy of the offer
    assert OfferEvent.objects.filter(offer=offer, action="accept").count() == 1
    assert AuditEntry.objects.filter(action="awards.offer.accept").count() == 1


def test_an_accepted_offer_cannot_then_be_declined(offer, learner):
    services.accept_offer(offer=offer, by=learner, acknowledged=True)
    with pytest.raises(OfferError):
        services.decline_offer(offer=offer, by=learner)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED


def test_someone_else_cannot_answer(offer, other_learner, staff):
    for person in (other_learner, staff):
        with pytest.raises(OfferError):
            services.accept_offer(offer=offer, by=person, acknowledged=True)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.MADE


def test_the_deadline_counts_to_its_last_second(offer, learner):
    deadline = offer.response_deadline.replace(microsecond=0)
    with time_machine.travel(deadline + timedelta(milliseconds=999), tick=False):
        services.decline_offer(offer=offer, by=learner, reason="ვერ მოვასწრებთ")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    assert offer.decline_reason == "ვერ მოვასწრებთ"


def test_answering_after_the_deadline_is_refused(offer, learner):
    deadline = offer.response_deadline.replace(microsecond=0)
    with time_machine.travel(deadline + timedelta(seconds=1), tick=False):
        with pytest.raises(OfferError) as error:
            services.accept_offer(offer=offer, by=learner, acknowledged=True)
        assert error.value.code == "deadline"
        with pytest.raises(OfferError):
            services.decline_offer(offer=offer, by=learner)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.MADE


def test_the_signed_copy_mode_keeps_the_file(application, staff, learner):
    offer = services.make_offer(application=application, by=staff, agreement_mode=AgreementMode.UPLOAD)
    with pytest.raises(OfferError):
        services.accept_offer(offer=offer, by=learner, acknowledged=True)
    with pytest.raises(OfferError) as error:
        services.accept_offer(
            offer=offer, by=learner, signed_copy=SimpleUploadedFile("a.pdf", b"MZ not a pdf at all")
        )
    assert error.value.code == "signed_copy"
    services.accept_offer(offer=offer, by=learner, signed_copy=SimpleUploadedFile("ხელმოწერილი.pdf", PDF))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert offer.signed_copy.name.startswith("awards/offers/") and offer.signed_copy.name.endswith(".pdf")
    assert offer.signed_copy.read() == PDF


def test_an_organisations_admin_answers_for_it_and_a_member_does_not(learner, learner_org, staff):
    call = make_call(slug="offers-org", applicant_type="organisations")
    application = accepted(call, learner, staff, organisation=learner_org)
    boss = UserFactory(email="boss@example.org")
    make_member(boss, learner_org, role=MembershipRole.ADMIN)
    member = UserFactory(email="member@example.org")
    make_member(member, learner_org)
    offer = services.make_offer(application=application, by=staff)
    with pytest.raises(OfferError):
        services.accept_offer(offer=offer, by=member, acknowledged=True)
    services.accept_offer(offer=offer, by=boss, acknowledged=True)
    offer.refresh_from_db()
    assert (offer.status, offer.responded_by) == (OfferStatus.ACCEPTED, boss)


def test_staff_withdraw_an_open_offer(offer, staff, learner):
    services.withdraw_offer(offer=offer, by=staff, note="შეცდომით")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    with pytest.raises(OfferError):
        services.accept_offer(offer=offer, by=learner, acknowledged=True)


def test_offers_past_their_deadline_expire(offer, learner):
    deadline = offer.response_deadline.replace(microsecond=0)
    assert services.expire_offers(now=deadline + timedelta(milliseconds=500)) == 0
    assert services.expire_offers(now=deadline + timedelta(seconds=1)) == 1
    assert services.expire_offers(now=deadline + timedelta(seconds=2)) == 0
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    event = OfferEvent.objects.get(offer=offer, action="expire")
    assert event.by is None
    assert AuditEntry.objects.filter(action="awards.offer.expire", actor=None).count() == 1


def test_a_reminder_goes_three_days_before_the_deadline_once_in_each_persons_language(
    learner, learner_org, staff
):
    call = make_call(slug="offers-remind", applicant_type="organisations")
    application = accepted(call, learner, staff, organisation=learner_org)
    boss = UserFactory(email="boss@example.org", language="en")
    make_member(boss, learner_org, role=MembershipRole.ADMIN)
    offer = services.make_offer(application=application, by=staff)
    mail.outbox.clear()
    assert services.send_response_reminders(now=offer.response_deadline - timedelta(days=4)) == 0
    assert services.send_response_reminders(now=offer.response_deadline - timedelta(days=2)) == 1
    assert services.send_response_reminders(now=offer.response_deadline - timedelta(days=1)) == 0
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {learner.email, boss.email}
    assert (
        "შეთავაზებას" in by_address[learner.email].subject or "შეთავაზ" in by_address[learner.email].subject
    )
    assert by_address[boss.email].subject.startswith("Please answer the offer")
    assert f"/awards/offers/{offer.pk}/" in by_address[boss.email].body


def test_a_declined_offer_promotes_the_highest_scored_waitlisted_application(
    call, application, staff, learner, other_learner, org_admin
):
    low = decided(call, org_admin, staff, outcome=Outcome.WAITLISTED, score="5")
    high = decided(call, other_learner, staff, outcome=Outcome.WAITLISTED, score="8.5")
    offer = services.make_offer(application=application, by=staff)
    with pytest.raises(OfferError):  # nothing to promote while the offer is open
        services.promote_next(offer=offer, application=high, by=staff)
    services.decline_offer(offer=offer, by=learner, reason="")
    assert services.next_waitlisted(call) == high
    with pytest.raises(OfferError) as error:  # staff confirmed another one than the next
        services.promote_next(offer=offer, application=low, by=staff)
    assert error.value.code == "conflict"
    services.promote_next(offer=offer, application=high, by=staff, note="ადგილი გათავისუფლდა")
    offer.refresh_from_db()
    high.refresh_from_db()
    assert offer.promoted == high and offer.status == OfferStatus.DECLINED
    assert (high.status, high.outcome, high.decision_published_at) == ("decided", "accepted", None)
    assert OfferEvent.objects.filter(offer=offer, action="promote").count() == 1
    assert AuditEntry.objects.filter(action="awards.offer.promote", actor=staff).count() == 1
    with pytest.raises(OfferError):
        services.promote_next(offer=offer, application=low, by=staff)
    # The promotion letter goes through the outbox; once sent, the promoted application gets its offer.
    letter = OutboxMessage.objects.filter(application=high, status=OutboxStatus.PENDING).get()
    send_letters([letter], staff)
    second = services.make_offer(application=Application.objects.get(pk=high.pk), by=staff)
    services.accept_offer(offer=second, by=other_learner, acknowledged=True)
    second.refresh_from_db()
    assert second.status == OfferStatus.ACCEPTED


def test_accepting_a_small_grant_starts_its_project(learner, staff):
    from awards.models.projects import GrantProject

    offer = services.make_offer(application=accepted(grant_call(), learner, staff), by=staff)
    services.accept_offer(offer=offer, by=learner, acknowledged=True)
    project = GrantProject.objects.get(offer=offer)
    assert project.offer_id == offer.pk


def test_accepting_an_internship_or_mentoring_offer_hands_over_to_them(learner, other_learner, staff):
    from awards.models.internships import InternCandidate
    from awards.models.mentoring import Mentorship

    internship = services.make_offer(
        application=accepted(make_call(kind="internship"), learner, staff), by=staff
    )
    services.accept_offer(offer=internship, by=learner, acknowledged=True)
    assert InternCandidate.objects.filter(application=internship.application).count() == 1
    mentoring = services.make_offer(
        application=accepted(make_call(kind="mentoring"), other_learner, staff), by=staff
    )
    services.accept_offer(offer=mentoring, by=other_learner, acknowledged=True)
    assert Mentorship.objects.filter(offer=mentoring).count() == 1


def test_a_certification_offer_starts_nothing_else(offer, learner):
    services.accept_offer(offer=offer, by=learner, acknowledged=True)
    assert OfferEvent.objects.filter(offer=offer).count() == 2
    assert offer.amount is None
    assert Decimal("0") is not None
