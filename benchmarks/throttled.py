"""Lighthouse-style timing of key pages on a throttled phone, through Chromium's own DevTools protocol.

Run by ``make bench`` against the benchmark server while it serves the first data scale; nothing is downloaded:
Playwright drives Debian's Chromium (``/usr/bin/chromium`` or ``CHROMIUM_PATH``) and the throttling is the
DevTools protocol's own (``Network.emulateNetworkConditions``, ``Emulation.setCPUThrottlingRate``).

Each page is loaded twice in a fresh 360 x 740 browser context: first with an empty cache (a first visit),
then again in the same context (a return visit: static files come from the cache, as their one-year
``Cache-Control`` allows). Reported per page and network profile: first contentful paint, largest contentful paint, DOMContentLoaded, load, bytes over the wire and requests.

"Throttled phone: service worker" (issue 21): the catalogue, a lesson (a signed-in enrolled learner) and a call page
under Lighthouse's mobile conditions exactly (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU 4x slower),
the return visit once the service worker (core/pwa.py) controls the page; its network is throttled like the
page's. A page budget: largest contentful paint under 2.5 s on a first visit and under 1 s on a return visit, else
the command exits with status 3 (after writing its JSON) and ``make bench`` fails.

    python -m benchmarks.throttled --host http://127.0.0.1:8765 --targets var/bench/targets-small.json --out X.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
from pathlib import Path

# The DevTools presets (bytes per second and milliseconds, as Chrome's own network panel defines them), with
# the 4x CPU slowdown Lighthouse uses for its mobile run: a mid-range phone on a weak regional connection.
PROFILES = {
    "slow-4g": {
        "latency": 150 * 3.75,
        "download": 1.6 * 1000 * 1000 / 8 * 0.9,
        "upload": 750 * 1000 / 8 * 0.9,
        "cpu": 4,
    },
    "3g": {"latency": 400 * 5, "download": 780 * 1000 / 8 * 0.9, "upload": 330 * 1000 / 8 * 0.9, "cpu": 4},
}

# Lighthouse's mobile run as issue 21 states it, taken literally (no DevTools adjustment factors).
LIGHTHOUSE_MOBILE = {"latency": 150, "download": 1.6 * 1000 * 1000 / 8, "upload": 750 * 1000 / 8, "cpu": 4}
# Largest contentful paint budgets of the service-worker pages, ms (issue 21).
LCP_BUDGET = {"first": 2500, "repeat": 1000}
BUDGET_EXCEEDED = 3  # exit status

METRICS_JS = """
() => new Promise((resolve) => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  let lcp = null;
  try {
    new PerformanceObserver((list) => {
      const entries = list.getEntries();
      if (entries.length) lcp = entries[entries.length - 1].startTime;
    }).observe({type: 'largest-contentful-paint', buffered: true});
  } catch (e) {}
  setTimeout(() => resolve({
    fcp: paint ? paint.startTime : null,
    lcp: lcp,
    html: nav ? nav.responseEnd : null,
    dcl: nav ? nav.domContentLoadedEventEnd : null,
    load: nav ? nav.loadEventEnd : null,
  }), 50);
})
"""


def chromium_path() -> str | None:
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit if os.path.exists(explicit) else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def pages_from(targets: dict) -> list[dict]:
    """The key pages to time: one URL per kind, signed in where the page is for signed-in people."""
    scenarios = targets["scenarios"]
    pages: list[dict] = [{"label": "home", "url": "/", "cookie": None}]

    def first_url(name: str) -> str | None:
        spec = scenarios.get(name, {})
        return (spec.get("urls") or [None])[0]

    catalogue = scenarios.get("anonymous_catalogue", {}).get("urls") or []
    if catalogue:
        pages.append({"label": "catalogue", "url": catalogue[0], "cookie": None})
        if len(catalogue) > 2:
            pages.append({"label": "course page", "url": catalogue[2], "cookie": None})
    learner = (scenarios.get("lesson_page", {}).get("sessions") or [None])[0]
    if learner and learner.get("urls"):
        pages.append({"label": "lesson (signed in)", "url": learner["urls"][0], "cookie": learner["cookie"]})
    reader = (scenarios.get("forum_topic", {}).get("sessions") or [None])[0]
    if reader and reader.get("urls"):
        pages.append(
            {"label": "forum topic (signed in)", "url": reader["urls"][0], "cookie": reader["cookie"]}
        )
    verification = first_url("credential_verification")
    if verification:
        pages.append({"label": "certificate verification", "url": verification, "cookie": None})
    applicant = (scenarios.get("application_autosave", {}).get("sessions") or [None])[0]
    if applicant and applicant.get("form"):
        pages.append(
            {"label": "application form (signed in)", "url": applicant["form"], "cookie": applicant["cookie"]}
        )
    sign_in = first_url("sign_in_page")
    if sign_in:
        pages.append({"label": "sign in", "url": sign_in, "cookie": None})
    return pages


def service_worker_pages(targets: dict) -> list[dict]:
    """The issue's three pages: the catalogue (visitor), a lesson (a signed-in enrolled learner), a call (visitor)."""
    scenarios = targets["scenarios"]
    pages: list[dict] = []
    catalogue = scenarios.get("anonymous_catalogue", {}).get("urls") or []
    if catalogue:
        pages.append({"label": "catalogue", "url": catalogue[0], "cookie": None})
    learner = (scenarios.get("lesson_page", {}).get("sessions") or [None])[0]
    if learner and learner.get("urls"):
        pages.append({"label": "lesson (signed in)", "url": learner["urls"][0], "cookie": learner["cookie"]})
    applicant = (scenarios.get("application_autosave", {}).get("sessions") or [None])[0]
    if applicant and applicant.get("call"):
        pages.append({"label": "call page", "url": applicant["call"], "cookie": None})
    return pages


