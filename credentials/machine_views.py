"""Endpoints for machines (no language prefix): issuer, keys, achievements, credentials, status list.

Identifiers in the credentials are these URLs. A browser that asks for HTML is sent to the page for people.
"""

from __future__ import annotations

import base64
import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from credentials import formats, queries, rendering, services, signing
from credentials.models import Credential, SigningKey

JSON_LD = "application/ld+json"
VC_JWT = "application/vc+jwt"


def _wants_html(request) -> bool:
    return request.get_preferred_type(["application/json", JSON_LD, "text/html"]) == "text/html"


def _json(request, document: dict, *, max_age: int = 300) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=f"{JSON_LD}; charset=utf-8"
    )
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=max_age)
    patch_vary_headers(response, ["Accept"])
    return response


@require_GET
def issuer_json(request):
    if _wants_html(request):
        return redirect("credentials:issuer")
    return _json(request, formats.issuer_document(services.issuer_profile()))


@require_GET
def jwks(request):
    response = JsonResponse(signing.jwks())
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_GET
def jwk(request, kid):
    row = get_object_or_404(SigningKey, kid=kid)
    response = JsonResponse(row.public_jwk, content_type="application/jwk+json")
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def achievement_json(request, key):
    achievement = queries.achievement_by_key(key)
    if _wants_html(request):
        return redirect("credentials:achievement_detail", achievement.key)
    return _json(request, formats.achievement_document(achievement, with_context=True))


@require_GET
def credential_json(request, pk):
    credential = get_object_or_404(Credential.objects.select_related("achievement"), pk=pk)
    if _wants_html(request):
        return redirect("credentials:verify", credential.pk)
    return _json(request, _payload(credential), max_age=60)


def _payload(credential: Credential) -> dict:
    """The credential document exactly as signed (decoded from the stored VC-JWT, registered claims removed)."""
    segment = credential.token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    return {k: v for k, v in claims.items() if k not in {"iss", "jti", "sub", "nbf", "exp"}}


@require_GET
def credential_download(request, pk, fmt):
    if fmt == "pdf":
        credential = queries.credential_for_pdf(request.viewer, pk)
    else:
        credential = get_object_or_404(Credential.objects.select_related("achievement"), pk=pk)
    name = f"certificate-{formats.format_code(credential.short_code)}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(_payload(credential), ensure_ascii=False, indent=2),
            content_type=f"{JSON_LD}; charset=utf-8",
        )
    elif fmt == "jwt":
        response = HttpResponse(credential.token, content_type=VC_JWT)
    elif fmt == "png":
        response = HttpResponse(rendering.baked_badge(credential), content_type="image/png")
    elif fmt == "pdf":
        response = HttpResponse(
            rendering.certificate_pdf(credential, services.issuer_profile()), content_type="application/pdf"
        )
        patch_cache_control(response, private=True, max_age=0)
    else:  # pragma: no cover - the URL pattern allows only the four
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def status_list(request):
    """The signed BitstringStatusListCredential: VC-JWT by default, the decoded JSON with ?format=json."""
    signed = signing.status_list()
    preferred = request.get_preferred_type([VC_JWT, "application/json", JSON_LD])
    if request.GET.get("format") == "json" or preferred in ("application/json", JSON_LD):
        response = HttpResponse(
            json.dumps(signed["document"], indent=2), content_type=f"{JSON_LD}; charset=utf-8"
        )
    else:
        response = HttpResponse(signed["jwt"], content_type=VC_JWT)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=formats.STATUS_LIST_TTL_SECONDS)
    patch_vary_headers(response, ["Accept"])
    return response


@require_GET
def short_link(request, code):
    code = code.upper().replace("-", "")
    credential = Credential.objects.filter(short_code=code).only("pk").first()
    if credential is None:
        raise Http404
    return redirect("credentials:verify", credential.pk)
