"""gunicorn.conf.py: the serving defaults of `make run`, `make bench` and production, and their overrides."""

import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load(monkeypatch, **env):
    for name in (
        "WEB_CONCURRENCY",
        "GUNICORN_THREADS",
        "GUNICORN_KEEPALIVE",
        "GUNICORN_TIMEOUT",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_defaults_are_one_sync_worker_per_core_and_at_least_two(monkeypatch):
    import os

    conf = load(monkeypatch)
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (
        max(2, len(os.sched_getaffinity(0))),
        1,
        "sync",
    )
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert load(monkeypatch)["workers"] == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)))
    assert load(monkeypatch)["workers"] == 8
    assert conf["timeout"] == 30


def test_threads_select_threaded_workers_with_keepalive(monkeypatch):
    conf = load(monkeypatch, WEB_CONCURRENCY="2", GUNICORN_THREADS="4", GUNICORN_KEEPALIVE="7")
    assert (conf["workers"], conf["threads"], conf["worker_class"], conf["keepalive"]) == (2, 4, "gthread", 7)


@pytest.mark.parametrize(
    ("value", "message"), [("two", "whole number"), ("0", "at least 1"), ("-3", "at least 1")]
)
def test_bad_values_stop_with_the_variable_named(monkeypatch, value, message):
    with pytest.raises(SystemExit) as stopped:
        load(monkeypatch, GUNICORN_THREADS=value)
    assert "GUNICORN_THREADS" in str(stopped.value) and message in str(stopped.value)


def test_the_application_is_loaded_once_and_its_objects_frozen_before_the_workers_fork(monkeypatch):
    import gc

    conf = load(monkeypatch)
    assert conf["preload_app"] is True
    gc.unfreeze()
    try:
        conf["when_ready"](None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
    # Once: nothing freezes again while the workers serve requests.
    assert not {"post_request", "post_worker_init", "pre_request"} & set(conf)
