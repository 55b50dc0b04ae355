"""3072-bit RSA keys are slow to generate: each test process makes two, once, and reuses them."""

from functools import lru_cache

from credentials import keys


@lru_cache(maxsize=2)
def test_private_key(n: int = 0):
    return keys.generate_private_key()
