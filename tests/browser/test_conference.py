"""The whole conference in a real browser, in Georgian: a certification call's certified people are invited to the
ceremony by staff (the button), the invitation arrives by email, the invited person registers answering the
registration questions and gets the confirmation with its calendar file, a person not invited is refused, staff
print the ceremony PDF from those registered and check the person in at the door on a 360 px phone (twice: the
second says when), the counts move and the participation credential is issued. Every page: axe and 360 px.
Without JavaScript: the check-in by typed code."""

import io
import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from credentials import services as credential_services
from credentials.models import Ceremony, Credential
from events.models import Audience, EventKind, Invitation, Registration
from tests.awards.offers.builders import accepted
from tests.browser.helpers import assert_accessible, assert_fits_360, settle, sign_in
from tests.browser.test_calls import as_user
from tests.calls.builders import make_call
from tests.credentials import keys as test_keys
from tests.events.builders import make_event, make_questionnaire
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def _checked(page) -> None:
    assert_accessible(page)
    assert_fits_360(page)


def _submit(page, form: str = "main form") -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


@pytest.fixture
def ceremony(learner, staff):
    """A certification call with two certified people (credentials issued) and its ceremony event, with the
    registration questions, participation credentials switched on and nobody invited yet."""
    credential_services.rotate_signing_key(private_key=test_keys.test_private_key(0))
    call = make_call(slug="ceremony-browser")
    second = UserFactory(
        email="tamar@example.org", full_name_ka="თამარ ლომიძე", full_name_latin="Tamar Lomidze"
    )
    for person in (learner, second):
        accepted(call, person, staff)
        credential_services.issue_credential(
            user=person, achievement=credential_services.achievement_for_call(call)
        )
    return make_event(
        kind=EventKind.CEREMONY,
        title_ka="სერტიფიკატების გადაცემის ცერემონია",
        audience=Audience.INVITED,
        certification_call=call,
        issue_participation_credentials=True,
        capacity=50,
        questionnaire=make_questionnaire(),
    )


