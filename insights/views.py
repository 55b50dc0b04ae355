"""The indicators dashboard: programme staff and donor viewers read it; staff may refresh it."""

from decimal import Decimal
from typing import cast

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.api import can, permission_required
from calls.api import csv_response, spreadsheet_cell, xlsx_response
from insights import queries, services
from insights.forms import FilterForm


def _filters(request, snapshot) -> tuple[FilterForm, queries.Filters]:
    form = FilterForm(request.GET or None, periods=queries.periods(snapshot))
    return form, form.filters()


@require_GET
@permission_required("insights.view")
def dashboard(request):
    snapshot = queries.latest_snapshot_stamp()
    form = FilterForm(request.GET or None, periods=queries.cached_periods(snapshot))
    filters = form.filters()
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "snapshot": snapshot,
            # Built only when the template's cached fragment (the filters form and the figures, one per snapshot,
            # query and language) is missing: a snapshot's figures never change, so later views of them read the
            # cache, and the snapshot's figures are not even read from the database (4 queries, 5 on a miss).
            "board": SimpleLazyObject(lambda: queries.dashboard(snapshot, filters)),
            "snapshot_key": queries.snapshot_key(snapshot),
            "figures_seconds": queries.FIGURES_CACHE_SECONDS,
            "may_refresh": can(request.viewer, "insights.refresh"),
            "query": request.GET.urlencode(),
        },
    )


@require_GET
@permission_required("insights.view")
def export(request, figure: str, fmt: str):
    snapshot = queries.latest_snapshot()
    _form, filters = _filters(request, snapshot)
    table = queries.export_table(snapshot, filters, figure)
    if table is None or fmt not in ("csv", "xlsx"):
        raise Http404
    cells = [
        [cell if isinstance(cell, int | Decimal) else spreadsheet_cell(cell) for cell in row]
        for row in table.as_rows()
    ]
    filename = f"civichub-{figure}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        return csv_response([[str(cell) for cell in row] for row in cells], filename)
    # numbers stay numbers in the spreadsheet (openpyxl writes int and Decimal cells as numbers)
    return xlsx_response(cast(list[list[str]], cells), filename)


@require_POST
@permission_required("insights.refresh")
def refresh(request):
    services.refresh_indicators(actor=request.user)
    messages.success(request, _("The figures were computed again."))
    return redirect("insights:dashboard")
