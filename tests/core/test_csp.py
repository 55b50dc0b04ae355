"""Every page carries the site's Content-Security-Policy, built once; per-view policies still go through django-csp."""

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import override_settings

from core.middleware import ContentSecurityPolicyMiddleware

REPORT_ONLY = {
    "DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-report/"},
    "EXCLUDE_URL_PREFIXES": ["/healthz"],
}


def _headers(middleware_class, request, make_response, touch_nonce=False):
    def view(req):
        if touch_nonce:
            str(req.csp_nonce)
        return make_response()

    response = middleware_class(view)(request)
    return {name: value for name, value in response.items() if "Content-Security-Policy" in name}, request


def _cases():
    def plain():
        return HttpResponse("page")

    def updated():
        response = HttpResponse("page")
        response._csp_update = {"img-src": ["https://tiles.example.org"]}
        return response

    def exempt():
        response = HttpResponse("page")
        response._csp_exempt = True
        return response

    def own_header():
        response = HttpResponse("page")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    return {
        "plain": (plain, False),
        "updated": (updated, False),
        "exempt": (exempt, False),
        "own header": (own_header, False),
        "nonce": (plain, True),
    }


@pytest.mark.parametrize("report_only", [None, REPORT_ONLY])
@pytest.mark.parametrize("path", ["/", "/healthz"])
@pytest.mark.parametrize("case", list(_cases()))
def test_headers_are_the_ones_django_csp_would_send(rf, settings, report_only, path, case):
    if report_only:
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = report_only
    make_response, touch_nonce = _cases()[case]
    ours, _ = _headers(ContentSecurityPolicyMiddleware, rf.get(path), make_response, touch_nonce)
    theirs, _ = _headers(CSPMiddleware, rf.get(path), make_response, touch_nonce)
    if touch_nonce:  # a fresh nonce per request: compare the policies without it
        ours = {k: v.split("'nonce-")[0] for k, v in ours.items()}
        theirs = {k: v.split("'nonce-")[0] for k, v in theirs.items()}
    assert ours == theirs
    if case == "plain":
        assert "frame-ancestors 'none'" in ours["Content-Security-Policy"]
        assert ("Content-Security-Policy-Report-Only" in ours) == bool(report_only and path == "/")


def test_a_changed_setting_changes_the_header(rf):
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("page"))
    assert "object-src 'none'" in middleware(rf.get("/"))["Content-Security-Policy"]
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert middleware(rf.get("/"))["Content-Security-Policy"] == "default-src 'none'"
    assert "object-src 'none'" in middleware(rf.get("/"))["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error(rf):
    from csp.exceptions import CSPNonceError

    request = rf.get("/")
    ContentSecurityPolicyMiddleware(lambda req: HttpResponse("page"))(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
