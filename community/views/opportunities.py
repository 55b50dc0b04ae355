"""Opportunities: current ones, the archive, and staff's form to publish and edit them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.api import can, permission_required
from community import queries
from community.forms import OpportunityForm
from community.views.common import LIST_PER_PAGE, page_of


def _may_manage(request) -> bool:
    return request.viewer.is_authenticated and can(request.viewer, "community.manage_opportunities")


def opportunities(request):
    return render(
        request,
        "community/opportunities.html",
        {
            "page": page_of(request, queries.current_opportunities(), LIST_PER_PAGE),
            "archive": False,
            "may_manage": _may_manage(request),
        },
    )


def opportunities_archive(request):
    return render(
        request,
        "community/opportunities.html",
        {
            "page": page_of(request, queries.archived_opportunities(), LIST_PER_PAGE),
            "archive": True,
            "may_manage": False,
        },
    )


def opportunity(request, pk):
    opportunity = queries.opportunity_by_pk(pk)
    return render(
        request,
        "community/opportunity.html",
        {"opportunity": opportunity, "may_manage": _may_manage(request)},
    )


@login_required
@permission_required("community.manage_opportunities")
@require_http_methods(["GET", "POST"])
def opportunity_new(request):
    form = OpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        opportunity = form.save(commit=False)
        opportunity.created_by = request.user
        opportunity.save()
        messages.success(request, _("The opportunity has been published."))
        return redirect(opportunity)
    return render(request, "community/opportunity_form.html", {"form": form})


@login_required
@permission_required("community.manage_opportunities")
@require_http_methods(["GET", "POST"])
def opportunity_edit(request, pk):
    opportunity = queries.opportunity_by_pk(pk)
    form = OpportunityForm(request.POST or None, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The opportunity has been saved."))
        return redirect(opportunity)
    return render(request, "community/opportunity_form.html", {"form": form, "opportunity": opportunity})
