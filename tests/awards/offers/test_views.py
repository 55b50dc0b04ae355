"""Offer pages: what each person sees and does; outsiders get 404; uploads; exports; constant query counts."""

import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEntry
from awards.models.offers import AgreementMode, Offer, OfferStatus
from awards.services import offers as services
from calls.models import Outcome
from tests.awards.offers.builders import accepted, decided
from tests.calls.builders import PDF, make_call
from tests.factories import UserFactory


def _detail(offer):
    return reverse("awards:offer_detail", args=[offer.pk])


def test_the_applicant_sees_the_offer_with_its_deadline_and_agreement(client_for, learner, offer):
    response = client_for(learner).get(_detail(offer))
    assert response.status_code == 200
    page = response.content.decode()
    assert offer.application.call.title_ka in page
    assert offer.application.reference in page
    assert "პასუხის ვადა" in page
    assert reverse("awards:offer_agreement", args=[offer.pk]) in page
    assert reverse("calls:application_detail", args=[offer.application.pk]) in page
    assert reverse("awards:offer_accept", args=[offer.pk]) in page


def test_outsiders_get_404_everywhere(client_for, other_learner, reviewer, offer):
    for person in (other_learner, reviewer):
        client = client_for(person)
        for name in ("offer_detail", "offer_agreement", "offer_signed_copy"):
            assert client.get(reverse(f"awards:{name}", args=[offer.pk])).status_code == 404
        for name in ("offer_accept", "offer_decline"):
            assert (
                client.post(reverse(f"awards:{name}", args=[offer.pk]), {"acknowledge": "on"}).status_code
                == 404
            )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.MADE


def test_accepting_in_the_browser_form(client_for, learner, offer):
    client = client_for(learner)
    response = client.post(reverse("awards:offer_accept", args=[offer.pk]))
    assert response.status_code == 200
    assert "გთხოვთ, დაადასტუროთ" in response.content.decode()
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.MADE
    response = client.post(reverse("awards:offer_accept", args=[offer.pk]), {"acknowledge": "on"})
    assert response.status_code == 302
    again = client.post(reverse("awards:offer_accept", args=[offer.pk]), {"acknowledge": "on"})
    assert again.status_code == 302  # a double submit: the same answer, recorded once
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert AuditEntry.objects.filter(action="awards.offer.accept").count() == 1
    page = client.get(_detail(offer)).content.decode()
    assert "თქვენ მიიღეთ ეს შეთავაზება" in page
    assert reverse("awards:offer_accept", args=[offer.pk]) not in page


def test_declining_keeps_the_reason(client_for, learner, offer):
    response = client_for(learner).post(
        reverse("awards:offer_decline", args=[offer.pk]), {"reason": "გუნდი შეიცვალა"}
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.status, offer.decline_reason) == (OfferStatus.DECLINED, "გუნდი შეიცვალა")


def test_after_the_deadline_the_page_says_so_and_refuses(client_for, learner, offer, time_machine):
    time_machine.move_to(
        offer.response_deadline.replace(microsecond=0) + __import__("datetime").timedelta(seconds=1)
    )
    client = client_for(learner)
    page = client.get(_detail(offer)).content.decode()
    assert "პასუხის ვადა ამოიწურა" in page
    response = client.post(reverse("awards:offer_accept", args=[offer.pk]), {"acknowledge": "on"})
    assert response.status_code == 200
    assert "პასუხის ვადა ამოიწურა" in response.content.decode()
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.MADE


@pytest.fixture
def upload_offer(application, staff):
    return services.make_offer(application=application, by=staff, agreement_mode=AgreementMode.UPLOAD)


def test_a_wrong_file_keeps_the_page_with_a_clear_message(client_for, learner, upload_offer):
    client = client_for(learner)
    url = reverse("awards:offer_accept", args=[upload_offer.pk])
    response = client.post(url, {"signed_copy": SimpleUploadedFile("signed.pdf", b"MZ\x90\x00 not a pdf")})
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert Offer.objects.get(pk=upload_offer.pk).status == OfferStatus.MADE


