"""A post's sanitised HTML is rendered once when it is saved; the topic page serves it without Markdown work."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Post
from core.markdown import render_markdown
from tests.community.xss_check import main_of, problems_in
from tests.community.xss_corpus import PAYLOADS

pytestmark = pytest.mark.django_db

fill_migration = importlib.import_module("community.migrations.0003_post_body_html")


def test_a_new_post_keeps_its_markdown_source_and_stores_its_sanitised_html(general, old_account):
    author = old_account()
    topic = services.start_topic(
        category=general,
        author=author,
        title="ბიუჯეტის განხილვა",
        body="**მნიშვნელოვანი** [ბმული](https://example.org) <script>x()</script>",
    )
    post = Post.objects.get(topic=topic, number=1)

    assert post.body.startswith("**მნიშვნელოვანი**")
    assert "<strong>მნიშვნელოვანი</strong>" in post.body_html
    assert '<a href="https://example.org" rel="noopener noreferrer">ბმული</a>' in post.body_html
    assert "<script" not in post.body_html


def test_a_new_accounts_links_are_stored_with_nofollow(general, old_account):
    newcomer = old_account()
    newcomer.date_joined = timezone.now()
    newcomer.save(update_fields=["date_joined"])
    topic = services.start_topic(category=general, author=old_account(), title="ბმულები აქ", body="პირველი")

    post = services.reply(topic=topic, author=newcomer, body="[საიტი](https://example.org)")

    assert 'rel="nofollow ugc noopener noreferrer"' in Post.objects.get(pk=post.pk).body_html


def test_editing_a_post_renders_its_html_again_and_the_topic_shows_the_new_text(
    general, old_account, client_for
):
    author = old_account()
    topic = services.start_topic(
        category=general, author=author, title="რედაქტირების თემა", body="ძველი *ტექსტი*"
    )
    post = Post.objects.get(topic=topic, number=1)

    services.edit_post(post=post, editor=author, body="ახალი **ტექსტი**")

    post.refresh_from_db()
    assert post.body_html == "<p>ახალი <strong>ტექსტი</strong></p>\n"
    page = client_for(author).get(topic.get_absolute_url()).content.decode()
    assert "ახალი <strong>ტექსტი</strong>" in page
    assert "ძველი" not in page


def test_the_topic_page_serves_the_stored_html_instead_of_rendering_markdown(general, old_account, client):
    topic = services.start_topic(
        category=general, author=old_account(), title="შენახული HTML", body="*წყარო*"
    )
    Post.objects.filter(topic=topic).update(body_html="<p>შენახული ვერსია</p>")

    page = client.get(topic.get_absolute_url()).content.decode()

    assert "<p>შენახული ვერსია</p>" in page
    assert "<em>წყარო</em>" not in page


def test_posts_inserted_in_bulk_without_html_are_rendered_safely_on_view(general, old_account, client):
    author = old_account()
    topic = services.start_topic(category=general, author=author, title="იმპორტი", body="პირველი")
    Post.objects.bulk_create(
        Post(topic=topic, number=n, author=author, body=payload)
        for n, payload in enumerate(PAYLOADS, start=2)
    )
    assert Post.objects.filter(topic=topic, body_html="").count() == len(PAYLOADS)

    response = client.get(topic.get_absolute_url())

    assert problems_in(main_of(response.content.decode())) == []


def test_the_data_migration_fills_the_html_of_existing_posts_sanitised(general, old_account):
    author = old_account()
    topic = services.start_topic(category=general, author=author, title="ძველი პოსტები", body="პირველი")
    Post.objects.bulk_create(
        Post(topic=topic, number=n, author=author, body=payload, nofollow=n % 2 == 0)
        for n, payload in enumerate(PAYLOADS, start=2)
    )
    Post.objects.filter(topic=topic).update(body_html="")

    fill_migration.fill_body_html(apps, None)

    posts = list(Post.objects.filter(topic=topic))
    assert all(post.body_html == str(render_markdown(post.body, nofollow=post.nofollow)) for post in posts)
    assert all(problems_in(post.body_html, strict=True) == [] for post in posts)
    assert posts[0].body_html == "<p>პირველი</p>\n"


def test_each_post_gets_its_own_action_links(general, old_account, staff, client_for):
    author, other = old_account(), old_account()
    topic = services.start_topic(category=general, author=author, title="ბმულების თემა", body="პირველი")
    reply = services.reply(topic=topic, author=other, body="მეორე")
    services.edit_post(post=reply, editor=other, body="მეორე, შესწორებული")
    first = Post.objects.get(topic=topic, number=1)

    own = client_for(other).get(topic.get_absolute_url()).content.decode()
    assert f'href="{reverse("community:post_flag", args=[first.pk])}"' in own
    assert f'action="{reverse("community:post_helpful", args=[first.pk])}"' in own
    assert f'href="{reverse("community:post_edit", args=[reply.pk])}"' in own
    assert f'href="{reverse("community:post_edit", args=[first.pk])}"' not in own
    assert f'href="{reverse("community:post_flag", args=[reply.pk])}"' not in own
    assert f'href="{reverse("community:post_history", args=[reply.pk])}"' in own
    assert f'href="{reverse("community:reply", args=[topic.pk])}?quote={reply.pk}"' in own
    assert f'href="{reverse("community:post", args=[reply.pk])}"' in own

    moderated = client_for(staff).get(topic.get_absolute_url()).content.decode()
    assert f'action="{reverse("community:post_moderate", args=[reply.pk])}"' in moderated
    assert f'href="{reverse("community:suspend", args=[other.pk])}"' in moderated
    assert f"@{services.member_for(other).handle}" in moderated


def test_posts_written_within_the_edit_window_only_offer_editing(general, old_account, client_for):
    author = old_account()
    topic = services.start_topic(category=general, author=author, title="ძველი თემა", body="პირველი")
    first = Post.objects.get(topic=topic, number=1)
    Post.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=30))

    page = client_for(author).get(topic.get_absolute_url()).content.decode()

    assert reverse("community:post_edit", args=[first.pk]) not in page
