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

# The header as base.html rendered it with template tags, before {% site_header %} built it in Python; since then
# a visitor's language switch is a link to the same page in the other language (switch_url), not a form.
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
      {% if user.is_authenticated %}
      <form method="post" action="{{ base_urls.set_language }}" class="inline-form lang-switch">{% csrf_token %}
        <input type="hidden" name="next" value="{{ request.get_full_path }}">
        {% if LANG == "ka" %}<button type="submit" name="language" value="en" lang="en" class="link-button">English</button>
        {% else %}<button type="submit" name="language" value="ka" lang="ka" class="link-button">ქართული</button>{% endif %}
      </form>
      {% elif LANG == "ka" %}<a class="lang-switch" href="{{ switch_url }}" hreflang="en" lang="en">English</a>
      {% else %}<a class="lang-switch" href="{{ switch_url }}" hreflang="ka" lang="ka">ქართული</a>{% endif %}
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
        profile, logout, set_language = (
            reverse("accounts:profile"),
            reverse("account_logout"),
            reverse("set_language"),
        )
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
    with translation.override("en" if language == "ka" else "ka"):
        switch_url = reverse(path_of) + "?page=2&q=%3Cx%3E"
    with translation.override(language):
        path = reverse(path_of)
        request = RequestFactory().get(path + "?page=2&q=<x>")
        request.user = user if user is not None else AnonymousUser()
        request.session = {}
        request._messages = FallbackStorage(request)
        request.META["CSRF_COOKIE"] = "a" * 32
        expected = engine.from_string(
            "{% load i18n %}{% get_current_language as LANG %}" + TEMPLATE_HEADER
        ).render({"switch_url": switch_url}, request)
        built = engine.from_string(
            "{% load i18n %}{% get_current_language as LANG %}{% site_header %}"
        ).render({}, request)
    # The CSRF token is masked afresh on every use: compare the markup around it.
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("TOKEN", _squeeze(built)) == token.sub("TOKEN", _squeeze(expected))
    assert built.count('name="csrfmiddlewaretoken"') == (2 if user is not None else 0)
    assert ("aria-current" in built) == (path_of != "home")
    if (
        user is None
    ):  # a visitor's header asks for no CSRF token (get_token would flag the cookie for an update)
        assert "CSRF_COOKIE_NEEDS_UPDATE" not in request.META


@pytest.mark.parametrize(
    ("path", "link"),
    [
        ("/learning/?page=2&topic=budget", "/en/learning/?page=2&topic=budget"),
        ("/en/learning/?page=2", "/learning/?page=2"),
        ("/en/community/", "/community/"),
        ("/", "/en/"),
        ("/no-such-page/", "/en/"),  # a 404: the other language's home page
        ("/en/no-such-page/", "/"),
    ],
)
def test_a_visitors_language_switch_links_the_same_page_in_the_other_language(client, path, link):
    response = client.get(path)

    html = response.content.decode()
    language = "en" if link.startswith("/en/") else "ka"
    assert (
        f'<a class="lang-switch" href="{link.replace("&", "&amp;")}" hreflang="{language}" lang="{language}">'
        in html
    )
    assert "/i18n/setlang/" not in html
    followed = client.get(link)
    assert followed.status_code == 200
    assert f'<html lang="{language}">' in followed.content.decode()


def test_a_visitors_page_holds_no_csrf_token_and_sets_no_csrf_cookie(client):
    response = client.get(reverse("learning:catalogue"))

    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html and "X-CSRFToken" not in html
    assert "csrftoken" not in response.cookies


def test_a_signed_in_persons_switch_is_a_form_that_remembers_their_language(client_for):
    person = UserFactory(language="ka")
    client = client_for(person)
    html = client.get(reverse("learning:catalogue")).content.decode()
    assert 'class="inline-form lang-switch"' in html and 'hx-headers=\'{"X-CSRFToken": "' in html

    response = client.post(reverse("set_language"), {"language": "en", "next": "/learning/"})

    assert response["Location"] == "/en/learning/"
    person.refresh_from_db()
    assert person.language == "en"
