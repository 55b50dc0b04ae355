"""Computing the indicators: every domain's aggregates (through its ``api``) turned into one snapshot of cells.

No person's data ever enters a snapshot: the domains return counts grouped by course, call, month, region,
organisation type and gender, and only those counts are kept.
"""

from __future__ import annotations

from decimal import Decimal

from django.apps import apps
from django.db import transaction

from accounts.api import record
from insights.models import Snapshot

KEEP = 3  # snapshots kept: the page reads only the newest (a large one is several MB)


def _month(value) -> str:
    return f"{value:%Y-%m}" if value else ""


def _amount(value) -> str:
    return str(value.quantize(Decimal("0.01"))) if value is not None else ""


def _fact(
    figure: str,
    series: str,
    row: dict,
    *,
    key="",
    ka="",
    en="",
    region="",
    kind="",
    gender="",
    n=None,
    amount=None,
):
    return {
        "f": figure,
        "k": str(key),
        "ka": ka or "",
        "en": en or ka or "",
        "s": series,
        "m": _month(row.get("month")),
        "r": region or "",
        "o": kind or "",
        "g": gender or "",
        "n": int(row["n"] if n is None else n),
        "a": _amount(amount),
    }


def _learning() -> list[dict]:
    if not apps.is_installed("learning"):
        return []
    from learning.api import enrolment_figures

    facts = []
    for row in enrolment_figures():
        common = {
            "key": row["course_id"],
            "ka": row["course__title"],
            "region": row["user__region"],
            "gender": row["user__gender"],
        }
        facts.append(_fact("enrolments", "enrolled", row, **common))
        if row["completed"]:
            facts.append(_fact("enrolments", "completed", row, n=row["completed"], **common))
    return facts


def _calls() -> list[dict]:
    if not apps.is_installed("calls"):
        return []
    from calls.api import application_figures

    figures = application_figures()
    facts = []
    for row in figures["applications"]:
        series = row["outcome"] if row["status"] == "decided" and row["outcome"] else row["status"]
        facts.append(
            _fact(
                "applications",
                series,
                row,
                key=row["call_id"],
                ka=row["call__title_ka"],
                en=row["call__title_en"],
                region=row["organisation__region"] or row["applicant__region"],
                kind=row["organisation__kind"],
                gender=row["applicant__gender"],
            )
        )
    for row in figures["reasons"]:
        facts.append(
            _fact(
                "decline_reasons",
                "n",
                row,
                key=row["reason__label_ka"],
                ka=row["reason__label_ka"],
                en=row["reason__label_en"],
            )
        )
    return facts


def _awards() -> list[dict]:
    if not apps.is_installed("awards"):
        return []
    from awards.api import award_figures

    figures = award_figures()
    facts = []
    for row in figures["grants"]:
        facts.append(
            _fact(
                "grants",
                "awarded",
                row,
                key="awarded",
                region=row["organisation__region"],
                kind=row["organisation__kind"],
                gender=row["grantee__gender"],
                amount=row["amount"],
            )
        )
    for row in figures["payments"]:
        facts.append(
            _fact(
                "grants",
                "paid",
                row,
                key="paid",
                region=row["tranche__project__organisation__region"],
                kind=row["tranche__project__organisation__kind"],
                amount=row["amount"],
            )
        )
    for row in figures["milestones"]:
        common = {"region": row["project__organisation__region"], "kind": row["project__organisation__kind"]}
        if row["on_time"]:
            facts.append(_fact("milestones", "on_time", row, key="on_time", n=row["on_time"], **common))
        if row["n"] - row["on_time"]:
            facts.append(_fact("milestones", "late", row, key="late", n=row["n"] - row["on_time"], **common))
    for row in figures["internships"]:
        common = {
            "region": row["position__host__region"],
            "kind": row["position__host__kind"],
            "gender": row["intern__gender"],
        }
        facts.append(_fact("internships", "placed", row, key="placed", **common))
        if row["status"] == "completed":
            facts.append(_fact("internships", "completed", row, key="completed", **common))
    return facts


def _credentials() -> list[dict]:
    if not apps.is_installed("credentials"):
        return []
    from credentials.api import credential_figures

    facts = []
    for row in credential_figures():
        common = {
            "key": row["achievement_id"],
            "ka": row["achievement__name_ka"],
            "en": row["achievement__name_en"],
            "region": row["user__region"],
            "gender": row["user__gender"],
        }
        facts.append(_fact("credentials", "issued", row, **common))
        if row["status"] == "revoked":
            facts.append(_fact("credentials", "revoked", row, **common))
    return facts


def _community() -> list[dict]:
    if not apps.is_installed("community"):
        return []
    from community.api import activity_figures

    figures = activity_figures()
    facts = [
        _fact(
            "community", "posts", row, key="posts", region=row["author__region"], gender=row["author__gender"]
        )
        for row in figures["posts"]
    ]
    facts += [_fact("community", "answers", row, key="answers") for row in figures["answers"]]
    return facts


def _events() -> list[dict]:
    """Registrations and attendance, when the events domain is installed and offers its aggregates
    (``events.api.registration_figures()``: rows with event_id, title_ka, title_en, month, registered, attended)."""
    if not apps.is_installed("events"):
        return []
    from events import api as events_api

    figures = getattr(events_api, "registration_figures", None)
    if figures is None:
        return []
    facts = []
    for row in figures():
        common = {"key": row["event_id"], "ka": row["title_ka"], "en": row["title_en"]}
        facts.append(_fact("events", "registered", row, n=row["registered"], **common))
        facts.append(_fact("events", "attended", row, n=row["attended"], **common))
    return facts


def compute_facts() -> list[dict]:
    """Every domain's aggregate cells (a few queries per domain, none per row)."""
    return [*_learning(), *_calls(), *_awards(), *_credentials(), *_community(), *_events()]


def compact(facts: list[dict]) -> dict:
    """A snapshot's data: each row's two titles once in ``labels`` (keyed ``figure:key``), not on each of its cells
    (cells per month, region, organisation type and gender repeat them; at the bench's large scale this halves the
    snapshot). ``queries.facts_of`` puts them back."""
    labels: dict[str, list[str]] = {}
    for fact in facts:
        ka, en = fact.pop("ka"), fact.pop("en")
        labels.setdefault(f"{fact['f']}:{fact['k']}", [ka, en])
    return {"version": 2, "labels": labels, "facts": facts}


def refresh_indicators(*, actor=None) -> Snapshot:
    """A new snapshot of every figure (hourly from ``core.periodic``, or when staff press "refresh now")."""
    facts = compute_facts()
    with transaction.atomic():
        snapshot = Snapshot.objects.create(data=compact(facts))
        stale = Snapshot.objects.order_by("-computed_at", "-pk").values_list("pk", flat=True)[KEEP:]
        Snapshot.objects.filter(pk__in=list(stale)).delete()
        if actor is not None:
            record(actor=actor, action="insights.refresh", target=snapshot, note=f"{len(facts)} cells")
    return snapshot
