"""Personas shared by every test (in the spirit of healthchecks' alice, bob and charlie).

* ``learner`` — Nino, a learner and applicant, member of ``learner_org``;
* ``other_learner`` — Giorgi, an unrelated learner who must never see Nino's things;
* ``reviewer`` — Tamar, an expert reviewer with two-factor authentication set up;
* ``org_admin`` — Mariam, administrator of ``admin_org``;
* ``staff`` — Ana, programme staff with two-factor authentication set up.
"""

import os

import pytest
from django.core.cache import cache
from django.utils import translation

from accounts.models import MembershipRole, Role
from tests.factories import OrganisationFactory, UserFactory, give_role, make_member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's event loop in browser tests


@pytest.fixture(autouse=True)
def _georgian_by_default():
    """Each test starts in the default language (a request under /en/ leaves English active in the thread)."""
    translation.activate("ka")
    yield
    translation.activate("ka")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAGE_CACHE_STAMP = tmp_path / "pagecache.stamp"  # each test its own (xdist runs two at once)


@pytest.fixture
def learner_org(db):
    return OrganisationFactory(
        name_ka="იმერეთის სამოქალაქო ლაბორატორია", name_en="Imereti Civic Lab", slug="imereti-civic-lab"
    )


@pytest.fixture
def admin_org(db):
    return OrganisationFactory(
        name_ka="კახეთის ბიუჯეტის მონიტორინგი",
        name_en="Kakheti Budget Watch",
        slug="kakheti-budget-watch",
        region="kakheti",
    )


@pytest.fixture
def learner(db, learner_org):
    user = UserFactory(email="nino@example.org", full_name_ka="ნინო ბერიძე", full_name_latin="Nino Beridze")
    make_member(user, learner_org)
    return user


@pytest.fixture
def other_learner(db):
    return UserFactory(
        email="giorgi@example.org",
        full_name_ka="გიორგი კაპანაძე",
        full_name_latin="Giorgi Kapanadze",
        region="kakheti",
    )


@pytest.fixture
def reviewer(db):
    return give_role(
        UserFactory(
            email="tamar@example.org",
            full_name_ka="თამარ ლომიძე",
            full_name_latin="Tamar Lomidze",
            region="tbilisi",
        ),
        Role.REVIEWER,
    )


@pytest.fixture
def org_admin(db, admin_org):
    user = UserFactory(
        email="mariam@example.org", full_name_ka="მარიამ ხარაიშვილი", full_name_latin="Mariam Kharaishvili"
    )
    make_member(user, admin_org, MembershipRole.ADMIN)
    return user


@pytest.fixture
def staff(db):
    return give_role(
        UserFactory(
            email="ana@example.org",
            full_name_ka="ანა წერეთელი",
            full_name_latin="Ana Tsereteli",
            region="tbilisi",
        ),
        Role.STAFF,
    )


@pytest.fixture
def mentor(db):
    return give_role(
        UserFactory(
            email="levan@example.org",
            full_name_ka="ლევან გელაშვილი",
            full_name_latin="Levan Gelashvili",
            region="shida_kartli",
        ),
        Role.MENTOR,
        mfa=False,
    )


@pytest.fixture
def host_org(db):
    return OrganisationFactory(
        name_ka="გურიის ახალგაზრდული ცენტრი",
        name_en="Guria Youth Centre",
        slug="guria-youth-centre",
        region="guria",
        verified=True,
    )


@pytest.fixture
def host(db, host_org):
    user = give_role(
        UserFactory(
            email="eka@example.org",
            full_name_ka="ეკა მაისურაძე",
            full_name_latin="Eka Maisuradze",
            region="guria",
        ),
        Role.HOST,
        mfa=False,
    )
    make_member(user, host_org, MembershipRole.ADMIN)
    return user


@pytest.fixture
def personas(learner, other_learner, reviewer, org_admin, staff, mentor, host):
    return {
        "anon": None,
        "learner": learner,
        "other": other_learner,
        "reviewer": reviewer,
        "org_admin": org_admin,
        "staff": staff,
        "mentor": mentor,
        "host": host,
    }


@pytest.fixture
def client_for(client):
    """``client_for(user)`` returns the test client signed in as ``user`` (or anonymous for None)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def world(personas):
    """Every persona and the objects each domain's permission-matrix rows need (tests/matrix/)."""
    from tests.test_permission_matrix import build_world

    return build_world(personas)
