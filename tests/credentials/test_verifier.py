"""The verifier page: a verdict for anything pasted or uploaded, never an error page."""

import base64
import hashlib
import hmac
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jwt as jwcrypto_jwt

from credentials import formats, rendering, services


def _b64(data) -> str:
    if isinstance(data, dict):
        data = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _post(client, **data):
    response = client.post("/credentials/verify/", data)
    assert response.status_code in (200, 400)
    return response, response.content.decode()


def _payload(credential):
    return json.loads(base64.urlsafe_b64decode(credential.token.split(".")[1] + "==="))


def test_pasted_valid_jwt_gets_a_valid_verdict(credential, client):
    response, body = _post(client, token=credential.token)
    assert response.status_code == 200
    assert "მოქმედია" in body and "ხელმოწერა ნამდვილია" in body
    assert "არ არის გაუქმებული" in body


def test_revoked_credential_is_reported_revoked_with_reason(credential, staff, client):
    services.revoke_credential(credential=credential, reason="ყალბი მონაცემები", by=staff)
    _response, body = _post(client, token=credential.token)
    assert "გაუქმებულია" in body and "ყალბი მონაცემები" in body


@pytest.mark.parametrize("garbage", ["hello", "a.b", "a.b.c", "....", "ეს არ არის", "x" * 70_000])
def test_garbage_gets_a_clear_verdict(db, client, garbage):
    response, body = _post(client, token=garbage)
    assert "არ არის მოქმედი" in body or "ზედმეტად გრძელია" in body or response.status_code == 400


def test_alg_none_is_refused(credential, client):
    header = {"alg": "none", "kid": formats.key_url(credential.signing_key.kid), "typ": "JWT"}
    token = f"{_b64(header)}.{_b64(_payload(credential))}."
    _response, body = _post(client, token=token)
    assert "არ არის მოქმედი" in body
    token = f"{_b64(header)}.{_b64(_payload(credential))}.{_b64(b'x')}"
    _response, body = _post(client, token=token)
    assert "„none“ მიუღებელია" in body


def test_hs256_with_the_public_key_as_secret_is_refused(credential, client):
    header = {"alg": "HS256", "kid": formats.key_url(credential.signing_key.kid), "typ": "JWT"}
    public_pem = jwcrypto_jwk.JWK(**credential.signing_key.public_jwk).export_to_pem()
    signing_input = f"{_b64(header)}.{_b64(_payload(credential))}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    _response, body = _post(client, token=f"{signing_input}.{_b64(signature)}")
    assert "„HS256“ მიუღებელია" in body
    assert "მოქმედია" not in body.split("verdict-heading")[1][:200]


def test_unknown_kid_is_refused(credential, client, second_rsa_key):
    key = jwcrypto_jwk.JWK.from_pyca(second_rsa_key)
    header = {"alg": "RS256", "kid": formats.key_url("A" * 43), "typ": "JWT"}
    token = jwcrypto_jwt.JWT(header=header, claims=_payload(credential))
    token.make_signed_token(key)
    _response, body = _post(client, token=token.serialize())
    assert "ხელმოწერის გასაღები უცნობია" in body


def test_kid_on_another_host_is_not_fetched(credential, client, second_rsa_key):
    key = jwcrypto_jwk.JWK.from_pyca(second_rsa_key)
    token = jwcrypto_jwt.JWT(
        header={"alg": "RS256", "kid": "https://evil.example/key", "typ": "JWT"}, claims={"a": 1}
    )
    token.make_signed_token(key)
    _response, body = _post(client, token=token.serialize())
    assert "არ არის ხელმოწერილი ამ გამცემის" in body


def test_token_signed_by_another_key_under_our_kid_fails(credential, client, second_rsa_key):
    key = jwcrypto_jwk.JWK.from_pyca(second_rsa_key)
    header = {"alg": "RS256", "kid": formats.key_url(credential.signing_key.kid), "typ": "JWT"}
    token = jwcrypto_jwt.JWT(header=header, claims=_payload(credential))
    token.make_signed_token(key)
    _response, body = _post(client, token=token.serialize())
    assert "ხელმოწერა არ ემთხვევა" in body


