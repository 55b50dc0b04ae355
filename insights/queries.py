"""Reading the indicators: the latest snapshot, filtered by period, region and organisation type, shaped into the
dashboard's figures (a table each, a chart of one of its columns) and the gender table.

Everything here works on the snapshot's cells in Python: one query for the snapshot, whatever the data's size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.api import Organisation, Region, User
from insights.models import Snapshot

# Gender cells below this many people are shown as "fewer than 5" (never the number), so a small group cannot be
# told apart. Totals are not suppressed: they are counts of activity, not of a trait.
SMALL_CELL = 5
CHART_BARS = 12  # the chart shows the largest rows; the table beside it has them all

IN_PROGRESS = ("submitted", "screening", "in_review", "more_info_requested", "shortlisted")
DECIDED = ("accepted", "rejected", "waitlisted")


Label = str | Promise  # a translated label, looked up when shown


@dataclass(frozen=True)
class Column:
    label: Label
    series: tuple[str, ...] = ()  # () = every series
    measure: str = "n"  # "n": a count, "a": an amount (GEL)


@dataclass(frozen=True)
class Figure:
    slug: str
    title: Label
    key_label: Label  # the heading of the rows' column
    columns: tuple[Column, ...]
    keyed: bool = True  # rows per course, call, ... (else one row, the programme's total)
    rate: bool = False  # applications: the acceptance rate, a last column
    gender_series: str = ""  # the series counted by gender in the gender table ("" = not a count of people)
    note: Label = ""


FIGURES = (
    Figure(
        "enrolments",
        _("Learners enrolled and completed per course"),
        _("Course"),
        (Column(_("Enrolled"), ("enrolled",)), Column(pgettext_lazy("courses", "Completed"), ("completed",))),
        gender_series="enrolled",
    ),
    Figure(
        "applications",
        _("Applications per call and status"),
        _("Call"),
        (
            Column(_("Submitted"), ()),
            Column(_("In progress"), IN_PROGRESS),
            Column(pgettext_lazy("applications", "Accepted"), ("accepted",)),
            Column(pgettext_lazy("applications", "Rejected"), ("rejected",)),
            Column(pgettext_lazy("applications", "Waitlisted"), ("waitlisted",)),
            Column(_("Not compliant"), ("screened_out",)),
            Column(pgettext_lazy("applications", "Withdrawn"), ("withdrawn",)),
        ),
        rate=True,
        gender_series="*",
        note=_(
            "Acceptance rate: accepted applications among those decided (accepted, rejected, waitlisted)."
        ),
    ),
    Figure("decline_reasons", _("Decline reasons"), _("Reason"), (Column(_("Applications"), ("n",)),)),
    Figure(
        "grants",
        _("Grants awarded and paid"),
        _("Programme"),
        (
            Column(_("Grants awarded"), ("awarded",)),
            Column(_("Amount awarded, GEL"), ("awarded",), "a"),
            Column(_("Payments made"), ("paid",)),
            Column(_("Amount paid, GEL"), ("paid",), "a"),
        ),
        keyed=False,
        gender_series="awarded",
    ),
    Figure(
        "milestones",
        _("Milestone reports on time"),
        _("Programme"),
        (Column(_("Reported on time"), ("on_time",)), Column(_("Late or missing"), ("late",))),
        keyed=False,
        note=_("Milestones whose due date has passed; on time: the report was submitted by its due date."),
    ),
    Figure(
        "internships",
        _("Internships placed and completed"),
        _("Programme"),
        (Column(_("Placed"), ("placed",)), Column(pgettext_lazy("internships", "Completed"), ("completed",))),
        keyed=False,
        gender_series="placed",
    ),
    Figure(
        "credentials",
        _("Credentials issued and revoked"),
        _("Credential"),
        (Column(_("Issued"), ("issued",)), Column(pgettext_lazy("credentials", "Revoked"), ("revoked",))),
        gender_series="issued",
    ),
    Figure(
        "events",
        _("Event registrations and attendance"),
        _("Event"),
        (Column(_("Registered"), ("registered",)), Column(_("Attended"), ("attended",))),
    ),
    Figure(
        "community",
        _("Forum and practitioner activity"),
        _("Programme"),
        (Column(_("Forum posts"), ("posts",)), Column(_("Practitioner answers"), ("answers",))),
        keyed=False,
        gender_series="posts",
    ),
)
FIGURES_BY_SLUG = {figure.slug: figure for figure in FIGURES}
GENDER_SLUG = "gender"


# A snapshot's figures never change (a refresh makes a new one), so what is drawn from them is cached under the
# snapshot's id and time: the dashboard's periods and its rendered figures (the template's {% cache %} fragment).
FIGURES_CACHE_SECONDS = (
    2 * 3600
)  # a snapshot is replaced every hour; what was cached of it ages out after two


def snapshot_key(snapshot: Snapshot | None) -> str:
    """The snapshot's id and time (a database restored from a backup may give an id again, not with the same time)."""
    return f"{snapshot.pk}@{snapshot.computed_at.timestamp():.6f}" if snapshot else "none"


