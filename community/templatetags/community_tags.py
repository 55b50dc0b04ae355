"""Labels the community's templates share."""

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def helpful_label(count: int) -> str:
    """ "3 found this helpful", in the active language."""
    return ngettext("%(counter)s found this helpful", "%(counter)s found this helpful", count) % {
        "counter": count
    }
