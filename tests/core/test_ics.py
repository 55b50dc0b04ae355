"""core.ics, the one iCalendar writer: escaping, folding at 75 octets without splitting a character, UTC times,
UIDs on the site's host, optional lines left out."""

import datetime as dt

from core import ics


def test_escaping():
    assert ics.escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_folding_keeps_lines_within_75_octets_and_never_splits_a_character():
    line = "SUMMARY:" + "ქართული ტექსტი " * 20
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


def test_a_short_line_is_not_folded():
    assert ics.fold("SUMMARY:short") == "SUMMARY:short"


def test_utc_turns_tbilisi_time_into_utc():
    tbilisi = dt.timezone(dt.timedelta(hours=4))
    assert ics.utc(dt.datetime(2027, 3, 1, 18, 0, tzinfo=tbilisi)) == "20270301T140000Z"


def test_calendar_writes_each_entry_with_its_uid_and_leaves_empty_lines_out(settings):
    settings.SITE_URL = "https://civichub.example.ge"
    moment = dt.datetime(2027, 3, 1, 14, 0, tzinfo=dt.UTC)
    entries = [
        ics.Entry(key="a-1", starts_at=moment, ends_at=moment, summary="ერთი; ორი", url="https://x/1"),
        ics.Entry(
            key="b-2",
            starts_at=moment,
            ends_at=moment + dt.timedelta(hours=1),
            summary="B",
            url="https://x/2",
            location="თბილისი, რუსთაველის 1",
            description="line one\nline two",
        ),
    ]
    text = ics.calendar(entries, name="კალენდარი")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "X-WR-CALNAME:კალენდარი\r\n" in text
    first, second = text.split("BEGIN:VEVENT")[1:]
    assert "UID:a-1@civichub.example.ge\r\n" in first and "SUMMARY:ერთი\\; ორი\r\n" in first
    assert "LOCATION" not in first and "DESCRIPTION" not in first
    assert "UID:b-2@civichub.example.ge\r\n" in second and "DTEND:20270301T150000Z\r\n" in second
    assert "LOCATION:თბილისი\\, რუსთაველის 1\r\n" in second
    assert "DESCRIPTION:line one\\nline two\r\n" in second
