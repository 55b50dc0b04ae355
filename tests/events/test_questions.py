"""Registration questions: a questionnaire of the calls form engine on the register page (required ones enforced,
what was typed kept), the answers on the person's own page only, and one column per question for staff."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from events import services
from events.models import Audience, Registration
from tests.events.builders import make_event, make_questionnaire
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return make_event(capacity=10, questionnaire=make_questionnaire())


def test_register_page_shows_the_questions(client_for, learner, event):
    page = client_for(learner).get(reverse("events:register", args=[event.pk])).content.decode()
    assert "კვების საჭიროებები" in page and "ვეგეტარიანული" in page and "რისი განხილვა გსურთ?" in page
    assert 'name="f_diet"' in page and 'name="f_discuss"' in page


def test_answers_are_stored_with_the_registration(client_for, learner, event):
    response = client_for(learner).post(
        reverse("events:register", args=[event.pk]), {"f_diet": "2", "f_discuss": "საჯარო მოსმენები"}
    )
    registration = Registration.objects.get(event=event, user=learner)
    assert response["Location"] == reverse("events:registration", args=[registration.token])
    assert registration.answers == {"diet": "2", "discuss": "საჯარო მოსმენები"}
    assert registration.status == "confirmed"


def test_a_required_question_left_empty_is_refused_and_the_typed_text_kept(client_for, learner, event):
    response = client_for(learner).post(
        reverse("events:register", args=[event.pk]), {"f_discuss": "ბიუჯეტის პილოტი"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "ამ კითხვას პასუხი სჭირდება." in page
    assert 'value="ბიუჯეტის პილოტი"' in page
    assert 'aria-invalid="true"' in page
    assert not Registration.objects.filter(event=event).exists()


def test_the_message_is_in_the_persons_language(client_for, learner, event):
    response = client_for(learner).post(
        "/en" + reverse("events:register", args=[event.pk]), {"f_diet": "9", "f_discuss": "x"}
    )
    page = response.content.decode()
    assert "Choose one of the options." in page and "Dietary needs" in page
    assert not Registration.objects.filter(event=event).exists()


def test_a_visitor_answers_too_and_keeps_name_and_email_on_an_error(client, event):
    event.audience = Audience.ANYONE
    event.save()
    url = reverse("events:register", args=[event.pk])
    page = client.post(url, {"name": "სტუმარი", "email": "guest@example.org"}).content.decode()
    assert 'value="სტუმარი"' in page and 'value="guest@example.org"' in page
    client.post(url, {"name": "სტუმარი", "email": "guest@example.org", "f_diet": "1"})
    assert Registration.objects.get(event=event).answers == {"diet": "1"}


def test_the_person_sees_their_answers_others_and_the_public_never(client_for, learner, other_learner, event):
    registration, _ = services.register(
        event=event, user=learner, answers={"diet": "2", "discuss": "ტექსტი-7"}
    )
    own = client_for(learner).get(reverse("events:registration", args=[registration.token])).content.decode()
    assert "ვეგეტარიანული" in own and "ტექსტი-7" in own
    assert (
        client_for(other_learner).get(reverse("events:registration", args=[registration.token])).status_code
        == 404
    )
    public = client_for(other_learner).get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "ტექსტი-7" not in public and "ვეგეტარიანული" not in public
    mine = client_for(other_learner).get(reverse("events:mine")).content.decode()
    assert "ტექსტი-7" not in mine


def test_rejoining_after_a_cancellation_takes_the_new_answers(learner, event):
    registration, _ = services.register(event=event, user=learner, answers={"diet": "1"})
    services.cancel_registration(registration=registration, by=learner)
    services.register(event=event, user=learner, answers={"diet": "2"})
    registration.refresh_from_db()
    assert registration.answers == {"diet": "2"} and registration.status == "confirmed"


@pytest.mark.parametrize("count", [1, 3])
def test_staff_list_has_a_column_per_question_in_constant_queries(
    client_for, staff, event, count, django_assert_num_queries
):
    for i in range(count):
        services.register(event=event, user=UserFactory(), answers={"diet": "2", "discuss": f"თემა-{i}"})
    client = client_for(staff)
    client.get(reverse("events:registrations", args=[event.pk]))  # warm the session and roles
    with django_assert_num_queries(9):
        response = client.get(reverse("events:registrations", args=[event.pk]))
    page = response.content.decode()
    assert '<th scope="col">კვების საჭიროებები</th>' in page
    assert page.count("<td>ვეგეტარიანული</td>") == count
    assert all(f"<td>თემა-{i}</td>" in page for i in range(count))


def test_export_has_a_column_per_question_labelled_in_the_active_language(client_for, staff, learner, event):
    services.register(event=event, user=learner, answers={"diet": "2", "discuss": "=HYPERLINK(1)"})
    client = client_for(staff)
    response = client.get(reverse("events:export", args=[event.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["კვების საჭიროებები", "რისი განხილვა გსურთ?"]
    assert rows[1][-2] == "ვეგეტარიანული" and not rows[1][-1].startswith("=")
    response = client.get("/en" + reverse("events:export", args=[event.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]
    values = [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert header[-2:] == ["Dietary needs", "What do you want to discuss?"]
    assert values[-2] == "Vegetarian"


def test_an_event_without_questions_exports_as_before(client_for, staff, learner):
    plain = make_event()
    services.register(event=plain, user=learner)
    response = client_for(staff).get(reverse("events:export", args=[plain.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 6


def test_demo_conference_asks_two_questions_and_has_answers(db):
    from accounts import demo as accounts_demo
    from calls import demo as calls_demo
    from events import demo
    from events.models import Event

    accounts_demo.seed()
    calls_demo.seed()
    demo.seed()
    demo.seed()
    conference = Event.objects.get(title_ka=demo.CONFERENCE)
    from calls.api import questionnaire_rows

    assert [(q.key, q.kind) for q in questionnaire_rows(conference.questionnaire_id)] == [
        ("diet", "choice"),
        ("discuss", "short_text"),
    ]
    answers = list(Registration.objects.filter(event=conference).values_list("answers", flat=True))
    assert answers and all(a.get("diet") for a in answers)


def test_someone_who_may_not_register_is_told_before_typing_and_a_post_stores_nothing(
    client_for, other_learner
):
    event = make_event(audience=Audience.INVITED, questionnaire=make_questionnaire())
    url = reverse("events:register", args=[event.pk])
    page = client_for(other_learner).get(url).content.decode()
    assert "ამ ღონისძიებაზე რეგისტრაცია მხოლოდ მოწვევით არის შესაძლებელი." in page
    assert 'name="f_diet"' not in page
    response = client_for(other_learner).post(url, {"f_diet": "1"})
    assert "ამ ღონისძიებაზე რეგისტრაცია მხოლოდ მოწვევით არის შესაძლებელი." in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()
