"""The topic page's posts are built in Python (community.rendering); their markup must stay what the template
loop it replaced rendered, for every kind of viewer and post (compared with whitespace runs collapsed)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.utils import timezone, translation

from community import queries, rendering, rules, services
from community.models import Member, Post
from community.views import POSTS_PER_PAGE, _prepare_posts

pytestmark = pytest.mark.django_db

# The loop of community/topic.html before the posts were built in Python (commit 257927a).
FORMER_LOOP = """{% load i18n %}{% translate "Link to this post" as link_label %}{% translate "new" as new_label %}{% translate "hidden by a moderator" as hidden_label %}{% translate "edited" as edited_label %}{% translate "Quote" as quote_label %}{% translate "Edit" as edit_label %}{% translate "Flag" as flag_label %}{% translate "Restore" as restore_label %}{% translate "Hide" as hide_label %}{% translate "Suspend author" as suspend_label %}{% translate "a former member" as former_label %}
{% for post in posts %}
<article class="community-post{% if post.is_hidden %} community-hidden{% endif %}" id="post-{{ post.pk }}">
  <header class="community-post-head">
    {% if post.author %}<span class="community-author">{{ post.author.display_name }}{% if post.author_handle %} <span class="muted">@{{ post.author_handle }}</span>{% endif %}</span>{% else %}<span class="muted">{{ former_label }}</span>{% endif %}
    <a class="small" href="{{ post.link_url }}" title="{{ link_label }}"><time datetime="{{ post.created_at|date:'c' }}">{{ post.created_at|date:"SHORT_DATETIME_FORMAT" }}</time></a>
    {% if post.is_new %}<span class="badge ok">{{ new_label }}</span>{% endif %}
    {% if post.is_hidden %}<span class="badge err">{{ hidden_label }}</span>{% endif %}
  </header>
  <div class="prose">{{ post.html }}</div>
  {% if post.edited_at %}<p class="small muted"><a href="{{ post.history_url }}">{{ edited_label }}</a></p>{% endif %}
  <footer class="community-post-actions">
    {% if user.is_authenticated %}
      {% if not post.mine %}{% include "community/_helpful.html" %}{% else %}<span class="small muted">{{ post.helpful_label }}</span>{% endif %}
      {% if may_reply %}<a href="{{ quote_url }}{{ post.pk }}">{{ quote_label }}</a>{% endif %}
      {% if post.may_edit %}<a href="{{ post.edit_url }}">{{ edit_label }}</a>{% endif %}
      {% if not post.mine %}<a href="{{ post.flag_url }}">{{ flag_label }}</a>{% endif %}
      {% if is_moderator %}
      <form method="post" action="{{ post.moderate_url }}" class="inline-form">{% csrf_token %}
        {% if post.is_hidden %}<button type="submit" name="action" value="restore" class="link-button">{{ restore_label }}</button>
        {% else %}<button type="submit" name="action" value="hide" class="link-button">{{ hide_label }}</button>{% endif %}
      </form>
      {% if post.suspend_url and not post.mine %}<a href="{{ post.suspend_url }}">{{ suspend_label }}</a>{% endif %}
      {% endif %}
    {% elif post.helpful_count %}<span class="small muted">{{ post.helpful_label }}</span>{% endif %}
  </footer>
</article>
{% endfor %}"""
TOKEN = "x" * 64


def _collapse(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def _both(topic, user, *, may_reply=True, read_number=1):
    posts = list(queries.posts_of_topic(topic=topic, user=user)[:POSTS_PER_PAGE])
    _prepare_posts(
        posts,
        user=user,
        read_number=read_number,
        edit_since=timezone.now() - timedelta(minutes=rules.EDIT_WINDOW_MINUTES),
    )
    moderator = rules.is_moderator(user)
    quote_url = f"/community/t/{topic.pk}/reply/?quote="
    former = Template(FORMER_LOOP).render(
        Context(
            {
                "posts": posts,
                "user": user,
                "may_reply": may_reply,
                "is_moderator": moderator,
                "quote_url": quote_url,
                "csrf_token": TOKEN,
            }
        )
    )
    viewer = rendering.Viewer(
        authenticated=user.is_authenticated,
        is_moderator=moderator,
        may_reply=may_reply,
        quote_url=quote_url,
        csrf_token=TOKEN if user.is_authenticated else "",
    )
    return _collapse(former), _collapse(rendering.posts_html(posts, viewer)), posts


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


@pytest.mark.parametrize("language", ["ka", "en"])
@pytest.mark.parametrize("who", ["anonymous", "author", "reader", "moderator", "reader_locked"])
def test_posts_markup_equals_the_former_template_loop(busy_topic, staff, who, language):
    topic, author, reader = busy_topic
    user = {
        "anonymous": AnonymousUser(),
        "author": author,
        "reader": reader,
        "moderator": staff,
        "reader_locked": reader,
    }[who]
    with translation.override(language):
        former, built, posts = _both(topic, user, may_reply=who != "reader_locked")
    assert built == former
    assert built.count("<article ") == len(posts) == (5 if who == "moderator" else 4)


def test_escaping_and_per_viewer_parts_are_present(busy_topic, staff):
    topic, author, reader = busy_topic
    _former, built, _posts = _both(topic, staff)
    assert "ნინო &lt;b&gt;&quot;ბერიძე&quot;&lt;/b&gt; &amp; co" in built
    assert "<script>" not in built and "community-hidden" in built and 'value="restore"' in built
    _former, built, _posts = _both(topic, author)
    assert f'href="/community/p/{topic.posts.get(number=3).pk}/edit/"' in built
    _former, built, _posts = _both(topic, reader)
    assert 'aria-pressed="true"' in built and 'aria-pressed="false"' in built


def test_helpful_fragment_of_htmx_matches_the_page(busy_topic, client_for):
    topic, _author, reader = busy_topic
    post = topic.posts.get(number=2)
    fragment = (
        client_for(reader).post(f"/community/p/{post.pk}/helpful/", HTTP_HX_REQUEST="true").content.decode()
    )
    page = client_for(reader).get(topic.get_absolute_url()).content.decode()
    token = re.search(r'value="([A-Za-z0-9]{64})"', fragment).group(1)
    fragment = _collapse(fragment.replace(token, "T"))
    page = _collapse(
        re.sub(
            r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"',
            'name="csrfmiddlewaretoken" value="T"',
            page,
        )
    )
    assert 'aria-pressed="true"' in fragment and fragment in page


@pytest.mark.parametrize("count", [POSTS_PER_PAGE, POSTS_PER_PAGE + 1])
def test_first_page_of_a_topic_is_paginated_as_before(count, general, old_account, client):
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


def test_reading_a_topic_again_writes_nothing(topic, other_learner, client_for, django_assert_num_queries):
    client = client_for(other_learner)
    client.get(topic.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(topic.get_absolute_url())
    assert not [
        q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
