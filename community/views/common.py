"""What the community's views share: page sizes and pagination."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.http import urlencode

POSTS_PER_PAGE = 50
TOPICS_PER_PAGE = 30
LIST_PER_PAGE = 20


def page_of(request, queryset, per_page):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def querystring(form) -> str:
    """A valid filter form's non-empty values, for the pagination links."""
    if not form.is_valid():
        return ""
    return urlencode({k: v for k, v in form.cleaned_data.items() if v})
