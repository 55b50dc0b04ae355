"""Configuration from the environment: bad values stop start-up with a message naming the variable."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from civichub.env import (
    ConfigurationError,
    env_bool,
    env_database,
    env_email,
    env_int,
    env_list,
    env_redis_url,
    env_time_zone,
)

ROOT = Path(__file__).resolve().parents[2]


def test_env_bool_accepts_only_true_or_false(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ConfigurationError, match="X_FLAG must be true or false"):
        env_bool("X_FLAG", False)


def test_env_int_checks_type_and_bounds(monkeypatch):
    monkeypatch.setenv("X_NUM", "12a")
    with pytest.raises(ConfigurationError, match="X_NUM must be a whole number"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "5")
    with pytest.raises(ConfigurationError, match="X_NUM must be between 10 and 20"):
        env_int("X_NUM", 1, minimum=10, maximum=20)


def test_env_list_and_time_zone(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.ge, b.ge ,")
    assert env_list("X_HOSTS", []) == ["a.ge", "b.ge"]
    monkeypatch.setenv("X_TZ", "Mars/Olympus")
    with pytest.raises(ConfigurationError, match="X_TZ must be an IANA time zone"):
        env_time_zone("X_TZ", "Asia/Tbilisi")
    monkeypatch.delenv("X_TZ")
    assert env_time_zone("X_TZ", "Asia/Tbilisi") == "Asia/Tbilisi"


def test_database_url_parsing(monkeypatch):
    monkeypatch.setenv("X_DB", "postgres://civic:p%40ss@db.local:6543/civichub")
    db = env_database("X_DB", "/tmp/x.sqlite3")
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "civichub",
        "civic",
        "p@ss",
        "db.local",
        6543,
    )
    monkeypatch.setenv("X_DB", "postgres://civic@db.local/civichub?sslmode=require")
    assert env_database("X_DB", "/tmp/x.sqlite3")["OPTIONS"] == {"sslmode": "require"}
    monkeypatch.setenv("X_DB", "mysql://x@y/z")
    with pytest.raises(ConfigurationError, match="X_DB must start with postgres://"):
        env_database("X_DB", "/tmp/x.sqlite3")
    monkeypatch.setenv("X_DB", "postgres://civic@db.local:port/civichub")
    with pytest.raises(ConfigurationError, match="X_DB is not a valid database URL"):
        env_database("X_DB", "/tmp/x.sqlite3")
    monkeypatch.setenv("X_DB", "postgres://civic@db.local/")
    with pytest.raises(ConfigurationError, match="X_DB must name a database"):
        env_database("X_DB", "/tmp/x.sqlite3")
    monkeypatch.setenv("X_DB", "sqlite:////srv/civichub/db.sqlite3")
    assert env_database("X_DB", "/tmp/x.sqlite3")["NAME"] == "/srv/civichub/db.sqlite3"
    monkeypatch.delenv("X_DB")
    sqlite = env_database("X_DB", "/tmp/x.sqlite3")
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]
    # Both databases keep each thread's connection between requests (opening SQLite and running its PRAGMAs on
    # every request cost more than a page: docs/performance.md).
    assert (sqlite["CONN_MAX_AGE"], sqlite["CONN_HEALTH_CHECKS"]) == (60, True)
    monkeypatch.setenv("X_DB", "postgres://civic@db.local/civichub")
    assert env_database("X_DB", "/tmp/x.sqlite3")["CONN_MAX_AGE"] == 60


def test_email_url_parsing(monkeypatch):
    monkeypatch.delenv("X_MAIL", raising=False)
    assert env_email("X_MAIL", "/tmp/mail") == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/tmp/mail",
    }
    monkeypatch.setenv("X_MAIL", "smtp://user:secret@mail.example.org:587?tls=true")
    smtp = env_email("X_MAIL", "/tmp/mail")
    assert (smtp["EMAIL_HOST"], smtp["EMAIL_PORT"], smtp["EMAIL_USE_TLS"], smtp["EMAIL_HOST_PASSWORD"]) == (
        "mail.example.org",
        587,
        True,
        "secret",
    )
    monkeypatch.setenv("X_MAIL", "carrier-pigeon://coop")
    with pytest.raises(ConfigurationError, match="X_MAIL must look like smtp://"):
        env_email("X_MAIL", "/tmp/mail")


def test_redis_url_must_be_redis(monkeypatch):
    monkeypatch.setenv("X_REDIS", "http://localhost")
    with pytest.raises(ConfigurationError, match="X_REDIS must start with redis://"):
        env_redis_url("X_REDIS")


def _start(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "DEBUG",
            "SECRET_KEY",
            "CIVICHUB_TESTING",
            "CIVICHUB_LOCAL",
            "PORT",
            "SITE_URL",
        }
    }
    clean.setdefault("CIVICHUB_VAR_DIR", str(Path(tempfile.mkdtemp()) / "var"))
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='civichub.settings'; django.setup(); print('started')",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "sometimes"}, "DEBUG must be true or false"),
        ({"DEBUG": "false"}, "SECRET_KEY must be set"),
        ({"DEBUG": "false", "CIVICHUB_LOCAL": "maybe"}, "CIVICHUB_LOCAL must be true or false"),
        ({"DEBUG": "false", "CIVICHUB_LOCAL": "true", "PORT": "80x"}, "PORT must be a whole number"),
        ({"DEBUG": "false", "SECRET_KEY": "short"}, "SECRET_KEY must be a random string of at least 50"),
        ({"DEBUG": "true", "TIME_ZONE": "Europe/Nowhere"}, "TIME_ZONE must be an IANA time zone"),
        ({"DEBUG": "true", "DATABASE_URL": "oracle://x"}, "DATABASE_URL must start with postgres://"),
        ({"DEBUG": "true", "REDIS_URL": "localhost:6379"}, "REDIS_URL must start with redis://"),
        ({"DEBUG": "true", "EMAIL_URL": "smtp://"}, "EMAIL_URL must look like smtp://"),
        ({"DEBUG": "true", "UPLOAD_MAX_BYTES": "ten"}, "UPLOAD_MAX_BYTES must be a whole number"),
    ],
)
def test_bad_configuration_fails_at_start_up_naming_the_variable(env, message):
    result = _start(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_good_production_configuration_starts():
    result = _start(DEBUG="false", SECRET_KEY="k" * 64, ALLOWED_HOSTS="civichub.ge")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_the_in_process_cache_holds_a_busy_hour_without_evicting_what_it_keeps(settings):
    """Without Redis, rendered fragments and visitors' pages share each process's cache: with Django's default of
    300 entries every new entry evicted a third of the rest (docs/performance.md, fourth round)."""
    from django.core.cache import caches

    cache = caches["default"]
    if "locmem" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("REDIS_URL is set: the shared cache has no entry limit of its own")
    assert settings.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] == 5000
    cache.clear()
    for n in range(1200):
        cache.set(f"entry-{n}", n)
    assert cache.get("entry-0") == 0 and cache.get("entry-1199") == 1199
    cache.clear()


def _session_engine(**env) -> str:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CIVICHUB_TESTING"}
    }
    clean.update(env, DEBUG="true")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; os.environ['DJANGO_SETTINGS_MODULE']='civichub.settings'; "
            "from django.conf import settings; print(settings.SESSION_ENGINE)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_sessions_are_read_through_the_cache_only_when_every_process_shares_it():
    assert _session_engine() == "django.contrib.sessions.backends.db"
    assert (
        _session_engine(REDIS_URL="redis://127.0.0.1:6379/0") == "django.contrib.sessions.backends.cached_db"
    )


def test_the_suite_runs_with_the_test_flag_that_pytests_configuration_sets():
    """pyproject.toml names civichub.settings_test, which turns CIVICHUB_TESTING on before settings.py reads it."""
    from django.conf import settings

    assert os.environ["DJANGO_SETTINGS_MODULE"] == "civichub.settings_test"
    assert settings.TESTING is True
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"


LOCAL_SETTINGS = (
    "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE']='civichub.settings'; django.setup();"
    "from django.conf import settings as s;"
    "print(json.dumps([s.DEBUG, s.SITE_URL, s.SECRET_KEY, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
    " s.SECURE_HSTS_SECONDS, s.ALLOWED_HOSTS, s.ACCOUNT_DEFAULT_HTTP_PROTOCOL]))"
)


def _local(tmp_path, **env):
    import json

    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "CIVICHUB_TESTING", "SITE_URL", "PORT"}
    }
    clean.update(CIVICHUB_LOCAL="true", CIVICHUB_VAR_DIR=str(tmp_path / "var"), **env)
    result = subprocess.run(
        [sys.executable, "-c", LOCAL_SETTINGS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_local_mode_is_the_real_site_over_plain_http_with_a_key_generated_once(tmp_path):
    debug, site_url, key, secure_cookie, ssl_redirect, hsts, hosts, protocol = _local(tmp_path)
    assert debug is False
    assert site_url == "http://127.0.0.1:8000"
    assert (secure_cookie, ssl_redirect, hsts, protocol) == (False, False, 0, "http")
    assert hosts == ["127.0.0.1", "localhost", "[::1]"]
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.read_text().strip() == key and len(key) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert _local(tmp_path)[2] == key  # reused by the next start


def test_site_url_follows_the_port_unless_set(tmp_path):
    assert _local(tmp_path, PORT="8080")[1] == "http://127.0.0.1:8080"
    assert _local(tmp_path, PORT="8080", SITE_URL="https://civichub.ge/")[1] == "https://civichub.ge"
