from django import template
from django.urls import NoReverseMatch, reverse

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
