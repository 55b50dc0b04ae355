"""Thin views: load through queries (404 for outsiders), change through services, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.api import permission_required
from credentials import formats, queries, rendering, services, verification
from credentials.forms import (
    BulkIssueForm,
    CeremonyForm,
    ReissueForm,
    RevokeForm,
    VerifierForm,
    VisibilityForm,
    calls_available,
)
from credentials.models import CeremonyStatus, CredentialStatus

PAGE_SIZE = 25


# --- people -------------------------------------------------------------------------------------------


@login_required
@require_GET
def my_credentials(request):
    credentials = list(queries.credentials_of(request.viewer))
    issuer = services.issuer_profile()
    items = [
        {
            "credential": c,
            "linkedin": rendering.linkedin_url(c, issuer),
            "share": formats.short_url(c),
            "form": VisibilityForm(initial={"show_name": c.show_name}, prefix=str(c.pk)),
        }
        for c in credentials
    ]
    return render(request, "credentials/my_credentials.html", {"items": items})


@login_required
@require_POST
def set_visibility(request, pk):
    credential = queries.credential_for_owner(request.viewer, pk)
    form = VisibilityForm(request.POST, prefix=str(credential.pk))
    if form.is_valid():
        services.set_show_name(credential=credential, show=form.cleaned_data["show_name"], by=request.user)
        if form.cleaned_data["show_name"]:
            messages.success(request, _("The verification page now shows your name."))
        else:
            messages.success(request, _("The verification page no longer shows your name."))
    return redirect("credentials:my_credentials")


# --- public pages -------------------------------------------------------------------------------------


def _verdict_for(credential):
    key_rows = {credential.signing_key.kid: credential.signing_key}
    return verification.verify_token(
        credential.token,
        key_rows=key_rows,
        credential=credential,
        status_list=getattr(credential, "published_status_list", None),
    )


def _cacheable(view):
    """Anonymous visitors get a page shared caches may keep for a minute; signed-in people a private one."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.viewer.is_authenticated:
            patch_cache_control(response, private=True, max_age=0)
        else:
            patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapped


@require_GET
@_cacheable
def verify(request, pk):
    credential = queries.public_credential(pk)
    if credential is None:
        response = render(request, "credentials/verify.html", {"verdict": None}, status=404)
        return response
    verdict = _verdict_for(credential)
    is_holder = request.viewer.is_authenticated and request.viewer.pk == credential.user_id
    return render(
        request,
        "credentials/verify.html",
        {
            "credential": credential,
            "verdict": verdict,
            "issuer": services.issuer_profile(),
            "show_name": credential.show_name or is_holder,
            "code": formats.format_code(credential.short_code),
            "json_url": formats.credential_id(credential),
        },
    )


@require_http_methods(["GET", "POST"])
def verifier(request):
    verdict = None
    if request.method == "POST":
        form = VerifierForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            if upload:
                verdict = verification.verify_upload(upload)
            else:
                verdict = verification.verify_reference_or_token(form.cleaned_data["token"])
    else:
        form = VerifierForm()
    status = 200 if request.method == "GET" or form.is_valid() else 400
    return render(request, "credentials/verifier.html", {"form": form, "verdict": verdict}, status=status)


@require_GET
def issuer(request):
    return render(
        request,
        "credentials/issuer.html",
        {
            "issuer": services.issuer_profile(),
            "json_url": formats.issuer_id(),
            "jwks_url": formats.absolute("credentials_jwks"),
        },
    )


@require_GET
def achievement_detail(request, key):
    achievement = queries.achievement_by_key(key)
    return render(
        request,
        "credentials/achievement.html",
        {
            "achievement": achievement,
            "json_url": formats.achievement_id(achievement),
        },
    )


# --- staff --------------------------------------------------------------------------------------------


@permission_required("credentials.manage")
@require_GET
def manage(request):
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    achievement_id = request.GET.get("achievement", "")
    achievement_id = int(achievement_id) if achievement_id.isdigit() else None
    credentials = queries.staff_credentials(achievement_id=achievement_id, query=query, status=status)
    page = Paginator(credentials, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "credentials/manage.html",
        {
            "page": page,
            "q": query,
            "status": status,
            "achievement_id": achievement_id,
            "achievements": list(queries.achievements()),
            "statuses": CredentialStatus.choices,
            "querystring": querystring.urlencode(),
            "calls_available": calls_available(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request, pk):
    credential = queries.credential_for_staff(request.viewer, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_credential(
                credential=credential, reason=form.cleaned_data["reason"], by=request.user
            )
        except services.CredentialError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The certificate has been revoked."))
            return redirect("credentials:manage")
    return render(
        request,
        "credentials/revoke.html",
        {"credential": credential, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reissue(request, pk):
    credential = queries.credential_for_staff(request.viewer, pk)
    form = ReissueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.reissue_credential(
                credential=credential, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.CredentialError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("A new certificate has been issued; the old one is revoked."))
            return redirect("credentials:verify", new.pk)
    return render(
        request,
        "credentials/reissue.html",
        {"credential": credential, "form": form},
        status=400 if form.errors else 200,
    )


@permission_required("credentials.manage")
@require_http_methods(["GET", "POST"])
def bulk_issue(request):
    form = BulkIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.bulk_issue_for_call(call=form.cleaned_data["call"], by=request.user)
        messages.success(
            request,
            _("%(created)d certificates issued, %(existing)d already had one.")
            % {
                "created": result["created"],
                "existing": result["existing"],
            },
        )
        return redirect("credentials:manage")
    return render(
        request,
        "credentials/bulk_issue.html",
        {
            "form": form,
            "calls_available": calls_available(),
        },
        status=400 if form.errors else 200,
    )


@permission_required("credentials.manage")
@require_http_methods(["GET", "POST"])
def ceremonies(request):
    from credentials.models import Ceremony

    form = CeremonyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ceremony = services.create_ceremony(
            title=form.cleaned_data["title"], credentials=form.cleaned_data["picked"], by=request.user
        )
        return redirect("credentials:ceremony_detail", ceremony.pk)
    recent = Ceremony.objects.order_by("-created_at")[:20]
    return render(
        request,
        "credentials/ceremonies.html",
        {"form": form, "ceremonies": recent},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def ceremony_detail(request, pk):
    ceremony = queries.ceremony_for_staff(request.viewer, pk)
    working = ceremony.status in (CeremonyStatus.QUEUED, CeremonyStatus.RUNNING)
    template = (
        "credentials/_ceremony_progress.html"
        if request.headers.get("HX-Request")
        else "credentials/ceremony.html"
    )
    return render(
        request,
        template,
        {"ceremony": ceremony, "working": working, "can_retry": services.ceremony_can_retry(ceremony)},
    )


@login_required
@require_POST
def ceremony_retry(request, pk):
    ceremony = queries.ceremony_for_staff(request.viewer, pk)
    if services.retry_ceremony(ceremony=ceremony, by=request.user):
        messages.success(request, _("The PDF is being prepared again."))
    return redirect("credentials:ceremony_detail", ceremony.pk)


@login_required
@require_GET
def ceremony_download(request, pk, kind):
    ceremony = queries.ceremony_for_staff(request.viewer, pk)
    if kind not in ("pdf", "csv"):
        raise Http404
    stored = ceremony.pdf if kind == "pdf" else ceremony.csv
    if ceremony.status != CeremonyStatus.DONE or not stored:
        raise Http404
    filename = f"ceremony-{ceremony.pk}.{kind}"
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf" if kind == "pdf" else "text/csv; charset=utf-8",
    )
