"""The catalogues: one translation per message across catalogues, and each language's own script."""

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
check = runpy.run_path(str(ROOT / "scripts" / "check_translations.py"))

# Names that stay in Latin letters in the Georgian interface: products, formats, standards, examples.
LATIN_IN_GEORGIAN = {
    "civichub", "Markdown", "PDF", "PNG", "JSON", "json", "JWT", "jwt", "VC-JWT", "JWK", "JWKS", "RS256",
    "Open", "Badges", "openbadgecredential", "CSV", "XLSX", "HTML", "QR", "UTC", "YouTube", "Vimeo",
    "LinkedIn", "JavaScript", "CV", "N", "pdf", "docx", "odt", "xlsx", "ods", "png", "jpeg", "zip",
    "Word", "OpenDocument", "Excel", "Nino", "Beridze", "nino_b",
    "API", "REST", "OpenAPI", "RSS", "Atom", "iCalendar", "ics", "SVG", "RFC", "HTTP", "ABCDE-23456", "Authorization",
    "Bearer", "ETAG", "IF-NONE-MATCH", "RETRY-AFTER", "ACCEPT-LANGUAGE", "AUTHORIZATION", "BEARER", "TOKEN",
}  # fmt: skip
GEORGIAN = re.compile("[\u10a0-\u10ff]")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def catalogue_pair(tmp_path: Path, first: str, second: str) -> list[Path]:
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    return [
        write(tmp_path / "locale/ka/LC_MESSAGES/django.po", header + first),
        write(tmp_path / "calls/locale/ka/LC_MESSAGES/django.po", header + second),
    ]


def our_catalogues(language: str) -> list[Path]:
    return [po for po in check["catalogues"]() if po.parent.parent.name == language]


def translations(po: Path) -> list[tuple[str | None, str, str]]:
    return [(context, msgid, msgstr) for (context, msgid), msgstr in check["read_catalogue"](po).items()]


def test_a_message_translated_two_ways_is_reported_with_its_catalogues(tmp_path):
    pos = catalogue_pair(
        tmp_path, 'msgid "Apply"\nmsgstr "განაცხადე"\n', 'msgid "Apply"\nmsgstr "განაცხადის შეტანა"\n'
    )

    [problem] = check["collisions"](pos)

    assert problem.startswith("ka: msgid 'Apply' (no msgctxt) is translated differently")
    assert str(pos[0]) in problem and str(pos[1]) in problem
    assert "'განაცხადე'" in problem and "'განაცხადის შეტანა'" in problem


def test_a_context_keeps_two_meanings_of_one_word_apart(tmp_path):
    pos = catalogue_pair(
        tmp_path,
        'msgid "Item"\nmsgstr "ელემენტი"\n',
        'msgctxt "budget table column"\nmsgid "Item"\nmsgstr "მუხლი"\n',
    )

    assert check["collisions"](pos) == []


def test_the_same_context_translated_two_ways_is_reported_with_the_context(tmp_path):
    entry = 'msgctxt "budget table column"\nmsgid "Item"\nmsgstr "{}"\n'
    pos = catalogue_pair(tmp_path, entry.format("ელემენტი"), entry.format("მუხლი"))

    [problem] = check["collisions"](pos)

    assert "msgid 'Item' msgctxt 'budget table column'" in problem


def test_equal_and_untranslated_entries_are_not_collisions(tmp_path):
    pos = catalogue_pair(
        tmp_path,
        'msgid "Email"\nmsgstr "ელფოსტა"\n\nmsgid "Save"\nmsgstr ""\n',
        'msgid "Email"\nmsgstr "ელფოსტა"\n\nmsgid "Save"\nmsgstr "შენახვა"\n',
    )

    assert check["collisions"](pos) == []


def test_the_reader_joins_wrapped_lines_and_plural_forms_and_skips_obsolete_entries(tmp_path):
    po = catalogue_pair(
        tmp_path,
        '#, python-format\nmsgid ""\n"A long "\n"message"\nmsgstr ""\n"გრძელი "\n"შეტყობინება"\n\n'
        'msgid "%(n)s post"\nmsgid_plural "%(n)s posts"\nmsgstr[0] "%(n)s პოსტი"\nmsgstr[1] "%(n)s პოსტი"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "წასული"\n',
        "",
    )[0]

    assert translations(po) == [
        (None, "A long message", "გრძელი შეტყობინება"),
        (None, "%(n)s post", "%(n)s პოსტი | %(n)s პოსტი"),
    ]


@pytest.mark.parametrize("po", our_catalogues("ka"), ids=lambda po: str(po.relative_to(ROOT)))
def test_georgian_messages_have_no_english_words(po):
    english = []
    for context, msgid, msgstr in translations(po):
        text = re.sub(r"%\(\w+\)[sd]|%%|https?://\S*|@\w+", "", msgstr)
        english += [
            (msgid, word)
            for word in re.findall(r"[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*", text)
            if word not in LATIN_IN_GEORGIAN
        ]

    assert english == []


@pytest.mark.parametrize("po", our_catalogues("ka"), ids=lambda po: str(po.relative_to(ROOT)))
def test_georgian_messages_glue_no_case_ending_onto_an_inserted_name_date_or_number(po):
    # Not even onto a number ("%(min)s-დან"): the value must stand alone, e.g. "შუალედიდან: %(min)s – %(max)s".
    glued = [
        (msgid, match.group(0))
        for context, msgid, msgstr in translations(po)
        for match in re.finditer(r"(?:%\((\w+)\)[sd](?:%%)?|“)-[\u10d0-\u10ff]+", msgstr)
    ]

    assert glued == []


@pytest.mark.parametrize("po", our_catalogues("en"), ids=lambda po: str(po.relative_to(ROOT)))
def test_english_messages_have_no_georgian_unless_the_message_shows_georgian_writing(po):
    georgian = [
        msgid
        for context, msgid, msgstr in translations(po)
        if GEORGIAN.search(msgstr) and not GEORGIAN.search(msgid)
    ]

    assert georgian == []
