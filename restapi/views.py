"""Pages around the REST API: personal access tokens (create, list, revoke) and the API's documentation page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.api import is_programme_staff, needs_mfa
from restapi import queries, services
from restapi.endpoints import api
from restapi.forms import TokenForm

NEW_TOKEN_KEY = "restapi_new_token"
PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """The person's tokens and the form for a new one; a new token's secret is shown once, on the next page."""
    if request.method == "POST":
        form = TokenForm(request.POST, viewer=request.viewer)
        if form.is_valid():
            new = services.create_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_in_days=form.expires_in_days,
            )
            request.session[NEW_TOKEN_KEY] = new.secret
            return redirect("restapi:tokens")
    else:
        form = TokenForm(viewer=request.viewer)
    page = Paginator(queries.tokens_of(request.viewer), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "restapi/tokens.html",
        {
            "form": form,
            "page": page,
            "new_secret": request.session.pop(NEW_TOKEN_KEY, None),
            "staff_needs_mfa": needs_mfa(request.viewer) and not is_programme_staff(request.viewer),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def revoke(request, pk):
    token = queries.token_for_owner(request.viewer, pk)
    if services.revoke_token(token=token, by=request.user):
        messages.success(request, _("The token is revoked: it no longer works."))
    return redirect("restapi:tokens")


# What each endpoint gives, for the documentation page (the OpenAPI document itself is in English).
DESCRIPTIONS = {
    "courses": gettext_lazy("Published courses."),
    "course": gettext_lazy("One course with its modules and lessons."),
    "calls": gettext_lazy(
        "Calls open now and opening later, with exact deadlines and who may apply, in words."
    ),
    "opportunities": gettext_lazy("Current opportunities, nearest deadline first."),
    "cases": gettext_lazy("Published participation cases."),
    "events": gettext_lazy("Published events, upcoming or past."),
    "verify": gettext_lazy("Send a certificate's VC-JWT or printed code: the verifier page's verdict."),
    "my_enrolments": gettext_lazy("Your courses and your progress."),
    "my_applications": gettext_lazy("Your applications and their status."),
    "my_credentials": gettext_lazy("Your credentials."),
    "staff_applications": gettext_lazy("A call's applications with reviews and decisions (staff token)."),
    "staff_export": gettext_lazy("A call's staff export as JSON (staff token)."),
}
ACCESS = {
    "public": gettext_lazy("No token"),
    "personal": gettext_lazy("Personal token"),
    "staff": gettext_lazy("Staff token"),
}


@require_GET
def docs(request):
    """Our own documentation page (no third-party scripts): the endpoints, read from the OpenAPI document."""
    schema = api.get_openapi_schema()
    endpoints = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            name = operation["operationId"].rsplit("_endpoints_", 1)[-1]
            tag = (operation.get("tags") or ["public"])[0]
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "description": DESCRIPTIONS.get(name, ""),
                    "access": ACCESS.get(tag, ""),
                }
            )
    return render(
        request,
        "restapi/docs.html",
        {
            "endpoints": endpoints,
            "openapi_url": reverse("api_v1:openapi-json"),
            "site_url": settings.SITE_URL,
            "rate_limit": services.rate_limit(),
        },
    )
