"""Back up the database and the uploaded files while the site keeps running.

    manage.py backup /path/to/backups

makes ``/path/to/backups/civichub-<UTC time>/`` holding
- ``database.sqlite3`` (SQLite: the online backup API copies a consistent snapshot page by page while other
  processes keep writing) or ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``, one consistent snapshot),
- ``media.tar.gz``: the uploaded files (MEDIA_ROOT on the filesystem; S3 storage keeps its own versions),
- ``manifest.json``: when, which database engine, and row counts to check a restore against.

The database holds the credentials' signing keys encrypted at rest; the secret that decrypts them
(``CREDENTIALS_KEY_SECRET``, else ``SECRET_KEY`` — the generated ``secret_key`` file in the var folder when neither
is set) is NOT in the backup. Keep it apart from the backups (a password manager or the host's secret store):
a stolen backup then gives no signing key, and a restore needs the same secret to sign new credentials.
Already issued credentials verify without it (verification uses the public keys in the database).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

# Tables whose row counts the manifest records (a restore is checked against them).
COUNTED = (
    "accounts.User",
    "accounts.Organisation",
    "learning.Enrolment",
    "calls.Application",
    "credentials.Credential",
    "credentials.SigningKey",
    "community.Post",
)


def row_counts() -> dict[str, int]:
    counts = {}
    for label in COUNTED:
        app_label, _, model_name = label.partition(".")
        if apps.is_installed(app_label):
            counts[label] = apps.get_model(app_label, model_name).objects.count()
    return counts


def postgres_env(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore connection arguments and environment (the password travels in PGPASSWORD)."""
    args = ["--host", settings_dict.get("HOST") or "localhost", "--username", settings_dict.get("USER") or ""]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


class Command(BaseCommand):
    help = "Back up the database (online) and the uploaded files into a new folder under DESTINATION."

    def add_arguments(self, parser):
        parser.add_argument("destination", help="Folder that receives a new civichub-<time> backup folder.")

    def handle(self, *args, destination: str, **options):
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = Path(destination) / f"civichub-{stamp}"
        try:
            target.mkdir(parents=True, mode=0o700)
        except FileExistsError:
            raise CommandError(f"{target} exists already; wait a second and run the backup again.") from None
        counts = row_counts()
        vendor = connection.vendor
        if vendor == "sqlite":
            self.backup_sqlite(target / "database.sqlite3")
        elif vendor == "postgresql":
            self.backup_postgresql(target / "database.dump")
        else:
            raise CommandError(f"No backup procedure for the {vendor} database.")
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
            if media.is_dir():
                archive.add(media, arcname="media")
        manifest = {
            "made_at": datetime.now(UTC).isoformat(),
            "engine": vendor,
            "database": "database.sqlite3" if vendor == "sqlite" else "database.dump",
            "counts_before": counts,
        }
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        self.stdout.write(str(target))

    def backup_sqlite(self, path: Path) -> None:
        connection.ensure_connection()
        source = connection.connection
        destination = sqlite3.connect(path)
        try:
            # One step, inside one read transaction: with WAL other processes keep writing meanwhile, and the copy
            # is the database as it was when the step began.
            source.backup(destination)
        finally:
            destination.close()
        check = sqlite3.connect(path)
        try:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise CommandError("The backup copy failed its integrity check.")
        finally:
            check.close()

    def backup_postgresql(self, path: Path) -> None:
        db = connection.settings_dict
        args, env = postgres_env(db)
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *args, db["NAME"]],
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
