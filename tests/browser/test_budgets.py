"""Page budgets in a real browser: every key page of every landed domain, loaded with an empty cache.

For each page we record bytes by type (HTML gzip-compressed as the front server sends it; CSS and JS as
WhiteNoise serves them), the number of requests and the DOM size, and fail when a page

* weighs more than 50 KB of compressed HTML + CSS + JS, or makes more than 15 requests;
* has a serious or critical axe-core violation;
* scrolls horizontally at 360 px.

Pages come from URL names; a page whose domain has not landed is skipped with the reason in the message.
The objects the pages need come from each domain's demo loader (``<app>.demo.seed()``), or, for a domain
whose demo loader has not landed yet, from ``generate_data --scale tiny``. Figures are written to
``var/bench/budgets/<page>.json`` and shown with ``pytest -rA``.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from tests.browser.helpers import assert_accessible, assert_fits_360, dom_size, page_weight, sign_in

pytestmark = pytest.mark.browser

MAX_CORE_BYTES = 50 * 1024
MAX_REQUESTS = 15
DEMO_ORDER = ["accounts", "learning", "calls", "credentials", "community"]
LEARNER_EMAIL = "nino@demo.civichub.ge"
REVIEWER_EMAIL = "expert@demo.civichub.ge"
STAFF_EMAIL = "staff@demo.civichub.ge"

# (URL name, who looks at it: "anonymous", "learner", or "reviewer" / "staff" — these two enter by session cookie,
# since their TOTP step is tested by the foundation's sign-in tests)
KEY_PAGES = [
    ("home", "anonymous"),
    ("account_login", "anonymous"),
    ("account_signup", "anonymous"),
    ("accounts:organisation_detail", "anonymous"),
    ("accounts:profile", "learner"),
    ("accounts:organisation_list", "learner"),
    ("learning:catalogue", "anonymous"),
    ("learning:course_detail", "anonymous"),
    ("learning:lesson", "learner"),
    ("learning:my_learning", "learner"),
    ("calls:call_list", "anonymous"),
    ("calls:call_detail", "anonymous"),
    ("calls:my_applications", "learner"),
    ("calls:application_detail", "learner"),
    ("calls:review_queue", "reviewer"),
    ("calls:review", "reviewer"),
    ("calls:manage_call", "staff"),
    ("credentials:verifier", "anonymous"),
    ("credentials:verify", "anonymous"),
    ("credentials:my_credentials", "learner"),
    ("community:index", "anonymous"),
    ("community:topic", "learner"),
    ("community:search", "anonymous"),
    ("community:cases", "anonymous"),
    ("community:case", "anonymous"),
    ("community:practitioners", "learner"),
]


def seed_all() -> list[str]:
    """Run each installed domain's demo loader; fall back to generated data where none has landed."""
    missing = []
    for label in DEMO_ORDER:
        if not apps.is_installed(label):
            continue
        if importlib.util.find_spec(f"{label}.demo") is None:
            missing.append(label)
            continue
        importlib.import_module(f"{label}.demo").seed(stdout=None)
    if missing:
        from benchmarks.management.commands import generate_data  # installed only when benchmarking

        call_command(generate_data.Command(), scale="tiny", seed=1, stdout=None)
    return missing


def _person(who: str):
    from accounts.models import User

    return User.objects.get(
        email={"learner": LEARNER_EMAIL, "reviewer": REVIEWER_EMAIL, "staff": STAFF_EMAIL}[who]
    )


def _enter_by_session(page, user) -> None:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": page.base_url}]
    )


def _password_for(user) -> str:
    from accounts.demo import DEMO_PASSWORD
    from benchmarks.datagen import GEN_EMAIL_DOMAIN, GEN_PASSWORD

    return GEN_PASSWORD if user.email.endswith(GEN_EMAIL_DOMAIN) else DEMO_PASSWORD


def _first(model_path: str, **filters):
    app_label, model_name = model_path.split(".")
    model = apps.get_model(app_label, model_name)
    obj = model.objects.filter(**filters).order_by("pk").first()
    if obj is None:
        pytest.skip(f"no {model_name} in the demo data")
    return obj


