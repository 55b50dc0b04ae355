"""core's public surface: the shared tools every domain app uses (Markdown, search, uploads, the page cache).

Other apps import from here, never from core's other modules. core itself imports no domain app.
"""

from core.background import enqueue_on_commit
from core.cache import cache_anonymous_page, invalidate_anonymous_pages
from core.markdown import render_markdown
from core.search import filter_prefix, normalise, terms, trigram_index_operation
from core.uploads import detect_kind, safe_filename, validate_upload

__all__ = [
    "cache_anonymous_page",
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
]
