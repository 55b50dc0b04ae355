"""Every page of a person's role is reachable by following links from their home ("my work", issue 19).

For every signed-in persona of the permission matrix, the test client starts at ``workspace:home`` and follows
same-site ``<a href>`` links (GET only: no form is submitted), and every GET row of the matrix that persona may
open (expected 200) must be among the pages reached. Links to files (exports, PDFs, images) count as reached
when a page links to them; they are not downloaded. Rows that are not pages a person browses to are listed in
``NOT_PAGES`` with the reason.
"""

from __future__ import annotations

import html
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

from tests.matrix import PERSONAS
from tests.test_permission_matrix import _rows

pytestmark = pytest.mark.django_db

# Matrix rows (URL names) that are not pages reached by browsing, with the reason. Strict: only what truly isn't.
NOT_PAGES = {
    "healthz": "a machine endpoint for load balancers and monitors",
    "service_worker": "the service worker script (/sw.js), registered by static/js/site.js",
    "web_manifest": "the web app manifest, linked from every page's head for browsers, not people",
    "offline": "shown by the service worker when a page cannot load without a connection",
    "admin:index": "the Django admin: linked from the staff header (Administration), not crawled",
    "admin:accounts_user_changelist": "the Django admin, not crawled",
    "admin:accounts_organisation_changelist": "the Django admin, not crawled",
    "account_reset_password_from_key": "the link in a password-reset email",
    "account_reset_password_from_key_done": "shown after a password reset submitted from the email's link",
    "account_reset_password_done": "shown after the password-reset form is submitted",
    "account_confirm_email": "the link in an address-confirmation email",
    "account_email_verification_sent": "shown after signing up or adding an address (a form's answer)",
    "account_inactive": "shown when an inactive account tries to sign in",
    "account_reauthenticate": "a step Django-allauth redirects to before a sensitive change",
    "mfa_reauthenticate": "a step Django-allauth redirects to before a sensitive change",
    "accounts:accept_invitation": "the link in an organisation's invitation email",
    "calls:application_autosave": "GET hands the form a fresh CSRF token (a fragment for htmx, not a page)",
    "awards:report_autosave": "GET hands the report form a fresh CSRF token (a fragment for htmx, not a page)",
    "community:search": "the forum's search form (GET) leads there, not a link",
    "community:post_history": "a post's history is linked once the post was edited; the world's posts were not",
    "credentials_download": "a certificate's files (JSON, PNG, PDF), not pages",
    "credentials_issuer_json": "machine-readable Open Badges issuer profile",
    "credentials_jwks": "machine-readable signing keys",
    "credentials_jwk": "machine-readable signing key",
    "credentials_achievement_json": "machine-readable achievement",
    "credentials_credential_json": "machine-readable credential",
    "credentials_status_list": "machine-readable revocation list",
    "learning:offline_manifest": "JSON for static/js/offline.js: what a course kept on the phone stores",
    "learning:offline_sync": "JSON for static/js/offline.js: steps taken offline are sent there (GET: a CSRF token)",
    "events:qr": "the QR image on a registration's page (an <img>, not a link)",
    # Rows named by their id (one row of a URL name that has several).
    "GET events:registration a visitor's emailed link": "the link in a visitor's registration email",
}
# Whole namespaces that are not pages.
NOT_PAGE_NAMESPACES = {
    "api_v1:": "the REST API: JSON for programs, documented apart",
}

