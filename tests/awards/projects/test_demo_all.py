"""With every demo loader run in order, the orgadmin@ demo login has its Kakheti Budget Watch grant project: two
milestones, the interim report approved and paid, the final one due; running them all again adds nothing."""

import io

import pytest
from django.urls import reverse

from awards.models import GrantProject, Payment

pytestmark = pytest.mark.django_db


def _seed_all():
    from accounts import demo as accounts_demo
    from awards import demo as awards_demo
    from calls import demo as calls_demo
    from learning import demo as learning_demo

    out = io.StringIO()
    for module in (accounts_demo, learning_demo, calls_demo):
        module.seed(stdout=out)
    awards_demo.seed(out)


def test_demo_logins_see_the_grant_project(client):
    _seed_all()
    _seed_all()
    project = GrantProject.objects.get(organisation__slug="kakheti-budget-watch")
    assert [m.report.status for m in project.milestones.order_by("due_on")] == ["approved", "draft"]
    assert Payment.objects.filter(tranche__project=project).count() == 2
    orgadmin = project.organisation.memberships.get(user__email="orgadmin@demo.civichub.ge").user
    client.force_login(orgadmin)
    page = client.get(reverse("awards:project", args=[project.pk])).content.decode()
    assert "პირველი ეტაპი: საჯარო შეხვედრები" in page
