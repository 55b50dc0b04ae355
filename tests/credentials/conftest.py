import pytest

from credentials import services
from credentials.models import AchievementKind
from tests.credentials.keys import test_private_key


@pytest.fixture(scope="session")
def rsa_key():
    return test_private_key(0)


@pytest.fixture(scope="session")
def second_rsa_key():
    return test_private_key(1)


@pytest.fixture
def signing_key(db, rsa_key):
    return services.rotate_signing_key(private_key=rsa_key)


@pytest.fixture
def issuer(db):
    return services.issuer_profile()


@pytest.fixture
def achievement(db):
    return services.ensure_achievement(
        key="course:policy-analysis",
        defaults={
            "kind": AchievementKind.COURSE,
            "name_ka": "საჯარო პოლიტიკის ანალიზი",
            "name_en": "Public policy analysis",
            "description_ka": "კურსი საჯარო პოლიტიკის ანალიზის მეთოდებზე.",
            "description_en": "A course on the methods of public policy analysis.",
            "criteria_ka": "ყველა გაკვეთილის დასრულება.",
            "criteria_en": "Complete every lesson.",
        },
    )


@pytest.fixture
def credential(learner, achievement, signing_key, issuer):
    credential, _created = services.issue_credential(user=learner, achievement=achievement)
    return credential
