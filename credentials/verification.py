"""Verify a credential from its VC-JWT, a baked PNG or a JSON file: signature, issuer, window, status.

The verdict rests on the signature and on the signed status list, not on a database lookup: the database
is used only to find the published public key for the ``kid`` and, for a revoked credential, the reason.
Nothing here fetches URLs from the network (a ``kid`` on another host is reported, not followed).
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import JoseError
from PIL import Image, UnidentifiedImageError
from PIL.PngImagePlugin import PngImageFile

from credentials import formats, keys, signing
from credentials.models import Credential, SigningKey

MAX_TOKEN_CHARS = 64 * 1024
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORD = "openbadgecredential"  # the iTXt chunk of a baked Open Badge
# Reading a PNG's text chunks may decode its pixels (they can follow the image data); a badge is a few hundred
# pixels wide, so a larger image is refused before it is decoded.
MAX_PNG_PIXELS = 4096 * 4096
_JWT_SHAPE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class ExtractionError(Exception):
    pass


@dataclass
class Check:
    name: str  # signature, issuer, window, status, format
    ok: bool | None  # None: could not be checked
    message: str | Promise  # translated lazily, in the reader's language


@dataclass
class Verdict:
    state: str  # valid, revoked, expired, not_yet_valid, invalid
    checks: list[Check] = field(default_factory=list)
    claims: dict | None = None
    credential: Credential | None = None
    reason: str = ""

    @property
    def valid(self) -> bool:
        return self.state == "valid"

    @property
    def headline(self):
        return STATE_LABELS[self.state]

    @property
    def valid_from(self):
        return _timestamp(self.claims, "nbf")

    @property
    def valid_until(self):
        return _timestamp(self.claims, "exp")

    @property
    def achievement_name(self) -> str:
        try:
            return str((self.claims or {})["credentialSubject"]["achievement"]["name"])
        except (KeyError, TypeError):
            return ""


STATE_LABELS = {
    "valid": _("Valid"),
    "revoked": _("Revoked"),
    "expired": _("Expired"),
    "not_yet_valid": _("Not yet valid"),
    "invalid": _("Not valid"),
    "unknown": _("Unknown certificate"),
}


def _timestamp(claims, name):
    if not claims or not isinstance(claims.get(name), int | float):
        return None
    try:
        return datetime.fromtimestamp(claims[name], tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _b64json(segment: str) -> dict:
    raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value


def _canonical(segment: str) -> bool:
    """Base64url without padding whose unused trailing bits are zero (re-encoding gives the same text)."""
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (ValueError, binascii.Error):
        return False
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode() == segment


def _invalid(message, name="format") -> Verdict:
    return Verdict("invalid", [Check(name, False, message)])


def _kid_from_header(kid) -> str | None:
    prefix = formats.key_url("KID").removesuffix("KID")
    if not isinstance(kid, str) or not kid.startswith(prefix):
        return None
    value = kid[len(prefix) :].strip("/")
    return value if re.fullmatch(r"[A-Za-z0-9_-]{16,64}", value) else None


def verify_token(
    token: str,
    *,
    key_rows: dict[str, SigningKey] | None = None,
    credential: Credential | None = None,
    now: datetime | None = None,
    status_list: str | None = None,
) -> Verdict:
    """Verify a VC-JWT issued by this platform. Never raises on bad input.

    ``status_list`` is the published status-list VC-JWT when the caller already loaded it (its signature is
    checked all the same); otherwise it is read from the database.
    """
    token = (token or "").strip()
    if len(token) > MAX_TOKEN_CHARS:
        return _invalid(_("This text is too long to be a certificate."))
    if not _JWT_SHAPE.match(token):
        return _invalid(_("This is not a signed certificate (a JWT has three parts separated by dots)."))
    if not all(_canonical(part) for part in token.split(".")):
        return _invalid(_("The certificate's encoding was altered."), "signature")
    try:
        header = _b64json(token.split(".")[0])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return _invalid(_("The certificate's header cannot be read."))
    alg = header.get("alg")
    if alg != keys.ALGORITHM:
        return _invalid(
            _(
                "The signature algorithm “%(alg)s” is not accepted; certificates from this issuer are signed with RS256."
            )
            % {"alg": str(alg)[:20]},
            "signature",
        )
    if set(header) != {"alg", "kid", "typ"} or header.get("typ") != "JWT":
        return _invalid(_("The certificate's header has unexpected fields."), "signature")
    kid = _kid_from_header(header.get("kid"))
    if kid is None:
        return _invalid(_("The certificate was not signed with a key published by this issuer."), "issuer")
    key_row = (
        (key_rows or {}).get(kid) if key_rows is not None else SigningKey.objects.filter(kid=kid).first()
    )
    if key_row is None:
        return _invalid(
            _("The signing key is unknown: it is not among the keys this issuer publishes."), "signature"
        )
    try:
        claims = verified_claims(token, key_row.public_jwk)
    except (JoseError, ValueError, TypeError, KeyError, UnicodeDecodeError):
        return _invalid(
            _("The signature does not match: the certificate was changed or not signed by this issuer."),
            "signature",
        )
    checks = [Check("signature", True, _("The signature is valid (RS256, key published by the issuer)."))]
    verdict = Verdict("valid", checks, claims, credential)

    if claims.get("iss") != formats.issuer_id():
        checks.append(Check("issuer", False, _("The issuer named in the certificate is not this platform.")))
        verdict.state = "invalid"
        return verdict
    types = claims.get("type") or []
    if not isinstance(types, list) or "OpenBadgeCredential" not in types:
        checks.append(Check("format", False, _("This is not an Open Badges credential.")))
        verdict.state = "invalid"
        return verdict
    checks.append(Check("issuer", True, _("Issued by this platform's issuer profile.")))

    now = now or timezone.now()
    nbf, exp = claims.get("nbf"), claims.get("exp")
    if not isinstance(nbf, int) or (exp is not None and not isinstance(exp, int)):
        checks.append(Check("window", False, _("The validity dates are missing or malformed.")))
        verdict.state = "invalid"
        return verdict
    stamp = now.timestamp()
    if stamp < nbf:
        checks.append(Check("window", False, _("Not valid yet.")))
        verdict.state = "not_yet_valid"
    elif exp is not None and stamp >= exp:
        checks.append(Check("window", False, _("The validity period has ended.")))
        verdict.state = "expired"
    else:
        checks.append(Check("window", True, _("Within the validity period.")))

    revoked = _check_status(claims, checks, status_list, key_rows)
    if revoked is None:
        verdict.state = "invalid"
    elif revoked:
        verdict.state = "revoked"
        verdict.credential = verdict.credential or _credential_for(claims)
        verdict.reason = verdict.credential.revocation_reason if verdict.credential else ""
    return verdict


def _check_status(
    claims: dict,
    checks: list[Check],
    status_list: str | None = None,
    key_rows: dict[str, SigningKey] | None = None,
) -> bool | None:
    """True if the status list marks the credential revoked, False if not, None if it cannot be checked."""
    status = claims.get("credentialStatus")
    if not isinstance(status, dict):
        checks.append(Check("status", False, _("The certificate has no status entry.")))
        return None
    try:
        index = int(status["statusListIndex"])
        list_url = status["statusListCredential"]
    except (KeyError, TypeError, ValueError):
        checks.append(Check("status", False, _("The certificate has no status entry.")))
        return None
    if list_url != formats.status_list_url() or status.get("type") != "BitstringStatusListEntry":
        checks.append(Check("status", False, _("The status list is not this issuer's.")))
        return None
    try:
        bitstring = verified_status_bits(status_list, key_rows=key_rows)
        revoked = formats.bit_is_set(bitstring, index)
    except (IndexError, ValueError, LookupError):
        checks.append(Check("status", None, _("The status list could not be checked.")))
        return None
    if revoked:
        checks.append(
            Check("status", False, _("The issuer's signed status list marks this certificate as revoked."))
        )
    else:
        checks.append(
            Check("status", True, _("Not revoked (checked against the issuer's signed status list)."))
        )
    return revoked


def verified_claims(token: str, jwk: dict) -> dict:
    """The claims of ``token`` once its RS256 signature checks out with the public key ``jwk``; raises otherwise."""
    return jwt.decode(token, keys.public_key_from_jwk(jwk), algorithms=[keys.ALGORITHM]).claims


def verified_status_bits(token: str | None = None, *, key_rows: dict[str, SigningKey] | None = None) -> bytes:
    """Decode the published status list (``token``, or the stored one) after checking its own signature.

    ``key_rows`` are signing keys the caller already loaded, by kid; the list's key is read from the database
    when it is not among them.
    """
    token = token or signing.status_list()["jwt"]
    header = _b64json(token.split(".")[0])
    kid = _kid_from_header(header.get("kid"))
    key_row = (key_rows or {}).get(kid) if kid else None
    if key_row is None and kid:
        key_row = SigningKey.objects.filter(kid=kid).first()
    if key_row is None:
        raise LookupError("status list key")
    try:
        decoded = jwt.decode(token, keys.public_key_from_jwk(key_row.public_jwk), algorithms=[keys.ALGORITHM])
    except JoseError as error:
        raise ValueError("status list signature") from error
    return formats.decode_status_list(decoded.claims["credentialSubject"]["encodedList"])


def _credential_for(claims: dict) -> Credential | None:
    match = _UUID.search(str(claims.get("jti", "")))
    if not match:
        return None
    return Credential.objects.filter(pk=match.group(0)).first()


# --- extraction from files ----------------------------------------------------------------------------


def token_from_png(data: bytes) -> str:
    """The VC-JWT baked into a PNG badge: its iTXt chunk ``openbadgecredential`` (compressed or not)."""
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            if not isinstance(image, PngImageFile):
                raise ExtractionError(_("This file is not a PNG image."))
            if image.width * image.height > MAX_PNG_PIXELS:
                raise ExtractionError(_("This image is too large to be a certificate badge."))
            text = image.text.get(PNG_KEYWORD)
    except UnidentifiedImageError:
        raise ExtractionError(_("This file is not a PNG image.")) from None
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ExtractionError(_("The PNG image is damaged.")) from None
    if text is None:
        raise ExtractionError(
            _("This PNG image does not carry a certificate (no “openbadgecredential” chunk).")
        )
    return str(text)


def verify_json(data: bytes) -> Verdict:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _invalid(_("This file is not valid JSON."))
    if not isinstance(document, dict):
        return _invalid(_("This JSON is not a certificate."))
    envelope_id = document.get("id")
    if document.get("type") == "EnvelopedVerifiableCredential" and isinstance(envelope_id, str):
        _prefix, comma, token = envelope_id.partition(",")
        if comma and _prefix.startswith("data:application/vc+jwt"):
            return verify_token(token)
    if isinstance(document.get("jwt"), str):
        return verify_token(document["jwt"])
    # A plain credential document carries no proof: check it against the issuer's signed copy.
    credential = _credential_for({"jti": envelope_id}) if isinstance(envelope_id, str) else None
    if credential is None or envelope_id != formats.credential_id(credential):
        return _invalid(
            _(
                "This JSON carries no signature and is not a certificate from this issuer. Upload the .jwt file or the PNG image instead."
            ),
            "signature",
        )
    verdict = verify_token(credential.token, credential=credential)
    signed = {k: v for k, v in (verdict.claims or {}).items() if k not in {"iss", "jti", "sub", "nbf", "exp"}}
    if signed != document:
        return _invalid(
            _("This JSON differs from the certificate the issuer signed: it was changed."), "signature"
        )
    verdict.checks.insert(
        0, Check("format", True, _("The JSON is identical to the certificate the issuer signed."))
    )
    return verdict


def verify_upload(upload) -> Verdict:
    if upload.size > MAX_UPLOAD_BYTES:
        return _invalid(_("The file is too large. Certificates are smaller than 2 MB."))
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if data.startswith(PNG_SIGNATURE):
        try:
            return verify_token(token_from_png(data))
        except ExtractionError as error:
            return _invalid(str(error))
    stripped = data.strip()
    if stripped.startswith(b"{"):
        return verify_json(stripped)
    try:
        return verify_token(stripped.decode("ascii"))
    except UnicodeDecodeError:
        return _invalid(_("This file is not a certificate: upload a PNG badge, a .json or a .jwt file."))


# What a person may type instead of the signed credential: the code printed on the PDF ("K7M2-9QXD", any case,
# spaces or dashes), the short link, or the verification page's address (the QR code's URL).
_PRINTED_CODE = re.compile(r"^[23456789A-HJ-NP-Z]{4}[\s-]*[23456789A-HJ-NP-Z]{4}$")
_SHORT_LINK = re.compile(r"/v/([23456789A-Za-z-]{8,12})/?(?:[?#].*)?$")
_PAGE_LINK = re.compile(
    r"/credentials/c/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/?(?:[?#].*)?$"
)


def credential_for_reference(text: str) -> Credential | None:
    """The credential a printed code or one of its links names, or None (then the text is taken as a VC-JWT)."""
    text = text.strip()
    if len(text) > 300:
        return None
    page = _PAGE_LINK.search(text)
    if page:
        return Credential.objects.filter(pk=page.group(1)).first()
    short = _SHORT_LINK.search(text)
    code = short.group(1) if short else text
    if not (short or _PRINTED_CODE.match(text.upper())):
        return None
    code = re.sub(r"[\s-]", "", code).upper()
    return Credential.objects.filter(short_code=code).first() if len(code) == 8 else None


def verify_reference_or_token(text: str) -> Verdict:
    """The verdict for what was typed on the verifier page: a printed code, a link, or the VC-JWT itself."""
    credential = credential_for_reference(text)
    if credential is not None:
        return verify_token(credential.token, credential=credential)
    return verify_token(text.strip())
