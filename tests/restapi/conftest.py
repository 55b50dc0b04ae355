"""Helpers for the REST API's tests: tokens for the personas, requests with a bearer token, content builders."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Case, CaseStatus, Opportunity
from restapi import services
from restapi.models import Scope

_seq = itertools.count(1)


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def token_for(db):
    def make(user, scope=Scope.READ, **kwargs) -> str:
        return services.create_token(user=user, name="script", scope=scope, **kwargs).secret

    return make


def body(response) -> dict:
    return json.loads(response.content)


def make_opportunity(**fields) -> Opportunity:
    n = next(_seq)
    defaults = {
        "title": f"მონაწილეობის აკადემია {n}",
        "organiser": "სამოქალაქო ცენტრი",
        "deadline": timezone.now() + timedelta(days=5 + n),
        "link": "https://example.org/academy",
        "description": "აღწერა",
    }
    return Opportunity.objects.create(**{**defaults, **fields})


def make_case(author=None, **fields) -> Case:
    n = next(_seq)
    defaults = {
        "title": f"სამოქალაქო ბიუჯეტი ქუთაისში {n}",
        "mechanism": "civic_budget",
        "region": "imereti",
        "municipality": "ქუთაისი",
        "year": 2024,
        "summary": "მოკლე აღწერა",
        "what_happened": "რა მოხდა",
        "outcome": "შედეგი",
        "lessons": "გაკვეთილები",
        "status": CaseStatus.PUBLISHED,
        "published_at": timezone.now(),
        "author": author,
    }
    return Case.objects.create(**{**defaults, **fields})


@pytest.fixture
def credential(learner):
    """A signed credential of the learner's (the way credentials' own tests issue one)."""
    from credentials import services as credentials
    from credentials.models import AchievementKind
    from tests.credentials.keys import test_private_key

    credentials.rotate_signing_key(private_key=test_private_key(0))
    credentials.issuer_profile()
    achievement = credentials.ensure_achievement(
        key="course:policy-analysis",
        defaults={
            "kind": AchievementKind.COURSE,
            "name_ka": "საჯარო პოლიტიკის ანალიზი",
            "name_en": "Policy analysis",
        },
    )
    issued, _created = credentials.issue_credential(user=learner, achievement=achievement)
    return issued
