"""Query counts of the events pages make bench measures (and the check-in page), as literal numbers: the same with
one item as with three or more, so the pages' cost does not grow with the registrations or the events."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Registration
from tests.events.builders import make_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_pages():
    cache.clear()  # visitors' pages are cached: every count below is of a page built from the database
    yield
    cache.clear()


def _events(count: int) -> None:
    for i in range(count):
        make_event(title_ka=f"ალფა-{i}", capacity=5)
        past = timezone.now() - dt.timedelta(days=20 + i)
        make_event(
            title_ka=f"ომეგა-{i}",
            starts_at=past,
            ends_at=past + dt.timedelta(hours=3),
            registration_deadline=past,
        )


def _registered(event, count: int) -> list[Registration]:
    """``count`` people on the event: confirmed up to its capacity, the rest on the waitlist."""
    return [services.register(event=event, user=UserFactory())[0] for _ in range(count)]


@pytest.mark.parametrize("count", [1, 3])
def test_event_list_for_visitors(client, count, django_assert_num_queries):
    _events(count)
    with django_assert_num_queries(3):  # upcoming count + page, recent past
        response = client.get(reverse("events:list"))
    page = response.content.decode()
    assert page.count("ალფა-") == count and page.count("ომეგა-") == count


@pytest.mark.parametrize("count", [1, 3])
def test_event_list_signed_in(client_for, learner, count, django_assert_num_queries):
    _events(count)
    client = client_for(learner)
    client.get(reverse("events:list"))  # the session and the header's entries, once
    with django_assert_num_queries(6):
        response = client.get(reverse("events:list"))
    assert response.content.decode().count("ალფა-") == count


@pytest.mark.parametrize("count", [1, 4])
def test_event_page_for_visitors(client, count, django_assert_num_queries):
    event = make_event(capacity=3)
    _registered(event, count)
    with django_assert_num_queries(2):  # the event, its counts
        response = client.get(reverse("events:detail", args=[event.pk]))
    assert event.title_ka in response.content.decode()


@pytest.mark.parametrize("count", [1, 4])
def test_event_page_signed_in(client_for, learner, count, django_assert_num_queries):
    event = make_event(capacity=3)
    _registered(event, count)
    client = client_for(learner)
    client.get(reverse("events:detail", args=[event.pk]))
    with django_assert_num_queries(6):
        response = client.get(reverse("events:detail", args=[event.pk]))
    assert reverse("events:register", args=[event.pk]) in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_staff_event_list(client_for, staff, count, django_assert_num_queries):
    for i in range(count):
        event = make_event(title_ka=f"ღონისძიება {i}", capacity=2)
        _registered(event, 3)
    client = client_for(staff)
    client.get(reverse("events:manage"))
    with django_assert_num_queries(6):
        response = client.get(reverse("events:manage"))
    assert response.content.decode().count("ღონისძიება ") == count


@pytest.mark.parametrize("count", [1, 4])
def test_staff_registration_list_with_a_waitlist(client_for, staff, count, django_assert_num_queries):
    event = make_event(capacity=2)
    registrations = _registered(event, count)
    if count > 1:
        services.check_in(event=event, code=registrations[0].code, by=staff)
    client = client_for(staff)
    client.get(reverse("events:registrations", args=[event.pk]))
    with django_assert_num_queries(8):
        response = client.get(reverse("events:registrations", args=[event.pk]))
    page = response.content.decode()
    assert page.count('<tr><th scope="row">') == count
    assert all(r.name in page for r in registrations)


@pytest.mark.parametrize("count", [1, 4])
def test_check_in_page_and_a_check_in(client_for, staff, count, django_assert_num_queries):
    event = make_event(capacity=10)
    registrations = _registered(event, count)
    client = client_for(staff)
    url = reverse("events:checkin", args=[event.pk])
    client.get(url)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_num_queries(12):
        response = client.post(url, {"code": registrations[-1].code})
    assert registrations[-1].name in response.content.decode()
    registrations[-1].refresh_from_db()
    assert registrations[-1].checked_in_at is not None and registrations[-1].checked_in_by == staff
