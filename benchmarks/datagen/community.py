"""Forum categories, topics and posts (numbered 1..n per topic), with the counters the services keep."""

from __future__ import annotations

from datetime import timedelta

from benchmarks.datagen import GEN_SLUG_PREFIX, Scale
from benchmarks.datagen.text import markdown_body, paragraph, past, sentence
from core.api import normalise, render_markdown

BATCH = 2000
CATEGORIES = [
    ("საჯარო ბიუჯეტი", "Public budgets"),
    ("საჯარო განხილვები", "Public hearings"),
    ("პეტიციები", "Petitions"),
    ("გრანტები და პროექტები", "Grants and projects"),
    ("კვლევა და მონაცემები", "Research and data"),
    ("ახალგაზრდული ინიციატივები", "Youth initiatives"),
]


def delete() -> None:
    from community.models import Category, Topic

    categories = Category.objects.filter(slug__startswith=GEN_SLUG_PREFIX)
    Topic.objects.filter(category__in=categories).delete()
    categories.delete()


def generate(scale: Scale, rng, stdout, *, user_ids: list[int], **_) -> dict:
    from community.models import Category, CategoryKind, Post, Topic

    Category.objects.bulk_create(
        [
            Category(
                kind=CategoryKind.GENERAL,
                slug=f"{GEN_SLUG_PREFIX}forum-{i}",
                name_ka=ka,
                name_en=en,
                description=sentence(rng)[:500],
                position=200 + i,
            )
            for i, (ka, en) in enumerate(CATEGORIES)
        ]
    )
    category_ids = list(
        Category.objects.filter(slug__startswith=GEN_SLUG_PREFIX)
        .order_by("slug")
        .values_list("pk", flat=True)
    )

    # Topics hold 1-19 posts (10 on average), so the number of topics follows from the number of posts.
    sizes = []
    remaining = scale.posts
    while remaining > 0:
        size = min(rng.randint(1, 19), remaining)
        sizes.append(size)
        remaining -= size
    topics = []
    for size in sizes:
        started = past(rng, 700)
        topics.append(
            Topic(
                category_id=rng.choice(category_ids),
                title=sentence(rng, 4, 9).rstrip("."),
                author_id=rng.choice(user_ids),
                created_at=started,
                last_post_at=started + timedelta(hours=size - 1),
                post_count=size,
            )
        )
    Topic.objects.bulk_create(topics, batch_size=BATCH)
    topic_rows = list(
        Topic.objects.filter(category_id__in=category_ids)
        .order_by("pk")
        .values_list("pk", "created_at", "author_id")
    )
    posts = []
    for (topic_id, started, author_id), size in zip(topic_rows, sizes, strict=True):
        for number in range(1, size + 1):
            body = markdown_body(rng, 2) if number == 1 else paragraph(rng, rng.randint(1, 3))
            posts.append(
                Post(
                    topic_id=topic_id,
                    number=number,
                    author_id=author_id if number == 1 else rng.choice(user_ids),
                    body=body,
                    search_text=normalise(body),
                    body_html=str(render_markdown(body)),  # as Post.save() stores it
                    created_at=started + timedelta(hours=number - 1),
                    helpful_count=0,
                )
            )
        if len(posts) >= 20_000:
            Post.objects.bulk_create(posts, batch_size=BATCH)
            posts = []
    Post.objects.bulk_create(posts, batch_size=BATCH)
    for category_id in category_ids:
        mine = [t for t in topics if t.category_id == category_id]
        Category.objects.filter(pk=category_id).update(
            topic_count=len(mine), last_post_at=max((t.last_post_at for t in mine), default=None)
        )
    if stdout:
        stdout.write(
            f"  community: {len(category_ids)} categories, {len(topic_rows)} topics, {sum(sizes)} posts"
        )
    return {"topic_ids": [pk for pk, _c, _a in topic_rows]}
