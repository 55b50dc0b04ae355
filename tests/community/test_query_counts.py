"""List pages issue a constant number of SQL queries whatever the list length (topic page: 4 signed in, 2 for visitors)."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from community import services
from tests.community.conftest import make_practitioner

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 50])
def test_topic_page_query_count_is_constant_and_at_most_ten(
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
    with django_assert_num_queries(5):
        response = client.get(topic.get_absolute_url())
    assert response.content.decode().count('<article class="community-post') == count


@pytest.mark.parametrize("count", [1, 50])
def test_topic_page_for_visitors_has_a_constant_query_count(
    count, general, old_account, client, django_assert_num_queries
):
    author = old_account()
    topic = services.start_topic(category=general, author=author, title="დიდი თემა აქ", body="პირველი")
    for n in range(count - 1):
        services.reply(topic=topic, author=author, body=f"პასუხი {n}")
    with django_assert_num_queries(2):
        client.get(topic.get_absolute_url())


@pytest.mark.parametrize("count", [1, 3])
def test_category_page_query_count_is_constant(
    count, general, old_account, learner, client_for, django_assert_num_queries
):
    for n in range(count):
        services.start_topic(category=general, author=old_account(), title=f"თემა ნომერი {n}", body="x")
    client = client_for(learner)
    with django_assert_num_queries(7):
        response = client.get(reverse("community:category", args=["general"]))
    assert response.content.decode().count('class="community-topic-row') == count


@pytest.mark.parametrize("count", [1, 3])
def test_index_query_count_is_constant(
    count, general, old_account, learner, client_for, django_assert_num_queries
):
    for n in range(count):
        services.start_topic(category=general, author=old_account(), title=f"თემა ნომერი {n}", body="x")
    client = client_for(learner)
    with django_assert_num_queries(6):
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


def test_topic_page_names_each_author_in_the_script_of_the_language_with_their_handle(
    general, old_account, other_learner, client_for
):
    """The page's posts come from one hand-written join (community.queries.page_posts): names, handles, a
    former member, the viewer's helpful marks and hidden posts must come out as the ORM loaded them."""
    author = old_account(full_name_ka="ნინო ბერიძე", full_name_latin="Nino Beridze", email="nino@example.org")
    topic = services.start_topic(category=general, author=author, title="ბიუჯეტის თემა", body="პირველი")
    handle = services.member_for(author).handle
    second = services.reply(
        topic=topic, author=old_account(full_name_ka="გიორგი", full_name_latin="Giorgi"), body="მეორე"
    )
    services.toggle_helpful(user=other_learner, post=second)
    client = client_for(other_learner)
    georgian = client.get(topic.get_absolute_url()).content.decode()
    english = client.get("/en" + topic.get_absolute_url()).content.decode()
    assert "ნინო ბერიძე" in georgian and f"@{handle}" in georgian and "Nino Beridze" not in georgian
    assert "Nino Beridze" in english and "გიორგი" not in english and "Giorgi" in english
    assert "nino@example.org" not in georgian
    assert (
        georgian.count('aria-pressed="true"') == 1
    )  # the viewer's own helpful mark, on the second post only
    # Each post's links are built from patterns reversed once per language.
    with translation.override("en"):
        english_link = reverse("community:post", args=[second.pk])
    with translation.override("ka"):
        georgian_link = reverse("community:post", args=[second.pk])
    assert english_link != georgian_link
    assert f'href="{english_link}"' in english and f'href="{georgian_link}"' in georgian
    assert f'href="{english_link}"' not in georgian
    # Dates are formatted once per process and language; each page shows its own language's.
    moment = timezone.localtime(second.created_at)
    with translation.override("en"):
        english_date = date_format(moment, "SHORT_DATETIME_FORMAT")
    with translation.override("ka"):
        georgian_date = date_format(moment, "SHORT_DATETIME_FORMAT")
    assert english_date != georgian_date
    assert english_date in english and georgian_date in georgian and english_date not in georgian
    # The page's forms post to the topic's own actions, in the page's language.
    for language, html in (("en", english), ("ka", georgian)):
        with translation.override(language):
            for name in ("topic_follow", "reply"):
                assert f'action="{reverse(f"community:{name}", args=[topic.pk])}"' in html
            assert f'href="{reverse("community:reply", args=[topic.pk])}?quote={second.pk}' in html
            assert f'<a href="{reverse("community:index")}">' in html
            assert f'<a href="{reverse("community:category", args=[general.slug])}">' in html
