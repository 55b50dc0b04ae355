"""One small search interface with a PostgreSQL path and a SQLite path that behave the same.

Georgian has no stemmer in PostgreSQL or SQLite, and people type the beginnings of words
("ბიუჯ" for "ბიუჯეტი"). Both paths therefore match *word prefixes*, case-insensitively:

* every query term must be the prefix of some word in the normalised column (AND across terms);
* the column holds case-folded words separated by single spaces, with a space at each end, so the test
  is the same ``contains(" " + term)`` on both databases (no collation or ``LIKE`` case rules involved).

Callers keep a normalised ``search_text`` column (``normalise(...)`` of the searchable fields) and call
:func:`filter_prefix`. On PostgreSQL, large tables add a ``pg_trgm`` GIN index on that column (``trigram_index_operation``).
"""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Q, QuerySet

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def normalise(*parts: str | None) -> str:
    """Lower-case, accent-folded, punctuation-free text with a leading and trailing space."""
    text = " ".join(p for p in parts if p)
    text = unicodedata.normalize("NFKC", text).casefold()
    words = _WORD.findall(text)
    return " " + " ".join(words) + " "


def terms(query: str) -> list[str]:
    return normalise(query).split()[:MAX_TERMS]


def filter_prefix(queryset: QuerySet, query: str, field: str = "search_text") -> QuerySet:
    """Keep rows where every term of ``query`` begins a word of ``field`` (a normalised column)."""
    for term in terms(query):
        queryset = queryset.filter(Q(**{f"{field}__contains": " " + term}))
    return queryset


def trigram_index_operation(table: str, column: str):
    """A migration operation adding a pg_trgm GIN index on PostgreSQL; nothing on SQLite.

    Use it in a domain app's migration: ``operations = [trigram_index_operation("learning_course", "search_text")]``.
    """
    from django.db import migrations

    index = f"{table}_{column}_trgm"

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')

    return migrations.RunPython(forwards, backwards, elidable=False)
