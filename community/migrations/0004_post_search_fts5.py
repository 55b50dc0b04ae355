"""On SQLite, a full-text index of the posts' normalised ``search_text`` for forum search (nothing on PostgreSQL,
which keeps its pg_trgm index).

An FTS5 table with external content (it stores only the index, the text stays in ``community_post``), kept in
sync by triggers, so every write path (services, ``bulk_create``, ``update()``, admin, data generators) is covered.
The ``ascii`` tokenizer with ``_`` as a token character splits exactly where ``normalise`` put spaces: every
non-ASCII character is part of a token, and the ASCII ones in a normalised word are letters, digits or ``_``;
the text is already case-folded. A prefix query ``"term"*`` therefore matches exactly the rows where
``search_text`` contains `` term`` (see ``community.queries.search.search_posts``).
"""

from django.db import migrations

TABLE = "community_post_fts"

CREATE = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(
        search_text, content='community_post', content_rowid='id', tokenize="ascii tokenchars '_'",
        prefix='1 2 3 4 5 6 7 8')""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_ai AFTER INSERT ON community_post BEGIN
        INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_ad AFTER DELETE ON community_post BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_au AFTER UPDATE OF search_text ON community_post
    WHEN old.search_text IS NOT new.search_text BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]
DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_{name}" for name in ("ai", "ad", "au")] + [f"DROP TABLE IF EXISTS {TABLE}"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("community", "0003_post_body_html")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
