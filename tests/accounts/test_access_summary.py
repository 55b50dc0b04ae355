"""User.role_names and User.has_totp: the roles and MFA state every page asks about, read without a query,
kept in step with role grants and authenticators however they change."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.models import Role, RoleGrant, User
from accounts.permissions import has_role, holds_role, is_programme_staff, needs_mfa
from tests.factories import TOTP_SECRET, UserFactory, give_role

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_granting_and_revoking_roles_updates_the_summary_and_the_object_in_hand():
    person = UserFactory()
    services.grant_role(user=person, role=Role.REVIEWER, granted_by=None)
    services.grant_role(user=person, role=Role.STAFF, granted_by=None)
    assert fresh(person).role_names == "reviewer,staff"
    assert holds_role(person, Role.STAFF) and holds_role(person, Role.REVIEWER)
    services.revoke_role(user=person, role=Role.STAFF, revoked_by=None)
    assert fresh(person).role_names == "reviewer"
    assert not holds_role(fresh(person), Role.STAFF)
    assert not holds_role(person, Role.STAFF) and holds_role(person, Role.REVIEWER)  # the object in hand too


def test_deleting_grants_in_bulk_as_the_admin_does_clears_the_roles():
    person = give_role(UserFactory(), Role.STAFF)
    assert is_programme_staff(fresh(person))
    RoleGrant.objects.filter(user=person).delete()
    assert fresh(person).role_names == ""
    assert not is_programme_staff(fresh(person))


def test_setting_up_and_removing_totp_is_what_unlocks_a_privileged_role():
    person = give_role(UserFactory(), Role.REVIEWER, mfa=False)
    assert needs_mfa(fresh(person)) and not has_role(fresh(person), Role.REVIEWER)
    TOTP.activate(person, TOTP_SECRET)
    assert fresh(person).has_totp is True
    assert has_role(fresh(person), Role.REVIEWER) and not needs_mfa(fresh(person))
    Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).delete()
    assert fresh(person).has_totp is False
    assert not has_role(fresh(person), Role.REVIEWER)


def test_recovery_codes_alone_are_not_totp():
    person = UserFactory()
    Authenticator.objects.create(user=person, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"})
    assert fresh(person).has_totp is False


def test_refresh_access_repairs_rows_after_a_bulk_insert():
    people = [UserFactory() for _ in range(3)]
    RoleGrant.objects.bulk_create([RoleGrant(user=p, role=Role.REVIEWER) for p in people[:2]])
    assert {fresh(p).role_names for p in people} == {""}  # bulk inserts send no signals
    values = services.refresh_access([p.pk for p in people])
    assert [fresh(p).role_names for p in people] == ["reviewer", "reviewer", ""]
    assert values[people[2].pk] == ("", False)


def test_a_page_asks_no_role_query_and_still_shows_staff_their_menu(client_for):
    staff = give_role(UserFactory(), Role.STAFF)
    client = client_for(staff)
    client.get(reverse("accounts:profile"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:profile"))
    assert reverse("admin:index") in response.content.decode()
    asked = " ".join(q["sql"] for q in queries.captured_queries)
    assert "accounts_rolegrant" not in asked and "mfa_authenticator" not in asked
    learner = UserFactory()
    other = client_for(learner).get(reverse("accounts:profile")).content.decode()
    assert reverse("admin:index") not in other
