"""Restore a backup made by ``manage.py backup`` into a fresh place; never over existing data.

SQLite:      manage.py restore BACKUP_FOLDER --var-dir NEW_VAR_FOLDER
             then run the site with CIVICHUB_VAR_DIR=NEW_VAR_FOLDER.
PostgreSQL:  manage.py restore BACKUP_FOLDER --database-url postgres://user@host:5432/new_empty_db
             [--media-root NEW_MEDIA_FOLDER]; then run the site with that DATABASE_URL (and MEDIA_ROOT).

Afterwards run ``manage.py migrate`` (a backup of an older version gets the newer migrations) and start the
site with the same CREDENTIALS_KEY_SECRET / SECRET_KEY as before, so that new credentials can be signed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import dj_database_url
from django.core.management.base import BaseCommand, CommandError

from core.management.commands.backup import postgres_env


class Command(BaseCommand):
    help = "Restore a backup folder into a new var folder (SQLite) or an empty PostgreSQL database."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="A folder made by manage.py backup.")
        parser.add_argument("--var-dir", help="New, empty var folder (SQLite database and media go there).")
        parser.add_argument("--database-url", help="An empty PostgreSQL database to restore into.")
        parser.add_argument("--media-root", help="New, empty folder for the uploaded files (PostgreSQL).")

    def handle(self, *args, backup: str, var_dir=None, database_url=None, media_root=None, **options):
        source = Path(backup)
        try:
            manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise CommandError(f"{source} is not a civichub backup (no readable manifest.json).") from None
        media: Path | None
        if manifest["engine"] == "sqlite":
            if not var_dir:
                raise CommandError("A SQLite backup is restored with --var-dir NEW_FOLDER.")
            target = Path(var_dir)
            if target.exists() and any(target.iterdir()):
                raise CommandError(f"{target} is not empty: restore into a new folder.")
            target.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copyfile(source / "database.sqlite3", target / "civichub.sqlite3")
            media = target / "media"
        elif manifest["engine"] == "postgresql":
            if not database_url:
                raise CommandError(
                    "A PostgreSQL backup is restored with --database-url postgres://…/empty_db."
                )
            self.restore_postgresql(source / "database.dump", database_url)
            media = Path(media_root) if media_root else None
        else:
            raise CommandError(f"Unknown database engine in the manifest: {manifest['engine']}")
        if media is not None:
            if media.exists() and any(media.iterdir()):
                raise CommandError(f"{media} is not empty: restore the files into a new folder.")
            self.extract_media(source / "media.tar.gz", media)
        self.stdout.write(f"restored {source.name}: {json.dumps(manifest['counts_before'])}")

    def extract_media(self, archive_path: Path, media: Path) -> None:
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive_path, "r:gz") as archive:
            for member in archive.getmembers():
                if not (member.name == "media" or member.name.startswith("media/")):
                    raise CommandError(f"Unexpected entry in the media archive: {member.name}")
                member.name = member.name.removeprefix("media").lstrip("/") or "."
            archive.extractall(media, filter="data")

    def restore_postgresql(self, dump: Path, database_url: str) -> None:
        try:
            db = dj_database_url.parse(database_url)
        except ValueError as error:
            raise CommandError(f"--database-url: {error}") from None
        if db["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("--database-url must be a postgres:// URL.")
        args, env = postgres_env(dict(db))
        tables = subprocess.run(
            [
                "psql",
                *args,
                "--dbname",
                db["NAME"],
                "-tAc",
                "SELECT count(*) FROM pg_tables WHERE schemaname='public'",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if tables.returncode != 0:
            raise CommandError(f"Cannot reach the target database: {tables.stderr.strip()}")
        if tables.stdout.strip() != "0":
            raise CommandError(f"The database {db['NAME']} is not empty: restore into a new, empty database.")
        result = subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", *args, "--dbname", db["NAME"], str(dump)],
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