def test_uploaded_baked_png_is_verified(credential, client):
    png = rendering.baked_badge(credential)
    _response, body = _post(client, file=SimpleUploadedFile("badge.png", png, content_type="image/png"))
    assert "მოქმედია" in body


def test_png_without_the_chunk_gets_a_clear_verdict(credential, client):
    png = rendering.badge_image(credential)
    _response, body = _post(client, file=SimpleUploadedFile("plain.png", png, content_type="image/png"))
    assert "openbadgecredential" in body and "სერტიფიკატს არ შეიცავს" in body


def test_damaged_png_gets_a_clear_verdict(credential, client):
    png = rendering.baked_badge(credential)[:200]
    _response, body = _post(client, file=SimpleUploadedFile("cut.png", png, content_type="image/png"))
    assert "არ არის მოქმედი" in body


def test_huge_upload_is_refused_with_a_message(db, client):
    huge = SimpleUploadedFile("huge.png", b"\x89PNG\r\n\x1a\n" + b"0" * (3 * 1024 * 1024))
    response, body = _post(client, file=huge)
    assert response.status_code == 400
    assert "ფაილი ძალიან დიდია" in body


def test_downloaded_json_is_checked_against_the_signed_copy(credential, client):
    document = client.get(f"/ob/credentials/{credential.pk}.json").content
    _response, body = _post(
        client, file=SimpleUploadedFile("c.json", document, content_type="application/json")
    )
    assert "მოქმედია" in body and "JSON იდენტურია" in body
    changed = json.loads(document)
    changed["validFrom"] = "2020-01-01T00:00:00Z"
    _response, body = _post(client, file=SimpleUploadedFile("c.json", json.dumps(changed).encode()))
    assert "შეცვლილია" in body


def test_enveloped_credential_json_is_verified(credential, client):
    envelope = {
        "@context": [formats.VC_CONTEXT],
        "type": "EnvelopedVerifiableCredential",
        "id": f"data:application/vc+jwt,{credential.token}",
    }
    _response, body = _post(client, file=SimpleUploadedFile("e.json", json.dumps(envelope).encode()))
    assert "მოქმედია" in body


def test_jwt_file_and_bad_json_uploads(credential, client):
    _response, body = _post(client, file=SimpleUploadedFile("c.jwt", credential.token.encode()))
    assert "მოქმედია" in body
    _response, body = _post(client, file=SimpleUploadedFile("c.json", b"{not json"))
    assert "სწორი JSON არ არის" in body
    _response, body = _post(client, file=SimpleUploadedFile("c.bin", io.BytesIO(b"\xff\xfe\x00").read()))
    assert "არ არის მოქმედი" in body


def test_empty_form_asks_for_input_and_keeps_nothing_broken(db, client):
    response, body = _post(client, token="")
    assert response.status_code == 400
    assert "ჩასვით სერტიფიკატი ან აირჩიეთ ფაილი" in body


def test_typed_text_is_kept_after_a_verdict(db, client):
    _response, body = _post(client, token="not-a-jwt-at-all")
    assert "not-a-jwt-at-all" in body


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: formats.format_code(c.short_code),
        lambda c: formats.format_code(c.short_code).lower(),
        lambda c: f" {c.short_code[:4]} {c.short_code[4:]} ",
        lambda c: formats.verification_url(c),
        lambda c: formats.short_url(c),
    ],
    ids=["printed code", "lower case", "with spaces", "QR code's URL", "short link"],
)
def test_the_code_printed_on_the_pdf_or_its_links_get_that_certificates_verdict(credential, client, typed):
    response, body = _post(client, token=typed(credential))
    assert response.status_code == 200
    assert "მოქმედია" in body and "ხელმოწერა ნამდვილია" in body
    assert "არ არის მოქმედი" not in body


def test_a_printed_code_of_a_revoked_certificate_says_revoked(credential, staff, client):
    services.revoke_credential(credential=credential, reason="ყალბი მონაცემები", by=staff)
    _response, body = _post(client, token=formats.format_code(credential.short_code))
    assert "გაუქმებულია" in body and "ყალბი მონაცემები" in body


def test_an_unknown_printed_code_is_not_valid(db, client):
    _response, body = _post(client, token="K7M2-9QXD")
    assert "არ არის მოქმედი" in body
