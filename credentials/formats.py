"""Open Badges 3.0 / VC 2.0 documents, VC-JWT claims, the Bitstring Status List and URLs.

Everything here is pure: it turns model rows into JSON and back, and never writes.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
STATUS_LIST_LENGTH = 131_072  # 2**17 entries (16 KiB): the minimum the Bitstring Status List spec recommends
STATUS_PURPOSE = "revocation"
STATUS_LIST_TTL_SECONDS = 300


# --- URLs -------------------------------------------------------------------------------------------


def absolute(name: str, *args) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # Georgian pages have no language prefix
        return settings.SITE_URL + reverse(name, args=args)


def issuer_id() -> str:
    return absolute("credentials_issuer_json")


def key_url(kid: str) -> str:
    return absolute("credentials_jwk", kid)


def achievement_id(achievement) -> str:
    return absolute("credentials_achievement_json", achievement.key)


def credential_id(credential) -> str:
    return absolute("credentials_credential_json", credential.pk)


def status_list_url() -> str:
    return absolute("credentials_status_list")


def verification_url(credential) -> str:
    return absolute("credentials:verify", credential.pk)


def short_url(credential) -> str:
    return absolute("credentials_short", credential.short_code)


def format_code(code: str) -> str:
    """The printed form of a short code: ``K7M2-9QXD``."""
    return f"{code[:4]}-{code[4:]}"


# --- documents ----------------------------------------------------------------------------------------


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def identity_hash(value: str, salt: str) -> str:
    """Open Badges 3.0 IdentityObject hash: ``sha256$`` + hex digest of value + salt."""
    return "sha256$" + hashlib.sha256((value + salt).encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_name(name: str) -> str:
    return " ".join(name.split())


def issuer_document(issuer) -> dict:
    doc = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer_id(),
        "type": ["Profile"],
        "name": issuer.name_ka,
        "url": issuer.url,
        "email": issuer.email,
    }
    if issuer.name_en:
        doc["otherIdentifier"] = [
            {"type": "IdentifierEntry", "identifier": issuer.name_en, "identifierType": "name"}
        ]
    if issuer.description_ka:
        doc["description"] = issuer.description_ka
    if issuer.image:
        doc["image"] = {"id": settings.SITE_URL + issuer.image.url, "type": "Image"}
    return doc


ACHIEVEMENT_TYPES = {
    "course": "Course",
    "certification": "Certification",
    "internship": "Competency",
    "other": "Achievement",
}


def achievement_document(achievement, *, with_context: bool = False) -> dict:
    doc = {
        "id": achievement_id(achievement),
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES.get(achievement.kind, "Achievement"),
        "name": achievement.name_ka,
        "description": achievement.description_ka,
        "criteria": {"narrative": achievement.criteria_ka},
        "inLanguage": "ka",
    }
    if achievement.name_en:
        doc["otherIdentifier"] = [
            {"type": "IdentifierEntry", "identifier": achievement.name_en, "identifierType": "name"}
        ]
    if with_context:
        doc = {"@context": [VC_CONTEXT, OB_CONTEXT], **doc}
    return doc


def _language_values(ka: str, en: str) -> list[dict] | str:
    if not en or en == ka:
        return ka
    return [{"@value": ka, "@language": "ka"}, {"@value": en, "@language": "en"}]


def credential_document(credential, *, email: str, issuer) -> dict:
    """The OpenBadgeCredential. The email and the names appear only salted and hashed."""
    achievement = credential.achievement
    salt = credential.identity_salt
    identifiers = [
        {
            "type": "IdentityObject",
            "identityHash": identity_hash(normalise_email(email), salt),
            "identityType": "emailAddress",
            "hashed": True,
            "salt": salt,
        }
    ]
    for name in (credential.recipient_name_ka, credential.recipient_name_latin):
        if name:
            identifiers.append(
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(normalise_name(name), salt),
                    "identityType": "name",
                    "hashed": True,
                    "salt": salt,
                }
            )
    doc = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id(credential),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _language_values(achievement.name_ka, achievement.name_en),
        "issuer": {k: v for k, v in issuer_document(issuer).items() if k != "@context"},
        "validFrom": iso(credential.issued_at),
        "credentialSubject": {
            "id": f"urn:uuid:{credential.subject_id}",
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "achievement": achievement_document(achievement),
        },
        "credentialStatus": {
            "id": f"{status_list_url()}#{credential.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": STATUS_PURPOSE,
            "statusListIndex": str(credential.status_index),
            "statusListCredential": status_list_url(),
        },
    }
    if credential.valid_until:
        doc["validUntil"] = iso(credential.valid_until)
    return doc


def jwt_claims(document: dict) -> dict:
    """VC-JWT payload: the credential plus the registered claims Open Badges 3.0 asks for."""
    claims = dict(document)
    claims["iss"] = document["issuer"]["id"] if isinstance(document["issuer"], dict) else document["issuer"]
    claims["jti"] = document["id"]
    claims["sub"] = document["credentialSubject"]["id"]
    claims["nbf"] = int(_parse_iso(document["validFrom"]).timestamp())
    if "validUntil" in document:
        claims["exp"] = int(_parse_iso(document["validUntil"]).timestamp())
    return claims


def _parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# --- Bitstring Status List ----------------------------------------------------------------------------


def encode_status_list(indexes, *, length: int = STATUS_LIST_LENGTH) -> str:
    """Set bits → gzip → base64url without padding, with the multibase ``u`` prefix.

    Bit ``i`` is the ``i % 8``-th most significant bit of byte ``i // 8`` (index 0 is the leftmost bit).
    """
    bits = bytearray(length // 8)
    for index in indexes:
        if not 0 <= index < length:
            raise ValueError(f"status index {index} outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


def decode_status_list(encoded: str, *, max_bytes: int = 16 * STATUS_LIST_LENGTH) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (prefix u)")
    raw = encoded[1:]
    packed = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    with gzip.GzipFile(fileobj=io.BytesIO(packed)) as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError("status list too large")
    return data


def bit_is_set(bitstring: bytes, index: int) -> bool:
    if not 0 <= index < len(bitstring) * 8:
        raise IndexError(index)
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def status_list_document(*, encoded_list: str, issuer_url: str, valid_from: datetime) -> dict:
    url = status_list_url()
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_url,
        "validFrom": iso(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encoded_list,
            "ttl": STATUS_LIST_TTL_SECONDS * 1000,
        },
    }


def status_list_claims(document: dict) -> dict:
    claims = dict(document)
    claims.update(
        {
            "iss": document["issuer"],
            "jti": document["id"],
            "nbf": int(_parse_iso(document["validFrom"]).timestamp()),
        }
    )
    return claims
