"""Public list and pages (constant queries, cached for visitors), staff lists and exports, My work."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from events import services
from events.api import work_items
from events.models import Audience
from tests.events.builders import make_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 3])
def test_public_list_has_constant_queries(client, count, django_assert_num_queries):
    import datetime as dt

    from django.utils import timezone

    for i in range(count):
        make_event(title_ka=f"ალფა {i}")
        past = timezone.now() - dt.timedelta(days=30 + i)
        make_event(title_ka=f"ომეგა {i}", starts_at=past, ends_at=past, registration_deadline=past)
    with django_assert_num_queries(3):
        response = client.get(reverse("events:list"))
    page = response.content.decode()
    assert page.count("ალფა ") == count and page.count("ომეგა ") == count


def test_list_is_served_from_the_cache_to_visitors_and_refreshed_on_save(client):
    event = make_event(title_ka="პირველი")
    assert client.get(reverse("events:list"))["X-Page-Cache"] == "miss"
    assert client.get(reverse("events:list"))["X-Page-Cache"] == "hit"
    event.title_ka = "შეცვლილი"
    event.save()
    services.event_saved()  # what the admin does on save (after commit)
    from core.api import invalidate_anonymous_pages

    invalidate_anonymous_pages()
    response = client.get(reverse("events:list"))
    assert "შეცვლილი" in response.content.decode()


def test_unpublished_event_is_404_to_all_but_staff(client_for, learner, staff):
    event = make_event(published=False)
    assert client_for(learner).get(reverse("events:detail", args=[event.pk])).status_code == 404
    assert client_for(None).get(reverse("events:detail", args=[event.pk])).status_code == 404
    assert client_for(staff).get(reverse("events:detail", args=[event.pk])).status_code == 200


def test_event_page_shows_facts_in_tbilisi_time_and_markdown(client):
    import datetime as dt

    starts = dt.datetime(2027, 3, 1, 6, 0, tzinfo=dt.UTC)
    event = make_event(
        description_ka="**მნიშვნელოვანი** <script>alert(1)</script>",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        registration_deadline=starts - dt.timedelta(days=1),
    )
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "<strong>მნიშვნელოვანი</strong>" in page
    assert "<script>alert" not in page
    assert "10:00" in page  # 06:00 UTC is 10:00 in Tbilisi


def test_english_page_uses_english_title(client):
    event = make_event(title_en="Closing conference")
    page = client.get("/en" + reverse("events:detail", args=[event.pk])).content.decode()
    assert "Closing conference" in page


@pytest.mark.parametrize("count", [1, 3])
def test_staff_registration_list_has_constant_queries(client_for, staff, count, django_assert_num_queries):
    event = make_event(capacity=10)
    for _ in range(count):
        services.register(event=event, user=UserFactory())
    client = client_for(staff)
    client.get(reverse("events:registrations", args=[event.pk]))  # warm the session and roles
    with django_assert_num_queries(8):
        response = client.get(reverse("events:registrations", args=[event.pk]))
    assert response.content.decode().count('<tr><th scope="row">') == count


@pytest.mark.parametrize("count", [1, 3])
def test_staff_event_list_has_constant_queries(client_for, staff, count, django_assert_num_queries):
    for i in range(count):
        make_event(title_ka=f"ღონისძიება {i}")
    client = client_for(staff)
    client.get(reverse("events:manage"))
    with django_assert_num_queries(6):
        response = client.get(reverse("events:manage"))
    assert response.content.decode().count("ღონისძიება ") == count


def test_staff_export_csv_and_xlsx(client_for, staff, learner):
    event = make_event()
    registration, _ = services.register(event=event, user=learner)
    client = client_for(staff)
    response = client.get(reverse("events:export", args=[event.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == learner.email and rows[1][5] == registration.display_code
    response = client.get(reverse("events:export", args=[event.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))][1] == learner.email
    assert client.get(reverse("events:export", args=[event.pk, "pdf"])).status_code == 404


def test_staff_list_and_export_show_each_status_in_the_page_language(client_for, staff):
    event = make_event(capacity=1)
    services.register(event=event, user=UserFactory(email="first@example.org"))
    services.register(event=event, user=UserFactory(email="second@example.org"))  # no place left: waitlisted
    client = client_for(staff)
    html = client.get(reverse("events:registrations", args=[event.pk])).content.decode()
    assert "<td>დარეგისტრირებული</td>" in html and "<td>მოლოდინის სიაში</td>" in html
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("events:export", args=[event.pk, "csv"])).content.decode("utf-8-sig")
            )
        )
    )
    assert sorted((row[1], row[2]) for row in rows[1:]) == [
        ("first@example.org", "დარეგისტრირებული"),
        ("second@example.org", "მოლოდინის სიაში"),
    ]
    english = client.get("/en" + reverse("events:registrations", args=[event.pk])).content.decode()
    assert "<td>Registered</td>" in english and "<td>On the waitlist</td>" in english


def test_export_neutralises_formulas(client_for, staff):
    event = make_event(audience=Audience.ANYONE)
    services.register(event=event, name="=HYPERLINK(1)", email="x@example.org")
    response = client_for(staff).get(reverse("events:export", args=[event.pk, "csv"]))
    assert "\n=HYPERLINK" not in response.content.decode("utf-8-sig")


def test_work_items_for_a_person_and_for_staff(learner, staff, django_assert_num_queries):
    from accounts.api import as_viewer

    event = make_event()
    services.register(event=event, user=learner)
    viewer = as_viewer(learner)
    items = work_items(viewer)
    assert [(i.label, i.count, i.url) for i in items] == [(items[0].label, 1, reverse("events:mine"))]
    staff_items = work_items(as_viewer(staff))
    assert any(i.url == reverse("events:manage") and i.count == 1 for i in staff_items)


def test_my_events_lists_my_registrations(client_for, learner, other_learner):
    mine = make_event(title_ka="ჩემი")
    theirs = make_event(title_ka="სხვისი")
    services.register(event=mine, user=learner)
    services.register(event=theirs, user=other_learner)
    page = client_for(learner).get(reverse("events:mine")).content.decode()
    assert "ჩემი" in page and "სხვისი" not in page


def test_demo_is_idempotent(db):
    from accounts import demo as accounts_demo
    from events import demo
    from events.models import Event, Registration

    accounts_demo.seed()
    from calls import demo as calls_demo

    calls_demo.seed()
    demo.seed()
    counts = (Event.objects.count(), Registration.objects.count())
    demo.seed()
    assert (Event.objects.count(), Registration.objects.count()) == counts
    assert Registration.objects.filter(status="waitlisted").exists()
    assert Registration.objects.filter(checked_in_at__isnull=False).exists()
    assert Event.objects.filter(kind="ceremony", certification_call__isnull=False).exists()


@pytest.mark.parametrize("count", [1, 3])
def test_event_page_has_constant_queries(client, count, django_assert_num_queries):
    event = make_event(capacity=10)
    for _ in range(count):
        services.register(event=event, user=UserFactory())
    with django_assert_num_queries(2):
        response = client.get(reverse("events:detail", args=[event.pk]))
    assert f"{count} / 10" in response.content.decode() or f": {count}" in response.content.decode()


def test_my_work_shows_my_events_and_staff_events(client_for, learner, staff):
    services.register(event=make_event(), user=learner)
    page = client_for(learner).get(reverse("workspace:home")).content.decode()
    assert reverse("events:mine") in page
    page = client_for(staff).get(reverse("workspace:home")).content.decode()
    assert reverse("events:manage") in page
