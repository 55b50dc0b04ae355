"""Signing keys: RS256, 3072 bits, private half encrypted at rest (Fernet, key derived from the secret by HKDF).

Private keys leave this module only as joserfc key objects used to sign; they are never rendered,
exported, logged or shown in the admin.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from joserfc.jwk import RSAKey

KEY_BITS = 3072
ALGORITHM = "RS256"


class KeyDecryptionError(Exception):
    """The stored private key cannot be decrypted with the configured secret."""


def _fernet(secret: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"civichub-credentials", info=b"signing-key-at-rest"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _secret() -> str:
    return getattr(settings, "CREDENTIALS_KEY_SECRET", None) or settings.SECRET_KEY


def generate_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def encrypt_private_key(private_key: rsa.RSAPrivateKey) -> str:
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return _fernet(_secret()).encrypt(pem).decode()


def decrypt_private_key(token: str) -> RSAKey:
    try:
        pem = _fernet(_secret()).decrypt(token.encode())
    except InvalidToken:
        raise KeyDecryptionError(
            "the signing key cannot be decrypted: CREDENTIALS_KEY_SECRET/SECRET_KEY changed?"
        ) from None
    return RSAKey.import_key(pem)


def private_key_for(kid: str, encrypted: str) -> RSAKey:
    """The stored key decrypted and imported, kept per process for the signing paths.

    Importing a 3072-bit key costs far more than a signature (docs/performance.md), and a ceremony signs hundreds
    of credentials in a row.
    """
    return _imported_private_key(kid, encrypted, _secret())


# Never stale: the entry is keyed on its own inputs, the ciphertext and the secret, and the same inputs always
# decrypt to the same key. Which key signs is read from the database on every call (a rotation gives a new kid and
# ciphertext), and a changed secret is a new entry that raises KeyDecryptionError. The private key is never put in
# a shared cache.
@lru_cache(maxsize=4)
def _imported_private_key(kid: str, encrypted: str, secret: str) -> RSAKey:
    return decrypt_private_key(encrypted)


def public_jwk(private_key: rsa.RSAPrivateKey) -> dict:
    """The public half as a JWK with ``kid`` (RFC 7638 thumbprint), ``alg`` and ``use``."""
    key = RSAKey.import_key(private_key.public_key())
    jwk = key.as_dict(private=False)
    jwk = {k: jwk[k] for k in ("kty", "n", "e")}
    jwk.update({"kid": key.thumbprint(), "alg": ALGORITHM, "use": "sig"})
    return jwk


def public_key_from_jwk(jwk: dict) -> RSAKey:
    return RSAKey.import_key({k: jwk[k] for k in ("kty", "n", "e")})
