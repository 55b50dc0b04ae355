"""core's public surface: the shared tools every domain app uses (Markdown, search, uploads, the page cache,
iCalendar text).

Other apps import from here, never from core's other modules. core itself imports no domain app.
"""

from core.background import enqueue_on_commit
from core.cache import cache_anonymous_page, invalidate_anonymous_pages
from core.ics import Entry as CalendarEntry
from core.ics import calendar as write_calendar
from core.markdown import render_markdown
from core.search import filter_prefix, normalise, terms, trigram_index_operation
from core.uploads import detect_kind, safe_filename, validate_upload
from core.work import HeaderEntry, WorkItem, counted

__all__ = [
    "CalendarEntry",
    "HeaderEntry",
    "WorkItem",
    "cache_anonymous_page",
    "counted",
    "detect_kind",
    "enqueue_on_commit",
    "filter_prefix",
    "invalidate_anonymous_pages",
    "normalise",
    "render_markdown",
    "safe_filename",
    "terms",
    "trigram_index_operation",
    "validate_upload",
    "write_calendar",
]
