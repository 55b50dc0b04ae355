"""The forum: topics, replies, quoting, editing, helpful marks, permalinks, unread markers, search, courses."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from community import queries, services
from community.models import Category, Post, PostRevision, Topic, TopicRead
from community.services import CommunityError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_default_categories_exist_for_general_cases_and_every_region():
    from accounts.regions import Region

    services.ensure_default_categories()
    services.ensure_default_categories()
    slugs = set(Category.objects.values_list("slug", flat=True))
    assert {"general", "cases"} <= slugs
    assert Category.objects.filter(kind="region").count() == len(Region)
    assert Category.objects.get(region="imereti").name_ka == "იმერეთი"


def test_starting_a_topic_creates_the_opening_post_and_counts_it(general, learner, client_for):
    response = client_for(learner).post(
        reverse("community:new_topic", args=["general"]),
        {"title": "ბიუჯეტის საჯარო განხილვა", "body": "**როდის** იწყება?"},
    )
    topic = Topic.objects.get(title="ბიუჯეტის საჯარო განხილვა")
    assert response.status_code == 302 and response.url == f"/community/t/{topic.pk}/"
    assert list(topic.posts.values_list("number", "body")) == [(1, "**როდის** იწყება?")]
    general.refresh_from_db()
    assert general.topic_count == 1
    page = client_for(learner).get(topic.get_absolute_url()).content.decode()
    assert "<strong>როდის</strong> იწყება?" in page


def test_topic_form_keeps_what_was_typed_when_the_title_is_missing(learner, client_for, general):
    response = client_for(learner).post(
        reverse("community:new_topic", args=["general"]), {"title": "", "body": "ჩემი ტექსტი"}
    )
    assert response.status_code == 200
    assert "ჩემი ტექსტი" in response.content.decode()
    assert Topic.objects.count() == 0


def test_replies_are_numbered_in_order_and_bump_the_topic(topic, other_learner):
    first = services.reply(topic=topic, author=other_learner, body="პირველი პასუხი")
    second = services.reply(topic=topic, author=other_learner, body="მეორე პასუხი")
    topic.refresh_from_db()
    assert (first.number, second.number) == (2, 3)
    assert topic.post_count == 3 and topic.last_post_at == second.created_at


def test_quote_prefills_the_reply_with_the_quoted_text_and_handle(topic, other_learner, learner, client_for):
    post = topic.posts.get(number=1)
    response = client_for(other_learner).get(
        reverse("community:reply", args=[topic.pk]) + f"?quote={post.pk}"
    )
    handle = services.member_for(learner).handle
    assert f"&gt; როგორ დავიწყოთ?\n&gt; — @{handle}" in response.content.decode()


def test_author_edits_within_the_window_and_the_previous_text_is_kept(topic, learner, client_for):
    post = topic.posts.get(number=1)
    response = client_for(learner).post(
        reverse("community:post_edit", args=[post.pk]), {"title": topic.title, "body": "ახალი ტექსტი"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "ახალი ტექსტი" and post.edited_at is not None
    assert list(PostRevision.objects.filter(post=post).values_list("body", flat=True)) == ["როგორ დავიწყოთ?"]
    history = client_for(None).get(reverse("community:post_history", args=[post.pk])).content.decode()
    assert "როგორ დავიწყოთ?" in history and "ახალი ტექსტი" in history


def test_editing_after_the_window_is_refused(topic, learner, client_for):
    post = topic.posts.get(number=1)
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client_for(learner).post(reverse("community:post_edit", args=[post.pk]), {"body": "late"})
        with pytest.raises(CommunityError):
            services.edit_post(post=post, editor=learner, body="late")
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "როგორ დავიწყოთ?"


def test_nobody_else_can_edit_a_post(topic, other_learner, client_for):
    post = topic.posts.get(number=1)
    assert (
        client_for(other_learner)
        .post(reverse("community:post_edit", args=[post.pk]), {"body": "x"})
        .status_code
        == 404
    )
    post.refresh_from_db()
    assert post.body == "როგორ დავიწყოთ?"


def test_helpful_toggles_once_per_person_and_not_on_own_post(topic, learner, other_learner):
    post = topic.posts.get(number=1)
    assert services.toggle_helpful(post=post, user=other_learner) is True
    post.refresh_from_db()
    assert post.helpful_count == 1
    assert services.toggle_helpful(post=post, user=other_learner) is False
    post.refresh_from_db()
    assert post.helpful_count == 0
    with pytest.raises(CommunityError):
        services.toggle_helpful(post=post, user=learner)


def test_helpful_with_htmx_returns_the_fragment(topic, other_learner, client_for):
    post = topic.posts.get(number=1)
    response = client_for(other_learner).post(
        reverse("community:post_helpful", args=[post.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()


def test_permalink_points_to_the_page_that_shows_the_post(topic, old_account):
    author = old_account()
    posts = [services.reply(topic=topic, author=author, body=f"პასუხი {n}") for n in range(55)]
    response = client_get(reverse("community:post", args=[posts[-1].pk]))
    assert response.url == f"/community/t/{topic.pk}/?page=2#post-{posts[-1].pk}"
    response = client_get(reverse("community:post", args=[posts[0].pk]))
    assert response.url == f"/community/t/{topic.pk}/#post-{posts[0].pk}"


def client_get(url):
    from django.test import Client

    return Client().get(url)


def test_unread_markers_show_new_posts_until_the_topic_is_read(topic, learner, other_learner, client_for):
    services.reply(topic=topic, author=other_learner, body="ახალი ამბავი")
    listing = client_for(learner).get(reverse("community:category", args=["general"])).content.decode()
    assert "unread" in listing or "წაუკითხავი" in listing
    page = client_for(learner).get(topic.get_absolute_url()).content.decode()
    assert page.count('class="badge ok"') == 1  # only the reply is new to Nino
    assert TopicRead.objects.get(user=learner, topic=topic).last_number == 2
    page = client_for(learner).get(topic.get_absolute_url()).content.decode()
    assert 'class="badge ok"' not in page


def test_a_topic_never_seen_is_marked_new(topic, other_learner):
    row = queries.topics_for_listing(viewer=other_learner).get(pk=topic.pk)
    assert row.read_number is None


def test_locked_topic_takes_no_replies_except_from_moderators(topic, staff, other_learner):
    services.moderate_topic(topic=topic, moderator=staff, action="lock")
    with pytest.raises(CommunityError):
        services.reply(topic=topic, author=other_learner, body="x")
    assert services.reply(topic=topic, author=staff, body="moderator note").number == 2


def test_search_finds_georgian_words_by_prefix_and_skips_hidden_posts(topic, other_learner, staff):
    hidden = services.reply(topic=topic, author=other_learner, body="ბიუჯეტირება საიდუმლო")
    services.moderate_post(post=hidden, moderator=staff, action="hide")
    services.reply(topic=topic, author=other_learner, body="მუნიციპალური ბიუჯეტი")
    found = list(queries.search_posts(query="ბიუჯ", viewer=other_learner).values_list("body", flat=True))
    assert found == ["მუნიციპალური ბიუჯეტი"]
    assert (
        list(queries.search_posts(query="ბიუჯ მუნიც", viewer=other_learner).values_list("body", flat=True))
        == found
    )
    assert queries.search_posts(query="უჯეტ", viewer=other_learner).count() == 0  # prefixes, not infixes
    assert queries.search_posts(query="ბიუჯ", viewer=staff).count() == 2


def test_search_page_lists_results(topic, client_for, other_learner):
    response = client_for(None).get(reverse("community:search") + "?q=დავიწ")
    assert topic.title in response.content.decode()


def test_course_listener_creates_the_course_category_once():
    from learning.models import Course

    course = Course.objects.create(title="ადვოკატირება", slug="advocacy", summary="s", published=True)
    services.course_created(course=course)
    services.course_created(course=course)
    category = Category.objects.get(course=course)
    assert (category.kind, category.name_ka, category.slug) == ("course", "ადვოკატირება", "course-advocacy")


def test_course_category_url_creates_it_for_courses_made_earlier(client):
    from learning.models import Course

    course = Course.objects.create(title="კვლევის მეთოდები", slug="research", summary="s", published=True)
    Category.objects.filter(course=course).delete()
    response = client.get(reverse("community:course_category", args=["research"]))
    assert response.status_code == 302 and response.url == "/community/c/course-research/"
    assert Category.objects.filter(course=course).count() == 1
    unpublished = Course.objects.create(title="დრაფტი", slug="draft-course", summary="s", published=False)
    assert client.get(reverse("community:course_category", args=[unpublished.slug])).status_code == 404


def test_double_submit_of_a_reply_creates_two_numbered_posts_not_a_crash(topic, other_learner):
    # Two identical submits are two posts (a person may say the same thing twice); numbers never collide.
    a = services.reply(topic=topic, author=other_learner, body="იგივე")
    b = services.reply(topic=topic, author=other_learner, body="იგივე")
    assert (
        sorted(Post.objects.filter(topic=topic).values_list("number", flat=True))
        == [1, a.number, b.number]
        == [1, 2, 3]
    )


def test_new_accounts_post_at_a_limited_rate(general):
    newcomer = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        topic = services.start_topic(category=general, author=newcomer, title="ახალი თემა აქ", body="1")
        for n in range(services.NEW_ACCOUNT_POSTS_PER_HOUR - 1):
            services.reply(topic=topic, author=newcomer, body=str(n))
        with pytest.raises(CommunityError, match="5"):
            services.reply(topic=topic, author=newcomer, body="one too many")
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        assert services.reply(topic=topic, author=newcomer, body="an hour later").number == 6


def test_established_accounts_are_not_limited_like_new_ones(general, old_account):
    veteran = old_account()
    topic = services.start_topic(category=general, author=veteran, title="ძველი წევრის თემა", body="1")
    for n in range(services.NEW_ACCOUNT_POSTS_PER_HOUR + 2):
        services.reply(topic=topic, author=veteran, body=str(n))
    assert topic.posts.count() == services.NEW_ACCOUNT_POSTS_PER_HOUR + 3


def test_links_from_new_accounts_are_nofollow_and_from_established_ones_are_not(general, old_account, client):
    newcomer = UserFactory()
    topic = services.start_topic(
        category=general, author=newcomer, title="ბმულები აქ არის", body="[a](https://new.example.org)"
    )
    services.reply(topic=topic, author=old_account(), body="[b](https://old.example.org)")
    page = client.get(topic.get_absolute_url()).content.decode()
    assert 'href="https://new.example.org" rel="nofollow ugc noopener noreferrer"' in page
    assert 'href="https://old.example.org" rel="noopener noreferrer"' in page


def test_rate_limit_message_is_shown_and_the_reply_is_kept(general, client_for):
    newcomer = UserFactory()
    topic = services.start_topic(category=general, author=newcomer, title="ახალი თემა აქ", body="1")
    for n in range(services.NEW_ACCOUNT_POSTS_PER_HOUR - 1):
        services.reply(topic=topic, author=newcomer, body=str(n))
    response = client_for(newcomer).post(
        reverse("community:reply", args=[topic.pk]), {"body": "ჩემი გრძელი პასუხი"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "ჩემი გრძელი პასუხი" in body
    assert topic.posts.count() == services.NEW_ACCOUNT_POSTS_PER_HOUR


def test_search_counts_at_most_the_cap_and_says_so(topic, old_account, client, monkeypatch):
    from community.queries import search

    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", 2)
    author = old_account()
    for n in range(3):
        services.reply(topic=topic, author=author, body=f"ბიუჯეტი {n}")
    page = client.get(reverse("community:search") + "?q=ბიუჯ").content.decode()
    assert page.count('<li><a href="/community/p/') == 2
    assert "ნაპოვნი პოსტების რაოდენობა მეტია, ვიდრე 2" in page


def test_search_results_show_plain_text_not_markdown(topic, other_learner, client_for):
    services.reply(
        topic=topic,
        author=other_learner,
        body="**ბიუჯეტის** ანალიზი: [ანგარიში](https://example.org/report) & `კოდი`\n\n> ციტატა",
    )
    body = client_for(None).get(reverse("community:search") + "?q=ბიუჯეტის").content.decode()
    assert "ბიუჯეტის ანალიზი: ანგარიში &amp; კოდი ციტატა" in body
    assert "**" not in body and "](https://example.org" not in body and "&amp;amp;" not in body
