"""Moderation: flags, the queue, hide/restore, lock/pin/move, suspensions, the log; hidden posts stay hidden."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Category, Flag, Member, ModerationLog, Post
from community.services import CommunityError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bad_post(topic, other_learner):
    return services.reply(topic=topic, author=other_learner, body="საძულველი ტექსტი")


def test_anyone_signed_in_can_flag_a_post_once(bad_post, learner, client_for):
    url = reverse("community:post_flag", args=[bad_post.pk])
    client_for(learner).post(url, {"reason": "შეურაცხყოფა"})
    client_for(learner).post(url, {"reason": "again"})
    assert list(Flag.objects.values_list("reporter_id", "reason")) == [(learner.pk, "შეურაცხყოფა")]


def test_flag_without_a_reason_is_refused_with_a_message(bad_post, learner, client_for):
    response = client_for(learner).post(reverse("community:post_flag", args=[bad_post.pk]), {"reason": ""})
    assert response.status_code == 200 and Flag.objects.count() == 0
    assert 'aria-invalid="true"' in response.content.decode()


def test_moderator_queue_lists_flagged_posts_and_hiding_resolves_and_logs(
    bad_post, learner, staff, client_for
):
    services.flag_post(post=bad_post, reporter=learner, reason="შეურაცხყოფა")
    queue = client_for(staff).get(reverse("community:moderation")).content.decode()
    assert "საძულველი ტექსტი" in queue and "შეურაცხყოფა" in queue
    response = client_for(staff).post(
        reverse("community:post_moderate", args=[bad_post.pk]), {"action": "hide", "next": "queue"}
    )
    assert response.url == reverse("community:moderation")
    bad_post.refresh_from_db()
    assert bad_post.is_hidden
    assert Flag.objects.get().resolved_by == staff
    entry = ModerationLog.objects.get()
    assert (entry.actor, entry.action, entry.post, entry.target_user_id) == (
        staff,
        "hide",
        bad_post,
        bad_post.author_id,
    )
    assert "საძულველი ტექსტი" not in client_for(staff).get(reverse("community:moderation")).content.decode()


def test_hidden_posts_are_invisible_to_everyone_but_moderators(
    bad_post, topic, staff, learner, other_learner, client_for
):
    services.moderate_post(post=bad_post, moderator=staff, action="hide")
    for user in (None, learner, other_learner):
        page = client_for(user).get(topic.get_absolute_url()).content.decode()
        assert "საძულველი ტექსტი" not in page
        assert client_for(user).get(reverse("community:post", args=[bad_post.pk])).status_code == 404
        assert client_for(user).get(reverse("community:post_history", args=[bad_post.pk])).status_code == 404
    assert "საძულველი ტექსტი" in client_for(staff).get(topic.get_absolute_url()).content.decode()


def test_hiding_the_opening_post_hides_the_topic(topic, staff, other_learner, client_for):
    services.moderate_post(post=topic.posts.get(number=1), moderator=staff, action="hide")
    assert client_for(other_learner).get(topic.get_absolute_url()).status_code == 404
    assert (
        topic.title
        not in client_for(other_learner).get(reverse("community:category", args=["general"])).content.decode()
    )
    services.moderate_post(post=topic.posts.get(number=1), moderator=staff, action="restore")
    assert client_for(other_learner).get(topic.get_absolute_url()).status_code == 200


def test_hiding_twice_is_refused_as_a_stale_action(bad_post, staff):
    services.moderate_post(post=bad_post, moderator=staff, action="hide")
    with pytest.raises(CommunityError):
        services.moderate_post(post=bad_post, moderator=staff, action="hide")
    assert ModerationLog.objects.count() == 1


def test_non_moderators_cannot_moderate(bad_post, learner, reviewer, client_for):
    for user in (learner, reviewer):
        assert (
            client_for(user)
            .post(reverse("community:post_moderate", args=[bad_post.pk]), {"action": "hide"})
            .status_code
            == 403
        )
        with pytest.raises(CommunityError):
            services.moderate_post(post=bad_post, moderator=user, action="hide")
    assert not Post.objects.get(pk=bad_post.pk).is_hidden


def test_a_member_made_moderator_can_moderate(bad_post, other_learner, learner):
    member = services.member_for(learner)
    member.is_moderator = True
    member.save(update_fields=["is_moderator"])
    services.moderate_post(post=bad_post, moderator=learner, action="hide")
    assert Post.objects.get(pk=bad_post.pk).is_hidden
    assert Member.objects.get(user=learner).is_moderator


def test_moderation_log_is_visible_only_to_moderators(bad_post, staff, learner, client_for):
    services.moderate_post(post=bad_post, moderator=staff, action="hide", note="წესების დარღვევა")
    assert "წესების დარღვევა" in client_for(staff).get(reverse("community:moderation_log")).content.decode()
    assert client_for(learner).get(reverse("community:moderation_log")).status_code == 403


def test_lock_pin_and_move_are_logged_and_move_updates_counts(topic, staff, general):
    region = Category.objects.get(region="kakheti")
    services.moderate_topic(topic=topic, moderator=staff, action="pin")
    services.moderate_topic(topic=topic, moderator=staff, action="lock")
    services.moderate_topic(topic=topic, moderator=staff, action="move", category=region)
    topic.refresh_from_db()
    general.refresh_from_db()
    region.refresh_from_db()
    assert (topic.is_pinned, topic.is_locked, topic.category) == (True, True, region)
    assert (general.topic_count, region.topic_count) == (0, 1)
    assert list(ModerationLog.objects.order_by("pk").values_list("action", flat=True)) == [
        "pin",
        "lock",
        "move",
    ]


def test_pinned_topics_come_first_in_the_category(general, topic, staff, other_learner, client_for):
    later = services.start_topic(category=general, author=other_learner, title="უფრო ახალი თემა", body="x")
    services.moderate_topic(topic=topic, moderator=staff, action="pin")
    page = client_for(None).get(reverse("community:category", args=["general"])).content.decode()
    assert page.index(topic.title) < page.index(later.title)


def test_suspended_user_cannot_post_until_the_end_date(topic, staff, other_learner, client_for, general):
    ends = timezone.now() + timedelta(days=2)
    response = client_for(staff).post(
        reverse("community:suspend", args=[other_learner.pk]),
        {"reason": "სპამი", "ends_at": timezone.localtime(ends).strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    response = client_for(other_learner).post(
        reverse("community:reply", args=[topic.pk]), {"body": "ჩემი პასუხი"}
    )
    assert (
        response.status_code == 200
        and "სპამი" in response.content.decode()
        and "ჩემი პასუხი" in response.content.decode()
    )
    assert topic.posts.count() == 1
    with pytest.raises(CommunityError):
        services.start_topic(category=general, author=other_learner, title="ახალი თემა", body="x")
    with time_machine.travel(ends + timedelta(minutes=5)):
        assert services.reply(topic=topic, author=other_learner, body="დავბრუნდი").number == 2
    assert ModerationLog.objects.filter(action="suspend", target_user=other_learner).count() == 1


def test_suspension_needs_a_reason_and_a_future_date(staff, other_learner, client_for):
    response = client_for(staff).post(
        reverse("community:suspend", args=[other_learner.pk]), {"reason": "x", "ends_at": "2001-01-01T10:00"}
    )
    assert response.status_code == 200 and "2001-01-01T10:00" in response.content.decode()
    with pytest.raises(CommunityError):
        services.suspend(
            user=other_learner, moderator=staff, reason=" ", ends_at=timezone.now() + timedelta(days=1)
        )


def test_lifting_a_suspension_lets_the_person_post_again(topic, staff, other_learner):
    suspension = services.suspend(
        user=other_learner, moderator=staff, reason="x", ends_at=timezone.now() + timedelta(days=9)
    )
    services.lift_suspension(suspension=suspension, moderator=staff)
    assert services.reply(topic=topic, author=other_learner, body="ok").number == 2
    assert list(ModerationLog.objects.order_by("pk").values_list("action", flat=True)) == ["suspend", "lift"]


def test_a_hidden_opening_post_leaves_the_topic_readable_for_those_who_replied(
    topic, staff, learner, other_learner, client_for
):
    reply = services.reply(topic=topic, author=other_learner, body="ჩემი პასუხი")
    opening = topic.posts.get(number=1)
    services.moderate_post(post=opening, moderator=staff, action="hide")
    page = client_for(other_learner).get("/en" + topic.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "ჩემი პასუხი" in body and opening.body not in body
    assert f'id="post-{opening.pk}"' in body and "This post was hidden by a moderator." in body
    # whoever took no part sees nothing of it; moderators see it all
    assert client_for(UserFactory()).get(topic.get_absolute_url()).status_code == 404
    moderator_page = client_for(staff).get(topic.get_absolute_url()).content.decode()
    assert opening.body in moderator_page and reply.body in moderator_page
