import functools
import gzip
import secrets

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib import messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware import gzip as django_gzip
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from accounts.permissions import MFARequired

# zlib level 3 compresses a 34 KB forum topic page in a third of the time level 6 takes (0.16 against 0.50 ms)
# for 11 % more bytes (4.7 against 4.2 KB); docs/performance.md, fifth round.
GZIP_LEVEL = 3


class MFARequiredMiddleware:
    """Send a reviewer or staff member without two-factor authentication to set it up, then back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MFARequired):
            messages.warning(
                request,
                _("Your role needs two-factor authentication. Set up an authenticator app to continue."),
            )
            return redirect("mfa_activate_totp")
        return None


class GZipMiddleware(django_gzip.GZipMiddleware):
    """Django's GZipMiddleware (Vary, weak ETags, BREACH padding in the gzip header) at level GZIP_LEVEL instead of 6.

    Streamed responses (none of our pages) are left to Django's own code, at its level.
    """

    def process_response(self, request, response):
        if response.streaming or response.has_header("Content-Encoding") or len(response.content) < 200:
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        if not django_gzip.re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = compress(response.content, max_random_bytes=self.max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response


def compress(content: bytes, *, max_random_bytes: int) -> bytes:
    """gzip at GZIP_LEVEL with a file name of 0 to max_random_bytes - 1 random bytes in the header, as Django pads
    it: the compressed length then varies from response to response (BREACH)."""
    data = gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)
    header = bytearray(data[:10])
    header[3] = gzip.FNAME
    return bytes(header) + b"a" * secrets.randbelow(max_random_bytes) + b"\x00" + data[10:]


# Attributes django-csp's decorators set on a response to change its policy.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@functools.cache
def _site_policies() -> tuple[tuple[str, str, tuple[str, ...], str], ...]:
    """(header, policy, excluded path prefixes, exemption attribute) of the enforced and the report-only policy."""
    policies = []
    for header, setting, report_only, exempt in (
        (HEADER, "CONTENT_SECURITY_POLICY", False, "_csp_exempt"),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True, "_csp_exempt_ro"),
    ):
        policy = build_policy(report_only=report_only)
        if policy:
            prefixes = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
            policies.append((header, policy, prefixes, exempt))
    return tuple(policies)


@receiver(setting_changed)
def _forget_site_policies(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policies.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's policy built once instead of twice per response.

    civichub pages share one policy (no inline script, so no nonce); a response that asks for its own policy
    (django-csp's decorators) or a request that used a nonce goes through django-csp's code unchanged.
    """

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        for header, policy, prefixes, exempt in _site_policies():
            if (
                header not in response
                and not getattr(response, exempt, False)
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = policy
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
