"""gunicorn.conf.py: the serving defaults of `make run`, `make bench` and production, and their overrides."""

import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load(monkeypatch, **env):
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_KEEPALIVE", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_defaults_are_three_sync_workers(monkeypatch):
    conf = load(monkeypatch)
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (3, 1, "sync")
    assert conf["timeout"] == 30


def test_threads_select_threaded_workers_with_keepalive(monkeypatch):
    conf = load(monkeypatch, WEB_CONCURRENCY="2", GUNICORN_THREADS="4", GUNICORN_KEEPALIVE="7")
    assert (conf["workers"], conf["threads"], conf["worker_class"], conf["keepalive"]) == (2, 4, "gthread", 7)


@pytest.mark.parametrize(("value", "message"), [("two", "whole number"), ("0", "at least 1"), ("-3", "at least 1")])
def test_bad_values_stop_with_the_variable_named(monkeypatch, value, message):
    with pytest.raises(SystemExit) as stopped:
        load(monkeypatch, GUNICORN_THREADS=value)
    assert "GUNICORN_THREADS" in str(stopped.value) and message in str(stopped.value)
