"""No English on Georgian pages and no Georgian on English pages: every persona, every page of the permission matrix
it may see, in both languages. Proper names, product and format names, and what people typed are excepted."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.apps import apps
from django.db import models, transaction
from django.urls import reverse
from django.utils import translation

from tests.matrix import PERSONAS
from tests.test_permission_matrix import _rows

GEORGIAN = re.compile(r"[\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f]+")
LATIN_WORD = re.compile(r"\b[A-Za-z][A-Za-z'’]+\b")
# Names that stay as they are in both languages.
PROPER = {
    "civichub",
    "Markdown",
    "PDF",
    "PNG",
    "JPEG",
    "WebP",
    "JSON",
    "JWT",
    "CSV",
    "XLSX",
    "ODS",
    "ODT",
    "DOCX",
    "Word",
    "Excel",
    "OpenDocument",
    "Open",
    "Badges",
    "LinkedIn",
    "TOTP",
    "QR",
    "URL",
    "YouTube",
    "Vimeo",
    "AGPL",
    "English",
    "htmx",
    "ID",
    "VC",
    "OB",
    "RS",
    "JWKS",
    "JWK",
    "BitstringStatusList",
    "iCalendar",
    "ICS",
    "Google",
    "Authenticator",
    "Microsoft",
    "Aegis",
    "FreeOTP",
    "Bitwarden",
    "Redis",
    "SQLite",
    "PostgreSQL",
    "JavaScript",
    "GEL",
    "mailto",
    "https",
    "http",
    "www",
    "json",
    "jwt",
    "png",
    "pdf",
    "zip",
    "csv",
    "xlsx",
    "docx",
    "odt",
    "ods",
}
GEORGIAN_NAME = "ქართული"  # the language switch names Georgian in Georgian on English pages


def visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style|svg)\b.*?</\1>", " ", page)
    page = re.sub(r"(?is)<!--.*?-->", " ", page)
    # Django's admin writes a boolean column's icon with alt="True"/"False", which no catalogue translates.
    page = re.sub(r'<img src="[^"]*/admin/img/icon-(?:yes|no|unknown)\.svg" alt="[^"]*">', " ", page)
    # ... and its search box's icon with alt="Search", written in English in the template itself.
    page = re.sub(r'<img src="[^"]*/admin/img/search\.svg" alt="Search">', " ", page)
    # Attributes people read: titles, labels, placeholders, alt text.
    shown = " ".join(re.findall(r'(?i)\b(?:title|aria-label|placeholder|alt)="([^"]*)"', page))
    text = re.sub(r"(?s)<[^>]+>", " ", page)
    return html.unescape(text + " " + shown)


def typed_by_people() -> str:
    """Every text stored in the database: what people (and the test's world) typed, names and titles."""
    values = []
    for model in apps.get_models():
        kinds = models.CharField | models.TextField | models.JSONField
        fields = [f.name for f in model._meta.get_fields() if isinstance(f, kinds)]
        if fields:
            for row in model.objects.values_list(*fields):
                values.extend(
                    v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in row if v
                )
    return "\n".join(values)


def foreign_words(text: str, language: str, allowed: str) -> list[str]:
    if language == "en":
        found = [w for w in GEORGIAN.findall(text) if w != GEORGIAN_NAME and w not in allowed]
    else:
        emails = set(re.findall(r"[\w.+-]+@[\w.-]+", text))
        text = " ".join(w for w in text.split() if w not in emails and "://" not in w and "/" not in w)
        found = [
            w for w in LATIN_WORD.findall(text) if w not in PROPER and w not in allowed and not w.isupper()
        ]
    return sorted(set(found))


@pytest.mark.django_db
def test_pages_show_interface_text_only_in_their_own_language(world, client):
    allowed = typed_by_people()
    problems = []
    for row in _rows():
        if row.method != "get":
            continue
        for persona in PERSONAS:
            if row.expect[persona] != 200:
                continue
            for language in ("ka", "en"):
                with transaction.atomic():
                    client.logout()
                    user = world.personas[persona]
                    if user is not None:
                        client.force_login(user)
                    with translation.override(language):
                        url = reverse(row.name, args=row.args(world) if row.args else None) + row.query
                    response = client.get(url)
                    transaction.set_rollback(True)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                words = foreign_words(visible_text(response.content.decode()), language, allowed)
                if words:
                    problems.append(f"{language} {row.name} as {persona}: {' '.join(words[:12])}")
    assert problems == [], "\n".join(problems)
