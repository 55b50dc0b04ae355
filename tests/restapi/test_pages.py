"""The documentation page: every endpoint listed from the OpenAPI document, no third-party assets."""

from __future__ import annotations

import pytest
from django.urls import reverse

from restapi.endpoints import api

pytestmark = pytest.mark.django_db


def test_the_docs_page_lists_every_endpoint_without_third_party_assets(client):
    page = client.get(reverse("restapi:docs")).content.decode()
    for path in api.get_openapi_schema()["paths"]:
        assert f"<code>{path}</code>" in page
    assert reverse("api_v1:openapi-json") in page
    assert "cdn" not in page.lower() and "<script>" not in page and "style=" not in page
    assert reverse("restapi:tokens") in page and reverse("restapi:calls_ics") in page


def test_api_v1_and_its_docs_address_lead_to_the_docs_page(client):
    assert client.get("/api/v1/")["Location"] == reverse("restapi:docs")
    assert client.get("/api/v1/docs")["Location"] == reverse("restapi:docs")


def test_the_tokens_page_offers_the_staff_scope_only_to_staff(client_for, learner, staff):
    assert 'value="staff"' not in client_for(learner).get(reverse("restapi:tokens")).content.decode()
    assert 'value="staff"' in client_for(staff).get(reverse("restapi:tokens")).content.decode()


def test_english_pages(client):
    page = client.get("/en" + reverse("restapi:docs")).content.decode()
    assert "The civichub API" in page
