"""Signing with the current key, the published key set, and the signed status list (cached briefly)."""

from __future__ import annotations

import json

from django.core.cache import cache
from django.utils import timezone
from joserfc import jwt

from credentials import formats, keys
from credentials.models import Credential, CredentialStatus, SigningKey

STATUS_LIST_CACHE_KEY = "credentials:status-list:v1"


def header_for(key_row: SigningKey) -> dict:
    return {"alg": keys.ALGORITHM, "kid": formats.key_url(key_row.kid), "typ": "JWT"}


def sign_claims(claims: dict, key_row: SigningKey) -> str:
    private = keys.decrypt_private_key(key_row.private_key_encrypted)
    return jwt.encode(header_for(key_row), claims, private, algorithms=[keys.ALGORITHM])


def current_key() -> SigningKey | None:
    return SigningKey.objects.filter(current=True).first()


def published_keys() -> list[SigningKey]:
    return list(SigningKey.objects.order_by("-created_at"))


def jwks() -> dict:
    return {"keys": [row.public_jwk for row in published_keys()]}


def revoked_indexes() -> list[int]:
    return list(Credential.objects.filter(status=CredentialStatus.REVOKED).values_list("status_index", flat=True))


def build_status_list() -> dict:
    """Sign a fresh BitstringStatusListCredential. Returns {"jwt", "document"}."""
    key_row = current_key()
    if key_row is None:
        raise LookupError("no signing key")
    document = formats.status_list_document(
        encoded_list=formats.encode_status_list(revoked_indexes()),
        issuer_url=formats.issuer_id(),
        valid_from=timezone.now(),
    )
    token = sign_claims(formats.status_list_claims(document), key_row)
    return {"jwt": token, "document": document}


def status_list() -> dict:
    """The signed status list, shared by every process through the cache for a short time."""
    cached = cache.get(STATUS_LIST_CACHE_KEY)
    if cached is None:
        cached = build_status_list()
        cache.set(STATUS_LIST_CACHE_KEY, cached, formats.STATUS_LIST_TTL_SECONDS)
    return cached


def forget_status_list() -> None:
    cache.delete(STATUS_LIST_CACHE_KEY)


def document_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