# Public pages of one particular thing of someone else's: a person reaches them through the link its owner shares
# (a certificate's verification page, and the achievement and issuer pages it links to), or through the
# organisation's own pages. Listed per persona: for the owner and for staff (who manage them) they stay strict.
SHARED_LINK = {
    "credentials:verify": ("other", "reviewer", "org_admin", "mentor", "host"),
    "credentials:achievement_detail": ("other", "reviewer", "org_admin", "mentor", "host"),
    "credentials:issuer": ("other", "reviewer", "org_admin", "mentor", "host"),
    "accounts:organisation_detail": ("learner", "other", "reviewer", "mentor", "host"),
}
# Rows a persona may open but is, reasonably, never offered a link to, with the reason.
NOT_OFFERED = {
    (
        "community:post_flag",
        "other",
    ): "nobody is offered to report their own post (the world's reply is Giorgi's)",
    ("community:question_report", "staff"): "the report form is for the question's participants; moderators "
    "reach the question from the moderation queue",
    (
        "community:suspend",
        "staff",
    ): "suspending is offered beside a post's author and a reported question's asker; "
    "the world's troll (suspended already) wrote nothing",
    (
        "calls:decline_statistics_csv",
        "staff",
    ): "the exports are offered once an application was declined with a reason; the world has none",
    ("calls:decline_statistics_xlsx", "staff"): "as the CSV export",
    ("events:register", "learner"): "registered already: the event's page links their registration instead",
    (
        "events:register",
        "staff",
    ): "a draft event takes no registrations, so its page offers none (staff may still "
    "open the form to see it)",
}


def _excused(row, persona: str) -> bool:
    return (
        row.name in NOT_PAGES
        or row.id in NOT_PAGES
        or row.name.startswith(tuple(NOT_PAGE_NAMESPACES))
        or persona in SHARED_LINK.get(row.name, ())
        or (row.name, persona) in NOT_OFFERED
    )


# Paths of files: linked pages count them as reached; the crawl does not download them.
FILE_SUFFIXES = (".csv", ".xlsx", ".zip", ".pdf", ".png", ".svg", ".json", ".jwt", ".ics", ".ods")
SKIP_PREFIXES = ("/admin/", "/en/admin/", "/accounts/logout/", "/en/accounts/logout/", "/static/", "/media/")
MAX_PAGES = 700
HREF = re.compile(r"""<a\b[^>]*?\bhref=(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)


def crawl(client, start: str) -> set[str]:
    """The paths reached from ``start`` by following links (query strings ignored: each path is fetched once)."""
    reached: set[str] = set()
    fetched: set[str] = set()
    queue = deque([start])
    while queue and len(fetched) < MAX_PAGES:
        url = queue.popleft()
        path = urlsplit(url).path
        if path in fetched:
            continue
        fetched.add(path)
        response = client.get(url)
        if response.status_code != 200:
            continue
        reached.add(path)
        if "text/html" not in response.get("Content-Type", "") or response.has_header("Content-Disposition"):
            continue
        for _quote, href in HREF.findall(response.content.decode()):
            target = urlsplit(urljoin(f"http://testserver{url}", html.unescape(href)))
            if target.scheme not in ("http", "https") or target.netloc != "testserver":
                continue
            if target.path.startswith(SKIP_PREFIXES) or target.path in fetched:
                continue
            if target.path.endswith(FILE_SUFFIXES):
                reached.add(target.path)
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return reached


def expected_pages(world, persona: str) -> dict[str, str]:
    """path -> row id for every GET row of the matrix the persona may open."""
    pages = {}
    for row in _rows():
        if row.method != "get" or row.expect[persona] != 200 or _excused(row, persona):
            continue
        pages[reverse(row.name, args=row.args(world) if row.args else None)] = row.id
    return pages


def test_every_page_of_each_persona_is_reachable_from_their_home(world, client):
    """One world for every persona (building it is the slow part)."""
    problems = []
    for persona in PERSONAS:
        if persona == "anon":
            continue
        client.logout()
        client.force_login(world.personas[persona])
        reached = crawl(client, reverse("workspace:home"))
        missing = sorted(
            f"{row_id} ({path})"
            for path, row_id in expected_pages(world, persona).items()
            if path not in reached
        )
        if missing:
            problems.append(f"{persona}: {missing}")
    assert problems == [], "Not reachable by following links from my work:\n" + "\n".join(problems)


def test_the_allowlist_names_only_rows_of_the_matrix():
    names = {row.name for row in _rows()} | {row.id for row in _rows()}
    listed = {*NOT_PAGES, *SHARED_LINK, *(name for name, _persona in NOT_OFFERED)}
    assert sorted(listed - names) == []
