from django import template
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, override

from core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render Markdown written by a person as sanitised HTML."""
    return render_markdown(text)


@register.filter(name="markdown_nofollow")
def markdown_nofollow_filter(text):
    return render_markdown(text, nofollow=True)


@register.simple_tag
def url_if_exists(name, *args):
    """The URL for ``name``, or an empty string while the section it belongs to has not landed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


_HEADER_LABELS: dict[str, dict[str, str]] = {}


def _header_labels(language: str | None) -> dict[str, str]:
    """The header's translated labels, escaped once per language."""
    key = language or ""
    labels = _HEADER_LABELS.get(key)
    if labels is None:
        labels = _HEADER_LABELS[key] = {
            "main": escape(gettext("Main")),
            "admin": escape(gettext("Administration")),
            "sign_out": escape(gettext("Sign out")),
            "sign_in": escape(gettext("Sign in")),
            "sign_up": escape(gettext("Sign up")),
        }
    return labels


@register.simple_tag(takes_context=True)
def site_header(context):
    """The site header of base.html, built in Python: as a template it was ~1,000 Python calls on every page
    (an eighth of a lesson view). Per request it varies with the person, the page's path and, for a signed-in
    person, the CSRF token (a visitor's header holds none); everything else is looked up once per language.
    ``tests/core/test_base_template.py`` checks it against the template markup it replaced."""
    request = context.get("request")
    urls = context["base_urls"]
    labels = _header_labels(get_language())
    path = request.path if request is not None else ""
    current = ' aria-current="page"'
    nav = "".join(
        f'<li><a href="{escape(url)}"{current if path == url else ""}>{escape(label)}</a></li>'
        for url, label in context.get("nav_sections", ())
    )
    user = context.get("user")
    signed_in = user is not None and user.is_authenticated
    target, target_name = ("en", "English") if context.get("LANG") == "ka" else ("ka", "ქართული")
    if signed_in:
        csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(context.get("csrf_token", ""))}">'
        admin = (
            f'<a href="{urls["admin"]}">{labels["admin"]}</a>'
            if context.get("user_is_programme_staff")
            else ""
        )
        account = (
            f'<a href="{urls["profile"]}">{escape(user.display_name)}</a>\n{admin}\n'
            f'<form method="post" action="{urls["logout"]}" class="inline-form">{csrf}'
            f'<button type="submit" class="link-button">{labels["sign_out"]}</button></form>'
        )
        # A form: the switch also remembers the language of the emails we send this person (core.views).
        next_path = escape(request.get_full_path()) if request is not None else ""
        switch = (
            f'<form method="post" action="{urls["set_language"]}" class="inline-form lang-switch">{csrf}\n'
            f'<input type="hidden" name="next" value="{next_path}">\n'
            f'<button type="submit" name="language" value="{target}" lang="{target}" class="link-button">{target_name}</button>\n'
            f"</form>"
        )
    else:
        account = f'<a href="{urls["login"]}">{labels["sign_in"]}</a>\n<a href="{urls["signup"]}">{labels["sign_up"]}</a>'
        # A link to this page in the other language: a visitor has nothing to remember, so no form, no CSRF
        # token, and a page that is the same for every visitor (core.cache serves it without rewriting).
        switch = (
            f'<a class="lang-switch" href="{escape(_in_language(request, target))}" hreflang="{target}" '
            f'lang="{target}">{target_name}</a>'
        )
    return mark_safe(  # noqa: S308 - every value escaped; labels escaped once per language
        f'<header class="site-header">\n<div class="wrap header-row">\n'
        f'<a class="brand" href="{urls["home"]}">civichub</a>\n'
        f'<nav class="main-nav" aria-label="{labels["main"]}">\n<ul>\n{nav}\n</ul>\n</nav>\n'
        f'<div class="account-nav">\n{account}\n{switch}\n'
        f"</div>\n</div>\n</header>"
    )


def _in_language(request, language: str) -> str:
    """The page of ``request`` in ``language``, with its query string (Django's translate_url); the home page of
    that language when the path names no page (a 404)."""
    full_path = request.get_full_path() if request is not None else None
    url = translate_url(full_path, language) if full_path is not None else None
    if url is None or url == full_path:
        with override(language):
            url = reverse("home")
    return url