def test_an_oversized_file_is_refused(client_for, learner, upload_offer, settings):
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = client_for(learner).post(
        reverse("awards:offer_accept", args=[upload_offer.pk]),
        {"signed_copy": SimpleUploadedFile("s.pdf", big)},
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert Offer.objects.get(pk=upload_offer.pk).status == OfferStatus.MADE


def test_the_signed_copy_is_kept_and_served_to_the_applicant_and_staff(
    client_for, learner, staff, upload_offer
):
    client = client_for(learner)
    response = client.post(
        reverse("awards:offer_accept", args=[upload_offer.pk]),
        {"signed_copy": SimpleUploadedFile("ხელმოწერილი.pdf", PDF)},
    )
    assert response.status_code == 302
    upload_offer.refresh_from_db()
    assert upload_offer.status == OfferStatus.ACCEPTED
    for person in (learner, staff):
        download = client_for(person).get(reverse("awards:offer_signed_copy", args=[upload_offer.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF


def test_the_agreement_pdf(client_for, learner, staff, offer):
    for person in (learner, staff):
        response = client_for(person).get(reverse("awards:offer_agreement", args=[offer.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert b"DejaVu" in response.content  # the Georgian-capable font is embedded


def test_staff_make_offers_for_the_selected_or_all(
    client_for, call, staff, learner, other_learner, org_admin
):
    first = accepted(call, learner, staff)
    second = accepted(call, other_learner, staff)
    unsent = accepted(call, org_admin, staff, send=False)
    client = client_for(staff)
    page = client.get(reverse("awards:call_offers", args=[call.slug])).content.decode()
    assert first.reference in page and unsent.reference in page
    assert "გადაწყვეტილების წერილი ჯერ არ გაგზავნილა" in page
    data = {"response_deadline": "2099-01-15T18:00", "agreement_mode": "acknowledge", "scope": "selected"}
    response = client.post(
        reverse("awards:make_offers", args=[call.slug]), {**data, "application": [first.pk]}
    )
    assert response.status_code == 302
    assert list(Offer.objects.values_list("application_id", flat=True)) == [first.pk]
    client.post(reverse("awards:make_offers", args=[call.slug]), {**data, "scope": "all"})
    assert set(Offer.objects.values_list("application_id", flat=True)) == {first.pk, second.pk}


def test_staff_make_one_offer_with_its_amount_and_terms(client_for, staff, learner):
    call = make_call(slug="offers-grant", kind="small_grant", budget=True)
    application = accepted(call, learner, staff)
    client = client_for(staff)
    url = reverse("awards:make_offer", args=[application.pk])
    form = client.get(url).content.decode()
    assert "3250.50" in form  # the requested budget, prefilled
    response = client.post(
        url,
        {
            "response_deadline": "2099-01-15T18:00",
            "agreement_mode": "upload",
            "amount": "3000",
            "terms_ka": "პირობები",
            "terms_en": "Terms",
        },
    )
    offer = Offer.objects.get(application=application)
    assert response.status_code == 302 and response["Location"] == _detail(offer)
    assert (str(offer.amount), offer.agreement_mode, offer.terms_ka) == ("3000.00", "upload", "პირობები")
    assert client.get(url).status_code == 302  # already made: to the offer


def test_staff_promote_the_waiting_list_from_the_call_page(
    client_for, call, offer, staff, learner, other_learner
):
    waiting = decided(call, other_learner, staff, outcome=Outcome.WAITLISTED, score="7")
    services.decline_offer(offer=offer, by=learner)
    client = client_for(staff)
    page = client.get(reverse("awards:call_offers", args=[call.slug])).content.decode()
    assert waiting.reference in page
    response = client.post(
        reverse("awards:offer_promote", args=[offer.pk]), {"application": str(waiting.pk), "note": ""}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.outcome == Outcome.ACCEPTED
    assert Offer.objects.get(pk=offer.pk).promoted_id == waiting.pk
    assert (
        client.post(reverse("awards:offer_promote", args=[offer.pk]), {"application": "x"}).status_code == 404
    )


def test_staff_withdraw(client_for, staff, offer):
    response = client_for(staff).post(reverse("awards:offer_withdraw", args=[offer.pk]), {"note": "შეცდომა"})
    assert response.status_code == 302
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.WITHDRAWN


def test_exports(client_for, staff, offer, call):
    client = client_for(staff)
    response = client.get(reverse("awards:offers_csv", args=[call.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "ნომერი"
    assert rows[1][0] == offer.application.reference
    response = client.get(reverse("awards:offers_xlsx", args=[call.slug]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=1).value == offer.application.reference


def test_the_letter_goes_out_when_staff_approve_it(offer, staff, learner):
    from calls.models import OutboxMessage
    from tests.awards.offers.builders import send_letters

    mail.outbox.clear()
    send_letters(OutboxMessage.objects.filter(application=offer.application, status="pending"), staff)
    assert [m.to for m in mail.outbox] == [[learner.email]]
    assert _detail(offer) in mail.outbox[0].body


# --- query counts: the same for 1 and for 3 rows --------------------------------------------------------


def _offers_for(n, call, staff, learner):
    offers = []
    for i in range(n):
        person = learner if i == 0 else UserFactory(email=f"p{i}@example.org")
        offers.append(services.make_offer(application=accepted(call, person, staff), by=staff))
    return offers


@pytest.mark.parametrize("count", [1, 3])
def test_my_offers_query_count(count, client_for, learner, learner_org, staff, django_assert_num_queries):
    call = make_call(slug="offers-count", applicant_type="organisations")
    for i in range(count):
        person = learner if i == 0 else UserFactory(email=f"a{i}@example.org")
        if i:
            from accounts.models import MembershipRole
            from tests.factories import make_member

            make_member(person, learner_org)
            learner_org.memberships.filter(user=learner).update(role=MembershipRole.ADMIN)
        services.make_offer(application=accepted(call, person, staff, organisation=learner_org), by=staff)
    client = client_for(learner)
    client.get(reverse("awards:my_offers"))
    with django_assert_num_queries(6):
        response = client.get(reverse("awards:my_offers"))
    assert response.content.decode().count(reverse("awards:offer_detail", args=[0])[:-2]) >= count


@pytest.mark.parametrize("count", [1, 3])
def test_staff_pages_query_count(count, client_for, call, staff, learner, django_assert_num_queries):
    _offers_for(count, call, staff, learner)
    client = client_for(staff)
    client.get(reverse("awards:staff_offers"))
    with django_assert_num_queries(6):
        client.get(reverse("awards:staff_offers"))
    with django_assert_num_queries(8):
        response = client.get(reverse("awards:call_offers", args=[call.slug]))
    assert response.status_code == 200


def test_offers_are_reachable_from_each_persons_home(client_for, learner, staff, offer):
    home = reverse("workspace:home")
    page = client_for(learner).get(home).content.decode()
    assert reverse("awards:my_offers") in page
    page = client_for(staff).get(home).content.decode()
    assert reverse("awards:staff_offers") in page
    staff_index = client_for(staff).get(reverse("awards:staff_offers")).content.decode()
    assert reverse("awards:call_offers", args=[offer.application.call.slug]) in staff_index


def test_the_work_items_count_offers_in_a_constant_number_of_queries(
    learner, staff, offer, django_assert_num_queries
):
    from accounts.api import as_viewer
    from awards.work import _offers_items

    viewer = as_viewer(learner)
    viewer.admin_organisation_ids  # noqa: B018 - the request's viewer loads these for the header anyway
    viewer.roles  # noqa: B018
    with django_assert_num_queries(1):
        items = _offers_items(viewer)
    assert [(i.label, i.count) for i in items] == [
        ("შეთავაზებები, რომლებიც თქვენს პასუხს ელოდება", 1),
        ("ჩემი შეთავაზებები", 1),
    ]
