"""generate_data fills the database with the promised counts, and the same seed gives the same data."""

import hashlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.models import Membership, Organisation, RoleGrant, User
from benchmarks.datagen import GEN_EMAIL_DOMAIN, SCALES
from core.search import normalise

TINY = SCALES["tiny"]


def generate(seed: int, *, replace: bool = False) -> str:
    out = StringIO()
    call_command("generate_data", scale="tiny", seed=seed, replace=replace, stdout=out)
    return out.getvalue()


def fingerprint() -> str:
    """A digest of the generated content that does not depend on primary keys."""
    rows = list(User.objects.order_by("email").values_list("email", "full_name_ka", "region", "municipality", "date_joined"))
    rows += list(Organisation.objects.order_by("slug").values_list("slug", "name_ka", "kind", "verified"))
    rows += list(Membership.objects.order_by("user__email", "organisation__slug").values_list("user__email", "organisation__slug", "role"))
    if apps.is_installed("learning"):
        from learning.models import Course, Enrolment, LessonProgress

        rows += list(Course.objects.order_by("slug").values_list("slug", "title", "search_text", "published"))
        rows += list(Enrolment.objects.order_by("user__email", "course__slug").values_list("user__email", "course__slug", "completed_at"))
        rows.append(LessonProgress.objects.count())
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.django_db
def test_tiny_scale_creates_the_promised_counts_of_georgian_data():
    output = generate(1)

    users = User.objects.filter(email__endswith="@" + GEN_EMAIL_DOMAIN)
    assert users.count() == TINY.users == 100
    assert Organisation.objects.filter(slug__startswith="gen-").count() == TINY.organisations
    assert Membership.objects.exists()
    assert RoleGrant.objects.filter(role="reviewer").count() == 3
    sample = users.order_by("email").first()
    assert any("\u10d0" <= ch <= "\u10ff" for ch in sample.full_name_ka)  # Georgian script
    assert sample.emailaddress_set.get().verified is True
    assert "generated in" in output


@pytest.mark.django_db
@pytest.mark.skipif(not apps.is_installed("learning"), reason="learning app has not landed")
def test_tiny_scale_fills_learning_and_keeps_its_invariants():
    from learning.models import Course, Enrolment, Lesson, LessonProgress

    generate(1)

    assert Course.objects.count() == TINY.courses
    assert Lesson.objects.count() == TINY.lessons
    assert Enrolment.objects.count() == TINY.enrolments
    for course in Course.objects.all():
        assert course.search_text == normalise(course.title, course.summary)
    # A completed enrolment has every required lesson of its course done.
    for enrolment in Enrolment.objects.filter(completed_at__isnull=False):
        required = set(Lesson.objects.filter(course=enrolment.course, required=True).values_list("pk", flat=True))
        done = set(LessonProgress.objects.filter(user=enrolment.user, lesson__course=enrolment.course).values_list("lesson_id", flat=True))
        assert required <= done


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    generate(42)
    first = fingerprint()

    generate(42, replace=True)
    assert fingerprint() == first

    generate(43, replace=True)
    assert fingerprint() != first


@pytest.mark.django_db
def test_running_again_without_replace_refuses_and_keeps_the_data():
    generate(5)
    before = fingerprint()

    with pytest.raises(CommandError, match="--replace"):
        generate(5)
    assert fingerprint() == before


@pytest.mark.django_db
def test_replace_leaves_real_and_demo_accounts_alone():
    from tests.factories import UserFactory

    real = UserFactory(email="real.person@example.org")
    generate(3)
    generate(3, replace=True)

    assert User.objects.filter(pk=real.pk).exists()
    assert User.objects.filter(email__endswith="@" + GEN_EMAIL_DOMAIN).count() == TINY.users


@pytest.mark.django_db
@pytest.mark.skipif(not apps.is_installed("community"), reason="community app has not landed")
def test_tiny_scale_fills_the_forum_with_numbered_posts_and_true_counters():
    from django.db.models import Count, Max

    from community.models import Category, Post, Topic

    generate(1)

    topics = Topic.objects.filter(category__slug__startswith="gen-")
    assert Post.objects.filter(topic__in=topics).count() == TINY.posts
    for topic in topics.annotate(n=Count("posts"), top=Max("posts__number")):
        assert topic.post_count == topic.n == topic.top
    post = Post.objects.filter(topic__in=topics).first()
    assert post.search_text == normalise(post.body)
    for category in Category.objects.filter(slug__startswith="gen-"):
        assert category.topic_count == topics.filter(category=category).count()
