"""VC-JWT signing with joserfc, checked through an independent path (jwcrypto), keys and rotation."""

import base64
import json

import pytest
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws
from jwcrypto.common import JWException

from credentials import formats, keys, services, verification
from credentials.models import SigningKey


def _segment(token, n):
    part = token.split(".")[n]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _jwcrypto_verify(token, jwk_dict):
    key = jwcrypto_jwk.JWK(**jwk_dict)
    signed = jwcrypto_jws.JWS()
    signed.deserialize(token)
    signed.verify(key, alg="RS256")
    return json.loads(signed.payload)


def test_header_is_exactly_alg_kid_typ_and_kid_url_returns_the_jwk(credential, client):
    header = _segment(credential.token, 0)
    assert set(header) == {"alg", "kid", "typ"}
    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    assert header["kid"] == formats.key_url(credential.signing_key.kid)
    response = client.get(header["kid"].removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    assert response.json() == credential.signing_key.public_jwk
    assert set(response.json()) == {"kty", "n", "e", "kid", "alg", "use"}


def test_joserfc_signature_verifies_with_jwcrypto_using_the_published_key(credential, client):
    kid = _segment(credential.token, 0)["kid"].rsplit("/", 1)[1]
    jwks = client.get("/ob/keys").json()
    published = next(k for k in jwks["keys"] if k["kid"] == kid)
    payload = _jwcrypto_verify(credential.token, published)
    assert payload["jti"] == formats.credential_id(credential)
    assert payload["iss"] == formats.issuer_id()
    assert payload["sub"] == f"urn:uuid:{credential.subject_id}"
    assert payload["nbf"] == int(credential.issued_at.timestamp())
    assert "exp" not in payload  # no end date: no exp


def test_exp_claim_matches_valid_until(learner, achievement, signing_key, issuer):
    from datetime import timedelta

    from django.utils import timezone

    until = timezone.now() + timedelta(days=365)
    credential, _ = services.issue_credential(user=learner, achievement=achievement, valid_until=until)
    payload = _segment(credential.token, 1)
    assert payload["exp"] == int(until.replace(microsecond=0).timestamp())
    assert payload["validUntil"] == formats.iso(until)
    assert {"iss", "jti", "nbf", "sub", "exp"} <= set(payload)


def _flip(token, position):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return token[:position] + alphabet[(alphabet.index(token[position]) + 1) % 64] + token[position + 1 :]


def _decoded(token):
    return [base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)) for p in token.split(".")]


def test_changing_any_character_of_the_jwt_makes_verification_fail(credential):
    token = credential.token
    published = credential.signing_key.public_jwk
    _jwcrypto_verify(token, published)  # the original verifies independently
    key_rows = {credential.signing_key.kid: credential.signing_key}
    assert verification.verify_token(token).state == "valid"
    for position, char in enumerate(token):
        if char == ".":
            continue
        changed = _flip(token, position)
        assert verification.verify_token(changed, key_rows=key_rows).state == "invalid", position
        if _decoded(changed) != _decoded(token):
            with pytest.raises((JWException, ValueError)):
                _jwcrypto_verify(changed, published)
        # else: only the unused low bits of a segment's last character changed. jwcrypto re-encodes the
        # header and would accept it; our verifier refuses non-canonical base64url (asserted above).


def test_key_rotation_keeps_old_credentials_valid(
    credential, other_learner, achievement, second_rsa_key, client
):
    old_kid = credential.signing_key.kid
    new_key = services.rotate_signing_key(private_key=second_rsa_key)
    assert new_key.kid != old_kid
    newer, _ = services.issue_credential(user=other_learner, achievement=achievement)
    assert newer.signing_key == new_key
    assert verification.verify_token(credential.token).state == "valid"
    assert verification.verify_token(newer.token).state == "valid"
    kids = [k["kid"] for k in client.get("/ob/keys").json()["keys"]]
    assert set(kids) == {old_kid, new_key.kid}
    old = SigningKey.objects.get(kid=old_kid)
    assert old.current is False and old.retired_at is not None
    # the status list is now signed with the new key and still checks the old credential
    assert _segment(client.get("/ob/status/revocation").content.decode(), 0)["kid"].endswith(new_key.kid)


def test_private_key_is_encrypted_at_rest_and_needs_the_secret(signing_key, settings):
    stored = SigningKey.objects.get(pk=signing_key.pk).private_key_encrypted
    assert "PRIVATE KEY" not in stored
    assert keys.decrypt_private_key(stored).is_private
    settings.CREDENTIALS_KEY_SECRET = "another secret entirely, long enough to be a secret"
    with pytest.raises(keys.KeyDecryptionError):
        keys.decrypt_private_key(stored)


def test_private_key_never_appears_in_pages_jwks_or_admin(credential, rsa_key, client_for, staff):
    private_d = keys.RSAKey.import_key(rsa_key).as_dict(private=True)["d"]
    client = client_for(staff)
    pages = [
        "/ob/keys",
        f"/ob/keys/{credential.signing_key.kid}",
        "/ob/status/revocation",
        "/ob/issuer",
        f"/credentials/c/{credential.pk}/",
        f"/ob/credentials/{credential.pk}.json",
        "/admin/credentials/signingkey/",
        f"/admin/credentials/signingkey/{credential.signing_key.pk}/change/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert private_d not in body, url
        assert credential.signing_key.private_key_encrypted[:40] not in body, url
    assert private_d not in repr(credential.signing_key)


def test_weak_keys_are_refused(db):
    from cryptography.hazmat.primitives.asymmetric import rsa

    with pytest.raises(ValueError):
        services.rotate_signing_key(
            private_key=rsa.generate_private_key(public_exponent=65537, key_size=2048)
        )