def latest_snapshot() -> Snapshot | None:
    """The newest snapshot (one query), or None before the first refresh."""
    return Snapshot.objects.order_by("-computed_at", "-pk").first()


def latest_snapshot_stamp() -> Snapshot | None:
    """The newest snapshot without its figures (one query; ``.data`` is read from the database, one more query, only
    when something asks for it: a dashboard fragment or the periods not in the cache yet)."""
    return Snapshot.objects.defer("data").order_by("-computed_at", "-pk").first()


def cached_periods(snapshot: Snapshot | None) -> list[str]:
    """``periods(snapshot)``, computed once per snapshot and then read from the cache."""
    if snapshot is None:
        return []
    found = cache.get_or_set(
        f"insights:periods:{snapshot_key(snapshot)}", lambda: periods(snapshot), FIGURES_CACHE_SECONDS
    )
    return list(found or [])


def facts_of(snapshot: Snapshot | None) -> list[dict]:
    """The snapshot's cells, each with its row's titles (``ka``, ``en``) again; none before the first refresh.
    A snapshot written before the titles were kept once (version 1) has them on every cell already."""
    if snapshot is None:
        return []
    data = snapshot.data
    if data.get("version", 1) < 2:
        return list(data.get("facts", ()))
    labels = data.get("labels", {})
    return [
        {**fact, "ka": found[0], "en": found[1]}
        for fact in data.get("facts", ())
        for found in [labels.get(f"{fact['f']}:{fact['k']}", ["", ""])]
    ]


def periods(snapshot: Snapshot | None) -> list[str]:
    """The periods the snapshot has figures for, newest first: years, then their quarters, then months."""
    if snapshot is None:
        return []
    months = sorted({fact["m"] for fact in snapshot.data.get("facts", ()) if fact["m"]}, reverse=True)
    years = sorted({m[:4] for m in months}, reverse=True)
    quarters = sorted({_quarter(m) for m in months}, reverse=True)
    return [*years, *quarters, *months]


