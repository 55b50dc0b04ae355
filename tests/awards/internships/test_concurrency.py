"""Two hosts selecting interns for the last place at the same moment: one is placed, the other is told the
placement is full. Real threads need PostgreSQL's row locks (``select_for_update`` on the position); on SQLite the
same guarantee is tested with a stale position in test_services.py."""

import pytest
from django.db import connection

from accounts.models import MembershipRole, Role
from awards.models.internships import Internship, Position
from awards.services.internships import InternshipError
from tests.awards.internships.builders import candidate, internship_call, place, position
from tests.calls.test_concurrency import at_once
from tests.factories import UserFactory, give_role, make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("threads writing at once need PostgreSQL (set DATABASE_URL)")


def test_two_hosts_cannot_overfill_the_last_place(host, host_org, staff):
    second_host = give_role(UserFactory(), Role.HOST, mfa=False)
    make_member(second_host, host_org, MembershipRole.ADMIN)
    call = internship_call(slug="internships-race")
    pos = position(host_org, host, call=call, slots=1)
    first, second = candidate(call, UserFactory(), staff), candidate(call, UserFactory(), staff)
    results = at_once(
        lambda: place(Position.objects.get(pk=pos.pk), first, host),
        lambda: place(Position.objects.get(pk=pos.pk), second, second_host),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], InternshipError) and errors[0].code == "full", results
    assert Internship.objects.filter(position=pos).count() == 1
