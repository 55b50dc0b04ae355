"""Every URL with a database id answers 404 for ids beyond the database's range, never a 500."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from core.converters import IdConverter

pytestmark = pytest.mark.django_db

BEYOND_RANGE = "99999999999999999999999"  # 23 digits: more than a 64-bit integer holds
LARGEST = "999999999999999999"  # 18 digits: fits, and no such row exists


def routes(resolver=None, prefix=""):
    """(route, converters) of every path() in the project's URLconf, with its prefix."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, getattr(entry.pattern, "converters", {})


def id_routes():
    found = []
    for route, converters in routes():
        if route.startswith("^") or "admin/" in route:
            continue  # regex routes (none take ids) and Django's admin, which handles its own ids
        if any(isinstance(c, IdConverter | IntConverter) for c in converters.values()):
            found.append((route, converters))
    return found


def test_no_route_takes_an_unbounded_integer():
    unbounded = [route for route, conv in id_routes() if any(type(c) is IntConverter for c in conv.values())]
    assert unbounded == []


def test_there_are_routes_with_ids_to_check():
    assert len(id_routes()) >= 20


def url_for(route: str, converters: dict, number: str) -> str:
    url = route
    for name, converter in converters.items():
        value = number if isinstance(converter, IdConverter | IntConverter) else "x"
        if type(converter).__name__ == "UUIDConverter":
            value = "00000000-0000-0000-0000-000000000000"
        url = url.replace(f"<{_spec(route, name)}>", value)
    return "/" + url


def _spec(route: str, name: str) -> str:
    start = route.index(f":{name}>")
    return route[route.rindex("<", 0, start) + 1 : start] + f":{name}"


@pytest.mark.parametrize("number", [BEYOND_RANGE, LARGEST])
def test_ids_beyond_the_range_are_not_found_for_every_persona(staff, learner, client_for, number):
    failures = []
    for person in (staff, learner):
        client = client_for(person)
        for route, converters in id_routes():
            url = url_for(route, converters, number)
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                if status >= 500 or (number == BEYOND_RANGE and status != 404):
                    failures.append((person.email, method, url, status))
    assert failures == []
