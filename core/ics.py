"""iCalendar (RFC 5545) text, written by hand for the few things civichub publishes as calendars (events, call
deadlines): CRLF line ends, escaped text, times in UTC, a stable UID per entry, lines folded at 75 octets without
splitting a character. Each domain turns its rows into ``Entry`` values; this module only writes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

CRLF = "\r\n"
PRODID = "-//civichub//calendar//EN"


@dataclass(frozen=True)
class Entry:
    """One VEVENT. ``key`` makes the UID (``<key>@<site host>``), stable across feeds and downloads."""

    key: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    url: str
    location: str = ""
    description: str = ""


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma, newline (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, continuation lines starting with one space."""
    pieces: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, 74  # the leading space counts
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _vevent(entry: Entry, host: str, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{entry.key}@{host}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{utc(entry.starts_at)}",
        f"DTEND:{utc(entry.ends_at)}",
        f"SUMMARY:{escape(entry.summary)}",
        f"URL:{entry.url}",
    ]
    if entry.location:
        lines.append(f"LOCATION:{escape(entry.location)}")
    if entry.description:
        lines.append(f"DESCRIPTION:{escape(entry.description)}")
    lines.append("END:VEVENT")
    return lines


def calendar(entries: Iterable[Entry], *, name: str = "") -> str:
    """A VCALENDAR with one VEVENT per entry; ``name`` is the calendar's title shown by calendar apps."""
    host = urlsplit(settings.SITE_URL).hostname or "civichub"
    stamp = utc(timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    for entry in entries:
        lines.extend(_vevent(entry, host, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
