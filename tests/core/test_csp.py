"""Every page carries the site's Content-Security-Policy (no inline script or style); a view may still change its
own policy with django-csp's decorators."""

import pytest
from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware
from django.http import HttpResponse

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, str]:
    return dict(part.strip().partition(" ")[::2] for part in header.split(";") if part.strip())


@pytest.mark.parametrize("path", ["/", "/en/", "/accounts/login/"])
def test_pages_forbid_inline_script_and_style_and_framing(client, path):
    policy = _directives(client.get(path)["Content-Security-Policy"])

    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert "unsafe-inline" not in policy["default-src"]
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"


def test_a_view_can_widen_its_own_policy_or_opt_out(rf):
    @csp_update({"img-src": ["https://tiles.example.org"]})
    def map_view(request):
        return HttpResponse("map")

    @csp_exempt()
    def exempt_view(request):
        return HttpResponse("exempt")

    widened = CSPMiddleware(map_view)(rf.get("/map/"))
    exempt = CSPMiddleware(exempt_view)(rf.get("/exempt/"))

    assert "https://tiles.example.org" in _directives(widened["Content-Security-Policy"])["img-src"]
    assert "Content-Security-Policy" not in exempt


def test_a_nonce_asked_for_by_a_view_is_a_fresh_one_per_request(rf):
    nonces = []

    def view(request):
        nonces.append(str(request.csp_nonce))
        return HttpResponse("page")

    for _ in range(2):
        CSPMiddleware(view)(rf.get("/"))

    assert len(set(nonces)) == 2 and all(nonces)
