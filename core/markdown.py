"""Markdown to safe HTML: markdown-it-py renders, nh3 (ammonia) sanitises. The only way user text becomes HTML."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


# "commonmark" with tables and strikethrough; raw HTML is escaped by markdown-it, then nh3 cleans the result.
PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def sanitise_html(html: str, *, nofollow: bool = False) -> str:
    rel = "nofollow ugc noopener noreferrer" if nofollow else "noopener noreferrer"
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=rel,
        strip_comments=True,
    )


def render_markdown(text: str | None, *, nofollow: bool = False) -> SafeString:
    """Render Markdown written by a person to sanitised HTML safe to put in a page."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty string
    html = PARSER.render(text)
    # nh3 removes every tag, attribute and URL scheme not allowed above (scripts, handlers, javascript:, data:).
    return mark_safe(sanitise_html(html, nofollow=nofollow))  # noqa: S308 - sanitised by nh3
