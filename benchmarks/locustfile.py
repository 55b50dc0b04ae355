"""Load scenarios for ``make bench`` (driven headless by ``benchmarks/run.py``; one user class per run).

Targets (URLs, session cookies) come from the JSON that ``benchmarks/prepare.py`` wrote, named by
``BENCH_TARGETS``. Every scenario but ``Mixed`` runs closed-loop with no think time, so requests/s is the
server's throughput; ``Mixed`` models people reading (1–3 s between clicks).
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import between, constant, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ.get("BENCH_TARGETS", "var/bench/targets.json"), encoding="utf-8") as _handle:
    SCENARIOS = json.load(_handle)["scenarios"]

_session_counter = itertools.count()


def _next_session(name: str) -> dict:
    sessions = SCENARIOS[name]["sessions"]
    return sessions[next(_session_counter) % len(sessions)]


class _Closed(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    scenario = ""

    def get(self, url: str, *, name: str | None = None, headers: dict | None = None):
        with self.client.get(url, name=name or self.scenario, headers=headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code} for {url}")


class Trivial(_Closed):
    scenario = "trivial"

    @task
    def trivial(self):
        self.get(SCENARIOS["trivial"]["urls"][0])


class AnonymousHome(_Closed):
    """Home page in Georgian and English, and the course catalogue, as a visitor who is not signed in."""

    scenario = "anonymous_home"

    @task
    def page(self):
        self.get(random.choice(SCENARIOS["anonymous_home"]["urls"]))


class AnonymousCatalogue(_Closed):
    """The course catalogue (first and second page) and course pages, as a visitor who is not signed in."""

    scenario = "anonymous_catalogue"

    @task
    def page(self):
        self.get(random.choice(SCENARIOS["anonymous_catalogue"]["urls"]))


class SignInPage(_Closed):
    scenario = "sign_in_page"

    @task
    def page(self):
        self.get(SCENARIOS["sign_in_page"]["urls"][0])


class OrganisationPage(_Closed):
    scenario = "organisation_page"

    @task
    def page(self):
        self.get(random.choice(SCENARIOS["organisation_page"]["urls"]))


class _SignedIn(_Closed):
    abstract = True

    def on_start(self):
        self.session = _next_session(self.scenario)
        self.headers = {"Cookie": self.session["cookie"]}

    @task
    def page(self):
        self.get(random.choice(self.session["urls"]), headers=self.headers)


class Profile(_SignedIn):
    scenario = "profile"


class LessonPage(_SignedIn):
    """A signed-in learner reading lessons of a course they are enrolled in."""

    scenario = "lesson_page"


class ForumTopic(_SignedIn):
    """A signed-in person reading forum topics (the read marker moves forward as they read)."""

    scenario = "forum_topic"


class Mixed(FastHttpUser):
    """People reading: learners move between their courses and lessons; visitors browse; 1–3 s think time."""

    wait_time = between(1, 3)

    def on_start(self):
        learners = SCENARIOS["mixed"]["learners"]
        self.learner = learners[next(_session_counter) % len(learners)] if learners else None

    def _get(self, url: str, name: str, headers: dict | None = None):
        with self.client.get(url, name=name, headers=headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code} for {url}")

    @task(3)
    def learner_reads_lesson(self):
        if self.learner:
            self._get(random.choice(self.learner["urls"]), "mixed: lesson", {"Cookie": self.learner["cookie"]})

    @task(1)
    def learner_opens_course_and_my_learning(self):
        if self.learner:
            headers = {"Cookie": self.learner["cookie"]}
            self._get(self.learner["course"], "mixed: course", headers)
            self._get(self.learner["my"], "mixed: my learning", headers)

    @task(2)
    def visitor_browses(self):
        self._get(random.choice(SCENARIOS["mixed"]["anonymous"]), "mixed: anonymous")


