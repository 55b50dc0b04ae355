"""Subscriptions, in-site notifications, mentions, immediate email and the daily digest (frozen clock)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import EmailMode, Notification

pytestmark = pytest.mark.django_db


def _mode(user, mode):
    member = services.member_for(user)
    member.email_mode = mode
    member.save(update_fields=["email_mode"])
    return member


def test_the_author_follows_their_topic_and_is_notified_of_replies_in_site_and_by_email(
    topic, learner, other_learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(topic=topic, author=other_learner, body="პასუხი")
    notification = Notification.objects.get(user=learner)
    assert notification.kind == "reply" and topic.title in notification.text
    assert [m.to for m in mail.outbox] == [[learner.email]]
    assert topic.title in mail.outbox[0].subject
    assert Notification.objects.filter(user=other_learner).count() == 0  # not about one's own post


def test_following_a_category_notifies_new_topics(general, learner, other_learner, client_for):
    client_for(learner).post(reverse("community:category_follow", args=["general"]))
    services.start_topic(category=general, author=other_learner, title="ახალი თემა კატეგორიაში", body="x")
    assert list(Notification.objects.filter(user=learner).values_list("kind", flat=True)) == ["new_topic"]


def test_unfollowing_stops_notifications(topic, learner, other_learner, client_for):
    client_for(learner).post(reverse("community:topic_follow", args=[topic.pk]))
    services.reply(topic=topic, author=other_learner, body="x")
    assert Notification.objects.filter(user=learner).count() == 0


def test_a_mention_notifies_exactly_once_even_when_following_and_after_edits(
    topic, learner, other_learner, django_capture_on_commit_callbacks
):
    handle = services.member_for(learner).handle
    with django_capture_on_commit_callbacks(execute=True):
        post = services.reply(
            topic=topic, author=other_learner, body=f"@{handle} რას ფიქრობ? @{handle.upper()}"
        )
        services.edit_post(post=post, editor=other_learner, body=f"@{handle} რას ფიქრობ? (შესწორება)")
    notifications = list(Notification.objects.filter(user=learner))
    assert [n.kind for n in notifications] == ["mention"]
    assert len(mail.outbox) == 1


def test_a_mention_added_by_an_edit_notifies(topic, learner, other_learner, staff):
    post = services.reply(topic=topic, author=other_learner, body="ჯერ არავინ")
    services.edit_post(post=post, editor=other_learner, body=f"@{services.member_for(staff).handle} ნახე")
    assert Notification.objects.filter(user=staff, kind="mention").count() == 1


def test_handles_are_unique_case_insensitively(learner, other_learner):
    services.save_member_settings(member=services.member_for(learner), handle="Nino_B", email_mode="daily")
    with pytest.raises(services.CommunityError):
        services.save_member_settings(
            member=services.member_for(other_learner), handle="nino_b", email_mode="daily"
        )


def test_settings_form_keeps_input_on_a_taken_handle(learner, other_learner, client_for):
    services.save_member_settings(member=services.member_for(learner), handle="nino", email_mode="daily")
    response = client_for(other_learner).post(
        reverse("community:settings"), {"handle": "NINO", "email_mode": "off"}
    )
    assert response.status_code == 200 and 'value="NINO"' in response.content.decode()


def test_email_off_sends_nothing_but_keeps_the_in_site_notification(
    topic, learner, other_learner, django_capture_on_commit_callbacks
):
    _mode(learner, EmailMode.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(topic=topic, author=other_learner, body="x")
    assert mail.outbox == [] and Notification.objects.filter(user=learner).count() == 1


def test_daily_digest_collects_everything_into_one_email_once_a_day(
    topic, learner, other_learner, django_capture_on_commit_callbacks
):
    _mode(learner, EmailMode.DAILY)
    start = timezone.now()
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            services.reply(topic=topic, author=other_learner, body=f"reply {n}")
    assert mail.outbox == []
    from community.tasks import send_daily_digests

    with time_machine.travel(start + timedelta(hours=8), tick=False):
        send_daily_digests.enqueue()
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [learner.email] and "3" in digest.subject
    assert digest.body.count(topic.title) == 3
    with time_machine.travel(start + timedelta(hours=9), tick=False):
        services.reply(topic=topic, author=other_learner, body="later")
        assert services.send_daily_digests() == 0  # not twice within 20 hours
    with time_machine.travel(start + timedelta(hours=30), tick=False):
        assert services.send_daily_digests() == 1
    assert len(mail.outbox) == 2 and mail.outbox[1].body.count(topic.title) == 1
    assert Notification.objects.filter(user=learner, emailed_at__isnull=True).count() == 0


def test_notifications_page_marks_read_when_opened(topic, learner, other_learner, client_for):
    services.reply(topic=topic, author=other_learner, body="x")
    notification = Notification.objects.get(user=learner)
    client = client_for(learner)
    assert notification.text in client.get(reverse("community:notifications")).content.decode()
    response = client.get(reverse("community:notification_open", args=[notification.pk]))
    assert response.url.startswith("/community/p/")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_404(topic, learner, other_learner, client_for):
    services.reply(topic=topic, author=other_learner, body="x")
    notification = Notification.objects.get(user=learner)
    assert (
        client_for(other_learner)
        .get(reverse("community:notification_open", args=[notification.pk]))
        .status_code
        == 404
    )


def test_emails_are_written_in_the_language_the_person_chose(
    topic, learner, other_learner, django_capture_on_commit_callbacks
):
    learner.language = "en"
    learner.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(topic=topic, author=other_learner, body="პასუხი")
    assert "You receive this email because you follow this on civichub" in mail.outbox[0].body
    assert "/en/" in mail.outbox[0].body


def test_each_person_reads_a_notification_in_their_own_language_whoever_caused_it(
    topic, learner, other_learner, staff
):
    """An English-speaking member replies: a Georgian reader gets Georgian, an English reader English."""
    from django.utils import translation

    other_learner.language = "en"
    other_learner.save(update_fields=["language"])
    services.toggle_subscription(user=other_learner, topic=topic)
    with translation.override("en"):  # the page the replier used was English
        services.reply(topic=topic, author=staff, body="reply")
    georgian = Notification.objects.get(user=learner).text
    english = Notification.objects.get(user=other_learner).text
    assert staff.name_in("ka") in georgian and "replied" not in georgian and "ავტორი" in georgian
    assert english.startswith(staff.name_in("en")) and " replied in " in english
    assert topic.title in georgian and topic.title in english
