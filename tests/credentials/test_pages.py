"""Public pages and JSON: verification states, privacy (never the email), caching, query counts; people's and staff pages."""

import base64
import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from credentials import formats, services
from credentials.models import Credential, CredentialStatus


def _page(client, credential):
    return client.get(f"/credentials/c/{credential.pk}/")


def test_verification_page_shows_valid_with_names_and_downloads(credential, client):
    response = _page(client, credential)
    body = response.content.decode()
    assert response.status_code == 200
    assert "მოქმედია" in body  # "Valid" in Georgian
    assert "ნინო ბერიძე" in body and "Nino Beridze" in body
    assert "საჯარო პოლიტიკის ანალიზი" in body
    for fmt in ("json", "jwt", "pdf", "png"):
        assert f"/ob/credentials/{credential.pk}.{fmt}" in body
    assert formats.format_code(credential.short_code) in body


def test_verification_page_in_english(credential, client):
    body = client.get(f"/en/credentials/c/{credential.pk}/").content.decode()
    assert "Valid" in body and "Certificate verification" in body


def test_verification_page_is_cacheable_and_takes_at_most_five_queries(
    credential, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        response = _page(client, credential)
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]


def test_signed_in_view_of_the_verification_page_is_private(credential, learner, client_for):
    response = client_for(learner).get(f"/credentials/c/{credential.pk}/")
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_unknown_credential_says_unknown_with_404(db, client):
    response = client.get("/credentials/c/00000000-0000-4000-8000-000000000000/")
    assert response.status_code == 404
    assert "უცნობი სერტიფიკატი" in response.content.decode()


def test_revoked_credential_page_says_revoked_with_the_reason(credential, staff, client):
    services.revoke_credential(credential=credential, reason="პლაგიატი დადასტურდა", by=staff)
    body = _page(client, credential).content.decode()
    assert "გაუქმებულია" in body
    assert "პლაგიატი დადასტურდა" in body


def test_expired_credential_page_says_expired(learner, achievement, signing_key, client):
    credential, _ = services.issue_credential(
        user=learner, achievement=achievement, valid_until=timezone.now() + timedelta(days=30)
    )
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        body = _page(client, credential).content.decode()
    assert "ვადა გასულია" in body


def test_pages_json_jwt_and_png_never_contain_the_email(credential, client, learner):
    email = learner.email
    urls = [
        f"/credentials/c/{credential.pk}/",
        f"/en/credentials/c/{credential.pk}/",
        f"/ob/credentials/{credential.pk}",
        f"/ob/credentials/{credential.pk}.json",
        f"/ob/credentials/{credential.pk}.jwt",
        f"/ob/credentials/{credential.pk}.png",
        "/ob/status/revocation?format=json",
        f"/credentials/achievements/{credential.achievement.key}/",
    ]
    for url in urls:
        content = client.get(url).content
        assert email.encode() not in content, url
        assert b"nino@" not in content, url
    payload = json.loads(base64.urlsafe_b64decode(credential.token.split(".")[1] + "==="))
    assert email not in json.dumps(payload)


