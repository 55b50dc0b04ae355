"""The published status list: signed by revocations and rotations, never by a visitor's request.

Readers (the verification page, ``/ob/status/revocation``) load the stored VC-JWT; a revocation is visible
at once; a tampered list is refused; nothing a process keeps hides a change.
"""

import base64
import json

import pytest
from django.db import transaction

from credentials import formats, keys, services, signing, verification
from credentials.models import PublishedStatusList, SigningKey
from credentials.tasks import refresh_status_list


def _page(client, credential):
    return client.get(f"/credentials/c/{credential.pk}/").content.decode()


def _segment(token, n):
    part = token.split(".")[n]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _set_bits(token):
    bits = formats.decode_status_list(_segment(token, 1)["credentialSubject"]["encodedList"])
    return {i for i in range(formats.STATUS_LIST_LENGTH) if formats.bit_is_set(bits, i)}


def _fresh_process():
    """Empty the imported private keys, as in a gunicorn worker that just started."""
    keys._imported_private_key.cache_clear()


_monkeypatch = pytest.MonkeyPatch()


def _refuse_signing():
    """From here to the end of the test, any signing or private-key decryption fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a reader signed or decrypted the private key")

    _monkeypatch.setattr(signing, "sign_claims", refuse)
    _monkeypatch.setattr(keys, "decrypt_private_key", refuse)


@pytest.fixture(autouse=True)
def _undo_refusal():
    yield
    _monkeypatch.undo()


def test_first_verification_in_a_fresh_process_signs_nothing(credential, client):
    assert PublishedStatusList.objects.count() == 1  # published when the key was made
    _fresh_process()
    _refuse_signing()
    assert "მოქმედია" in _page(client, credential)  # "Valid"
    token = client.get("/ob/status/revocation").content.decode()
    assert token == PublishedStatusList.objects.get().token
    assert credential.status_index not in _set_bits(token)


def test_revocation_is_on_the_page_and_in_the_published_list_at_once(
    credential, other_learner, achievement, staff, client
):
    other, _ = services.issue_credential(user=other_learner, achievement=achievement)
    assert "მოქმედია" in _page(client, credential)
    client.get("/ob/status/revocation")
    services.revoke_credential(credential=credential, reason="დარღვევა", by=staff)
    _refuse_signing()
    body = _page(client, credential)
    assert "გაუქმებულია" in body and "დარღვევა" in body  # "Revoked", with the reason
    assert "მოქმედია" in _page(client, other)
    token = client.get("/ob/status/revocation").content.decode()
    assert _set_bits(token) == {credential.status_index}
    assert client.get("/ob/status/revocation?format=json").json() == {
        k: v for k, v in _segment(token, 1).items() if k not in {"iss", "jti", "nbf"}
    }


def test_each_revocation_adds_its_bit_and_keeps_the_earlier_ones(
    credential, other_learner, achievement, staff, client
):
    other, _ = services.issue_credential(user=other_learner, achievement=achievement)
    services.revoke_credential(credential=credential, reason="ერთი", by=staff)
    services.revoke_credential(credential=other, reason="ორი", by=staff)
    assert _set_bits(PublishedStatusList.objects.get().token) == {credential.status_index, other.status_index}


def test_reissue_publishes_the_old_one_as_revoked(credential, staff, client):
    new = services.reissue_credential(credential=credential, by=staff)
    assert _set_bits(client.get("/ob/status/revocation").content.decode()) == {credential.status_index}
    assert "გაუქმებულია" in _page(client, credential)
    assert "მოქმედია" in _page(client, new)


def test_a_revocation_rolled_back_leaves_the_published_list_unchanged(credential, staff):
    before = PublishedStatusList.objects.get().token
    with pytest.raises(RuntimeError), transaction.atomic():
        services.revoke_credential(credential=credential, reason="შეცდომა", by=staff)
        raise RuntimeError("the surrounding work failed")
    assert PublishedStatusList.objects.get().token == before
    assert verification.verify_token(credential.token).state == "valid"


def test_a_tampered_published_list_is_refused_even_after_the_genuine_one_was_read(credential, staff, client):
    services.revoke_credential(credential=credential, reason="დარღვევა", by=staff)
    assert "გაუქმებულია" in _page(client, credential)
    row = PublishedStatusList.objects.get()
    header, payload, signature = row.token.split(".")
    claims = _segment(row.token, 1)
    claims["credentialSubject"]["encodedList"] = formats.encode_status_list(set())  # clear the revocation
    forged = (
        base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).rstrip(b"=").decode()
    )
    PublishedStatusList.objects.filter(pk=row.pk).update(token=f"{header}.{forged}.{signature}")
    body = client.get(f"/en/credentials/c/{credential.pk}/").content.decode()
    assert "Not valid" in body and "The status list could not be checked." in body
    assert "Revoked" not in body
    verdict = verification.verify_token(credential.token)
    assert verdict.state == "invalid"
    assert [c.ok for c in verdict.checks if c.name == "status"] == [None]


def test_a_changed_credential_token_is_checked_again(credential, client):
    assert "მოქმედია" in _page(client, credential)
    header, payload, signature = credential.token.split(".")
    claims = _segment(credential.token, 1)
    claims["credentialSubject"]["achievement"]["name"] = "სხვა მიღწევა"
    forged = (
        base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).rstrip(b"=").decode()
    )
    type(credential).objects.filter(pk=credential.pk).update(token=f"{header}.{forged}.{signature}")
    body = client.get(f"/en/credentials/c/{credential.pk}/").content.decode()
    assert "Not valid" in body and "The signature does not match" in body


def test_remembered_claims_are_a_fresh_copy_each_time(credential):
    first = verification.verify_token(credential.token)
    first.claims["credentialSubject"]["achievement"]["name"] = "changed by a caller"
    again = verification.verify_token(credential.token)
    assert again.claims["credentialSubject"]["achievement"]["name"] == "საჯარო პოლიტიკის ანალიზი"


def test_rotation_republishes_with_the_new_key_and_old_credentials_keep_their_status(
    credential, other_learner, achievement, second_rsa_key, staff, client
):
    old_kid = credential.signing_key.kid
    assert "მოქმედია" in _page(client, credential)
    new_key = services.rotate_signing_key(private_key=second_rsa_key)
    row = PublishedStatusList.objects.get()
    assert row.signing_key == new_key
    token = client.get("/ob/status/revocation").content.decode()
    assert _segment(token, 0)["kid"] == formats.key_url(new_key.kid)
    assert "მოქმედია" in _page(client, credential)  # signed with the old key, which stays published
    services.revoke_credential(credential=credential, reason="დარღვევა", by=staff)
    assert "გაუქმებულია" in _page(client, credential)
    newer, _ = services.issue_credential(user=other_learner, achievement=achievement)
    assert newer.signing_key == new_key and "მოქმედია" in _page(client, newer)
    assert SigningKey.objects.get(kid=old_kid).current is False


def test_the_private_key_is_decrypted_once_per_process_for_signing(
    learner, other_learner, achievement, signing_key, monkeypatch
):
    _fresh_process()
    calls = []
    decrypt = keys.decrypt_private_key
    monkeypatch.setattr(keys, "decrypt_private_key", lambda token: calls.append(1) or decrypt(token))
    services.issue_credential(user=learner, achievement=achievement)
    services.issue_credential(user=other_learner, achievement=achievement)
    signing.publish_status_list()
    assert len(calls) == 1


def test_a_changed_secret_still_stops_signing_after_the_key_was_cached(credential, settings):
    signing.publish_status_list()  # the key is now imported and kept
    settings.CREDENTIALS_KEY_SECRET = "another secret entirely, long enough to be a secret"
    with pytest.raises(keys.KeyDecryptionError):
        signing.publish_status_list()


def test_without_a_stored_list_the_first_reader_publishes_one(credential, client):
    PublishedStatusList.objects.all().delete()
    assert "მოქმედია" in _page(client, credential)
    assert PublishedStatusList.objects.count() == 1


def test_forgetting_without_a_key_drops_the_stored_list(db):
    signing.forget_status_list()
    assert PublishedStatusList.objects.count() == 0


def test_forgetting_after_bulk_changes_republishes(credential):
    type(credential).objects.filter(pk=credential.pk).update(status="revoked")  # as the bench generator does
    signing.forget_status_list()
    assert _set_bits(PublishedStatusList.objects.get().token) == {credential.status_index}


def test_refresh_task_resigns_the_list_and_does_nothing_without_a_key(db, credential):
    before = PublishedStatusList.objects.get()
    PublishedStatusList.objects.filter(pk=before.pk).update(signed_at=before.signed_at.replace(year=2020))
    refresh_status_list.call()
    after = PublishedStatusList.objects.get()
    assert after.signed_at > before.signed_at.replace(year=2020)
    assert _set_bits(after.token) == set()


def test_refresh_task_without_a_key_publishes_nothing(db):
    refresh_status_list.call()
    assert PublishedStatusList.objects.count() == 0


@pytest.mark.parametrize("revoked", (1, 3))
def test_verification_page_takes_two_queries(
    revoked, credential, achievement, staff, client, django_assert_num_queries
):
    from tests.factories import UserFactory

    for n in range(revoked):
        other, _ = services.issue_credential(
            user=UserFactory(email=f"revoked{n}@example.org"), achievement=achievement
        )
        services.revoke_credential(credential=other, reason="შეცდომა", by=staff)
    _page(client, credential)
    with django_assert_num_queries(
        2
    ):  # the credential with its achievement, key and the published list; the issuer
        body = _page(client, credential)
    assert "მოქმედია" in body
