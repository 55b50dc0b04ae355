"""The posts of a topic page as HTML, built in Python.

The per-post markup was a template loop of some forty nodes per post (if chains, an include, variable
lookups through the lazy user); at 18 posts it was half the page's CPU. Here each post is one f-string with
every label translated once per page, and every value escaped as the template's autoescaping would. The
markup is the same as `community/_helpful.html` for the helpful form (the htmx response still renders that
template); `tests/community/test_topic_html.py` checks both against the template loop this replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from html import escape

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

# Every value escaped below is a plain ``str``, so the standard library's ``html.escape`` (which Django's
# ``escape`` wraps, with a check for lazy strings that cost five times the escaping) gives the same text.


@dataclass(frozen=True)
class Viewer:
    """What the post markup depends on besides the post: who looks, and what they may do on the page."""

    authenticated: bool
    is_moderator: bool = False
    may_reply: bool = False
    quote_url: str = ""
    csrf_token: str = ""


@dataclass(frozen=True, slots=True)
class _Page:
    """What every post of the page shares: labels translated once, the CSRF field, the language and time zone
    (each a context-local lookup that cost more than the escaping of a post)."""

    labels: dict[str, str]
    csrf_input: str
    quote_url: str
    language: str
    tz: tzinfo
    datetime_format: str


def posts_html(posts, viewer: Viewer) -> SafeString:
    """The <article> of each post (prepared by the view's `_prepare_posts`), joined."""
    labels = {
        "link": escape(gettext("Link to this post")),
        "new": escape(gettext("new")),
        "hidden": escape(gettext("hidden by a moderator")),
        "edited": escape(gettext("edited")),
        "quote": escape(gettext("Quote")),
        "edit": escape(gettext("Edit")),
        "flag": escape(gettext("Flag")),
        "restore": escape(gettext("Restore")),
        "hide": escape(gettext("Hide")),
        "suspend": escape(gettext("Suspend author")),
        "former": escape(gettext("a former member")),
        "helpful": escape(gettext("Helpful")),
        "helpful_marked": escape(gettext("Helpful ✓")),
    }
    page = _Page(
        labels=labels,
        csrf_input=f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(viewer.csrf_token)}">',
        quote_url=escape(viewer.quote_url),
        language=get_language(),
        tz=timezone.get_current_timezone(),
        datetime_format=get_format("SHORT_DATETIME_FORMAT"),  # looked up once, not per post
    )
    return mark_safe("".join(_post_html(post, viewer, page) for post in posts))  # noqa: S308 - every value escaped; post.html is nh3-sanitised


_FORMATTED: dict[tuple, str] = {}


def _short_datetime(moment, date_format_string: str, language: str) -> str:
    """``moment`` (local time) formatted and escaped, remembered per process: the same posts are shown again and
    again, and Django's date formatting was a twelfth of the topic page's Python calls. The key holds the
    wall-clock time, its UTC offset, the format and the language, everything the text depends on."""
    key = (moment.replace(tzinfo=None), moment.utcoffset(), date_format_string, language)
    text = _FORMATTED.get(key)
    if text is None:
        if len(_FORMATTED) >= 20_000:
            _FORMATTED.clear()
        text = _FORMATTED[key] = escape(date_format(moment, date_format_string))
    return text


def _post_html(post, viewer: Viewer, page: _Page) -> str:
    labels, csrf_input, quote_url = page.labels, page.csrf_input, page.quote_url
    created = post.created_at.astimezone(page.tz)
    if post.author is not None:
        handle = f' <span class="muted">@{escape(post.author_handle)}</span>' if post.author_handle else ""
        author = f'<span class="community-author">{escape(post.author.name_in(page.language))}{handle}</span>'
    else:
        author = f'<span class="muted">{labels["former"]}</span>'
    head = [
        author,
        f'<a class="small" href="{post.link_url}" title="{labels["link"]}"><time datetime="{created.isoformat()}">'
        f"{_short_datetime(created, page.datetime_format, page.language)}</time></a>",
    ]
    if post.is_new:
        head.append(f'<span class="badge ok">{labels["new"]}</span>')
    if post.is_hidden:
        head.append(f'<span class="badge err">{labels["hidden"]}</span>')
    edited = (
        f'\n<p class="small muted"><a href="{post.history_url}">{labels["edited"]}</a></p>'
        if post.edited_at
        else ""
    )
    actions = []
    helpful_label = escape(post.helpful_label)
    if viewer.authenticated:
        if not post.mine:
            marked = getattr(post, "marked", False)
            actions.append(
                f'<form method="post" action="{post.helpful_url}" class="inline-form community-helpful" '
                f'hx-post="{post.helpful_url}" hx-swap="outerHTML">{csrf_input}\n'
                f'<button type="submit" class="link-button" aria-pressed="{"true" if marked else "false"}">'
                f"{labels['helpful_marked'] if marked else labels['helpful']}</button>\n"
                f'<span class="small muted">{helpful_label}</span>\n</form>'
            )
        else:
            actions.append(f'<span class="small muted">{helpful_label}</span>')
        if viewer.may_reply:
            actions.append(f'<a href="{quote_url}{post.pk}">{labels["quote"]}</a>')
        if post.may_edit:
            actions.append(f'<a href="{post.edit_url}">{labels["edit"]}</a>')
        if not post.mine:
            actions.append(f'<a href="{post.flag_url}">{labels["flag"]}</a>')
        if viewer.is_moderator:
            action, label = ("restore", labels["restore"]) if post.is_hidden else ("hide", labels["hide"])
            actions.append(
                f'<form method="post" action="{post.moderate_url}" class="inline-form">{csrf_input}\n'
                f'<button type="submit" name="action" value="{action}" class="link-button">{label}</button>\n</form>'
            )
            if post.suspend_url and not post.mine:
                actions.append(f'<a href="{post.suspend_url}">{labels["suspend"]}</a>')
    elif post.helpful_count:
        actions.append(f'<span class="small muted">{helpful_label}</span>')
    footer = "".join(f"\n{action}" for action in actions)
    hidden_class = " community-hidden" if post.is_hidden else ""
    head_html = "\n".join(head)
    return (
        f'<article class="community-post{hidden_class}" id="post-{post.pk}">\n'
        f'<header class="community-post-head">\n{head_html}\n</header>\n'
        f'<div class="prose">{post.html}</div>{edited}\n'
        f'<footer class="community-post-actions">{footer}\n</footer>\n'
        f"</article>\n"
    )
