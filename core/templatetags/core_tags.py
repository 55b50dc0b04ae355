from django import template
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import override

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


@register.simple_tag(takes_context=True)
def page_in_language(context, language: str) -> str:
    """The page being shown, with its query string, in ``language`` (Django's translate_url); the home page of that
    language when the path names no page (a 404)."""
    request = context.get("request")
    full_path = request.get_full_path() if request is not None else None
    url = translate_url(full_path, language) if full_path is not None else None
    if url is None or url == full_path:
        with override(language):
            url = reverse("home")
    return url
