"""core.rawjoin: hand-written joins loaded as model instances, with the ORM's own value conversions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from community.models import Category, Member, Topic
from core.rawjoin import Part, columns, select
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOPIC = Part(Topic, "t", ["id", "title", "created_at", "is_locked", "author_id", "category_id"])
AUTHOR = Part(User, "u", ["id", "full_name_latin", "email"])  # not in the model's order: reordered
MEMBER = Part(Member, "m", ["id", "user_id", "handle"])


def _sql():
    return (
        f"SELECT {columns(TOPIC, AUTHOR, MEMBER)}, 41 + 1 FROM community_topic t"  # noqa: S608 - test SQL
        " LEFT JOIN accounts_user u ON u.id = t.author_id LEFT JOIN community_member m ON m.user_id = u.id"
        " ORDER BY t.id"
    )


def test_rows_load_as_instances_with_converted_values_and_none_for_missing_joins():
    category = Category.objects.create(slug="rawjoin-test", name_ka="სატესტო")
    author = UserFactory(email="ana@example.org", full_name_latin="Ana Kapanadze")
    Member.objects.create(user=author, handle="ana")
    made = timezone.now() - timedelta(days=2)
    first = Topic.objects.create(
        category=category, title="ბიუჯეტი", author=author, created_at=made, is_locked=True
    )
    second = Topic.objects.create(category=category, title="Orphan", author=None)

    rows = select(_sql(), [], TOPIC, AUTHOR, MEMBER)

    (topic, user, member, extra), (orphan, no_user, no_member, _extra) = rows
    assert (topic.pk, topic.title, topic.is_locked, topic.created_at) == (first.pk, "ბიუჯეტი", True, made)
    assert topic.created_at.tzinfo is not None and isinstance(topic.is_locked, bool)
    assert (user.pk, user.email, user.full_name_latin) == (author.pk, "ana@example.org", "Ana Kapanadze")
    assert (member.handle, member.user_id) == ("ana", author.pk)
    assert extra == 42
    assert orphan.pk == second.pk and no_user is None and no_member is None
    # Fields not selected are deferred, loaded on access like any deferred field.
    assert "bio" in user.get_deferred_fields()
    assert topic.get_deferred_fields() == {"post_count", "last_post_at", "is_pinned", "is_hidden"}
    assert topic.post_count == 0


def test_parts_must_start_with_the_primary_key_and_name_real_columns():
    with pytest.raises(ValueError, match="primary key"):
        Part(Topic, "t", ["title", "id"])
    with pytest.raises(ValueError, match="no column"):
        Part(Topic, "t", ["id", "nonsense"])


def test_columns_quote_every_name_for_the_database():
    quoted = connection.ops.quote_name("handle")
    assert f"m.{quoted}" in columns(MEMBER)


def test_every_column_selects_the_whole_row_primary_key_first():
    part = Part.every_column(Topic, "t")
    assert part.fields == tuple(f.attname for f in Topic._meta.concrete_fields)
    assert part.fields[0] == "id" and "category_id" in part.fields


def _topic_and_author():
    category = Category.objects.create(slug="rawjoin-plain", name_ka="სატესტო")
    author = UserFactory(email="nino@example.org", full_name_latin="Nino Beridze")
    return Topic.objects.create(category=category, title="ბიუჯეტი", author=author), author


def test_instances_built_without_init_are_the_same_as_from_db_builds():
    made, author = _topic_and_author()
    assert TOPIC.plain and AUTHOR.plain

    ((topic, user, _member, _extra),) = select(_sql(), [], TOPIC, AUTHOR, MEMBER)

    expected = Topic.objects.only(*TOPIC.fields).get(pk=made.pk)
    assert {f: getattr(topic, f) for f in TOPIC.fields} == {f: getattr(expected, f) for f in TOPIC.fields}
    assert topic == expected and type(topic) is Topic
    assert (topic._state.adding, topic._state.db) == (False, "default")
    assert topic.get_deferred_fields() == expected.get_deferred_fields()
    # Related objects load through their descriptors, and saving updates the row instead of inserting one.
    assert topic.author == author and topic.author.email == "nino@example.org"
    topic.title = "საბიუჯეტო"
    topic.save(update_fields=["title"])
    assert Topic.objects.get(pk=made.pk).title == "საბიუჯეტო" and Topic.objects.count() == 1
    assert user.name_in("en") == "Nino Beridze"


def test_a_model_with_init_receivers_is_built_through_from_db(db):
    from django.db.models.signals import post_init

    _topic_and_author()
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Topic)
    try:
        assert not TOPIC.plain
        ((topic, _user, _member, _extra),) = select(_sql(), [], TOPIC, AUTHOR, MEMBER)
    finally:
        post_init.disconnect(receiver, sender=Topic)
    assert seen == [topic]
    assert TOPIC.plain
