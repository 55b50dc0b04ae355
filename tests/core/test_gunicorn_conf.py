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
        "GUNICORN_GC_FREEZE_AFTER",
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


def test_workers_freeze_the_loaded_heap_out_of_the_collector_once_started_and_after_n_requests(monkeypatch):
    import gc
    from types import SimpleNamespace

    conf = load(monkeypatch, GUNICORN_GC_FREEZE_AFTER="3")
    assert conf["gc_freeze_after"] == 3
    worker = SimpleNamespace()
    gc.unfreeze()
    try:
        conf["post_worker_init"](worker)
        assert gc.get_freeze_count() > 1000
        gc.unfreeze()
        for _ in range(2):
            conf["post_request"](worker, None, {}, None)
        assert gc.get_freeze_count() == 0
        conf["post_request"](worker, None, {}, None)
        assert gc.get_freeze_count() > 1000
        gc.unfreeze()
        conf["post_request"](worker, None, {}, None)
        assert gc.get_freeze_count() == 0  # once, not on every request after the n-th
    finally:
        gc.unfreeze()


def test_freezing_can_be_turned_off(monkeypatch):
    import gc
    from types import SimpleNamespace

    conf = load(monkeypatch, GUNICORN_GC_FREEZE_AFTER="0")
    worker = SimpleNamespace()
    gc.unfreeze()
    conf["post_worker_init"](worker)
    for _ in range(5):
        conf["post_request"](worker, None, {}, None)
    assert gc.get_freeze_count() == 0
