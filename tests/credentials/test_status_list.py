"""The Bitstring Status List: encoding, the signed list endpoint, revocation bits, index allocation."""

import base64
import gzip
import json

from hypothesis import given, settings
from hypothesis import strategies as st
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws

from credentials import formats, services
from credentials.models import Credential, StatusSlot


@settings(max_examples=50, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=formats.STATUS_LIST_LENGTH - 1), max_size=50))
def test_status_list_round_trips_exactly_the_set_bits(indexes):
    encoded = formats.encode_status_list(indexes)
    assert encoded.startswith("u")
    bits = formats.decode_status_list(encoded)
    assert len(bits) * 8 == formats.STATUS_LIST_LENGTH
    assert {i for i in range(formats.STATUS_LIST_LENGTH) if formats.bit_is_set(bits, i)} == indexes


def test_bit_order_is_most_significant_bit_first():
    raw = encoded_bytes = formats.encode_status_list({0, 9})
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded_bytes[1:] + "=" * (-len(encoded_bytes[1:]) % 4)))
    assert raw[0] == 0b1000_0000 and raw[1] == 0b0100_0000


def _jwt_payload(token, jwk):
    key = jwcrypto_jwk.JWK(**jwk)
    signed = jwcrypto_jws.JWS()
    signed.deserialize(token)
    signed.verify(key, alg="RS256")
    return json.loads(signed.payload)


def test_status_list_credential_is_signed_gzip_base64url_with_short_cache(credential, client):
    response = client.get("/ob/status/revocation")
    assert response["Content-Type"] == "application/vc+jwt"
    assert "max-age=300" in response["Cache-Control"] and "public" in response["Cache-Control"]
    payload = _jwt_payload(response.content.decode(), credential.signing_key.public_jwk)
    assert payload["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert payload["iss"] == formats.issuer_id()
    subject = payload["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    assert subject["encodedList"].startswith("u") and "=" not in subject["encodedList"]
    bits = formats.decode_status_list(subject["encodedList"])
    assert len(bits) * 8 >= 131_072
    assert formats.bit_is_set(bits, credential.status_index) is False
    as_json = client.get("/ob/status/revocation?format=json").json()
    assert as_json["credentialSubject"]["encodedList"] == subject["encodedList"]


def test_revocation_sets_exactly_its_bit_in_the_published_list(
    credential, other_learner, achievement, staff, client
):
    other, _ = services.issue_credential(user=other_learner, achievement=achievement)
    client.get("/ob/status/revocation")  # cached before the revocation
    services.revoke_credential(credential=credential, reason="დარღვევა", by=staff)
    token = client.get("/ob/status/revocation").content.decode()
    bits = formats.decode_status_list(
        _jwt_payload(token, credential.signing_key.public_jwk)["credentialSubject"]["encodedList"]
    )
    set_bits = [i for i in range(formats.STATUS_LIST_LENGTH) if formats.bit_is_set(bits, i)]
    assert set_bits == [credential.status_index]
    assert other.status_index != credential.status_index


def test_status_entry_points_at_the_list(credential):
    entry = json.loads(base64.urlsafe_b64decode(credential.token.split(".")[1] + "==="))["credentialStatus"]
    assert entry == {
        "id": f"{formats.status_list_url()}#{credential.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(credential.status_index),
        "statusListCredential": formats.status_list_url(),
    }


def test_indexes_are_random_and_never_reused(learner, achievement, signing_key, staff):
    seen = set()
    credential, _ = services.issue_credential(user=learner, achievement=achievement)
    for _round in range(5):
        seen.add(credential.status_index)
        credential = services.reissue_credential(credential=credential, by=staff)
    seen.add(credential.status_index)
    assert len(seen) == 6  # every re-issue got a fresh index
    assert set(StatusSlot.objects.values_list("index", flat=True)) == seen
    assert Credential.objects.count() == 6
    assert seen != set(range(min(seen), min(seen) + 6))  # not sequential
