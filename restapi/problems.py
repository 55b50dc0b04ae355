"""Errors as RFC 9457 problem details, titled in the language the client asked for (``Accept-Language``)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

PROBLEM_TYPE = "application/problem+json"


class ApiProblem(Exception):
    """Raised by endpoints and the token check; the API's handler turns it into problem details."""

    def __init__(self, status: int, detail: str = "", *, retry_after: int | None = None):
        super().__init__(status, detail)
        self.status = status
        self.detail = detail
        self.retry_after = retry_after


def titles() -> dict[int, str]:
    return {
        400: _("The request is not valid"),
        401: _("An access token is needed"),
        403: _("This access token may not do that"),
        404: _("Not found"),
        405: _("This method is not allowed here"),
        422: _("Some parameters are not valid"),
        429: _("Too many requests"),
        500: _("Something went wrong on our side"),
    }


def problem(
    request: HttpRequest,
    status: int,
    detail: str = "",
    *,
    errors: list[dict] | None = None,
    retry_after: int | None = None,
) -> HttpResponse:
    body: dict = {
        "type": "about:blank",
        "title": titles().get(status, titles()[400]),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str), status=status, content_type=PROBLEM_TYPE
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="civichub"'
    return response
