"""Query counts of the indicators dashboard (staff and donor viewers) and its CSV/XLSX exports, as literal numbers
with one course and with three or more: the page reads one snapshot row whatever the data, and its rendered figures
are cached per snapshot, filters and language (the snapshot's figures are then not even read)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from insights import services
from tests.factories import UserFactory
from tests.learning.builders import enrol, make_course

pytestmark = pytest.mark.django_db


def _data(courses: int) -> None:
    for n in range(courses):
        course = make_course(title=f"კურსი {n}")
        for region in ("imereti", "guria") * 3:
            enrol(UserFactory(region=region, gender="woman"), course)
    services.refresh_indicators()


def _rows(page: str) -> int:
    return sum(page.count(f'<th scope="row">კურსი {n}</th>') for n in range(10))


@pytest.mark.parametrize("courses", [1, 4])
@pytest.mark.parametrize("persona", ["donor", "staff"])
def test_dashboard_first_view_of_a_selection_and_then_from_the_cache(
    persona, courses, request, client_for, django_assert_num_queries
):
    _data(courses)
    client = client_for(request.getfixturevalue(persona))
    client.get(reverse("workspace:home"))  # the session and the roles, once
    # session, user, roles (staff: and their authenticators), the snapshot without its figures; the figures (+1)
    # when this selection is not cached yet
    base = {"donor": 4, "staff": 5}[persona]
    with django_assert_num_queries(base + 1):
        first = client.get(reverse("insights:dashboard"), {"region": "imereti"})
    with django_assert_num_queries(base):
        again = client.get(reverse("insights:dashboard"), {"region": "imereti"})
    assert _rows(first.content.decode()) == _rows(again.content.decode()) == courses
    assert (
        '<th scope="row">კურსი 0</th><td>3</td>' in again.content.decode()
    )  # three learners of six in Imereti
    assert (reverse("insights:refresh") in again.content.decode()) is (persona == "staff")


def test_a_refresh_is_shown_at_once_not_the_cached_figures(client_for, staff):
    _data(1)
    client = client_for(staff)
    assert _rows(client.get(reverse("insights:dashboard")).content.decode()) == 1
    make_course(title="კურსი 5")
    enrol(UserFactory(), make_course(title="კურსი 6"))
    services.refresh_indicators()
    assert _rows(client.get(reverse("insights:dashboard")).content.decode()) == 2


def test_the_english_dashboard_is_cached_apart_from_the_georgian_one(client_for, donor):
    _data(1)
    client = client_for(donor)
    georgian = client.get(reverse("insights:dashboard")).content.decode()
    english = client.get("/en" + reverse("insights:dashboard")).content.decode()
    assert "Download:" in english and "Download:" not in georgian


@pytest.mark.parametrize("courses", [1, 4])
@pytest.mark.parametrize("persona", ["donor", "staff"])
def test_exports_have_constant_queries(persona, courses, request, client_for, django_assert_num_queries):
    _data(courses)
    client = client_for(request.getfixturevalue(persona))
    client.get(reverse("workspace:home"))
    base = {"donor": 4, "staff": 5}[persona]  # session, user, roles (staff: and authenticators), the snapshot
    with django_assert_num_queries(base):
        response = client.get(reverse("insights:export", args=["enrolments", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[:2] for row in rows[1:]] == [[f"კურსი {n}", "6"] for n in range(courses)]
    with django_assert_num_queries(base):
        response = client.get(reverse("insights:export", args=["gender", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][1] == 6 * courses  # women enrolled
