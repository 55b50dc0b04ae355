"""The projects demo: built from the accepted Kakheti Budget Watch offer, idempotent."""

import pytest

from awards.demo import projects as demo
from awards.models import GrantProject, Payment, ReportVersion
from tests.awards.projects.builders import accepted_offer
from tests.calls.builders import make_call
from tests.factories import OrganisationFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db


def test_demo_project_twice_creates_it_once():
    organisation = OrganisationFactory(slug="kakheti-budget-watch")
    admin = UserFactory(email="orgadmin@demo.civichub.ge")
    make_member(admin, organisation, "admin")
    UserFactory(email="staff@demo.civichub.ge")
    assert demo.seed(None) == {}
    accepted_offer(
        admin,
        organisation=organisation,
        call=make_call(kind="small_grant", budget=True, applicant_type="both", slug="small-grants-2025"),
    )
    demo.seed(None)
    demo.seed(None)
    project = GrantProject.objects.get()
    assert [m.report.status for m in project.milestones.order_by("due_on")] == ["approved", "draft"]
    assert Payment.objects.count() == 2
    assert ReportVersion.objects.count() == 1
    assert project.call.fields.filter(form="report").count() == 4
