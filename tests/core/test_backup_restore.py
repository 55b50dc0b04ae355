"""Back up a running site under writes, restore into a fresh place, start it, and check what came back.

Real processes: a writer keeps adding audit entries while ``manage.py backup`` runs; the restore is opened by a
new ``manage.py`` process, which checks the counts, verifies every credential and renders the home page.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.processes import manage

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PG = "postgres://postgres@127.0.0.1:5432"

WRITER = """
import time
from accounts.models import AuditEntry
end = time.monotonic() + {seconds}
n = 0
while time.monotonic() < end:
    AuditEntry.objects.create(actor=None, action="test.write", target=str(n))
    n += 1
print(n)
"""

CHECK = """
import json
from django.test import Client
from core.management.commands.backup import row_counts
from credentials.models import Credential
from credentials.verification import verify_token
from accounts.models import AuditEntry
verdicts = sorted({{verify_token(c.token, credential=c).state for c in Credential.objects.all()}})
page = Client().get("/", HTTP_HOST="127.0.0.1")
print(json.dumps({{"counts": row_counts(), "audit": AuditEntry.objects.count(), "verdicts": verdicts,
                  "home": page.status_code, "expected": {expected}}}))
"""


def site_env(tmp_path: Path, name: str, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CIVICHUB_TESTING", "DATABASE_URL")}
    env.update(
        DEBUG="true",
        CIVICHUB_VAR_DIR=str(tmp_path / name),
        SECRET_KEY="backup-test-" + "k" * 60,
        DJANGO_SETTINGS_MODULE="civichub.settings",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql], check=True)


def postgres_reachable() -> bool:
    try:
        return (
            subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432"], capture_output=True).returncode
            == 0
        )
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_backup_taken_under_writes_restores_into_a_working_site(tmp_path, engine):
    source_url = target_url = None
    if engine == "postgresql":
        if not postgres_reachable():
            pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
        suffix = uuid.uuid4().hex[:8]
        source_url, target_url = f"{PG}/civichub_bk_src_{suffix}", f"{PG}/civichub_bk_dst_{suffix}"
        psql(f"CREATE DATABASE civichub_bk_src_{suffix}")
        psql(f"CREATE DATABASE civichub_bk_dst_{suffix}")
    try:
        source = site_env(tmp_path, "var", source_url)
        (tmp_path / "var").mkdir()
        manage(source, "migrate", "--noinput", "-v", "0")
        manage(source, "seed_demo")
        media = tmp_path / "var" / "media" / "uploads"
        media.mkdir(parents=True, exist_ok=True)
        (media / "kept.txt").write_text("a file someone uploaded")

        writer = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", WRITER.format(seconds=6)],
            cwd=ROOT,
            env=source,
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(2)
        backup_dir = Path(manage(source, "backup", str(tmp_path / "backups")).strip().splitlines()[-1])
        written = int(writer.communicate(timeout=60)[0].split()[-1])
        assert writer.returncode == 0 and written > 0

        manifest = json.loads((backup_dir / "manifest.json").read_text())
        if engine == "sqlite":
            manage(source, "restore", str(backup_dir), "--var-dir", str(tmp_path / "restored"))
            target = site_env(tmp_path, "restored", None)
        else:
            manage(
                source,
                "restore",
                str(backup_dir),
                "--database-url",
                target_url,
                "--media-root",
                str(tmp_path / "restored" / "media"),
            )
            target = site_env(tmp_path, "restored", target_url)
        assert (
            tmp_path / "restored" / "media" / "uploads" / "kept.txt"
        ).read_text() == "a file someone uploaded"

        manage(target, "migrate", "--noinput", "-v", "0")
        report = json.loads(
            manage(
                target, "shell", "-c", CHECK.format(expected=json.dumps(manifest["counts_before"]))
            ).splitlines()[-1]
        )
        assert report["counts"] == report["expected"]
        assert report["counts"]["credentials.Credential"] >= 2
        assert report["verdicts"] == ["revoked", "valid"]
        assert report["home"] == 200
        # Written while the backup ran: the copy holds a consistent prefix of them, none half-written.
        source_audit = json.loads(
            manage(source, "shell", "-c", CHECK.format(expected="{}")).splitlines()[-1]
        )["audit"]
        assert 0 < report["audit"] <= source_audit

        # Never over existing data.
        again = (
            ["--var-dir", str(tmp_path / "restored")]
            if engine == "sqlite"
            else ["--database-url", target_url]
        )
        refused = subprocess.run(
            [sys.executable, "manage.py", "restore", str(backup_dir), *again],
            cwd=ROOT,
            env=source,
            capture_output=True,
            text=True,
        )
        assert refused.returncode != 0 and "not empty" in refused.stderr
    finally:
        if engine == "postgresql":
            psql(f"DROP DATABASE IF EXISTS {source_url.rsplit('/', 1)[1]}")
            psql(f"DROP DATABASE IF EXISTS {target_url.rsplit('/', 1)[1]}")
