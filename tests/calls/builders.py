"""Builders for calls tests: calls with forms and rubrics, and applications moved through the services."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from calls import services
from calls.models import Application, Call, Criterion, FormField

_seq = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="cv.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_call(*, slug=None, kind="certification", budget=False, blind=False, file=False, **fields) -> Call:
    n = next(_seq)
    now = timezone.now()
    defaults = {
        "kind": kind,
        "slug": slug or f"call-{n}",
        "title_ka": f"ინდივიდუალური სერტიფიცირება {n}",
        "title_en": f"Individual certification {n}",
        "description_ka": "აღწერა **მნიშვნელოვანი**",
        "description_en": "Description",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=10),
        "contact_email": "programme@civichub.ge",
        "published": True,
        "blind_review": blind,
        # review: most tests decide without reviews; the tests of the minimum (test_review_cycle*) set it
        "min_reviews": 0,
    }
    defaults.update(fields)
    call = Call.objects.create(**defaults)
    FormField.objects.create(
        call=call,
        position=1,
        key="motivation",
        kind="long_text",
        label_ka="მოტივაცია",
        label_en="Motivation",
        word_limit=50,
        help_ka="რატომ გსურთ",
        help_en="Why",
    )
    FormField.objects.create(
        call=call,
        position=2,
        key="experience_years",
        kind="number",
        label_ka="გამოცდილება (წელი)",
        label_en="Experience (years)",
        min_value=0,
        max_value=60,
    )
    FormField.objects.create(
        call=call,
        position=3,
        key="full_name",
        kind="short_text",
        label_ka="სახელი და გვარი",
        label_en="Full name",
        hidden_in_blind_review=True,
    )
    if budget:
        FormField.objects.create(
            call=call, position=4, key="budget", kind="budget", label_ka="ბიუჯეტი", label_en="Budget"
        )
    if file:
        FormField.objects.create(
            call=call,
            position=5,
            key="cv",
            kind="file",
            label_ka="CV",
            label_en="CV",
            file_kinds="pdf",
            max_file_mb=1,
        )
    Criterion.objects.create(
        call=call,
        position=1,
        title_ka="გამოცდილება",
        title_en="Experience",
        weight=Decimal("2"),
        min_score=0,
        max_score=10,
    )
    Criterion.objects.create(
        call=call,
        position=2,
        title_ka="მოტივაცია",
        title_en="Motivation",
        weight=Decimal("1"),
        min_score=1,
        max_score=5,
    )
    return call


GOOD = {
    "motivation": "მინდა ვისწავლო მონაწილეობითი ბიუჯეტი",
    "experience_years": "3",
    "full_name": "ნინო ბერიძე",
}


def draft(call, user, *, data=None, organisation=None, files=None) -> Application:
    application = services.start_application(call=call, user=user, organisation=organisation)
    services.save_draft(
        application=application, by=user, values=dict(GOOD if data is None else data), files=files
    )
    application.refresh_from_db()
    return application


def submitted(call, user, **kwargs) -> Application:
    application = draft(call, user, **kwargs)
    return services.submit_application(application=application, by=submitter_of(application))


def submitter_of(application: Application):
    """Who submits (issue 19): the applicant; for an organisation's application one of its administrators. A test
    organisation without any administrator (a real one always has one: its creator) gets the applicant as one."""
    from accounts.models import Membership, MembershipRole

    if application.organisation_id is None or services.may_submit(application, application.applicant):
        return application.applicant
    admin = Membership.objects.filter(organisation_id=application.organisation_id, role=MembershipRole.ADMIN)
    found = admin.select_related("user").order_by("pk").first()
    if found is not None:
        return found.user
    Membership.objects.filter(
        organisation_id=application.organisation_id, user_id=application.applicant_id
    ).update(role=MembershipRole.ADMIN)
    return application.applicant


def in_review(call, user, staff, **kwargs) -> Application:
    application = submitted(call, user, **kwargs)
    services.screen(application=application, by=staff, compliant=True, note="")
    application.refresh_from_db()
    return application


def scores_for(call, *values) -> dict:
    return {str(c.pk): v for c, v in zip(call.criteria.all(), values, strict=True)}


def complete(user, course) -> None:
    """Complete ``course`` the way a learner does: enrol and finish every lesson."""
    from learning import services as learning
    from learning.models import Lesson

    learning.enrol(user=user, course=course)
    for lesson in Lesson.objects.filter(module__course=course):
        learning.mark_lesson_complete(user=user, lesson=lesson)