def _quarter(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def _in_period(month: str, period: str) -> bool:
    if not period:
        return True
    if not month:
        return False
    if "-Q" in period:
        return _quarter(month) == period
    return month.startswith(period)


@dataclass
class Filters:
    period: str = ""
    region: str = ""
    kind: str = ""

    def keep(self, fact: dict) -> bool:
        return (
            _in_period(fact["m"], self.period)
            and (not self.region or fact["r"] == self.region)
            and (not self.kind or fact["o"] == self.kind)
        )


@dataclass
class Bar:
    label: str
    value: int | Decimal
    y: int = 0


@dataclass
class Table:
    figure: Figure
    headers: list[str]
    rows: list[tuple[str, list]]
    bars: list[Bar] = field(default_factory=list)
    bar_max: int | Decimal = 0
    chart_label: str = ""

    @property
    def chart_height(self) -> int:
        return max(len(self.bars), 1) * 40 + 8

    def as_rows(self) -> list[list]:
        """Header and rows, for the CSV and XLSX exports."""
        return [self.headers, *([label, *values] for label, values in self.rows)]


def _label(fact: dict, language: str) -> str:
    return (fact["ka"] if language == "ka" else fact["en"]) or fact["ka"] or fact["k"]


def _value(facts: list[dict], column: Column):
    chosen = [fact for fact in facts if not column.series or fact["s"] in column.series]
    if column.measure == "a":
        return sum((Decimal(fact["a"]) for fact in chosen if fact["a"]), Decimal("0.00"))
    return sum(fact["n"] for fact in chosen)


def _with_bars(table: Table, pairs: list[tuple[str, int | Decimal]], chart_label: str) -> Table:
    pairs = sorted(pairs, key=lambda pair: pair[1], reverse=True)[:CHART_BARS]
    table.bars = [Bar(label, value, y=index * 40) for index, (label, value) in enumerate(pairs)]
    table.bar_max = max((value for _label, value in pairs), default=0) or 1
    table.chart_label = chart_label
    return table


def figure_table(figure: Figure, facts: list[dict]) -> Table:
    """One figure's table (every row) and its chart (the largest rows of its first column, or for a figure of the
    programme's totals, each count column)."""
    language = get_language() or "ka"
    mine = [fact for fact in facts if fact["f"] == figure.slug]
    headers = [str(figure.key_label), *(str(column.label) for column in figure.columns)]
    if figure.rate:
        headers.append(str(_("Acceptance rate, %")))
    groups: dict[str, list[dict]] = defaultdict(list)
    labels: dict[str, str] = {}
    for fact in mine:
        key = fact["k"] if figure.keyed else ""
        groups[key].append(fact)
        labels.setdefault(key, _label(fact, language) if figure.keyed else str(_("All")))
    rows: list[tuple[str, list]] = []
    for key in sorted(groups, key=lambda k: labels[k]):
        values: list = [_value(groups[key], column) for column in figure.columns]
        if figure.rate:
            decided = sum(fact["n"] for fact in groups[key] if fact["s"] in DECIDED)
            accepted = sum(fact["n"] for fact in groups[key] if fact["s"] == "accepted")
            values.append(round(100 * accepted / decided) if decided else "")
        rows.append((labels[key], values))
    table = Table(figure, headers, rows)
    if figure.keyed:
        return _with_bars(table, [(label, values[0]) for label, values in rows], headers[1])
    counts = [
        (str(column.label), index) for index, column in enumerate(figure.columns) if column.measure == "n"
    ]
    totals = rows[0][1] if rows else [0] * len(figure.columns)
    return _with_bars(table, [(label, totals[index]) for label, index in counts], str(figure.title))


def gender_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in User._meta.get_field("gender").choices or []]


def gender_table(facts: list[dict]) -> Table:
    """People counted by the gender they chose to give, per figure; cells of fewer than 5 are not shown."""
    genders = gender_choices()
    headers = [str(_("Figure")), *(label for _value, label in genders), str(_("Not given"))]
    rows = []
    for figure in FIGURES:
        if not figure.gender_series:
            continue
        counts: dict[str, int] = defaultdict(int)
        for fact in facts:
            if fact["f"] == figure.slug and (
                figure.gender_series == "*" or fact["s"] == figure.gender_series
            ):
                counts[fact["g"]] += fact["n"]
        cells = [_suppressed(counts[value]) for value, _label in genders]
        cells.append(_suppressed(counts[""]))
        label = str(figure.columns[0].label if figure.gender_series != "*" else _("Applications"))
        rows.append((f"{figure.title}: {label}", cells))
    return Table(Figure(GENDER_SLUG, _("By gender"), _("Figure"), ()), headers, rows)


def _suppressed(count: int):
    if 0 < count < SMALL_CELL:
        return str(_("fewer than 5"))
    return count


@dataclass
class Dashboard:
    snapshot: Snapshot | None
    filters: Filters
    tables: list[Table]
    gender: Table | None


def dashboard(snapshot: Snapshot | None, filters: Filters) -> Dashboard:
    every = facts_of(snapshot)  # before the first refresh: empty figures
    facts = [fact for fact in every if filters.keep(fact)]
    tables = [figure_table(figure, facts) for figure in FIGURES]
    return Dashboard(snapshot, filters, tables, gender_table(facts))


def export_table(snapshot: Snapshot | None, filters: Filters, slug: str) -> Table | None:
    """The table of one figure (or of the gender figures) for an export, None for an unknown figure."""
    every = facts_of(snapshot)  # before the first refresh: headers only
    facts = [fact for fact in every if filters.keep(fact)]
    if slug == GENDER_SLUG:
        return gender_table(facts)
    figure = FIGURES_BY_SLUG.get(slug)
    return figure_table(figure, facts) if figure else None


def region_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Region.choices]


def kind_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Organisation._meta.get_field("kind").choices or []]