def test_staff_run_the_ceremony_from_invitation_to_check_in(
    browser_page, ceremony, learner, other_learner, staff
):
    page, base = browser_page, browser_page.base_url
    manage_url = f"{base}{reverse('events:registrations', args=[ceremony.pk])}"

    # Staff open the ceremony's page from the staff events list and invite the certified people.
    as_user(page, staff)
    page.goto(f"{base}{reverse('events:manage')}")
    _checked(page)
    with page.expect_navigation():
        page.click("text=სერტიფიკატების გადაცემის ცერემონია")
    assert page.url == manage_url
    _checked(page)
    mail.outbox.clear()
    _submit(page, f"form[action='{reverse('events:invite_certified', args=[ceremony.pk])}']")
    settle(page)
    assert page.url == manage_url
    assert "2" in page.inner_text(".messages")
    assert set(Invitation.objects.filter(event=ceremony).values_list("user__email", flat=True)) == {
        learner.email,
        "tamar@example.org",
    }
    invitation = next(m for m in mail.outbox if m.to == [learner.email])
    assert invitation.subject == "მოწვეული ხართ — სერტიფიკატების გადაცემის ცერემონია"
    link = re.search(r"https?://\S+/events/\d+/", invitation.body).group(0)
    assert urlparse(link).path == reverse("events:detail", args=[ceremony.pk])
    _submit(
        page, f"form[action='{reverse('events:invite_certified', args=[ceremony.pk])}']"
    )  # again: nobody new
    settle(page)
    assert Invitation.objects.filter(event=ceremony).count() == 2 and len(mail.outbox) == 2

    # The invited person signs in, follows the link and registers, answering the questions.
    page.context.clear_cookies()
    sign_in(page, base, learner.email, TEST_PASSWORD)
    page.goto(f"{base}{urlparse(link).path}")
    _checked(page)
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('events:register', args=[ceremony.pk])}']")
    _checked(page)
    page.fill("#f_discuss", "სერტიფიკატის შემდეგი ნაბიჯები")
    mail.outbox.clear()
    _submit(page)  # the required question left unanswered: refused, the typed text kept
    assert "ამ კითხვას პასუხი სჭირდება." in page.inner_text("main")
    assert page.input_value("#f_discuss") == "სერტიფიკატის შემდეგი ნაბიჯები"
    _checked(page)
    settle(page)
    assert not Registration.objects.filter(event=ceremony).exists()
    page.check("input[name=f_diet][value='2']")
    _submit(page)
    settle(page)
    registration = Registration.objects.get(event=ceremony, user=learner)
    assert registration.status == "confirmed"
    assert registration.answers == {"diet": "2", "discuss": "სერტიფიკატის შემდეგი ნაბიჯები"}
    main = page.inner_text("main")
    assert registration.display_code in main and "ვეგეტარიანული" in main
    _checked(page)
    [confirmation] = mail.outbox
    assert confirmation.to == [learner.email]
    assert confirmation.subject == "თქვენ დარეგისტრირდით — სერტიფიკატების გადაცემის ცერემონია"
    assert registration.display_code in confirmation.body
    [(filename, calendar, mimetype)] = confirmation.attachments
    assert (filename, mimetype) == ("event.ics", "text/calendar")
    assert "BEGIN:VEVENT" in calendar and f"UID:event-{ceremony.pk}@" in calendar

    # Someone not invited is told so, and cannot register by the address either.
    page.context.clear_cookies()
    sign_in(page, base, other_learner.email, TEST_PASSWORD)
    page.goto(f"{base}{reverse('events:detail', args=[ceremony.pk])}")
    refusal = "ამ ღონისძიებაზე რეგისტრაცია მხოლოდ მოწვევით არის შესაძლებელი."
    assert refusal in page.inner_text("main")
    assert page.locator(f"main a[href='{reverse('events:register', args=[ceremony.pk])}']").count() == 0
    _checked(page)
    page.goto(f"{base}{reverse('events:register', args=[ceremony.pk])}")  # by the address: told, no form
    assert refusal in page.inner_text("main") and page.locator("input[name=f_diet]").count() == 0
    _checked(page)
    settle(page)
    assert not Registration.objects.filter(event=ceremony, user=other_learner).exists()

    # Staff print the ceremony PDF from those registered: the registered person's certificate only.
    as_user(page, staff)
    page.goto(manage_url)
    assert "ვეგეტარიანული" in page.inner_text("main table")  # the answers, for staff
    _submit(page, f"form[action='{reverse('events:ceremony_pdf', args=[ceremony.pk])}']")
    settle(page)
    printed = Ceremony.objects.get()
    assert page.url == f"{base}{reverse('credentials:ceremony_detail', args=[printed.pk])}"
    assert [c.user for c in printed.credentials.all()] == [learner]
    assert "მზადაა" in page.inner_text("main")
    _checked(page)
    pdf = page.request.get(f"{base}/credentials/manage/ceremonies/{printed.pk}/pdf/")
    reader = PdfReader(io.BytesIO(pdf.body()))
    assert len(reader.pages) == 1
    assert learner.full_name_ka in reader.pages[0].extract_text()

    # At the door, on a phone: the typed code checks the person in; typed again, it says when.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base}{reverse('events:checkin', args=[ceremony.pk])}")
    _checked(page)
    assert "მოსული: 0" in page.inner_text("main")
    page.fill("input[name=code]", registration.display_code.lower())
    _submit(page, "main form.event-checkin")
    main = page.inner_text("main")
    assert f"{learner.display_name} — აღრიცხულია" in main and "მოსული: 1" in main
    _checked(page)
    page.fill("input[name=code]", registration.code)
    _submit(page, "main form.event-checkin")
    assert "უკვე აღრიცხულია" in page.inner_text("main") and "მოსული: 1" in page.inner_text("main")
    settle(page)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None and registration.checked_in_by == staff
    assert list(
        Credential.objects.filter(achievement__key=f"event:{ceremony.pk}").values_list("user", flat=True)
    ) == [learner.pk]
    page.goto(manage_url)
    assert "მოსული: 1" in page.inner_text("main")


def test_check_in_by_typed_code_without_javascript(nojs_page, ceremony, learner, staff):
    from events import services

    page, base = nojs_page, nojs_page.base_url
    page.set_viewport_size({"width": 360, "height": 740})
    services.invite_certified(event=ceremony, by=staff)
    registration, _ = services.register(event=ceremony, user=learner, answers={"diet": "1"})
    as_user(page, staff)
    page.goto(f"{base}{reverse('events:checkin', args=[ceremony.pk])}")
    _checked(page)
    assert page.locator(".event-scan").is_hidden()  # the camera is JavaScript's; the typed code works without
    page.fill("input[name=code]", registration.display_code)
    _submit(page, "main form.event-checkin")
    main = page.inner_text("main")
    assert "აღრიცხულია" in main and "მოსული: 1" in main
    _checked(page)
    page.fill("input[name=code]", "ABCDE-23456")
    _submit(page, "main form.event-checkin")
    assert page.locator("input[name=code][aria-invalid=true]").count() == 1
    _checked(page)
    settle(page)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert Credential.objects.filter(user=learner, achievement__key=f"event:{ceremony.pk}").exists()
