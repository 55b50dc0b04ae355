"""generate_data makes grant projects from the accepted small grants (keeping the services' invariants), --replace
removes them, and make bench's project page scenario opens for its grantees."""

import random
from decimal import Decimal
from http.cookies import SimpleCookie
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client

from awards.models import GrantProject, Payment, Report, ReportVersion

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _generate(replace=False):
    from benchmarks.management.commands import generate_data

    call_command(generate_data.Command(), scale="tiny", seed=3, replace=replace, stdout=StringIO())


def test_generated_projects_keep_the_invariants_and_the_bench_page_opens():
    _generate()
    projects = list(GrantProject.objects.prefetch_related("tranches", "milestones"))
    assert projects
    for project in projects:
        assert project.tranches.aggregate(s=Sum("amount"))["s"] == project.amount
        assert project.offer.application.outcome == "accepted"
        assert project.milestones.count() == 2
    assert Payment.objects.count() == 2 * len(projects)
    assert ReportVersion.objects.count() == Report.objects.filter(status="approved").count() == len(projects)
    assert all(p.budget.aggregate(s=Sum("total"))["s"] or Decimal(0) >= 0 for p in projects)

    from benchmarks.prepare import build

    scenario = build(random.Random(1), sessions=3)["scenarios"]["project_page"]
    for session in scenario["sessions"]:
        client = Client()
        for name, morsel in SimpleCookie(session["cookie"]).items():
            client.cookies[name] = morsel.value
        for url in session["urls"]:
            assert client.get(url).status_code == 200, url

    _generate(replace=True)
    assert GrantProject.objects.count() == len(projects)
