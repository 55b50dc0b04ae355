"""Forum search on SQLite answers through the FTS5 index of migration 0004; its hits must stay exactly those of
``core.search.filter_prefix`` (word prefixes, case- and Mtavruli-insensitive), which PostgreSQL still uses.
Run with DATABASE_URL=postgres://... too: there both paths are filter_prefix and the same assertions hold."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community import queries, services
from community.models import Post
from community.queries import search
from core.search import filter_prefix, normalise

pytestmark = pytest.mark.django_db

WORDS = [
    "ბიუჯეტი",
    "ბიუჯეტირება",
    "ᲑᲘᲣᲯᲔᲢᲘ",
    "მონაწილეობა",
    "Მონაწილე",
    "საჯარო",
    "განხილვა",
    "პეტიცია",
    "Budget",
    "BUDGETING",
    "civic_budget",
    "budget_2026",
    "2026",
    "ab",
    "a",
    "ÉCOLE",
    "école",
    "Straße",
    "strasse",
    "ﬁnance",
    "x_y_z",
    "_lead",
    "ინფრასტრუქტურა",
    "უჯეტი",
    "e\u0301cole",
    "Ⴀ",
    "ⴀ",
]
PUNCTUATION = [" ", ", ", ". ", " — ", "\n\n", "-", "/", "(", ") ", "!", " @", " #"]
QUERIES = [
    "ბიუჯ",
    "ბიუჯეტი",
    "ᲑᲘᲣᲯ",
    "Ბიუჯ მონაწ",
    "მონაწ საჯ",
    "უჯეტ",
    "budget",
    "BUDG",
    "civic",
    "civic_b",
    "budget_",
    "2026",
    "20",
    "a",
    "ab",
    "éc",
    "ÉCOLE",
    "strass",
    "straße",
    "fin",
    "ﬁn",
    "_lead",
    "_",
    "x_y",
    "y_z",
    "ინფრა სტრ",
    "ბ ს",
    "nothing",
    "ⴀ",
    "Ⴀ",
    '"quoted"',
    "ბიუჯ*",
    "ბიუჯ OR საჯ",
    "NEAR(a b)",
    "-ბიუჯ",
    "budget:x",
    "a b c d e f g h i j",
    "ტ",
    "  ",
    "",
]


def _ids(qs):
    return sorted(qs.values_list("pk", flat=True))


@pytest.fixture
def many_posts(topic, old_account):
    rng = random.Random(7)
    author = old_account()
    for n in range(150):
        body = "".join(rng.choice(WORDS) + rng.choice(PUNCTUATION) for _ in range(rng.randint(1, 8)))
        services.reply(topic=topic, author=author, body=body, rate_limited=False)
    return topic


def test_search_hits_are_exactly_those_of_filter_prefix(many_posts, staff):
    everything = Post.objects.all()
    for query in QUERIES + [" ".join(random.Random(n).sample(WORDS, 2)) for n in range(30)]:
        expected = _ids(filter_prefix(everything, query))
        assert _ids(queries.search_posts(query=query, viewer=staff)) == expected, query
        assert _ids(queries.search_posts(query=query, viewer=staff, indexed=False)) == expected, query
        if query.strip():
            assert all(normalise(query).split()[0] in Post.objects.get(pk=pk).search_text for pk in expected)
    assert _ids(queries.search_posts(query="ბიუჯ", viewer=staff)) != []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index exists on SQLite only")
def test_sqlite_search_reads_the_fts_index_not_like(many_posts):
    with CaptureQueriesContext(connection) as captured:
        list(queries.search_posts(query="ბიუჯ", viewer=None))
    assert "community_post_fts" in captured[0]["sql"] and "LIKE" not in captured[0]["sql"].upper()


def test_index_follows_edits_hiding_deletes_and_bulk_writes(topic, other_learner, staff):
    def found(query, user=other_learner):
        return list(queries.search_posts(query=query, viewer=user).values_list("pk", flat=True))

    post = services.reply(topic=topic, author=other_learner, body="პეტიცია ქალაქში")
    assert found("პეტიც") == [post.pk]
    services.edit_post(post=post, editor=other_learner, body="შეხვედრა სოფელში")
    assert found("პეტიც") == [] and found("შეხვ") == [post.pk]
    services.moderate_post(post=post, moderator=staff, action="hide")
    assert found("შეხვ") == [] and found("შეხვ", staff) == [post.pk]
    Post.objects.bulk_create(
        [
            Post(
                topic=topic,
                number=50,
                author=other_learner,
                body="ახალგაზრდები",
                search_text=normalise("ახალგაზრდები"),
                body_html="<p>ახალგაზრდები</p>",
            )
        ]
    )
    assert len(found("ახალგ")) == 1
    Post.objects.filter(number=50).update(search_text=normalise("სხვა ტექსტი"))
    assert found("ახალგ") == [] and len(found("სხვ")) == 1
    Post.objects.filter(number=50).delete()
    post.delete()
    assert found("სხვ") == [] and found("შეხვ", staff) == []


def test_many_matches_are_paged_newest_first_without_hidden_posts(topic, other_learner, staff, monkeypatch):
    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", 5)
    posts = [
        services.reply(topic=topic, author=other_learner, body=f"ბიუჯეტი {n}", rate_limited=False)
        for n in range(12)
    ]
    services.moderate_post(post=posts[-1], moderator=staff, action="hide")
    paginator = queries.search_paginator(query="ბიუჯ", viewer=other_learner, per_page=4)
    assert paginator.capped and paginator.count == 5
    expected = list(
        filter_prefix(Post.objects.filter(is_hidden=False), "ბიუჯ")
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )
    assert [p.pk for p in paginator.get_page(1).object_list] == expected[:4]
    assert [p.pk for p in paginator.get_page(2).object_list] == expected[4:5]
    assert posts[-1].pk not in expected
    few = queries.search_paginator(query="ბიუჯეტი 3", viewer=other_learner, per_page=4)
    assert not few.capped and [p.pk for p in few.get_page(1).object_list] == [posts[3].pk]
