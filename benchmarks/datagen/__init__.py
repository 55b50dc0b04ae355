"""Seeded, reproducible bulk data for load tests (``manage.py generate_data``).

Every generated row is recognisable (emails under ``@gen.civichub.ge``, slugs starting with ``gen-``) so
``--replace`` can remove a previous run without touching real or demo data. Each domain module has
``generate(scale, rng, stdout)`` and ``delete()``; a domain whose app is not installed is skipped.
Rows are written with ``bulk_create`` directly (a data generator may bypass services for speed), keeping
the invariants the services keep: normalised ``search_text``, unique keys, completion only when every
required lesson is done.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    users: int
    organisations: int
    courses: int
    lessons: int
    enrolments: int
    calls: int
    applications: int
    reviews: int
    posts: int
    credentials: int
    # Calls announced but not open yet (no applications): with the open ones they fill the visitors' call list
    # past its first page at the large scale.
    announced_calls: int = 0


LARGE = Scale(
    "large", 100_000, 2_000, 200, 5_000, 300_000, 50, 20_000, 60_000, 100_000, 50_000, announced_calls=20
)


def _fraction(name: str, divisor: int, *, minimum_courses: int = 3) -> Scale:
    return Scale(
        name,
        users=LARGE.users // divisor,
        organisations=max(LARGE.organisations // divisor, 5),
        courses=max(LARGE.courses // divisor, minimum_courses),
        lessons=max(LARGE.lessons // divisor, minimum_courses * 5),
        enrolments=LARGE.enrolments // divisor,
        calls=max(LARGE.calls // divisor, 2),
        applications=LARGE.applications // divisor,
        reviews=LARGE.reviews // divisor,
        posts=LARGE.posts // divisor,
        credentials=LARGE.credentials // divisor,
        announced_calls=max(LARGE.announced_calls // divisor, 1),
    )


SCALES = {
    "tiny": _fraction("tiny", 1000),  # for tests: 100 users
    "small": _fraction("small", 50),  # 2,000 users
    "medium": _fraction("medium", 10),  # 10,000 users
    "large": LARGE,
}

GEN_EMAIL_DOMAIN = "gen.civichub.ge"
GEN_SLUG_PREFIX = "gen-"
# Every generated user signs in with this password (hashed once); bench sessions are created directly.
GEN_PASSWORD = "civichub-bench-2026"
