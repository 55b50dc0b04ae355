from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_programme_staff, needs_mfa

# Each section appears in the menu once its domain app has landed and names this URL.
SECTIONS = [
    ("learning:catalogue", _("Courses")),
    ("calls:call_list", _("Calls")),
    ("credentials:my_credentials", _("Certificates")),
    ("community:index", _("Community")),
]
_resolved: dict[str, list[tuple[str, object]]] = {}


def _sections() -> list[tuple[str, object]]:
    lang = get_language() or settings.LANGUAGE_CODE
    if lang not in _resolved:
        found: list[tuple[str, object]] = []
        for name, label in SECTIONS:
            try:
                found.append((reverse(name), label))
            except NoReverseMatch:
                continue
        _resolved[lang] = found
    return _resolved[lang]


def site(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "SITE_URL": settings.SITE_URL,
        "nav_sections": _sections(),
        "user_is_programme_staff": signed_in and is_programme_staff(user),
        "user_needs_mfa": signed_in and needs_mfa(user),
    }
