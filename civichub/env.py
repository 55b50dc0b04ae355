"""Typed readers for environment variables.

Each helper fails loudly with :class:`ConfigurationError` naming the variable when its value cannot be
used, so a bad deployment stops at start-up instead of misbehaving later.
"""

from __future__ import annotations

import os
import zoneinfo
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url


class ConfigurationError(Exception):
    """A setting read from the environment has a value we cannot use."""


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ConfigurationError(f"{name} must be between {minimum} and {maximum}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ConfigurationError(f"{name} must be a comma-separated list, not {value!r}")
    return items


def env_time_zone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            f"{name} must be an IANA time zone such as Asia/Tbilisi, not {value!r}"
        ) from None
    return value


def env_database(name: str, default_sqlite_path: str) -> dict:
    """Return a Django DATABASES entry from a ``postgres://`` or ``sqlite:///`` URL (dj-database-url), or the
    embedded SQLite database."""
    value = _raw(name)
    if value is None:
        return env_database_sqlite(default_sqlite_path)
    scheme = value.partition("://")[0]
    if scheme not in {"postgres", "postgresql", "sqlite"}:
        raise ConfigurationError(f"{name} must start with postgres:// or sqlite:///, not {scheme!r}")
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except (dj_database_url.ParseError, ValueError):
        raise ConfigurationError(
            f"{name} is not a valid database URL (check the port and quote special characters)"
        ) from None
    if scheme == "sqlite":
        if not config["NAME"] or config["NAME"] == ":memory:":
            raise ConfigurationError(f"{name} must name a database file: sqlite:////absolute/path.db")
        return env_database_sqlite(str(config["NAME"]))
    if not config["NAME"]:
        raise ConfigurationError(f"{name} must name a database: postgres://user@host:5432/dbname")
    return dict(config)


def env_database_sqlite(path: str) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
        # Keep each thread's connection between requests, as for PostgreSQL: opening SQLite and running the
        # PRAGMAs above on every request cost more CPU than a typical page itself.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def env_email(name: str, default_dir: str) -> dict:
    """Email settings from ``smtp://user:pass@host:port?tls=true`` (or ``smtps://``, ``console:``).

    Without a value, mail is written as files under ``default_dir`` so a person trying the portal can
    open the verification link.
    """
    value = _raw(name)
    if value is None:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": default_dir,
        }
    parsed = urlparse(value)
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "file":
        if not parsed.path:
            raise ConfigurationError(f"{name} must name a folder: file:///path/to/mail")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parsed.path,
        }
    if parsed.scheme not in {"smtp", "smtps"} or not parsed.hostname:
        raise ConfigurationError(
            f"{name} must look like smtp://user:password@host:587?tls=true, not {value!r}"
        )
    query = {key: values[-1].lower() for key, values in parse_qs(parsed.query).items()}
    try:
        port = parsed.port or (465 if parsed.scheme == "smtps" else 25)
    except ValueError:
        raise ConfigurationError(f"{name} has an invalid port") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": query.get("tls") in {"1", "true", "yes"},
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
    }


def env_redis_url(name: str) -> str | None:
    value = _raw(name)
    if value is None:
        return None
    if urlparse(value).scheme not in {"redis", "rediss", "unix"}:
        raise ConfigurationError(f"{name} must start with redis://, rediss:// or unix://, not {value!r}")
    return value
