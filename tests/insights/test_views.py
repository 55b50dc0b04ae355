"""The dashboard page and its exports: content for staff and donor viewers, refusal for everyone else, constant
query count, exports with the figures on the page."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEntry
from insights import services
from insights.models import Snapshot
from tests.calls.builders import make_call, submitted
from tests.factories import UserFactory
from tests.learning.builders import enrol, make_course

pytestmark = pytest.mark.django_db


def _data(courses=1, learners=2):
    for n in range(courses):
        course = make_course(title=f"კურსი {n}")
        for _ in range(learners):
            enrol(UserFactory(gender="woman"), course)
    return services.refresh_indicators()


def test_donor_reads_the_dashboard_with_charts_tables_and_refresh_time(client_for, donor):
    submitted(make_call(title_ka="სერტიფიცირება", title_en="Certification"), UserFactory())
    _data(courses=2)

    page = client_for(donor).get(reverse("insights:dashboard")).content.decode()

    assert "ინდიკატორ" in page or "Indicators dashboard" in page
    assert page.count('role="img"') >= 2  # a chart per figure with data
    assert '<th scope="row">კურსი 0</th><td>2</td><td>0</td>' in page
    assert '<th scope="row">სერტიფიცირება</th><td>1</td>' in page
    assert reverse("insights:export", args=["enrolments", "csv"]) in page
    assert reverse("insights:refresh") not in page  # donors read, they do not recompute


def test_staff_see_the_refresh_button_and_refresh_is_audited(client_for, staff):
    client = client_for(staff)
    page = client.get(reverse("insights:dashboard")).content.decode()
    assert reverse("insights:refresh") in page

    response = client.post(reverse("insights:refresh"))

    assert response.status_code == 302
    assert Snapshot.objects.count() == 1
    assert AuditEntry.objects.filter(action="insights.refresh", actor=staff).exists()


def test_donor_may_not_refresh(client_for, donor):
    assert client_for(donor).post(reverse("insights:refresh")).status_code == 403
    assert Snapshot.objects.count() == 0


@pytest.mark.parametrize("persona", ["learner", "reviewer", "org_admin", "mentor", "host"])
def test_others_are_refused(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("insights:dashboard")).status_code == 403
    assert client.get(reverse("insights:export", args=["enrolments", "csv"])).status_code == 403


def test_filters_narrow_the_figures(client_for, donor):
    course = make_course(title="კურსი")
    for region in ("guria", "guria", "tbilisi"):
        enrol(UserFactory(region=region), course)
    services.refresh_indicators()
    client = client_for(donor)

    page = client.get(reverse("insights:dashboard"), {"region": "guria"}).content.decode()
    assert '<th scope="row">კურსი</th><td>2</td>' in page
    page = client.get(reverse("insights:dashboard"), {"region": "nowhere"}).content.decode()
    assert '<th scope="row">კურსი</th><td>3</td>' in page  # an unknown value is ignored, not an error


def test_csv_and_xlsx_exports_carry_the_figures(client_for, donor):
    _data(courses=1, learners=6)
    client = client_for(donor)

    response = client.get(reverse("insights:export", args=["enrolments", "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["კურსი 0", "6", "0"]

    response = client.get(reverse("insights:export", args=["gender", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][1] == 6  # six women enrolled
    assert client.get(reverse("insights:export", args=["nothing", "csv"])).status_code == 404
    assert client.get(reverse("insights:export", args=["enrolments", "pdf"])).status_code == 404


@pytest.mark.parametrize("courses", [1, 4])
def test_the_dashboard_query_count_does_not_grow(courses, client_for, donor, django_assert_num_queries):
    _data(courses=courses, learners=courses)
    client = client_for(donor)
    client.get(
        reverse("insights:dashboard"), {"period": "", "region": "imereti"}
    )  # this selection's figures, cached
    with django_assert_num_queries(4):
        response = client.get(reverse("insights:dashboard"), {"period": "", "region": "imereti"})
    assert response.status_code == 200


def test_the_dashboard_is_reachable_from_home(client_for, donor, staff, learner):
    url = reverse("insights:dashboard")
    assert url in client_for(donor).get(reverse("workspace:home")).content.decode()
    assert url in client_for(staff).get(reverse("workspace:home")).content.decode()
    assert url not in client_for(learner).get(reverse("workspace:home")).content.decode()
