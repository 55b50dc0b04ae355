"""Ask a practitioner: directory, private threads, pool questions, answered/thanks, consent to publish, limits, blocks."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from community import queries, services
from community.models import Question, QuestionStatus
from community.services import QUESTION_TRANSITIONS, CommunityError
from tests.community.conftest import make_practitioner

pytestmark = pytest.mark.django_db


def test_opting_in_as_a_practitioner_lists_the_person_in_the_directory(learner, client_for):
    response = client_for(learner).post(
        reverse("community:practitioner_join"),
        {
            "kind": "alumnus",
            "bio": "ვმუშაობდი პეტიციებზე",
            "expertise": ["petitions"],
            "regions": ["imereti"],
            "languages": ["ka", "ru"],
            "accepting_questions": "on",
            "is_listed": "on",
        },
    )
    assert response.status_code == 302
    directory = (
        client_for(None)
        .get(reverse("community:practitioners") + "?expertise=petitions&language=ru")
        .content.decode()
    )
    assert "ნინო ბერიძე" in directory


def test_directory_filters_by_expertise_region_and_language(practitioner):
    other = make_practitioner(
        "p2@example.org", expertise=["petitions"], regions=["tbilisi"], languages=["en"]
    )
    assert list(queries.directory(expertise="civic_budget")) == [practitioner]
    assert list(queries.directory(region="tbilisi")) == [other]
    assert list(queries.directory(language="en").order_by("pk")) == [practitioner, other]
    assert list(queries.directory(expertise="petitions", region="imereti")) == []


def test_ask_one_practitioner_in_georgian_and_the_thread_stays_private(
    practitioner, learner, other_learner, staff, client_for
):
    response = client_for(learner).post(
        reverse("community:ask") + f"?to={practitioner.pk}",
        {
            "to": practitioner.pk,
            "title": "როგორ მოვამზადოთ საჯარო განხილვა?",
            "body": "ქუთაისში ვართ, პირველად ვაკეთებთ.",
        },
    )
    question = Question.objects.get()
    assert response.url == f"/community/questions/{question.pk}/"
    assert (question.practitioner, question.to_pool, question.status) == (practitioner, False, "open")
    assert practitioner.user.community_notifications.get().question == question
    for outsider in (other_learner, staff):
        assert client_for(outsider).get(question.get_absolute_url()).status_code == 404
    assert client_for(practitioner.user).get(question.get_absolute_url()).status_code == 200


def test_the_practitioner_answers_and_the_asker_marks_answered_and_thanks(practitioner, learner, client_for):
    question = services.ask_question(
        asker=learner, practitioner=practitioner, title="საკითხი საჯარო განხილვაზე", body="დეტალები"
    )
    client_for(practitioner.user).post(
        question.get_absolute_url(), {"body": "დაიწყეთ ადრე და მოიწვიეთ ყველა."}
    )
    assert learner.community_notifications.filter(kind="question_message").count() == 1
    client = client_for(learner)
    client.post(reverse("community:question_act", args=[question.pk]), {"action": "mark_answered"})
    client.post(
        reverse("community:question_act", args=[question.pk]), {"action": "thank", "thanks": "დიდი მადლობა!"}
    )
    question.refresh_from_db()
    assert question.status == "answered" and question.answered_at and question.thanks == "დიდი მადლობა!"
    page = client.get(question.get_absolute_url()).content.decode()
    assert "დაიწყეთ ადრე" in page and "დიდი მადლობა!" in page


def test_cannot_mark_answered_before_any_answer(practitioner, learner):
    question = services.ask_question(
        asker=learner, practitioner=practitioner, title="კითხვა ჯერ უპასუხოდ", body="b"
    )
    with pytest.raises(CommunityError):
        services.change_question(question=question, user=learner, action="mark_answered")


def test_only_the_asker_marks_answered(practitioner, learner):
    question = services.ask_question(
        asker=learner, practitioner=practitioner, title="კითხვა პრაქტიკოსს", body="b"
    )
    services.post_question_message(question=question, author=practitioner.user, body="answer")
    with pytest.raises(CommunityError):
        services.change_question(question=question, user=practitioner.user, action="mark_answered")


def test_publishing_needs_both_parties_consent_and_hides_the_askers_name(practitioner, learner, client):
    question = services.ask_question(
        asker=learner, practitioner=practitioner, title="როგორ ვითანამშრომლოთ მერიასთან?", body="b"
    )
    services.post_question_message(question=question, author=practitioner.user, body="პასუხი მერიაზე")
    services.change_question(question=question, user=learner, action="mark_answered")
    services.change_question(question=question, user=learner, action="consent")
    assert queries.published_questions().count() == 0
    assert client.get(reverse("community:qa_detail", args=[question.pk])).status_code == 404
    services.change_question(question=question, user=practitioner.user, action="consent")
    page = client.get(reverse("community:qa_detail", args=[question.pk])).content.decode()
    assert "პასუხი მერიაზე" in page and "ნინო" not in page
    services.change_question(question=question, user=learner, action="withdraw_consent")
    assert client.get(reverse("community:qa_detail", args=[question.pk])).status_code == 404


def test_pool_question_reaches_practitioners_of_the_area_and_the_first_answer_takes_it(
    practitioner, learner, other_learner
):
    second = make_practitioner("p2@example.org", expertise=["civic_budget"])
    unrelated = make_practitioner("p3@example.org", expertise=["petitions"])
    question = services.ask_question(
        asker=learner, title="სამოქალაქო ბიუჯეტის წესები", body="b", area="civic_budget"
    )
    assert practitioner.user.community_notifications.filter(question=question).count() == 1
    assert second.user.community_notifications.filter(question=question).count() == 1
    assert unrelated.user.community_notifications.count() == 0
    assert question in queries.questions_for_practitioner(second)
    assert question not in queries.questions_for_practitioner(unrelated)
    services.post_question_message(question=question, author=second.user, body="ვიღებ")
    question.refresh_from_db()
    assert question.practitioner == second
    with pytest.raises(CommunityError):
        services.post_question_message(question=question, author=practitioner.user, body="მეც")
    assert question not in queries.questions_for_practitioner(practitioner)


def test_pool_question_is_404_to_practitioners_of_other_areas(practitioner, learner, client_for):
    unrelated = make_practitioner("p3@example.org", expertise=["petitions"])
    question = services.ask_question(
        asker=learner, title="სამოქალაქო ბიუჯეტის წესები", body="b", area="civic_budget"
    )
    assert client_for(unrelated.user).get(question.get_absolute_url()).status_code == 404
    assert client_for(practitioner.user).get(question.get_absolute_url()).status_code == 200


def test_questions_are_rate_limited_per_day_with_a_frozen_clock(practitioner, learner, client_for):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(services.QUESTIONS_PER_DAY):
            services.ask_question(
                asker=learner, practitioner=practitioner, title=f"კითხვა ნომერი {n}", body="b"
            )
        response = client_for(learner).post(
            reverse("community:ask"),
            {"to": practitioner.pk, "title": "კიდევ ერთი კითხვა", "body": "ტექსტი რჩება"},
        )
        assert response.status_code == 200 and "ტექსტი რჩება" in response.content.decode()
    with time_machine.travel(start + timedelta(hours=25), tick=False):
        services.ask_question(asker=learner, practitioner=practitioner, title="ხვალინდელი კითხვა", body="b")
    assert Question.objects.count() == services.QUESTIONS_PER_DAY + 1


def test_a_blocked_asker_cannot_ask_or_write_again(practitioner, learner, client_for):
    question = services.ask_question(
        asker=learner, practitioner=practitioner, title="პირველი კითხვა აქ", body="b"
    )
    client_for(practitioner.user).post(
        reverse("community:block_user", args=[learner.pk]), {"next": question.get_absolute_url()}
    )
    with pytest.raises(CommunityError):
        services.ask_question(asker=learner, practitioner=practitioner, title="მეორე კითხვა აქ", body="b")
    with pytest.raises(CommunityError):
        services.post_question_message(question=question, author=learner, body="hello?")


def test_a_report_lets_moderators_read_the_thread(practitioner, learner, staff, client_for):
    question = services.ask_question(
        asker=learner, practitioner=practitioner, title="უხეში პასუხი მივიღე", body="b"
    )
    assert client_for(staff).get(question.get_absolute_url()).status_code == 404
    client_for(learner).post(reverse("community:question_report", args=[question.pk]), {"reason": "უხეშობა"})
    assert client_for(staff).get(question.get_absolute_url()).status_code == 200
    assert "უხეშობა" in client_for(staff).get(reverse("community:moderation")).content.decode()


def test_suspended_people_cannot_ask(practitioner, learner, staff):
    services.suspend(user=learner, moderator=staff, reason="x", ends_at=timezone.now() + timedelta(days=1))
    with pytest.raises(CommunityError):
        services.ask_question(asker=learner, practitioner=practitioner, title="კითხვა შეჩერებისას", body="b")


def test_a_practitioner_not_accepting_questions_is_not_asked(practitioner, learner):
    practitioner.accepting_questions = False
    practitioner.save(update_fields=["accepting_questions"])
    with pytest.raises(CommunityError):
        services.ask_question(asker=learner, practitioner=practitioner, title="კითხვა დაკავებულს", body="b")


@pytest.mark.parametrize("status", list(QuestionStatus))
@pytest.mark.parametrize(
    "action", ["answer", "mark_answered", "reopen", "close", "thank", "consent", "withdraw_consent", "bogus"]
)
def test_question_transitions_follow_the_table_exactly(status, action, practitioner, learner):
    question = services.ask_question(
        asker=learner, practitioner=practitioner, title="ცხრილის შემოწმება", body="b"
    )
    services.post_question_message(question=question, author=practitioner.user, body="answer")
    Question.objects.filter(pk=question.pk).update(status=status)
    if (status, action) in QUESTION_TRANSITIONS:
        after, who = QUESTION_TRANSITIONS[(status, action)]
        if who == "answerer":
            with pytest.raises(CommunityError):  # only the practitioner answers
                services.change_question(question=question, user=learner, action=action)
        user = practitioner.user if who == "answerer" else learner
        changed = services.change_question(question=question, user=user, action=action)
        assert changed.status == after
    else:
        with pytest.raises(CommunityError):
            services.change_question(question=question, user=learner, action=action)
        assert Question.objects.get(pk=question.pk).status == status


def test_a_question_reads_answered_once_the_practitioner_replies_and_the_asker_can_reopen_it(
    practitioner, learner, client_for
):
    from django.utils import translation

    with translation.override("ka"):
        waiting, answered = str(QuestionStatus.OPEN.label), str(QuestionStatus.ANSWERED.label)
    question = services.ask_question(asker=learner, practitioner=practitioner, title="ვადები", body="b")
    asker = client_for(learner)
    assert f'<span class="badge">{waiting}</span>' in asker.get(question.get_absolute_url()).content.decode()
    services.post_question_message(question=question, author=learner, body="დამატებითი დეტალი")
    question.refresh_from_db()
    assert question.status == "open"  # the asker's own message answers nothing
    services.post_question_message(question=question, author=practitioner.user, body="პასუხი")
    question.refresh_from_db()
    assert question.status == "answered" and question.answered_at is not None
    for client in (asker, client_for(practitioner.user)):
        page = client.get(question.get_absolute_url()).content.decode()
        assert f'<span class="badge">{answered}</span>' in page and waiting not in page
    assert waiting not in asker.get(reverse("community:questions")).content.decode()
    services.change_question(question=question, user=learner, action="reopen")
    question.refresh_from_db()
    assert question.status == "open" and question.answered_at is None
