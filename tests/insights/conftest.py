import pytest

from accounts.api import Role
from tests.credentials.conftest import achievement, issuer, rsa_key, signing_key  # noqa: F401 - shared fixtures
from tests.factories import UserFactory, give_role


@pytest.fixture
def donor(db):
    return give_role(
        UserFactory(
            email="donor@example.org",
            full_name_ka="სოფო ჯაფარიძე",
            full_name_latin="Sopo Japaridze",
            region="tbilisi",
        ),
        Role.DONOR,
        mfa=False,
    )
