from django.conf import settings
from django.templatetags.static import static
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
# The links of base.html, reversed once per language instead of by {% url %} on every page.
BASE_URLS = {
    "home": "home",
    "profile": "accounts:profile",
    "admin": "admin:index",
    "logout": "account_logout",
    "login": "account_login",
    "signup": "account_signup",
    "set_language": "set_language",
    "mfa_setup": "mfa_activate_totp",
}
# The assets every page loads: their (hashed, in production) URLs looked up once per process, not by
# {% static %} on every page (four lookups were ~7 % of a lesson page's template time).
BASE_ASSETS = {
    "css": "css/site.css",
    "favicon": "img/favicon.svg",
    "htmx": "js/htmx.min.js",
    "site_js": "js/site.js",
}
_resolved: dict[str, list[tuple[str, object]]] = {}
_urls: dict[str, dict[str, str]] = {}
_assets: dict[str, dict[str, str]] = {}


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


def _base_urls() -> dict[str, str]:
    lang = get_language() or settings.LANGUAGE_CODE
    found = _urls.get(lang)
    if found is None:
        found = _urls[lang] = {key: reverse(name) for key, name in BASE_URLS.items()}
    return found


def _base_assets() -> dict[str, str]:
    found = _assets.get(settings.STATIC_URL)
    if found is None:
        found = _assets[settings.STATIC_URL] = {key: static(path) for key, path in BASE_ASSETS.items()}
    return found


def site(request):
    viewer = getattr(request, "viewer", None)
    signed_in = bool(viewer and viewer.is_authenticated)
    return {
        "SITE_URL": settings.SITE_URL,
        "nav_sections": _sections(),
        "base_urls": _base_urls(),
        "base_assets": _base_assets(),
        "user_is_programme_staff": signed_in and is_programme_staff(viewer),
        "user_needs_mfa": signed_in and needs_mfa(viewer),
    }