def _cookies(header: str | None, host: str) -> list[dict]:
    if not header:
        return []
    cookies = []
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            cookies.append({"name": name, "value": value, "url": host})
    return cookies


def _conditions(profile: dict) -> dict:
    return {
        "offline": False,
        "latency": profile["latency"],
        "downloadThroughput": profile["download"],
        "uploadThroughput": profile["upload"],
    }


def _throttle_service_worker(browser, page, profile: dict):
    """Apply the page's network conditions to its service worker too (the worker fetches the pages itself, so an
    unthrottled worker would make a return visit look faster than a phone sees it). Through the browser's own
    DevTools session: the worker's target, attached without flattening, takes the same commands for as long as
    that session stays open, so the caller detaches it after the visit. None when there is no worker."""
    session = browser.new_browser_cdp_session()
    context_id = page.context.new_cdp_session(page).send("Target.getTargetInfo")["targetInfo"][
        "browserContextId"
    ]
    workers = [
        target
        for target in session.send("Target.getTargets")["targetInfos"]
        if target["type"] == "service_worker" and target.get("browserContextId") == context_id
    ]
    for worker in workers:
        attached = session.send("Target.attachToTarget", {"targetId": worker["targetId"], "flatten": False})
        for number, (method, params) in enumerate(
            [("Network.enable", {}), ("Network.emulateNetworkConditions", _conditions(profile))], start=1
        ):
            message = json.dumps({"id": number, "method": method, "params": params})
            session.send(
                "Target.sendMessageToTarget", {"sessionId": attached["sessionId"], "message": message}
            )
    if not workers:
        session.detach()
        return None
    return session


