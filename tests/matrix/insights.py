"""Permission-matrix rows of the insights app: the indicators dashboard is for programme staff (and donor viewers,
who are not a matrix persona: tests/insights/test_views.py checks them); everyone else signed in gets 403."""

from tests.matrix import STAFF_ONLY, Row, expect

ROWS = [
    Row("insights:dashboard", STAFF_ONLY),
    Row("insights:export", STAFF_ONLY, args=lambda w: ["enrolments", "csv"], note="csv"),
    Row("insights:export", STAFF_ONLY, args=lambda w: ["gender", "xlsx"], note="xlsx"),
    Row("insights:refresh", expect(403, anon=302, staff=302), method="post"),
]
