"""Benchmark code is installed only when benchmarking: production has no bench route and no bench commands;
with CIVICHUB_BENCH=true the trivial view answers at /bench/trivial."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.test import RequestFactory
from django.urls import NoReverseMatch, resolve, reverse

ROOT = Path(__file__).resolve().parents[2]
BENCH_COMMANDS = {"generate_data", "bench_ceremony", "community_search_bench"}

without_bench = pytest.mark.skipif(
    settings.BENCHMARKING, reason="CIVICHUB_BENCH is set: the bench app is installed"
)


@without_bench
@pytest.mark.django_db
def test_production_has_no_bench_route(client):
    assert client.get("/bench/trivial").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("bench_trivial")


@without_bench
def test_production_has_no_bench_commands():
    assert BENCH_COMMANDS & set(get_commands()) == set()


def test_the_bench_urls_serve_the_trivial_view():
    match = resolve("/trivial", urlconf="benchmarks.urls")
    assert match.url_name == "bench_trivial"
    response = match.func(RequestFactory().get("/bench/trivial"))
    assert (response.status_code, response.content, response["Content-Type"]) == (200, b"ok", "text/plain")


def _installed(bench: bool, var_dir: Path) -> str:
    """What a fresh process reports: the trivial URL's status code and which bench commands it has."""
    env = {k: v for k, v in os.environ.items() if k not in {"CIVICHUB_BENCH", "DATABASE_URL"}}
    env.update(DEBUG="true", CIVICHUB_TESTING="true", CIVICHUB_VAR_DIR=str(var_dir))
    if bench:
        env["CIVICHUB_BENCH"] = "true"
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'civichub.settings'; django.setup();"
        "from django.core.management import get_commands; from django.test import Client;"
        "status = Client().get('/bench/trivial', HTTP_HOST='localhost').status_code;"
        f"print(status, sorted(set(get_commands()) & set({sorted(BENCH_COMMANDS)!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.slow
def test_civichub_bench_installs_the_bench_app_and_its_route(tmp_path):
    assert (
        _installed(bench=True, var_dir=tmp_path)
        == "200 ['bench_ceremony', 'community_search_bench', 'generate_data']"
    )
    assert _installed(bench=False, var_dir=tmp_path) == "404 []"
