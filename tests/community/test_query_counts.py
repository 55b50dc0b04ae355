"""List pages issue a constant number of SQL queries whatever the list length.

Topic page, signed in (7): session, user, topic (with the read marker and follow state), the viewer's roles, their
Member row, the page of posts (authors, handles and the viewer's helpful marks joined in; no COUNT while the topic fits
on one page), their current suspension. For visitors (2): topic, posts.
"""

import pytest
from django.urls import reverse

from community import services
from community.models import Post
from community.views.common import POSTS_PER_PAGE
from tests.community.conftest import make_practitioner

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 3, 50])
def test_topic_page_query_count_is_constant(
    count, general, old_account, other_learner, client_for, django_assert_num_queries
):
    author, second = old_account(), old_account()
    topic = services.start_topic(category=general, author=author, title="დიდი თემა აქ", body="პირველი")
    for n in range(count - 1):
        services.reply(
            topic=topic,
            author=second if n % 2 else author,
            body=f"პასუხი **{n}** @{services.member_for(author).handle}",
        )
    client = client_for(other_learner)
    client.get(topic.get_absolute_url())  # first visit creates the read marker
    with django_assert_num_queries(7):
        response = client.get(topic.get_absolute_url())
    assert response.content.decode().count('<article class="community-post') == count


@pytest.mark.parametrize("count", [1, 3, 50])
def test_topic_page_for_visitors_has_a_constant_query_count(
    count, general, old_account, client, django_assert_num_queries
):
    author = old_account()
    topic = services.start_topic(category=general, author=author, title="დიდი თემა აქ", body="პირველი")
    for n in range(count - 1):
        services.reply(topic=topic, author=author, body=f"პასუხი {n}")
    with django_assert_num_queries(2):
        response = client.get(topic.get_absolute_url())
    assert response.content.decode().count('<article class="community-post') == count


@pytest.mark.parametrize("page", [1, 2])
def test_a_topic_longer_than_a_page_counts_its_posts(
    page, general, old_account, client, django_assert_num_queries
):
    author = old_account()
    topic = services.start_topic(category=general, author=author, title="გრძელი თემა აქ", body="პირველი")
    Post.objects.bulk_create(
        Post(topic=topic, number=n, author=author, body=f"პასუხი {n}", body_html=f"<p>პასუხი {n}</p>")
        for n in range(2, POSTS_PER_PAGE + 2)
    )
    with django_assert_num_queries(3):  # topic, count, posts
        response = client.get(f"{topic.get_absolute_url()}?page={page}")
    assert response.content.decode().count('<article class="community-post') == (
        POSTS_PER_PAGE if page == 1 else 1
    )


@pytest.mark.parametrize("count", [1, 3])
def test_category_page_query_count_is_constant(
    count, general, old_account, learner, client_for, django_assert_num_queries
):
    for n in range(count):
        services.start_topic(category=general, author=old_account(), title=f"თემა ნომერი {n}", body="x")
    client = client_for(learner)
    with django_assert_num_queries(8):
        response = client.get(reverse("community:category", args=["general"]))
    assert response.content.decode().count('class="community-topic-row') == count


@pytest.mark.parametrize("count", [1, 3])
def test_index_query_count_is_constant(
    count, general, old_account, learner, client_for, django_assert_num_queries
):
    for n in range(count):
        services.start_topic(category=general, author=old_account(), title=f"თემა ნომერი {n}", body="x")
    client = client_for(learner)
    with django_assert_num_queries(7):
        client.get(reverse("community:index"))


@pytest.mark.parametrize("count", [1, 3])
def test_directory_query_count_is_constant(count, client, django_assert_num_queries):
    for n in range(count):
        make_practitioner(f"p{n}@example.org")
    with django_assert_num_queries(2):
        response = client.get(reverse("community:practitioners") + "?expertise=civic_budget")
    assert response.content.decode().count('class="card"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_search_results_query_count_is_constant(
    count, general, old_account, client, django_assert_num_queries
):
    author = old_account()
    topic = services.start_topic(category=general, author=author, title="ძიების თემა", body="ბიუჯეტი 0")
    for n in range(count - 1):
        services.reply(topic=topic, author=author, body=f"ბიუჯეტი {n}")
    with django_assert_num_queries(2):
        client.get(reverse("community:search") + "?q=ბიუჯ")


@pytest.mark.parametrize("count", [1, 3])
def test_topic_page_for_a_moderator_has_a_constant_query_count(
    count, general, old_account, staff, client_for, django_assert_num_queries
):
    """A moderator also sees hidden posts and each post's moderation buttons; still no query per post."""
    author = old_account()
    topic = services.start_topic(category=general, author=author, title="მოდერაციის თემა", body="პირველი")
    for n in range(count - 1):
        post = services.reply(topic=topic, author=author, body=f"პასუხი {n}")
        services.moderate_post(post=post, moderator=staff, action="hide")
    client = client_for(staff)
    client.get(topic.get_absolute_url())
    with django_assert_num_queries(8):
        response = client.get(topic.get_absolute_url())
    assert response.content.decode().count('value="restore"') == count - 1
