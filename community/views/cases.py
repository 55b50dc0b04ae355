"""The case library: published cases, drafts and their review by programme staff, attached files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.api import can, is_programme_staff, permission_required, require
from community import queries, services
from community.forms import CaseFilterForm, CaseForm, ReviewForm
from community.services import CommunityError
from community.views.common import LIST_PER_PAGE, page_of, querystring


def cases(request):
    viewer = request.viewer
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.published_cases(
        mechanism=filters.get("mechanism", ""), region=filters.get("region", ""), query=filters.get("q", "")
    )
    return render(
        request,
        "community/cases.html",
        {
            "form": form,
            "page": page_of(request, qs, LIST_PER_PAGE),
            "querystring": querystring(form),
            "may_write": viewer.is_authenticated and can(viewer, "community.write_case"),
            "mine": list(queries.cases_by(viewer)) if viewer.is_authenticated else [],
            "waiting": list(queries.cases_waiting_for_review()) if is_programme_staff(viewer) else [],
        },
    )


def case(request, slug):
    viewer = request.viewer
    case = queries.case_for_user(viewer, slug)
    return render(
        request,
        "community/case.html",
        {
            "case": case,
            "files": list(case.files.all()),
            "may_edit": viewer.is_authenticated and can(viewer, "community.edit_case", case),
            "may_review": viewer.is_authenticated and can(viewer, "community.review_case", case),
            "review_form": ReviewForm(),
        },
    )


def _save_case_form(request, form, case=None):
    upload = form.cleaned_data.pop("attachment", None)
    saved = services.save_case(author=request.user, case=case, **form.cleaned_data)
    if upload:
        try:
            services.add_case_file(case=saved, upload=upload, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return saved


@login_required
@permission_required("community.write_case")
@require_http_methods(["GET", "POST"])
def case_new(request):
    form = CaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        case = _save_case_form(request, form)
        messages.success(
            request, _("The case has been saved as a draft. Submit it for review when it is ready.")
        )
        return redirect(case)
    return render(request, "community/case_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, slug):
    case = queries.case_for_editor(request.viewer, slug)
    form = CaseForm(request.POST or None, request.FILES or None, instance=case)
    if request.method == "POST" and form.is_valid():
        _save_case_form(request, form, case=case)
        messages.success(request, _("The case has been saved."))
        return redirect(case)
    return render(
        request, "community/case_form.html", {"form": form, "case": case, "files": list(case.files.all())}
    )


@login_required
@require_POST
def case_action(request, slug):
    case = queries.case_for_user(request.viewer, slug)
    action = request.POST.get("action", "")
    if action == "submit":
        require(request.viewer, "community.edit_case", case)
    else:
        require(request.viewer, "community.review_case", case)
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.change_case(case=case, user=request.user, action=action, note=note)
    except CommunityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The case has been updated."))
    return redirect(case)


def case_file(request, slug, file_id):
    case = queries.case_for_user(request.viewer, slug)
    attachment = get_object_or_404(case.files, pk=file_id)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
