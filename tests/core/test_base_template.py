"""base.html and its header (templates/core/_header.html): links per language and per person, assets, the language switch."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from tests.factories import UserFactory, give_role

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


@pytest.mark.parametrize("language", ["ka", "en"])
def test_the_menu_links_each_section_and_marks_the_current_one(client, language):
    with translation.override(language):
        sections = [reverse(name) for name in ("learning:catalogue", "calls:call_list", "community:index")]
    html = client.get(sections[0]).content.decode()

    assert f'<a href="{sections[0]}" aria-current="page">' in html
    assert all(f'<a href="{url}">' in html for url in sections[1:])
    assert html.count('aria-current="page"') == 1


@pytest.mark.parametrize(
    ("who", "administration", "mfa_notice"),
    [("learner", False, False), ("staff", True, False), ("needs_mfa", False, True)],
)
def test_signed_in_header_by_role(client_for, who, administration, mfa_notice):
    person = UserFactory(full_name_ka="ნინო <b> & Co", full_name_latin="Nino <b> & Co")
    if who == "staff":
        give_role(person, Role.STAFF)
    elif who == "needs_mfa":
        give_role(person, Role.REVIEWER, mfa=False)

    html = client_for(person).get(reverse("learning:catalogue")).content.decode()

    assert (f'<a href="{reverse("admin:index")}">' in html) == administration
    assert (f'href="{reverse("mfa_activate_totp")}"' in html) == mfa_notice
    assert (
        f'<a href="{reverse("accounts:profile")}">{person.display_name}'.replace("<b> &", "&lt;b&gt; &amp;")
        in html
    )
    assert "<b>" not in html
    assert html.count('name="csrfmiddlewaretoken"') == 2  # sign out and the language switch
    assert f'action="{reverse("account_logout")}"' in html
    assert reverse("account_login") not in html


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
