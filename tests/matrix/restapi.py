"""The REST API, its token pages, documentation page and feeds.

The API answers only to personal access tokens: a signed-in browser session is no token, so personal and staff
endpoints answer 401 to every persona here (tests/restapi/ covers them with tokens)."""

from django.apps import apps

from restapi import services
from tests.learning.builders import make_course
from tests.matrix import PUBLIC, SIGNED_IN, Row, expect


def build(world):
    world.api_course = make_course(slug="api-matrix-course")
    world.api_token = services.create_token(user=world.learner, name="matrix").token


NO_TOKEN = expect(401)

ROWS = [
    Row("restapi:docs", PUBLIC),
    Row("restapi:tokens", SIGNED_IN),
    Row(
        "restapi:token_revoke",
        expect(404, anon=302, learner=302),
        args=lambda w: [w.api_token.pk],
        method="post",
        note="the learner's token",
    ),
    Row("restapi:calls_rss", PUBLIC),
    Row("restapi:calls_atom", PUBLIC),
    Row("restapi:calls_ics", PUBLIC),
    Row("restapi:opportunities_rss", PUBLIC),
    Row("restapi:opportunities_atom", PUBLIC),
    # /api/v1/ and /api/v1/docs lead to the documentation page
    Row("restapi_api_index", expect(302)),
    Row("restapi_api_docs", expect(302)),
    Row("api_v1:api-root", expect(302), note="the same address as restapi_api_index"),
    Row("api_v1:openapi-json", PUBLIC),
    Row("api_v1:courses", PUBLIC),
    Row("api_v1:course", PUBLIC, args=lambda w: [w.api_course.slug]),
    Row("api_v1:calls", PUBLIC),
    Row("api_v1:opportunities", PUBLIC),
    Row("api_v1:cases", PUBLIC),
    *([Row("api_v1:events", PUBLIC)] if apps.is_installed("events") else []),
    Row(
        "api_v1:verify",
        expect(400),
        method="post",
        data=lambda w: {"token": "x"},
        note="a form post, not JSON: a problem",
    ),
    Row("api_v1:my_enrolments", NO_TOKEN),
    Row("api_v1:my_applications", NO_TOKEN),
    Row("api_v1:my_credentials", NO_TOKEN),
    Row("api_v1:staff_applications", NO_TOKEN, args=lambda w: ["any-call"]),
    Row("api_v1:staff_export", NO_TOKEN, args=lambda w: ["any-call"]),
]
