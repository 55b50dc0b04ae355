from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from workspace import providers


@login_required
@require_GET
def home(request):
    """ "My work": what waits for the person in every domain, grouped by section, urgent things marked."""
    items = providers.work_items(request.viewer)
    return render(
        request,
        "workspace/home.html",
        {
            "sections": providers.by_section(items),
            "urgent": sum(1 for item in items if item.urgent),
        },
    )