def _reverse_object(name: str, obj) -> str:
    for args in ([getattr(obj, "slug", None)], [obj.pk]):
        if args[0] is None:
            continue
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    pytest.skip(f"{name}: cannot build its address from {obj!r}")


def resolve(name: str, who: str):
    """The page's path and the user to sign in as (None for anonymous)."""
    app_label = name.split(":")[0] if ":" in name else "core"
    if app_label in DEMO_ORDER and not apps.is_installed(app_label):
        pytest.skip(f"{name}: the {app_label} domain has not landed")
    user = None if who == "anonymous" else _person(who)
    if name == "accounts:organisation_detail":
        return _reverse_object(name, _first("accounts.Organisation")), user
    if name == "learning:course_detail":
        return _reverse_object(name, _first("learning.Course", published=True)), user
    if name == "learning:lesson":
        from learning import services
        from learning.models import Enrolment

        enrolment = (
            Enrolment.objects.filter(user=user, active=True, course__published=True)
            .select_related("course")
            .first()
        )
        if enrolment is None:
            services.enrol(
                user=user, course=_first("learning.Course", published=True, prerequisites__isnull=True)
            )
            enrolment = Enrolment.objects.filter(user=user, active=True).select_related("course").first()
        lesson = enrolment.course.lessons.filter(kind="text").order_by("module__position", "position").first()
        return reverse(name, args=[enrolment.course.slug, lesson.slug]), user
    if name == "community:topic":
        return _reverse_object(name, _first("community.Topic", is_hidden=False)), user
    if name in ("calls:call_detail", "calls:manage_call"):
        return _reverse_object(name, _first("calls.Call")), user
    if name == "calls:application_detail":
        return _reverse_object(name, _first("calls.Application", applicant=user)), user
    if name == "calls:review":
        return _reverse_object(name, _first("calls.Assignment", reviewer=user)), user
    if name == "credentials:verify":
        return _reverse_object(name, _first("credentials.Credential")), user
    if name == "community:case":
        return _reverse_object(name, _first("community.Case", status="published")), user
    if name == "community:search":
        return reverse(
            name
        ) + "?q=%E1%83%91%E1%83%98%E1%83%A3%E1%83%AF%E1%83%94%E1%83%A2", user  # ბიუჯეტ (budget)
    try:
        return reverse(name), user
    except NoReverseMatch:
        pytest.skip(f"{name}: no such page yet (its domain has not added it)")


def _record(name: str, figures: dict) -> None:
    folder = Path(settings.BASE_DIR) / "var" / "bench" / "budgets"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / (name.replace(":", "-") + ".json")).write_text(json.dumps(figures, indent=1), encoding="utf-8")


@pytest.mark.parametrize(("name", "who"), KEY_PAGES, ids=[name for name, _who in KEY_PAGES])
def test_key_page_stays_within_weight_request_accessibility_and_width_budgets(
    browser_page, name, who, record_property
):
    page = browser_page
    seed_all()
    path, user = resolve(name, who)
    if who == "learner":
        sign_in(page, page.base_url, user.email, _password_for(user))
    elif user is not None:
        _enter_by_session(page, user)
    # Empty cache: whatever signing in fetched must be fetched again.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.clearBrowserCache")

    figures = page_weight(page, page.base_url + path)
    assert page.url.rstrip("/").endswith(path.rstrip("/")), f"{name}: expected {path}, landed on {page.url}"
    assert page.locator("main h1").count() >= 1, f"{name}: the page has no main heading"
    figures["dom_elements"] = dom_size(page)
    figures["path"] = path
    _record(name, figures)
    record_property("budget", figures)
    print(f"{name}: {figures}")

    assert figures["total_core"] <= MAX_CORE_BYTES, (
        f"{name}: {figures['total_core']} B compressed HTML+CSS+JS > 50 KB"
    )
    assert figures["requests"] <= MAX_REQUESTS, f"{name}: {figures['requests']} requests > {MAX_REQUESTS}"
    assert_accessible(page)
    assert_fits_360(page)
