"""``make soak``: the mixed scenario for SOAK_MINUTES against the whole site — web workers, the task worker and
the scheduler — recording each process's memory (RSS) at the start and the end, and the error count.

    python -m benchmarks.soak --minutes 10 [--mixed-users 60] [--port 8766] [--markdown docs/performance.md]

Everything runs on the loopback with DEBUG off, on a SQLite site under ``var/soak`` (generated ``small`` data),
and stops by itself: the load has a fixed run time and every process started here is stopped on exit. Memory is
sampled after a minute of the same load (start-up caches filled) and at the end; a process whose RSS grows in
proportion to the run's length leaks, one that grows a little once does not.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import psutil

from benchmarks.run import run_locust

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
START = "<!-- soak-results:start -->"
END = "<!-- soak-results:end -->"
WARMUP_S = 60
DEFAULT_USERS = 60


def _environment(var: Path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CIVICHUB_TESTING", "DATABASE_URL", "DEBUG")}
    env.update(
        CIVICHUB_BENCH="true",
        CIVICHUB_LOCAL="true",
        CIVICHUB_VAR_DIR=str(var),
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        EMAIL_URL=f"file://{var / 'mail'}",
        LOG_LEVEL="WARNING",
    )
    return env


def _manage(env: dict, *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603 - fixed command line


def _rss_kb(process: psutil.Process) -> int:
    return process.memory_info().rss // 1024


def _processes(started: dict[str, subprocess.Popen]) -> dict[str, psutil.Process]:
    """Every process of the site by role: gunicorn's master and each of its workers, the task worker, the
    scheduler."""
    found = {}
    for role, popen in started.items():
        parent = psutil.Process(popen.pid)
        found[role] = parent
        if role == "gunicorn master":
            for n, child in enumerate(sorted(parent.children(), key=lambda p: p.pid), start=1):
                found[f"web worker {n}"] = child
    return found


def _sample(processes: dict[str, psutil.Process]) -> dict[str, int]:
    return {role: _rss_kb(p) for role, p in processes.items() if p.is_running()}


def _wait_healthy(host: str, server: subprocess.Popen) -> None:
    for _ in range(150):
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited while starting")
        try:
            with urllib.request.urlopen(f"{host}/healthz", timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the site did not answer /healthz")


def soak(*, minutes: float, users: int, port: int) -> dict:
    var = ROOT / "var" / "soak"
    (var / "mail").mkdir(parents=True, exist_ok=True)
    for old in var.glob("civichub.sqlite3*"):
        old.unlink()
    env = _environment(var, port)
    host = f"http://127.0.0.1:{port}"
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "collectstatic", "--noinput", "-v", "0")
    _manage(env, "generate_data", "--scale", "small", "--seed", "2026", "--replace")
    logs = {name: (var / f"{name}.log").open("ab") for name in ("gunicorn", "worker", "periodic")}
    started: dict[str, subprocess.Popen] = {}
    try:
        started["gunicorn master"] = subprocess.Popen(  # noqa: S603 - fixed command line
            [str(Path(PY).parent / "gunicorn"), "civichub.wsgi:application", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=logs["gunicorn"],
            stderr=subprocess.STDOUT,
        )
        started["task worker"] = subprocess.Popen(  # noqa: S603
            [PY, "manage.py", "db_worker", "--queue-name", "*", "--no-reload", "--interval", "1"],
            cwd=ROOT,
            env=env,
            stdout=logs["worker"],
            stderr=subprocess.STDOUT,
        )
        started["scheduler"] = subprocess.Popen(  # noqa: S603
            [PY, "manage.py", "run_periodic"],
            cwd=ROOT,
            env=env,
            stdout=logs["periodic"],
            stderr=subprocess.STDOUT,
        )
        _wait_healthy(host, started["gunicorn master"])
        targets = var / "targets.json"
        subprocess.run([PY, "-m", "benchmarks.prepare", str(targets)], cwd=ROOT, env=env, check=True)  # noqa: S603
        # A minute of the same load first, not recorded: the workers' caches and compiled templates fill.
        run_locust(scenario="mixed", host=host, targets=str(targets), users=users, duration=WARMUP_S)
        processes = _processes(started)
        before = _sample(processes)
        started_at = time.monotonic()
        result = run_locust(
            scenario="mixed", host=host, targets=str(targets), users=users, duration=int(minutes * 60)
        )
        elapsed = time.monotonic() - started_at
        after = _sample(processes)
        with urllib.request.urlopen(f"{host}/healthz", timeout=5) as response:  # noqa: S310 - loopback
            health = json.load(response)
    finally:
        for popen in started.values():
            if popen.poll() is None:
                popen.terminate()
        for popen in started.values():
            try:
                popen.wait(20)
            except subprocess.TimeoutExpired:
                popen.kill()
        for handle in logs.values():
            handle.close()
    memory = {
        role: {
            "start_kb": before[role],
            "end_kb": after.get(role),
            "per_minute_kb": None
            if role not in after
            else round((after[role] - before[role]) / (elapsed / 60), 1),
        }
        for role in before
    }
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "minutes": round(elapsed / 60, 1),
        "users": users,
        "requests": result["requests"],
        "errors": result["errors"],
        "failures": result["failures"],
        "rps": result["rps"],
        "p95_ms": result["p95_ms"],
        "memory": memory,
        "healthz": health,
        "machine": f"{platform.python_version()}, {os.cpu_count()} cores",
    }


def markdown(run: dict) -> str:
    command = f"SOAK_MINUTES={round(run['minutes']):g} make soak"
    if run["users"] != DEFAULT_USERS:
        command = f"SOAK_USERS={run['users']} {command}"
    lines = [
        START,
        f"Soak of {run['date']}: the mixed scenario, {run['users']} people, for {run['minutes']} minutes "
        f"(`{command}`, after a minute of warm-up; SQLite, DEBUG off, Python "
        f"{run['machine']}): {run['requests']} requests, {run['errors']} errors, {run['rps']} requests/s, "
        f"p95 {run['p95_ms']} ms.",
        "",
        "| process | RSS at start (MB) | RSS at end (MB) | change per minute (kB) |",
        "|---|---:|---:|---:|",
    ]
    for role, m in run["memory"].items():
        end = "—" if m["end_kb"] is None else f"{m['end_kb'] / 1024:.1f}"
        lines.append(f"| {role} | {m['start_kb'] / 1024:.1f} | {end} | {m['per_minute_kb']} |")
    lines.append(END)
    return "\n".join(lines)


def write_markdown(path: Path, run: dict) -> None:
    text = path.read_text(encoding="utf-8")
    block = markdown(run)
    if START in text and END in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n## Soak\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", "10")))
    parser.add_argument("--mixed-users", type=int, default=int(os.environ.get("SOAK_USERS", DEFAULT_USERS)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SOAK_PORT", "8766")))
    parser.add_argument("--markdown", type=Path, help="write the figures into this file's Soak section")
    parser.add_argument("--out", type=Path, help="write the run as JSON here")
    args = parser.parse_args()
    if not 0 < args.minutes <= 240:
        parser.error("--minutes must be more than 0 and at most 240")
    run = soak(minutes=args.minutes, users=args.mixed_users, port=args.port)
    print(json.dumps(run, indent=2, ensure_ascii=False))
    if args.out:
        args.out.write_text(json.dumps(run, indent=2, ensure_ascii=False), encoding="utf-8")
    if args.markdown:
        write_markdown(args.markdown, run)


if __name__ == "__main__":
    main()
