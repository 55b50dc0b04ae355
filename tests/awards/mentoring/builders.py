"""Builders for mentoring tests: mentorships opened, assigned and confirmed through the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role
from awards.models import AgreedAction, GrantProject, Offer
from awards.services import mentoring as services
from calls.models import Application, Outcome, Status
from tests.calls.builders import make_call
from tests.factories import UserFactory, give_role


def offer_for(applicant, *, organisation=None, kind="mentoring", slug=None) -> Offer:
    call = make_call(kind=kind, slug=slug)
    application = Application.objects.create(
        call=call,
        applicant=applicant,
        organisation=organisation,
        status=Status.DECIDED,
        outcome=Outcome.ACCEPTED,
    )
    return Offer.objects.create(application=application, response_deadline=timezone.now() + timedelta(days=7))


def project_for(organisation, grantee, *, title="ბიუჯეტის მონიტორინგი იმერეთში", slug=None) -> GrantProject:
    offer = offer_for(grantee, organisation=organisation, kind="small_grant", slug=slug)
    return GrantProject.objects.create(
        offer=offer,
        call=offer.application.call,
        organisation=organisation,
        grantee=grantee,
        title=title,
        amount=Decimal("5000"),
    )


def individual(mentee, staff, **kwargs):
    return services.open_mentorship(by=staff, mentee=mentee, **kwargs)


def active(mentorship, mentor, staff):
    services.assign_mentor(mentorship=mentorship, mentor=mentor, by=staff)
    mentorship.refresh_from_db()
    services.declare_conflict(mentorship=mentorship, by=mentor, conflict=False)
    mentorship.refresh_from_db()
    return mentorship


def another_mentor(n=1):
    return give_role(
        UserFactory(
            email=f"mentor{n}@example.org", full_name_ka=f"მენტორი {n}", full_name_latin=f"Mentor {n}"
        ),
        Role.MENTOR,
        mfa=False,
    )


def action_due(mentorship, by, text, *, days, owner, person=None):
    """An agreed action added through the services, then moved to today + ``days`` (negative: overdue), which the
    form would refuse for a date in the past."""
    action = services.add_action(
        mentorship=mentorship, by=by, text=text, owner=owner, due_on=timezone.localdate(), owner_person=person
    )
    AgreedAction.objects.filter(pk=action.pk).update(due_on=timezone.localdate() + timedelta(days=days))
    return action