def time_page(browser, host: str, page_spec: dict, profile: dict, *, service_worker: bool = False) -> dict:
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="ka-GE",
        # Without the service worker the return visit is the HTTP cache's, as before the worker existed.
        service_workers="allow" if service_worker else "block",
    )
    context.add_cookies(_cookies(page_spec["cookie"], host))
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", _conditions(profile))
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu"]})
    wire: dict = {"bytes": 0, "responses": set(), "cached": set(), "worker": set()}

    def finished(event):
        wire["bytes"] += int(event.get("encodedDataLength", 0))

    def received(event):
        if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
            wire["cached"].add(event["requestId"])
        if event["response"].get("fromServiceWorker"):
            wire["worker"].add(event["requestId"])
        wire["responses"].add(event["requestId"])

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.responseReceived", received)
    cdp.on("Network.requestServedFromCache", lambda event: wire["cached"].add(event["requestId"]))
    visits = {}
    worker_session = None
    for visit in ("first", "repeat"):
        if visit == "repeat" and service_worker:
            # The worker registers after the first visit's load event; the return visit starts once it controls
            # the page and has stored the static files.
            page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
            page.wait_for_load_state("networkidle")
            worker_session = _throttle_service_worker(browser, page, profile)
            if worker_session is None:
                raise RuntimeError("no service worker to throttle")
        wire.update(bytes=0, responses=set(), cached=set(), worker=set())
        response = page.goto(host + page_spec["url"], wait_until="load", timeout=120_000)
        status = response.status if response else None
        metrics = page.evaluate(METRICS_JS)
        visits[visit] = {
            "status": status,
            "final_path": page.url.removeprefix(host),
            **{k: (round(v) if v is not None else None) for k, v in metrics.items()},
            "bytes": wire["bytes"],
            # Only what crossed the (throttled) network, not what the memory or disk cache served.
            "requests": len(wire["responses"] - wire["cached"] - wire["worker"]),
            "from_service_worker": len(wire["worker"]),
        }
    if worker_session is not None:
        worker_session.detach()
    context.close()
    return {"label": page_spec["label"], "url": page_spec["url"], **visits}


