"""base.html's links and assets, resolved once per language and process by core.context_processors.site."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

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
