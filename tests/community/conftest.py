"""Builders for community tests; they go through the services, so tests exercise the real path."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import services
from community.models import Category
from tests.factories import UserFactory


@pytest.fixture
def general(db):
    # Migrations create the default categories; a transactional test (browser) flushes them, so make sure.
    services.ensure_default_categories()
    return Category.objects.get(slug="general")


@pytest.fixture
def old_account(db):
    """An established member (joined long ago): no new-account limits, links followed."""

    def make(**kwargs):
        user = UserFactory(**kwargs)
        user.date_joined = timezone.now() - timedelta(days=365)
        user.save(update_fields=["date_joined"])
        return user

    return make


@pytest.fixture
def topic(general, learner):
    return services.start_topic(
        category=general, author=learner, title="სამოქალაქო ბიუჯეტი სოფელში", body="როგორ დავიწყოთ?"
    )


@pytest.fixture
def practitioner(db):
    user = UserFactory(
        email="levan@example.org", full_name_ka="ლევან გელაშვილი", full_name_latin="Levan Gelashvili"
    )
    return services.save_practitioner(
        user=user,
        kind="practitioner",
        bio="ათი წელი სამოქალაქო ბიუჯეტებზე.",
        expertise=["civic_budget", "hearings"],
        regions=["imereti", "kakheti"],
        languages=["ka", "en"],
        accepting_questions=True,
    )


def make_practitioner(
    email, expertise=("civic_budget",), regions=("imereti",), languages=("ka",), accepting=True, **names
):
    user = UserFactory(email=email, **names)
    return services.save_practitioner(
        user=user,
        kind="practitioner",
        bio="bio",
        expertise=list(expertise),
        regions=list(regions),
        languages=list(languages),
        accepting_questions=accepting,
    )
