"""CPU per request of the heavy pages, in-process through Django's test client (no server, no network).

Builds a throwaway SQLite database (or uses ``DATABASE_URL``), a course of 40 lessons in 5 modules with a
learner half-way through, and forum topics of 18 and 50 posts by several people; then times each page:
best of 3 runs of ``--repeat`` requests (default 200), in milliseconds of process CPU per request.

    CIVICHUB_TESTING=true .venv/bin/python -m benchmarks.page_cpu [--repeat 200]

The figures are for comparing before and after a change on the same machine, not absolute.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CIVICHUB_TESTING", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civichub.settings")
_tmp = tempfile.mkdtemp(prefix="page-cpu-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/page_cpu.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def build():
    from community import services as community
    from community.models import Category
    from learning import services as learning
    from learning.api import Course
    from learning.models import Lesson, LessonProgress, Module
    from tests.factories import UserFactory

    learner = UserFactory(email="reader@example.org")
    course = Course.objects.create(
        title="საჯარო პოლიტიკის ანალიზი",
        slug="policy-analysis",
        summary="შესავალი",
        language="ka",
        level="beginner",
        published=True,
    )
    for m in range(1, 6):
        module = Module.objects.create(course=course, title=f"მოდული {m}", position=m)
        for i in range(1, 9):
            Lesson.objects.create(
                module=module,
                title=f"გაკვეთილი {m}.{i}",
                slug=f"lesson-{m}-{i}",
                position=i,
                body=f"# სათაური {m}.{i}\n\nტექსტი **{i}** [ბმული](https://example.org/{i}).\n\n"
                + "აბზაცი ბიუჯეტის შესახებ. " * 40,
            )
    for n in range(30):
        Course.objects.create(
            title=f"კურსი {n:02d}",
            slug=f"course-{n:02d}",
            summary="მოკლე აღწერა " * 5,
            published=True,
            language="ka",
            level="beginner",
        )
    learning.enrol(user=learner, course=course)
    for lesson in Lesson.objects.filter(course=course).order_by("module__position", "position")[:20]:
        LessonProgress.objects.create(user=learner, lesson=lesson)

    category = Category.objects.order_by("position").first() or Category.objects.create(
        slug="general", name_ka="ზოგადი", name_en="General", position=1
    )
    people = [UserFactory(email=f"writer{i}@example.org") for i in range(6)]
    topics = {}
    for size in (18, 50):
        topic = community.start_topic(
            category=category,
            author=people[0],
            title=f"თემა {size} პოსტით",
            body="როგორ დავიწყოთ **საჯარო** განხილვა?\n\n- ერთი\n- ორი",
            rate_limited=False,
        )
        for n in range(2, size + 1):
            community.reply(
                topic=topic,
                author=people[n % len(people)],
                rate_limited=False,
                body=f"პასუხი {n}: ვცადეთ [ეს](https://example.org/{n}) და *ასე* გამოვიდა.\n\n"
                + "გამოცდილება და რჩევა. " * 12,
            )
        topics[size] = topic
    return learner, course, topics


def measure(client, url, repeat):
    response = client.get(url)  # warm up (and the one write a first visit may make)
    assert response.status_code == 200, (url, response.status_code)
    client.get(url)
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        client.get(url)
    best = None
    for _run in range(3):
        start = time.process_time()
        for _ in range(repeat):
            client.get(url)
        per = (time.process_time() - start) * 1000 / repeat
        best = per if best is None else min(best, per)
    return best, len(queries), len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--only", default="", help="measure only pages whose label contains this text")
    parser.add_argument(
        "--instrumented",
        action="store_true",
        help="install the test runner's template instrumentation (slower; what the first figures used)",
    )
    parser.add_argument("--profile", default="", help="write a cProfile of each measured page to this folder")
    parser.add_argument(
        "--dump", default="", help="folder to write each page's HTML to (CSRF tokens blanked)"
    )
    args = parser.parse_args()
    if args.instrumented:
        setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    cache.clear()
    learner, course, topics = build()
    reader = Client(HTTP_HOST="localhost")
    reader.force_login(learner)
    pages = [
        ("lesson (40-lesson course, signed in)", reader, f"/learning/{course.slug}/lesson-3-4/"),
        ("course page (40 lessons, signed in)", reader, f"/learning/{course.slug}/"),
        ("my learning (40-lesson course, signed in)", reader, "/learning/my/"),
        ("catalogue (31 courses, anonymous)", Client(HTTP_HOST="localhost"), "/learning/"),
        ("topic, 18 posts (signed in)", reader, f"/community/t/{topics[18].pk}/"),
        ("topic, 50 posts (signed in)", reader, f"/community/t/{topics[50].pk}/"),
    ]
    print(f"{'page':<40} {'ms CPU/request':>15} {'queries':>8} {'bytes':>8}")
    for label, client, url in pages:
        if args.only not in label:
            continue
        ms, queries, size = measure(client, url, args.repeat)
        if args.profile:
            import cProfile

            Path(args.profile).mkdir(parents=True, exist_ok=True)
            profiler = cProfile.Profile(time.process_time)  # CPU, not wall time: the machine is shared
            profiler.runcall(lambda c=client, u=url: [c.get(u) for _ in range(args.repeat)])
            profiler.dump_stats(str(Path(args.profile) / (re.sub(r"\W+", "-", label).strip("-") + ".prof")))
        if args.dump:
            html = re.sub(r"[A-Za-z0-9]{64}", "TOKEN", client.get(url).content.decode())
            Path(args.dump).mkdir(parents=True, exist_ok=True)
            (Path(args.dump) / (re.sub(r"\W+", "-", label).strip("-") + ".html")).write_text(html)
        print(f"{label:<40} {ms:>15.2f} {queries:>8} {size:>8,}")


if __name__ == "__main__":
    main()
