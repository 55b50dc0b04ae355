"""Drive a closed-loop scenario with wrk (``benchmarks/wrk.lua``) instead of Locust.

Locust, written in Python, spends about 2 ms of CPU per request here (a new connection for each request to a
sync gunicorn worker) — a fifth of the 2 cores the server is measured on. wrk, written in C, spends a few
hundredths of that, so the figures describe the server rather than the load generator. Each simulated person
is one wrk thread with one connection, their own cookies and their own list of URLs, as in
``benchmarks/locustfile.py``; the mixed scenario (think time, several kinds of people) stays with Locust.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk.lua")
MARK = "WRK-RESULT "


def available() -> bool:
    return shutil.which("wrk") is not None


def lua_string(value: str | bytes) -> str:
    """A Lua string literal for any text: printable ASCII as is, every other byte as a decimal escape."""
    raw = value.encode() if isinstance(value, str) else value
    out = []
    for byte in raw:
        if 32 <= byte < 127 and byte not in (34, 92):
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def _lua(value) -> str:
    if isinstance(value, (str, bytes)):
        return lua_string(value)
    if isinstance(value, list):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua_string(k)}] = {_lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Lua form for {type(value).__name__}")


# Sent by every browser, and by Locust: without it the server would skip compressing the page (about a tenth of
# a page's CPU) and the figures would flatter it.
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br"}


def people(scenario: str, spec: dict) -> list[dict]:
    """The simulated people of a closed-loop scenario: method, headers, URLs and (for autosave) bodies."""
    result = _people(scenario, spec)
    for person in result:
        person["headers"] = {**BROWSER_HEADERS, **person["headers"]}
    return result


def _people(scenario: str, spec: dict) -> list[dict]:
    from benchmarks.locustfile_names import BOUNDARY, multipart

    if "urls" in spec:
        return [{"method": "GET", "headers": {}, "urls": list(spec["urls"])}]
    result = []
    for session in spec["sessions"]:
        if "autosave" in session:
            # Typing: the first answer alternates between its text and its text plus a space (wrk.lua sends the
            # bodies in turn), so every save changes the draft: a row lock and an UPDATE each time.
            pairs = [tuple(p) for p in session["pairs"]]
            bodies = []
            for suffix in ("", " "):
                changed = list(pairs)
                if changed:
                    changed[0] = (changed[0][0], changed[0][1] + suffix)
                bodies.append(multipart(changed))
            # Answers uncompressed: wrk cannot decompress, and a compressed error answer (an expired session's is
            # ~450 bytes, which the server gzips) would hide the text that marks it as an error. A saved answer is
            # a fragment under the 200 bytes below which the server compresses nothing, so the work is the same.
            headers = {
                "Cookie": session["cookie"],
                "X-CSRFToken": session["csrf"],
                "HX-Request": "true",
                "HX-Target": "autosave-status",
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                "Accept-Encoding": "identity",
            }
            result.append(
                {
                    "method": "POST",
                    "headers": headers,
                    "urls": [session["autosave"]],
                    "bodies": bodies,
                    "reject": "<strong>",
                }
            )
        else:
            result.append(
                {"method": "GET", "headers": {"Cookie": session["cookie"]}, "urls": list(session["urls"])}
            )
    random.Random(scenario).shuffle(result)
    return result


def data_file(scenario: str, spec: dict, directory: str) -> str:
    path = os.path.join(directory, f"{scenario}.lua")
    Path(path).write_text("return " + _lua(people(scenario, spec)) + "\n", encoding="ascii")
    return path


def parse(output: str) -> dict:
    line = next((line for line in output.splitlines() if line.startswith(MARK)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result: {output[-2000:]}")
    return json.loads(line[len(MARK) :])


def run(*, scenario: str, spec: dict, host: str, users: int, duration: int) -> dict:
    """Run one scenario for ``duration`` seconds with ``users`` closed-loop people; the same keys as Locust's result."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "BENCH_WRK_DATA": data_file(scenario, spec, tmp)}
        command = [
            "wrk",
            "-t",
            str(users),
            "-c",
            str(users),
            "-d",
            f"{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(SCRIPT),
            host.rstrip("/") + "/",
        ]
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=duration + 60)  # noqa: S603
        elapsed = time.monotonic() - started
    found = parse(completed.stdout + completed.stderr)
    seconds = found["duration_us"] / 1e6 or 1
    errors = found["failures"] + found["connect"] + found["read"] + found["write"] + found["timeout"]
    failures = [f"{found[k]}× {k} error" for k in ("connect", "read", "write", "timeout") if found[k]]
    if found["failures"]:
        failures.insert(0, f"{found['failures']}× an answer other than 200")
    return {
        "scenario": scenario,
        "tool": "wrk",
        "users": users,
        "duration_s": duration,
        "wall_s": round(elapsed, 1),
        "requests": found["requests"],
        "errors": errors,
        "rps": round(found["requests"] / seconds, 1),
        "p50_ms": _ms(found["p50_us"]),
        "p95_ms": _ms(found["p95_us"]),
        "p99_ms": _ms(found["p99_us"]),
        # Bytes on the wire (compressed bodies and headers); Locust's figure is the uncompressed body.
        "avg_bytes": int(found["bytes"] / found["requests"]) if found["requests"] else 0,
        "by_name": {},
        "failures": failures,
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def _ms(microseconds: int) -> float:
    """Milliseconds, two significant figures as Locust reports them."""
    value = microseconds / 1000
    return float(f"{value:.2g}") if value < 100 else float(round(value, -1))
