"""The header shows "my work" and the entries a person's roles open, from the roles already loaded (no query)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from tests.factories import give_role

pytestmark = pytest.mark.django_db


def work_nav(html: str) -> list[tuple[str, str]]:
    """(href, text) of each link in the header's "my work" row."""
    match = re.search(r'<nav class="work-nav"[^>]*>(.*?)</nav>', html, re.DOTALL)
    if not match:
        return []
    return [
        (href, text.strip()) for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', match.group(1))
    ]


def entries_of(client, url=None) -> list[tuple[str, str]]:
    return work_nav(client.get(url or "/en/community/").content.decode())


def test_a_visitor_has_no_work_row(client):
    assert work_nav(client.get(reverse("home")).content.decode()) == []


def test_every_signed_in_person_has_my_work_first(personas, client_for):
    for persona, user in personas.items():
        if user is None:
            continue
        entries = entries_of(client_for(user))
        assert entries[0] == ("/en/workspace/", "My work"), persona


def test_the_roles_open_their_entries(personas, client_for):
    expected = {
        "learner": {"My work"},
        "other": {"My work"},
        "org_admin": {"My work"},
        "reviewer": {"My work", "My reviews"},
        "staff": {"My work", "Outbox", "Moderation", "Certificate management"},
    }
    for persona, labels in expected.items():
        got = {label for _href, label in entries_of(client_for(personas[persona]))}
        # Entries of the awards domain (mentoring, placements, …) come from awards; ours must be exactly these.
        ours = {"My work", "My reviews", "Outbox", "Moderation", "Certificate management", "Questions to me"}
        assert got & ours == labels, persona


def test_staff_entries_lead_to_their_pages(staff, client_for):
    entries = {label: href for href, label in entries_of(client_for(staff))}
    assert entries["Outbox"] == "/en/calls/outbox/"
    assert entries["Moderation"] == "/en/community/moderation/"
    assert entries["Certificate management"] == "/en/credentials/manage/"


def test_a_reviewer_without_two_factor_authentication_gets_no_reviews_entry(client_for, other_learner):
    give_role(other_learner, Role.REVIEWER, mfa=False)
    labels = {label for _href, label in entries_of(client_for(other_learner))}
    assert "My reviews" not in labels


def test_a_practitioner_role_opens_questions(client_for, other_learner):
    give_role(other_learner, Role.PRACTITIONER, mfa=False)
    assert ("/en/community/questions/", "Questions to me") in entries_of(client_for(other_learner))


def test_the_current_page_is_marked(client_for, staff):
    html = client_for(staff).get("/en/calls/outbox/").content.decode()
    assert '<a href="/en/calls/outbox/" aria-current="page">Outbox</a>' in html


@pytest.mark.parametrize("persona", ["learner", "reviewer", "staff"])
def test_the_work_row_adds_no_query_to_a_page(persona, personas, client_for, settings):
    """The same signed-in page with and without the header's work row costs the same queries."""
    client = client_for(personas[persona])
    url = reverse("accounts:profile")
    with CaptureQueriesContext(connection) as with_row:
        html = client.get(url).content.decode()
    assert work_nav(html)
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [p for p in processors if not p.startswith("workspace.")],
            },
        }
    ]
    with CaptureQueriesContext(connection) as without_row:
        client.get(url)
    assert len(with_row.captured_queries) == len(without_row.captured_queries)


def test_the_home_page_offers_my_work_to_signed_in_people_only(client, learner):
    visitor = client.get(reverse("home")).content.decode()
    assert 'class="button" href="/workspace/"' not in visitor
    client.force_login(learner)
    assert 'class="button" href="/workspace/"' in client.get(reverse("home")).content.decode()


def test_the_visitors_home_page_is_still_served_from_the_cache(client):
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response["X-Page-Cache"] == "hit"
    assert len(queries.captured_queries) == 0
