"""Seeded forum posts for the search benchmark (``manage.py community_search_bench``): a small vocabulary of
the words people search for, so every query has matches at any number of posts. Rows are bulk-inserted with the
invariants the services keep: numbered posts per topic, normalised ``search_text``, rendered ``body_html``,
counters on topics and categories."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from benchmarks.datagen import GEN_SLUG_PREFIX
from core.api import normalise, render_markdown

BATCH = 5000
POSTS_PER_TOPIC = 20

WORDS = [
    "ბიუჯეტი",
    "ბიუჯეტის",
    "სამოქალაქო",
    "მონაწილეობა",
    "მონაწილეობის",
    "განხილვა",
    "საჯარო",
    "პეტიცია",
    "პეტიციის",
    "საკრებულო",
    "მერია",
    "მუნიციპალიტეტი",
    "სოფელი",
    "ქალაქი",
    "ახალგაზრდები",
    "ორგანიზაცია",
    "პროექტი",
    "პროექტის",
    "კენჭისყრა",
    "შეხვედრა",
    "ოქმი",
    "გამჭვირვალობა",
    "ანგარიშვალდებულება",
    "მონიტორინგი",
    "შესყიდვები",
    "ინფრასტრუქტურა",
    "გზა",
    "სკოლა",
    "ბაღი",
    "წყალი",
    "სათათბირო",
    "საბჭო",
    "კონსულტაცია",
    "ადვოკატირება",
    "კამპანია",
    "მედია",
    "ინფორმაცია",
    "მოსახლეობა",
    "ხელმოწერა",
    "ვადა",
    "კანონი",
]


def _text(rng, low, high) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def delete() -> None:
    from community.models import Category, Topic

    Topic.objects.filter(category__slug__startswith=GEN_SLUG_PREFIX).delete()
    Category.objects.filter(slug__startswith=GEN_SLUG_PREFIX).delete()


def generate_posts(*, posts: int, rng, user_ids: list[int]) -> list[int]:
    from community.models import Category, Post, Topic

    category, _created = Category.objects.get_or_create(
        slug=f"{GEN_SLUG_PREFIX}forum",
        defaults={"name_ka": "გენერირებული ფორუმი", "name_en": "Generated forum", "position": 900},
    )
    now = timezone.now()
    topic_count = max(1, posts // POSTS_PER_TOPIC)
    topics = [
        Topic(
            category=category,
            title=_text(rng, 3, 7)[:200],
            author_id=rng.choice(user_ids),
            created_at=now - timedelta(days=rng.randint(1, 700)),
            post_count=0,
        )
        for _ in range(topic_count)
    ]
    Topic.objects.bulk_create(topics, batch_size=BATCH)
    topics = list(Topic.objects.filter(category=category).order_by("pk"))
    rows, counts = [], {}
    for n in range(posts):
        topic = topics[n % len(topics)]
        counts[topic.pk] = counts.get(topic.pk, 0) + 1
        body = _text(rng, 12, 60)
        created = topic.created_at + timedelta(minutes=counts[topic.pk] * rng.randint(5, 300))
        rows.append(
            Post(
                topic=topic,
                number=counts[topic.pk],
                author_id=rng.choice(user_ids),
                body=body,
                search_text=normalise(body),
                body_html=str(render_markdown(body)),
                created_at=created,
            )
        )
        if len(rows) >= BATCH:
            Post.objects.bulk_create(rows)
            rows = []
    Post.objects.bulk_create(rows)
    for topic in topics:
        topic.post_count = counts.get(topic.pk, 0)
        topic.last_post_at = topic.created_at + timedelta(minutes=topic.post_count * 60)
    Topic.objects.bulk_update(topics, ["post_count", "last_post_at"], batch_size=BATCH)
    Category.objects.filter(pk=category.pk).update(topic_count=len(topics), last_post_at=now)
    return [t.pk for t in topics]
