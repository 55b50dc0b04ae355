"""Signing with the current key, the published key set, and the signed status list.

The status list is signed when it changes, never by a reader: :func:`publish_status_list` runs inside the
transaction of every revocation and key rotation (and from the periodic ``refresh_status_list`` task), and
stores the VC-JWT in :class:`~credentials.models.PublishedStatusList`. Readers load that row.
"""

from __future__ import annotations

import base64
import json
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from joserfc import jwt

from credentials import formats, keys
from credentials.models import (
    Credential,
    CredentialStatus,
    PublishedStatusList,
    SigningKey,
    StatusListPurpose,
)

log = logging.getLogger(__name__)


def header_for(key_row: SigningKey) -> dict:
    return {"alg": keys.ALGORITHM, "kid": formats.key_url(key_row.kid), "typ": "JWT"}


def sign_claims(claims: dict, key_row: SigningKey) -> str:
    private = keys.private_key_for(key_row.kid, key_row.private_key_encrypted)
    return jwt.encode(header_for(key_row), claims, private, algorithms=[keys.ALGORITHM])


def current_key() -> SigningKey | None:
    return SigningKey.objects.filter(current=True).first()


def published_keys() -> list[SigningKey]:
    return list(SigningKey.objects.order_by("-created_at"))


def jwks() -> dict:
    return {"keys": [row.public_jwk for row in published_keys()]}


def revoked_indexes() -> list[int]:
    return list(
        Credential.objects.filter(status=CredentialStatus.REVOKED).values_list("status_index", flat=True)
    )


def build_status_list(key_row: SigningKey | None = None) -> dict:
    """Sign a fresh BitstringStatusListCredential from the database. Returns {"jwt", "document"}."""
    key_row = key_row or current_key()
    if key_row is None:
        raise LookupError("no signing key")
    document = formats.status_list_document(
        encoded_list=formats.encode_status_list(revoked_indexes()),
        issuer_url=formats.issuer_id(),
        valid_from=timezone.now(),
    )
    token = sign_claims(formats.status_list_claims(document), key_row)
    return {"jwt": token, "document": document}


def publish_status_list() -> PublishedStatusList:
    """Re-sign the revocation list with the current key and store it.

    Called inside the transaction that revokes or rotates, so the list and the change commit together.
    The stored row is locked first, so concurrent revocations queue here and each signs a list that
    includes the ones committed before it.
    """
    purpose = StatusListPurpose.REVOCATION
    with transaction.atomic():
        row = PublishedStatusList.objects.select_for_update().filter(purpose=purpose).first()
        key_row = current_key()
        if key_row is None:
            raise LookupError("no signing key")
        fields = {
            "token": build_status_list(key_row)["jwt"],
            "signed_at": timezone.now(),
            "signing_key": key_row,
        }
        if row is not None:
            for name, value in fields.items():
                setattr(row, name, value)
            row.save(update_fields=list(fields))
            return row
        try:
            with transaction.atomic():
                return PublishedStatusList.objects.create(purpose=purpose, **fields)
        except IntegrityError:  # another process published the first list meanwhile: lock it and sign afresh
            return publish_status_list()


def published_status_list_token() -> str | None:
    return (
        PublishedStatusList.objects.filter(purpose=StatusListPurpose.REVOCATION)
        .values_list("token", flat=True)
        .first()
    )


def status_list(token: str | None = None) -> dict:
    """The published signed status list: {"jwt", "document"} (one query; signed here only if none is stored)."""
    token = token or published_status_list_token()
    if token is None:
        log.warning("no published status list: signing one on the request path")
        token = publish_status_list().token
    return {"jwt": token, "document": status_list_document(token)}


def status_list_document(token: str) -> dict:
    """The status-list document as signed (the VC-JWT payload without its registered claims)."""
    segment = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    return {k: v for k, v in claims.items() if k not in {"iss", "jti", "sub", "nbf", "exp"}}


def forget_status_list() -> None:
    """The credentials changed outside the services (bulk data): re-sign the published list now.

    Without a usable key the stored list is dropped instead; the next reader signs one.
    """
    try:
        publish_status_list()
    except (LookupError, keys.KeyDecryptionError):
        PublishedStatusList.objects.filter(purpose=StatusListPurpose.REVOCATION).delete()
