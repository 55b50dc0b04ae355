import importlib
import pkgutil

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.matrix as matrix_pkg
from tests.matrix import PERSONAS, Row

# URL names not in the matrix on purpose, with the reason.
NOT_IN_MATRIX = {
    # The Django admin's hundreds of generated URLs are all guarded by CivicAdminSite.has_permission;
    # tests/matrix/accounts.py covers the admin index and a model page for every persona.
    "admin:*",
}


def _modules():
    for info in pkgutil.iter_modules(matrix_pkg.__path__):
        if info.name in settings.DOMAIN_APPS and not apps.is_installed(info.name):
            continue  # that domain is switched off (CIVICHUB_APPS)
        yield importlib.import_module(f"tests.matrix.{info.name}")


def _rows() -> list[Row]:
    rows = []
    for module in _modules():
        rows.extend(getattr(module, "ROWS", []))
    return rows


def _named_urls(resolver=None, namespace="") -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            names |= _named_urls(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


class World:
    """Holds the personas and whatever objects the matrix modules build."""

    def __init__(self, personas):
        self.personas = personas
        for key, user in personas.items():
            setattr(self, key, user)

    def __setattr__(self, name, value):
        # Two domains once both stored world.attachment; the later one silently won and the earlier rows
        # tested the wrong object (passing on SQLite by coinciding ids, failing on PostgreSQL).
        if name in self.__dict__:
            raise AttributeError(
                f"world.{name} is already set by another matrix module: choose a distinct name"
            )
        super().__setattr__(name, value)


def build_world(personas) -> World:
    """The personas and every object the matrix modules build (the ``world`` fixture, tests/conftest.py)."""
    w = World(personas)
    for module in _modules():
        build = getattr(module, "build", None)
        if build:
            build(w)
    return w


def test_every_named_url_is_in_the_matrix():
    listed = {row.name for row in _rows()}
    ignored_prefixes = tuple(n[:-1] for n in NOT_IN_MATRIX if n.endswith("*"))
    missing = sorted(n for n in _named_urls() if n not in listed and not n.startswith(ignored_prefixes))
    assert missing == [], f"URLs missing from the permission matrix: {missing}"


def test_matrix_lists_only_existing_urls():
    existing = _named_urls()
    assert sorted({row.name for row in _rows()} - existing) == []


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r.id)
def test_permission_matrix(row, world, client):
    """Each row is tried as every persona; each try runs in a savepoint that is rolled back afterwards,
    so a POST by one persona never changes what the next one sees (and the world is built once per row)."""
    mismatches = []
    for persona in PERSONAS:
        with transaction.atomic():
            client.logout()
            user = world.personas[persona]
            if user is not None:
                client.force_login(user)
            url = reverse(row.name, args=row.args(world) if row.args else None) + row.query
            data = row.data(world) if row.data else {}
            response = getattr(client, row.method)(url, data)
            if response.status_code != row.expect[persona]:
                mismatches.append(f"{persona}: expected {row.expect[persona]}, got {response.status_code}")
            transaction.set_rollback(True)
    assert mismatches == [], f"{row.id}: " + "; ".join(mismatches)