def run(host: str, targets_path: str, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    targets = json.loads(Path(targets_path).read_text(encoding="utf-8"))
    path = chromium_path()
    if not path:
        return {"skipped": "Chromium not found (install Debian's chromium package or set CHROMIUM_PATH)"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            result = measure(browser, host, pages_from(targets), runs)
            sw_pages = service_worker_pages(targets)
            if sw_pages:
                result["service_worker"] = measure_service_worker(browser, host, sw_pages, runs)
            return result
        finally:
            browser.close()


def measure(browser, host: str, pages: list[dict], runs: int, profiles: dict | None = None) -> dict:
    profiles = profiles or PROFILES
    results: dict[str, list[dict]] = {}
    for name, profile in profiles.items():
        rows = []
        for spec in pages:
            rows.append(_median([time_page(browser, host, spec, profile) for _ in range(runs)]))
            first = rows[-1]["first"]
            print(
                f"  throttled {name:<8} {spec['label']:<30} FCP {first['fcp']} ms  LCP {first['lcp']} ms  "
                f"load {first['load']} ms  {first['bytes']:,} B / {first['requests']} requests",
                flush=True,
            )
        results[name] = rows
    return {"profiles": profiles, "runs_per_page": runs, "pages": results}


def measure_service_worker(
    browser, host: str, pages: list[dict], runs: int, profile: dict | None = None
) -> dict:
    """The issue-21 pages under Lighthouse's mobile conditions, the return visit with the service worker in control,
    checked against the LCP budgets."""
    profile = profile or LIGHTHOUSE_MOBILE
    rows = []
    for spec in pages:
        rows.append(
            _median([time_page(browser, host, spec, profile, service_worker=True) for _ in range(runs)])
        )
        first, repeat = rows[-1]["first"], rows[-1]["repeat"]
        print(
            f"  throttled phone + service worker {spec['label']:<20} LCP first {first['lcp']} ms, "
            f"repeat {repeat['lcp']} ms ({repeat['from_service_worker']:g} responses from the worker)",
            flush=True,
        )
    return {
        "profile": profile,
        "runs_per_page": runs,
        "budget": LCP_BUDGET,
        "pages": rows,
        "over_budget": over_budget(rows),
    }


def over_budget(rows: list[dict]) -> list[str]:
    """What exceeds the LCP budgets (a page without an LCP counts as exceeding)."""
    problems = []
    for row in rows:
        for visit, limit in LCP_BUDGET.items():
            lcp = row[visit]["lcp"]
            if lcp is None or lcp >= limit:
                problems.append(
                    f"{row['label']}: {visit} visit LCP {_n(lcp)} ms (budget: under {limit:,} ms)"
                )
    return problems


def _median(samples: list[dict]) -> dict:
    """Per metric, the median over the runs (each run is a fresh context: a first visit, then a return visit)."""
    merged = {"label": samples[0]["label"], "url": samples[0]["url"]}
    for visit in ("first", "repeat"):
        merged[visit] = {}
        for key in samples[0][visit]:
            values = [s[visit][key] for s in samples if s[visit][key] is not None]
            numeric = key not in ("status", "final_path")
            merged[visit][key] = statistics.median(values) if values and numeric else samples[0][visit][key]
    return merged


def markdown(result: dict) -> list[str]:
    """Lines for docs/performance.md (inside the results block)."""
    if not result or "pages" not in result:
        reason = (result or {}).get("skipped", "not run")
        return [f"Throttled page timing: skipped ({reason})."]
    lines = []
    for name, rows in result["pages"].items():
        profile = result["profiles"][name]
        lines += [
            "",
            f"Throttled page timing, **{name}** (DevTools protocol: {profile['latency']:g} ms latency, "
            f"{profile['download'] * 8 / 1000:g} kbit/s down, {profile['upload'] * 8 / 1000:g} kbit/s up, "
            f"CPU slowed {profile['cpu']}×; 360 × 740 phone viewport; median of {result['runs_per_page']} fresh "
            "contexts; each cell: first visit with an empty cache / return visit; bytes and requests are what crossed the "
            "network):",
            "",
            "| Page | FCP ms | LCP ms | Load ms | Bytes | Requests |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for row in rows:
            first, repeat = row["first"], row["repeat"]
            lines.append(
                f"| {row['label']} | {_n(first['fcp'])} / {_n(repeat['fcp'])} | "
                f"{_n(first['lcp'])} / {_n(repeat['lcp'])} | {_n(first['load'])} / {_n(repeat['load'])} | "
                f"{first['bytes']:,} / {repeat['bytes']:,} | {first['requests']:g} / {repeat['requests']:g} |"
            )
    return lines + service_worker_markdown(result)


def service_worker_markdown(result: dict) -> list[str]:
    """The "Throttled phone: service worker" table."""
    sw = (result or {}).get("service_worker")
    if not sw:
        return []
    profile = sw["profile"]
    lines = [
        "",
        f"Throttled phone with the service worker (Lighthouse's mobile conditions: {profile['latency']:g} ms round "
        f"trip, {profile['download'] * 8 / 1000:g} kbit/s down, {profile['upload'] * 8 / 1000:g} kbit/s up, CPU "
        f"slowed {profile['cpu']}×; 360 × 740; median of {sw['runs_per_page']} fresh contexts; first visit with an "
        "empty cache / return visit with the service worker in control, its network throttled alike). Budget: LCP "
        f"under {sw['budget']['first']:,} ms first, under {sw['budget']['repeat']:,} ms on return:",
        "",
        "| Page | LCP ms first / return | FCP ms | Bytes | Requests over the network | From the worker |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in sw["pages"]:
        first, repeat = row["first"], row["repeat"]
        lines.append(
            f"| {row['label']} | {_n(first['lcp'])} / {_n(repeat['lcp'])} | {_n(first['fcp'])} / {_n(repeat['fcp'])} | "
            f"{first['bytes']:,} / {repeat['bytes']:,} | {first['requests']:g} / {repeat['requests']:g} | "
            f"{repeat['from_service_worker']:g} |"
        )
    lines += [
        "",
        "On the return visit every response reaches the page through the worker (last column): static files from its "
        "cache, the page itself fetched by the worker over the same throttled network, which the page's own "
        "DevTools session does not count in bytes and requests.",
        "",
        "Over budget: " + ("; ".join(sw["over_budget"]) if sw["over_budget"] else "nothing") + ".",
    ]
    return lines


def _n(value) -> str:
    return "–" if value is None else f"{value:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--targets", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument(
        "--runs", type=int, default=3, help="fresh contexts per page and profile (median reported)"
    )
    args = parser.parse_args()
    result = run(args.host, args.targets, args.runs)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    over = (result.get("service_worker") or {}).get("over_budget")
    if over:
        print("page budget exceeded: " + "; ".join(over), flush=True)
        raise SystemExit(BUDGET_EXCEEDED)


if __name__ == "__main__":
    main()