def test_subject_is_identified_by_a_salted_email_hash(credential, learner, client):
    document = client.get(f"/ob/credentials/{credential.pk}.json").json()
    subject = document["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    email_identity = next(i for i in subject["identifier"] if i["identityType"] == "emailAddress")
    assert email_identity["hashed"] is True
    assert email_identity["identityHash"] == formats.identity_hash(learner.email, email_identity["salt"])
    name_hashes = {i["identityHash"] for i in subject["identifier"] if i["identityType"] == "name"}
    assert formats.identity_hash("ნინო ბერიძე", email_identity["salt"]) in name_hashes


def test_open_badge_json_has_the_required_shape(credential, client):
    document = client.get(f"/ob/credentials/{credential.pk}", HTTP_ACCEPT="application/json").json()
    assert document["@context"] == [formats.VC_CONTEXT, formats.OB_CONTEXT]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["issuer"]["type"] == ["Profile"] and document["issuer"]["id"] == formats.issuer_id()
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["criteria"]["narrative"] == "ყველა გაკვეთილის დასრულება."
    assert document["validFrom"] == formats.iso(credential.issued_at)
    assert document["credentialStatus"]["type"] == "BitstringStatusListEntry"


def test_identifiers_negotiate_html_for_people(credential, client):
    html = {"HTTP_ACCEPT": "text/html,application/xhtml+xml"}
    assert (
        client.get(f"/ob/credentials/{credential.pk}", **html)["Location"]
        == f"/credentials/c/{credential.pk}/"
    )
    assert client.get("/ob/issuer", **html)["Location"] == "/credentials/issuer/"
    key = credential.achievement.key
    assert client.get(f"/ob/achievements/{key}", **html)["Location"] == f"/credentials/achievements/{key}/"
    issuer = client.get("/ob/issuer", HTTP_ACCEPT="application/ld+json").json()
    assert issuer["type"] == ["Profile"] and issuer["name"]
    achievement = client.get(f"/ob/achievements/{key}").json()
    assert achievement["name"] == "საჯარო პოლიტიკის ანალიზი"


def test_short_link_redirects_to_the_verification_page(credential, client):
    code = formats.format_code(credential.short_code).lower()
    assert client.get(f"/v/{code}")["Location"] == f"/credentials/c/{credential.pk}/"
    assert client.get("/v/NOPE-NOPE").status_code == 404


def test_holder_can_hide_the_name_then_page_and_pdf_hide_it(credential, learner, client_for, client):
    owner = client_for(learner)
    response = owner.post(f"/credentials/{credential.pk}/visibility/", {})
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.show_name is False
    owner.logout()
    body = _page(client, credential).content.decode()
    assert "ნინო ბერიძე" not in body and "Nino Beridze" not in body
    assert client.get(f"/ob/credentials/{credential.pk}.pdf").status_code == 404
    owner = client_for(learner)
    assert owner.get(f"/ob/credentials/{credential.pk}.pdf").status_code == 200
    owner.post(f"/credentials/{credential.pk}/visibility/", {f"{credential.pk}-show_name": "on"})
    credential.refresh_from_db()
    assert credential.show_name is True


def test_another_person_cannot_change_visibility(credential, other_learner, client_for):
    response = client_for(other_learner).post(f"/credentials/{credential.pk}/visibility/", {})
    assert response.status_code == 404
    credential.refresh_from_db()
    assert credential.show_name is True


def _many(learner, count):
    achievements = [
        services.ensure_achievement(
            key=f"course:c{n}", defaults={"name_ka": f"კურსი {n}", "description_ka": "ა", "criteria_ka": "კ"}
        )
        for n in range(count)
    ]
    return [services.issue_credential(user=learner, achievement=a)[0] for a in achievements]


@pytest.mark.parametrize("count", (1, 3))
def test_my_certificates_lists_with_constant_queries(
    count, learner, signing_key, issuer, client_for, django_assert_num_queries
):
    credentials = _many(learner, count)
    client = client_for(learner)
    with django_assert_num_queries(5):  # with the viewer's roles
        response = client.get("/credentials/")
    body = response.content.decode()
    for credential in credentials:
        assert credential.achievement.name_ka in body
        assert formats.short_url(credential) in body
    assert "linkedin.com/profile/add" in body


def test_my_certificates_shows_only_mine(credential, other_learner, client_for):
    body = client_for(other_learner).get("/credentials/").content.decode()
    assert "საჯარო პოლიტიკის ანალიზი" not in body


@pytest.mark.parametrize("count", (1, 3))
def test_staff_list_has_constant_queries(
    count, learner, signing_key, staff, client_for, django_assert_num_queries
):
    _many(learner, count)
    client = client_for(staff)
    with django_assert_num_queries(7):  # with the viewer's roles and two-factor state
        response = client.get("/credentials/manage/")
    assert response.content.decode().count("/revoke/") == count


def test_staff_revokes_through_the_page_and_blank_reason_is_refused(credential, staff, client_for):
    client = client_for(staff)
    response = client.post(f"/credentials/manage/{credential.pk}/revoke/", {"reason": "   "})
    assert response.status_code == 400
    assert "მიზეზი" in response.content.decode()
    response = client.post(f"/credentials/manage/{credential.pk}/revoke/", {"reason": "შეცდომა"})
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REVOKED
    response = client.post(f"/credentials/manage/{credential.pk}/revoke/", {"reason": "ხელახლა"})
    assert response.status_code == 400  # already revoked: a clear message, not a crash
    assert "ხელახლა" in response.content.decode()  # what was typed is kept


def test_staff_reissues_through_the_page(credential, staff, client_for):
    response = client_for(staff).post(f"/credentials/manage/{credential.pk}/reissue/", {"reason": ""})
    new = Credential.objects.get(replaces=credential)
    assert response["Location"] == f"/credentials/c/{new.pk}/"
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REVOKED


def test_learner_cannot_revoke_or_reissue(credential, learner, client_for):
    client = client_for(learner)
    assert client.post(f"/credentials/manage/{credential.pk}/revoke/", {"reason": "x"}).status_code == 404
    assert client.post(f"/credentials/manage/{credential.pk}/reissue/", {}).status_code == 404
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.ACTIVE


def test_issuer_and_achievement_pages(credential, client):
    body = client.get("/credentials/issuer/").content.decode()
    assert "/ob/keys" in body and "civichub" in body
    body = client.get(f"/credentials/achievements/{credential.achievement.key}/").content.decode()
    assert "ყველა გაკვეთილის დასრულება." in body
