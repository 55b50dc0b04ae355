"""The topic page as its readers see it: posts, authors, helpful marks, hidden posts, the edit window, moderation."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from community import services
from community.models import Member, Post
from community.views.common import POSTS_PER_PAGE

pytestmark = pytest.mark.django_db


def _collapse(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def _articles(html: str) -> list[str]:
    return re.findall(r'<article class="community-post.*?</article>', html, flags=re.S)


@pytest.fixture
def busy_topic(general, old_account):
    """Posts of every kind: by a name that needs escaping, by a member with no handle, by a deleted account,
    edited, hidden, marked helpful, with Markdown."""
    author = old_account(full_name_ka='ნინო <b>"ბერიძე"</b> & co', email="nino-html@example.org")
    plain = old_account(email="plain@example.org")
    gone = old_account(email="gone@example.org")
    reader = old_account(email="reader@example.org")
    topic = services.start_topic(
        category=general, author=author, title="თემა ყველაფრით", body="**პირველი** <script>x</script>"
    )
    services.reply(topic=topic, author=plain, body="მეორე [ბმული](https://example.org/?a=1&b=2)")
    Member.objects.filter(user=plain).update(handle="")
    edited = services.reply(topic=topic, author=author, body="მესამე")
    services.edit_post(post=edited, editor=author, body="მესამე, შესწორებული")
    services.reply(topic=topic, author=gone, body="წაშლილი ანგარიში")
    hidden = services.reply(topic=topic, author=plain, body="დამალული")
    Post.objects.filter(pk=hidden.pk).update(is_hidden=True)
    services.toggle_helpful(post=topic.posts.get(number=1), user=reader)
    gone.delete()
    return topic, author, reader


def test_visitors_see_every_visible_post_with_its_author_and_helpful_count(busy_topic, client):
    topic, _author, _reader = busy_topic
    page = client.get(topic.get_absolute_url()).content.decode()
    posts = _articles(page)
    assert len(posts) == 4 and "დამალული" not in page
    assert "ნინო &lt;b&gt;&quot;ბერიძე&quot;&lt;/b&gt; &amp; co" in posts[0]
    assert "<strong>პირველი</strong>" in posts[0] and "<script>" not in page
    assert '<span class="small muted">1 ადამიანმა მიიჩნია სასარგებლოდ</span>' in posts[0]
    assert "მიიჩნია სასარგებლოდ" not in posts[1]  # no count shown to visitors for posts nobody marked
    assert "csrfmiddlewaretoken" not in page and "community-helpful" not in page
    assert '<span class="muted">ყოფილი წევრი</span>' in posts[3]
    assert ' <span class="muted">@' not in posts[1]  # a member without a handle shows no "@"
    assert reverse("community:post_history", args=[topic.posts.get(number=3).pk]) in posts[2]


def test_a_reader_sees_their_helpful_marks_and_may_flag_and_quote(busy_topic, client_for):
    topic, _author, reader = busy_topic
    page = client_for(reader).get(topic.get_absolute_url()).content.decode()
    posts = _articles(page)
    assert 'aria-pressed="true"' in posts[0] and all('aria-pressed="false"' in p for p in posts[1:])
    first = topic.posts.get(number=1)
    assert f'href="{reverse("community:post_flag", args=[first.pk])}"' in posts[0]
    assert f'href="{reverse("community:reply", args=[topic.pk])}?quote={first.pk}"' in posts[0]
    assert "/edit/" not in page and 'value="hide"' not in page


def test_the_author_may_edit_their_recent_posts_and_not_mark_them_helpful(busy_topic, client_for):
    topic, author, _reader = busy_topic
    page = client_for(author).get(topic.get_absolute_url()).content.decode()
    posts = _articles(page)
    own = [topic.posts.get(number=1), topic.posts.get(number=3)]
    for html, post in ((posts[0], own[0]), (posts[2], own[1])):
        assert f'href="{reverse("community:post_edit", args=[post.pk])}"' in html
        assert "community-helpful" not in html and "/flag/" not in html
    assert "community-helpful" in posts[1] and "/edit/" not in posts[1]


def test_moderators_see_hidden_posts_and_their_actions(busy_topic, staff, client_for):
    topic, author, _reader = busy_topic
    page = client_for(staff).get(topic.get_absolute_url()).content.decode()
    posts = _articles(page)
    hidden = topic.posts.get(number=5)
    assert len(posts) == 5 and "community-hidden" in posts[4] and "დამალული" in posts[4]
    assert 'value="restore"' in posts[4] and 'value="hide"' in posts[0]
    assert f'href="{reverse("community:suspend", args=[author.pk])}"' in posts[0]
    assert "/moderation/suspend/" not in posts[3]  # a deleted account cannot be suspended
    assert f'action="{reverse("community:post_moderate", args=[hidden.pk])}"' in posts[4]
    assert f'action="{reverse("community:topic_moderate", args=[topic.pk])}"' in page


def test_posts_after_the_read_marker_are_new(topic, other_learner, client_for):
    client = client_for(other_learner)
    first = client.get(topic.get_absolute_url()).content.decode()
    assert first.count('<span class="badge ok">') == 1  # never opened: the opening post is new
    services.reply(topic=topic, author=topic.author, body="ახალი პასუხი")
    second = _articles(client.get(topic.get_absolute_url()).content.decode())
    assert '<span class="badge ok">' not in second[0] and '<span class="badge ok">' in second[1]
    assert '<span class="badge ok">' not in client.get(topic.get_absolute_url()).content.decode()


def test_names_links_and_dates_follow_the_language(general, old_account, other_learner, client_for):
    author = old_account(full_name_ka="ნინო ბერიძე", full_name_latin="Nino Beridze", email="nino@example.org")
    topic = services.start_topic(category=general, author=author, title="ბიუჯეტის თემა", body="პირველი")
    handle = services.member_for(author).handle
    client = client_for(other_learner)
    georgian = client.get(topic.get_absolute_url()).content.decode()
    english = client.get("/en" + topic.get_absolute_url()).content.decode()
    assert "ნინო ბერიძე" in georgian and f"@{handle}" in georgian and "Nino Beridze" not in georgian
    assert "Nino Beridze" in english and "nino@example.org" not in georgian + english
    post = topic.posts.get()
    for language, html in (("en", english), ("ka", georgian)):
        with translation.override(language):
            assert f'href="{reverse("community:post", args=[post.pk])}"' in html
            assert f'action="{reverse("community:topic_follow", args=[topic.pk])}"' in html
            assert f'action="{reverse("community:reply", args=[topic.pk])}"' in html
            assert f'<a href="{reverse("community:category", args=[general.slug])}">' in html
    # one short date-time format in both languages (civichub/formats), on a 24-hour clock
    for html in (georgian, english):
        assert re.search(r"<time datetime=[^>]*>\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}</time>", html)


def test_helpful_fragment_of_htmx_matches_the_page(busy_topic, client_for):
    topic, _author, reader = busy_topic
    post = topic.posts.get(number=2)
    fragment = _collapse(
        client_for(reader).post(f"/community/p/{post.pk}/helpful/", HTTP_HX_REQUEST="true").content.decode()
    )
    page = _collapse(client_for(reader).get(topic.get_absolute_url()).content.decode())
    assert 'aria-pressed="true"' in fragment and fragment in page
    assert "csrfmiddlewaretoken" not in fragment  # its button submits the page's one form


def test_the_posts_hold_no_token_and_their_buttons_submit_the_pages_one_form(busy_topic, staff, client_for):
    topic, _author, reader = busy_topic
    for person in (reader, staff):
        page = client_for(person).get(topic.get_absolute_url()).content.decode()
        assert all("csrfmiddlewaretoken" not in post for post in _articles(page))
        form = re.search(r'<form id="post-actions" method="post" hidden>(.*?)</form>', page, flags=re.S)
        assert form and 'name="csrfmiddlewaretoken"' in form.group(1)
        buttons = re.findall(r"<button [^>]*>", "".join(_articles(page)))
        assert buttons and all('form="post-actions" formaction="/community/p/' in b for b in buttons)


@pytest.mark.parametrize("count", [POSTS_PER_PAGE, POSTS_PER_PAGE + 1])
def test_a_long_topic_is_paginated(count, general, old_account, client):
    author = old_account()
    topic = services.start_topic(category=general, author=author, title="გრძელი თემა", body="პირველი")
    Post.objects.bulk_create(
        Post(topic=topic, number=n, author=author, body=f"პასუხი {n}", body_html=f"<p>პასუხი {n}</p>")
        for n in range(2, count + 1)
    )
    page = client.get(topic.get_absolute_url()).content.decode()
    assert page.count('<article class="community-post') == POSTS_PER_PAGE
    assert ('rel="next"' in page) == (count > POSTS_PER_PAGE)
    second = client.get(topic.get_absolute_url() + "?page=2").content.decode()
    assert second.count('<article class="community-post') == count - POSTS_PER_PAGE or count == POSTS_PER_PAGE


def test_reply_form_follows_the_language(topic, other_learner, client_for):
    client = client_for(other_learner)
    georgian = client.get(topic.get_absolute_url()).content.decode()
    english = client.get("/en" + topic.get_absolute_url()).content.decode()
    assert 'name="body"' in georgian and 'name="body"' in english
    assert "Your reply" in english and "Your reply" not in georgian


def test_reading_a_topic_again_writes_nothing(topic, other_learner, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(other_learner)
    client.get(topic.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        client.get(topic.get_absolute_url())
    assert not [
        q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_what_is_cached_per_post_follows_the_author_and_nothing_personal_is_shared(
    busy_topic, staff, old_account, client_for
):
    """Each post's head and each reader's actions on it are cached fragments; a renamed author, a new handle or a
    new helpful count shows at once, and each reader still gets their own actions after another reader filled the
    cache."""
    topic, author, reader = busy_topic
    first = topic.posts.get(number=1)
    edit_link = f'href="{reverse("community:post_edit", args=[first.pk])}"'
    as_author = client_for(author).get(topic.get_absolute_url()).content.decode()
    as_reader = client_for(reader).get(topic.get_absolute_url()).content.decode()
    as_moderator = client_for(staff).get(topic.get_absolute_url()).content.decode()
    assert edit_link in as_author and edit_link not in as_reader + as_moderator
    assert 'aria-pressed="true"' in as_reader and 'aria-pressed="true"' not in as_author + as_moderator
    assert 'value="hide"' in as_moderator and 'value="hide"' not in as_author + as_reader

    second = client_for(old_account()).get(topic.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' not in second  # another reader does not get the first one's marks
    services.toggle_helpful(post=first, user=staff)
    again = client_for(reader).get(topic.get_absolute_url()).content.decode()
    assert "2 ადამიანმა მიიჩნია სასარგებლოდ" in _articles(again)[0]  # a new count shows at once

    author.full_name_ka = "ნინო ახალი გვარით"
    author.save(update_fields=["full_name_ka"])
    services.save_member_settings(member=services.member_for(author), handle="nino_new", email_mode="off")
    page = client_for(reader).get(topic.get_absolute_url()).content.decode()
    assert "ნინო ახალი გვარით" in page and "@nino_new" in page and "&quot;ბერიძე&quot;" not in page


def test_a_cached_post_changes_when_it_is_edited_hidden_or_its_author_leaves(
    topic, old_account, staff, other_learner, client_for
):
    writer = old_account()
    post = services.reply(topic=topic, author=writer, body="პირველი ვერსია")
    for _visit in range(
        2
    ):  # the second visit, with nothing new to the reader, fills the cache they then read
        client_for(other_learner).get(topic.get_absolute_url())
    services.edit_post(post=post, editor=writer, body="მეორე ვერსია")
    edited = client_for(other_learner).get(topic.get_absolute_url()).content.decode()
    assert "მეორე ვერსია" in edited and "პირველი ვერსია" not in edited

    for _visit in range(2):
        client_for(staff).get(topic.get_absolute_url())
    services.moderate_post(post=post, moderator=staff, action="hide")
    hidden = _articles(client_for(staff).get(topic.get_absolute_url()).content.decode())[-1]
    assert "community-hidden" in hidden and 'value="restore"' in hidden

    writer.delete()
    left = _articles(client_for(staff).get(topic.get_absolute_url()).content.decode())[-1]
    assert '<span class="muted">ყოფილი წევრი</span>' in left and "/moderation/suspend/" not in left
