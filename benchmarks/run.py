"""Run each load scenario for a bounded time and write the results as JSON and Markdown.

Closed-loop scenarios run with wrk (``benchmarks/wrk.py``) when it is installed, otherwise with Locust
headless; the mixed scenario (people with think time) always runs with Locust.

    python -m benchmarks.run scenarios --host URL --targets FILE --scale NAME --out FILE.json
    python -m benchmarks.run report RUN.json [RUN.json ...] --markdown docs/performance.md --command "..."

The trivial view (a plain HttpResponse) runs first and last on the same server; the ceiling is the better
of the two, and every scenario's throughput is reported as a ratio of it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import throttled, wrk
from benchmarks.locustfile_names import CLASSES, ORDER

ROOT = Path(__file__).resolve().parent.parent
START = "<!-- bench-results:start -->"
END = "<!-- bench-results:end -->"


# Each scenario's target as a share of the trivial view's throughput in the same run (docs/performance.md,
# "Targets"): visitors' cached pages at least half of it; the staff registration list at 0.06, the share that
# "p95 under 100 ms at 20 people" comes to on a ceiling of ~3,500 req/s; the indicators dashboard, which reads one
# snapshot row whatever the data, at 0.1 (about the profile page, which also reads a few rows).
TARGETS = {
    "anonymous_home": 0.5,
    "anonymous_catalogue": 0.5,
    "events_list": 0.5,
    "event_detail": 0.5,
    "event_registrations": 0.06,
    "insights_dashboard": 0.1,
}


def target_line(results: list[dict]) -> list[str]:
    """One line saying, for each scenario with a target, whether this run met it."""
    parts = []
    for r in results:
        goal = TARGETS.get(r["scenario"])
        if goal is None or r.get("ratio") is None:
            continue
        verdict = "met" if r["ratio"] >= goal else "**missed**"
        parts.append(f"{r['scenario']} ≥ {goal:g}: {verdict} ({r['ratio']:g})")
    return ["", "Targets (ratio to the ceiling): " + "; ".join(parts) + "."] if parts else []


def markers(block: str) -> tuple[str, str]:
    """The comment markers of a results block: the default one, or a named one (e.g. ``postgresql``)."""
    if not block:
        return START, END
    return f"<!-- bench-results:{block}:start -->", f"<!-- bench-results:{block}:end -->"


def run_locust(*, scenario: str, host: str, targets: str, users: int, duration: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "stats")
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "benchmarks" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{duration}s",
            "--host",
            host,
            "--csv",
            prefix,
            "--only-summary",
            "--stop-timeout",
            "5",
            "--loglevel",
            "ERROR",
            *CLASSES[scenario].split(),
        ]
        env = {**os.environ, "BENCH_TARGETS": targets}
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        completed = subprocess.run(  # noqa: S603 - our own fixed command line
            command, env=env, capture_output=True, text=True, timeout=duration + 60, cwd=ROOT
        )
        elapsed = time.monotonic() - started
        stats_file = Path(prefix + "_stats.csv")
        if not stats_file.exists():
            raise RuntimeError(f"locust wrote no statistics for {scenario}: {completed.stderr[-2000:]}")
        with stats_file.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        failures_file = Path(prefix + "_failures.csv")
        failures = []
        if failures_file.exists():
            with failures_file.open(encoding="utf-8") as handle:
                failures = [f"{r['Occurrences']}× {r['Error']}" for r in csv.DictReader(handle)][:5]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return {
        "scenario": scenario,
        "tool": "locust",
        "users": users,
        "duration_s": duration,
        "wall_s": round(elapsed, 1),
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": _ms(total["50%"]),
        "p95_ms": _ms(total["95%"]),
        "p99_ms": _ms(total["99%"]),
        "avg_bytes": int(float(total["Average Content Size"])),
        "by_name": {
            r["Name"]: {"requests": int(r["Request Count"]), "p95_ms": _ms(r["95%"])}
            for r in rows
            if r["Name"] != "Aggregated"
        },
        "failures": failures,
        # The machine's 1-minute load average before and after (other work on the same cores skews figures).
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def scenarios(args) -> None:
    with open(args.targets, encoding="utf-8") as handle:
        targets = json.load(handle)
    wanted = [s for s in ORDER if not args.only or s in args.only.split(",")]
    results, skipped = [], {}
    ceiling_runs = []
    plan = ["trivial", *[s for s in wanted if s != "trivial"], "trivial"]
    for scenario in plan:
        spec = targets["scenarios"].get(scenario, {"skip": "no targets"})
        if "skip" in spec:
            skipped[scenario] = spec["skip"]
            print(f"  {scenario:<26} skipped: {spec['skip']}", flush=True)
            continue
        users = args.mixed_users if scenario == "mixed" else args.users

        def load(duration: int, scenario=scenario, spec=spec, users=users) -> dict:
            if args.tool == "wrk" and scenario != "mixed":
                return wrk.run(scenario=scenario, spec=spec, host=args.host, users=users, duration=duration)
            return run_locust(
                scenario=scenario, host=args.host, targets=args.targets, users=users, duration=duration
            )

        if args.warmup:
            # Not recorded: the workers' first views of each lesson, topic and course fill their caches and
            # compile the templates (up to half a second each), which a server that has been up for a while
            # has long done; without this the start-up lands in the p95 and p99.
            load(args.warmup)
        result = load(args.duration)
        print(
            f"  {scenario:<26} {result['rps']:>8.1f} req/s  p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms"
            f"  p99 {result['p99_ms']} ms  errors {result['errors']}",
            flush=True,
        )
        if scenario == "trivial":
            ceiling_runs.append(result)
        else:
            results.append(result)
    ceiling = max(ceiling_runs, key=lambda r: r["rps"]) if ceiling_runs else None
    for result in results:
        # The mixed scenario paces itself with think time, so its throughput is not a ratio of anything.
        closed_loop = result["scenario"] != "mixed"
        result["ratio"] = (
            round(result["rps"] / ceiling["rps"], 3) if closed_loop and ceiling and ceiling["rps"] else None
        )
    payload = {
        "scale": args.scale,
        "generated_users": targets.get("generated_users"),
        "database": args.database,
        "server": args.server,
        "tool": args.tool,
        "warmup_s": args.warmup,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "ceiling": ceiling,
        "ceiling_runs": [r["rps"] for r in ceiling_runs],
        "results": results,
        "skipped": skipped,
        "forum_search": args.search or None,
        "ceremony_pdf": args.ceremony or None,
        "throttled": json.loads(Path(args.throttled).read_text(encoding="utf-8")) if args.throttled else None,
        "generation_s": args.generation_seconds,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _fmt(value, suffix="") -> str:
    return "–" if value is None else f"{value:g}{suffix}"


def markdown(runs: list[dict], command: str, block: str = "") -> str:
    start, end = markers(block)
    lines = [
        start,
        "",
        f"Measured {datetime.fromisoformat(runs[0]['started']):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores ({_cpu_model()}), "
        f"Python {platform.python_version()}, {runs[0]['database']}.",
        f"Server: {runs[0]['server']}.",
        "",
        f"Command: `{command}`",
        "",
    ]
    for run in runs:
        ceiling = run["ceiling"]
        lines += [
            f"#### Scale `{run['scale']}` ({run['generated_users']:,} generated users)",
            "",
            f"Ceiling (trivial view): **{_fmt(ceiling['rps'])} req/s**, p50 {_fmt(ceiling['p50_ms'])} ms, "
            f"p95 {_fmt(ceiling['p95_ms'])} ms (runs: {', '.join(str(r) for r in run['ceiling_runs'])}).",
            "",
            "| Scenario | Users | req/s | p50 ms | p95 ms | p99 ms | Errors | Ratio to ceiling | Avg bytes |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in run["results"]:
            lines.append(
                f"| {r['scenario']} | {r['users']} | {_fmt(r['rps'])} | {_fmt(r['p50_ms'])} | {_fmt(r['p95_ms'])} | "
                f"{_fmt(r['p99_ms'])} | {r['errors']} | {_fmt(r['ratio'])} | {r['avg_bytes']:,} |"
            )
        for scenario, reason in run["skipped"].items():
            lines.append(f"| {scenario} | – | – | – | – | – | – | skipped: {reason} | – |")
        lines += target_line(run["results"])
        if any(r.get("tool") == "wrk" for r in run["results"]):
            lines += [
                "",
                "Avg bytes: for rows driven by wrk, the response as it crossed the wire (gzip-compressed body "
                "and headers); for Locust rows (the mixed scenario), the uncompressed body.",
            ]
        loads = [x for r in run["results"] + ([ceiling] if ceiling else []) for x in r.get("load", [])]
        if loads:
            lines += [
                "",
                f"Load average (1 min) during the runs: {min(loads):g}–{max(loads):g} on {os.cpu_count()} cores "
                "(the load generator and anything else running on the machine included).",
            ]
        if run.get("forum_search"):
            lines += [
                "",
                f"Forum search (`manage.py community_search_bench`, the search page's count + first page, in-process): {run['forum_search']}.",
            ]
        if run.get("ceremony_pdf"):
            lines += [
                "",
                "Ceremony PDF (`manage.py bench_ceremony`, the certificates of a whole ceremony in one A4 PDF, "
                f"built in memory as the worker builds it; independent of the data scale): {run['ceremony_pdf']}.",
            ]
        if run.get("throttled"):
            lines += throttled.markdown(run["throttled"])
        if run.get("generation_s") is not None:
            lines += [
                "",
                f"Data: migrate + collectstatic + `generate_data --scale {run['scale']}` took {run['generation_s']} s.",
            ]
        mixed = next((r for r in run["results"] if r["scenario"] == "mixed" and r.get("by_name")), None)
        if mixed:
            lines += [
                "",
                "Mixed scenario by request (people with 1–3 s think time): "
                + ", ".join(
                    f"{name.removeprefix('mixed: ')} {v['requests']:,} req p95 {_fmt(v['p95_ms'])} ms"
                    for name, v in sorted(mixed["by_name"].items())
                )
                + ".",
            ]
        failures = [f"{r['scenario']}: {'; '.join(r['failures'])}" for r in run["results"] if r["failures"]]
        if failures:
            lines += ["", "Errors: " + " / ".join(failures)]
        lines.append("")
    if len(runs) > 1:
        first, last = runs[0], runs[-1]
        lines += [
            f"#### p95 as data grows: `{first['scale']}` → `{last['scale']}`",
            "",
            f"| Scenario | p95 {first['scale']} ms | p95 {last['scale']} ms | Growth |",
            "|---|---:|---:|---:|",
        ]
        before = {r["scenario"]: r for r in first["results"]}
        for r in last["results"]:
            b = before.get(r["scenario"])
            if b and b["p95_ms"] and r["p95_ms"]:
                lines.append(
                    f"| {r['scenario']} | {_fmt(b['p95_ms'])} | {_fmt(r['p95_ms'])} | {r['p95_ms'] / b['p95_ms']:.2f}× |"
                )
        lines.append("")
    lines.append(end)
    return "\n".join(lines)


def report(args) -> None:
    runs = [json.loads(Path(p).read_text(encoding="utf-8")) for p in args.runs]
    combined = Path(args.json_out)
    combined.parent.mkdir(parents=True, exist_ok=True)
    combined.write_text(
        json.dumps(
            {"command": args.command, "cores": os.cpu_count(), "runs": runs}, ensure_ascii=False, indent=1
        ),
        encoding="utf-8",
    )
    start, end = markers(args.block)
    block = markdown(runs, args.command, args.block)
    target = Path(args.markdown)
    text = (
        target.read_text(encoding="utf-8")
        if target.exists()
        else "# Performance\n\n" + start + "\n" + end + "\n"
    )
    if start in text and end in text:
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    target.write_text(text, encoding="utf-8")
    print(block.replace(start, "").replace(end, ""))
    print(f"written to {target} and {combined}")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("scenarios")
    s.add_argument("--host", required=True)
    s.add_argument("--targets", required=True)
    s.add_argument("--scale", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--users", type=int, default=20)
    s.add_argument("--mixed-users", type=int, default=60)
    s.add_argument("--duration", type=int, default=20)
    s.add_argument(
        "--warmup", type=int, default=3, help="seconds of the same load before each scenario, not recorded"
    )
    s.add_argument("--only", default="")
    s.add_argument(
        "--tool",
        choices=["wrk", "locust"],
        default="wrk" if wrk.available() else "locust",
        help="load generator of the closed-loop scenarios (the mixed scenario always uses Locust)",
    )
    s.add_argument("--database", default="")
    s.add_argument("--server", default="")
    s.add_argument("--search", default="", help="the summary line of manage.py community_search_bench")
    s.add_argument("--ceremony", default="", help="the summary line of manage.py bench_ceremony")
    s.add_argument("--throttled", default="", help="JSON written by benchmarks.throttled")
    s.add_argument("--generation-seconds", type=int, default=None)
    r = sub.add_parser("report")
    r.add_argument("runs", nargs="+")
    r.add_argument("--markdown", required=True)
    r.add_argument("--json-out", required=True)
    r.add_argument("--command", default="make bench")
    r.add_argument("--block", default="", help="name of the results block to replace (default: the main one)")
    args = parser.parse_args()
    scenarios(args) if args.command == "scenarios" else report(args)


if __name__ == "__main__":
    main()
