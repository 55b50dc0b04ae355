"""base.html's links and assets, resolved once per language and process by core.context_processors.site."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from tests.factories import UserFactory, give_role

# The header as base.html rendered it with template tags, before {% site_header %} built it in Python.
TEMPLATE_HEADER = """{% load i18n %}<header class="site-header">
  <div class="wrap header-row">
    <a class="brand" href="{{ base_urls.home }}">civichub</a>
    <nav class="main-nav" aria-label="{% translate 'Main' %}">
      <ul>
        {% for url, label in nav_sections %}<li><a href="{{ url }}"{% if request.path == url %} aria-current="page"{% endif %}>{{ label }}</a></li>{% endfor %}
      </ul>
    </nav>
    <div class="account-nav">
      {% if user.is_authenticated %}
        <a href="{{ base_urls.profile }}">{{ user.display_name }}</a>
        {% if user_is_programme_staff %}<a href="{{ base_urls.admin }}">{% translate "Administration" %}</a>{% endif %}
        <form method="post" action="{{ base_urls.logout }}" class="inline-form">{% csrf_token %}<button type="submit" class="link-button">{% translate "Sign out" %}</button></form>
      {% else %}
        <a href="{{ base_urls.login }}">{% translate "Sign in" %}</a>
        <a href="{{ base_urls.signup }}">{% translate "Sign up" %}</a>
      {% endif %}
      <form method="post" action="{{ base_urls.set_language }}" class="inline-form lang-switch">{% csrf_token %}
        <input type="hidden" name="next" value="{{ request.get_full_path }}">
        {% if LANG == "ka" %}<button type="submit" name="language" value="en" lang="en" class="link-button">English</button>
        {% else %}<button type="submit" name="language" value="ka" lang="ka" class="link-button">ქართული</button>{% endif %}
      </form>
    </div>
  </div>
</header>"""

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ka", "en"])
def test_every_page_links_the_sign_in_pages_and_assets_of_its_own_language(client, language):
    with translation.override(language):
        login, signup, home = reverse("account_login"), reverse("account_signup"), reverse("home")
    html = client.get(home).content.decode()
    assert f'href="{login}"' in html and f'href="{signup}"' in html
    assert (language == "en") == login.startswith("/en/")
    assert 'rel="stylesheet" href="/static/css/site.css"' in html
    assert 'src="/static/js/htmx.min.js"' in html and 'src="/static/js/site.js"' in html


def test_signed_in_pages_link_the_profile_and_sign_out_in_the_language_shown(client_for):
    client = client_for(UserFactory(full_name_latin="Levan Gelashvili"))
    with translation.override("en"):
        profile, logout, set_language = reverse("accounts:profile"), reverse("account_logout"), reverse("set_language")
    html = client.get(profile).content.decode()
    assert f'<a href="{profile}">Levan Gelashvili</a>' in html
    assert f'action="{logout}"' in html and f'action="{set_language}"' in html
    assert reverse("admin:index") not in html


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("language", ["ka", "en"])
@pytest.mark.parametrize("who", ["visitor", "learner", "staff", "needs_mfa"])
@pytest.mark.parametrize("path_of", ["home", "learning:catalogue", "community:index"])
def test_site_header_is_the_markup_the_template_rendered(language, who, path_of):
    user = None
    if who != "visitor":
        user = UserFactory(full_name_ka="ნინო <b>", full_name_latin="Nino & Co")
        if who == "staff":
            give_role(user, Role.STAFF)
        elif who == "needs_mfa":
            give_role(user, Role.REVIEWER, mfa=False)
    engine = engines["django"]
    with translation.override(language):
        path = reverse(path_of)
        request = RequestFactory().get(path + "?page=2&q=<x>")
        request.user = user if user is not None else AnonymousUser()
        request.session = {}
        request._messages = FallbackStorage(request)
        request.META["CSRF_COOKIE"] = "a" * 32
        expected = engine.from_string("{% load i18n %}{% get_current_language as LANG %}" + TEMPLATE_HEADER).render({}, request)
        built = engine.from_string("{% load i18n %}{% get_current_language as LANG %}{% site_header %}").render({}, request)
    # The CSRF token is masked afresh on every use: compare the markup around it.
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("TOKEN", _squeeze(built)) == token.sub("TOKEN", _squeeze(expected))
    assert built.count('name="csrfmiddlewaretoken"') == (2 if user is not None else 1)
    assert ("aria-current" in built) == (path_of != "home")
