"""The internships admin pages open for a site administrator, read-only."""

from django.urls import reverse

from accounts.models import Role
from tests.factories import UserFactory, give_role


def test_internship_admin_pages_open_and_offer_no_change(internship, client):
    admin = give_role(UserFactory(is_staff=True, is_superuser=True), Role.ADMIN)
    client.force_login(admin)
    for name in ("position", "internship", "interncandidate", "internshipreflection"):
        assert client.get(reverse(f"admin:awards_{name}_changelist")).status_code == 200
    page = client.get(reverse("admin:awards_internship_change", args=[internship.pk])).content.decode()
    assert internship.objectives in page
    assert 'name="_save"' not in page
