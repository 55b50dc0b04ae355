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

import gevent
from locust import between, constant, task
from locust.contrib.fasthttp import FastHttpUser

from benchmarks.locustfile_names import BOUNDARY, multipart

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
        with self.client.get(
            url, name=name or self.scenario, headers=headers, catch_response=True
        ) as response:
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


class CallList(_Closed):
    """The list of open and upcoming calls (first and second page) in Georgian and English, as a visitor."""

    scenario = "call_list"

    @task
    def page(self):
        self.get(random.choice(SCENARIOS["call_list"]["urls"]))


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


class ProjectPage(_SignedIn):
    """An organisation member on their grant project's page and its interim report (awards)."""

    scenario = "project_page"


class MentorPage(_SignedIn):
    """A mentor on their mentees list and one of their mentorships' pages (awards)."""

    scenario = "mentor_page"


class Placements(_Closed):
    """A visitor on the public internship placements list and placements' pages (awards)."""

    scenario = "placements"

    @task
    def page(self):
        self.get(random.choice(SCENARIOS["placements"]["urls"]))


class EventsList(_Closed):
    """A visitor on the public event list (Georgian and English, and its page 2 when there is one) (events)."""

    scenario = "events_list"

    @task
    def page(self):
        self.get(random.choice(SCENARIOS["events_list"]["urls"]))


class EventDetail(_Closed):
    """A visitor on generated events' pages (events)."""

    scenario = "event_detail"

    @task
    def page(self):
        self.get(random.choice(SCENARIOS["event_detail"]["urls"]))


class EventRegistrations(_SignedIn):
    """Programme staff on the registration list of the biggest generated event (first, second and last page)."""

    scenario = "event_registrations"


class InsightsDashboard(_SignedIn):
    """Programme staff and donor viewers on the indicators dashboard, unfiltered and filtered (insights)."""

    scenario = "insights_dashboard"


class LessonPage(_SignedIn):
    """A signed-in learner reading lessons of a course they are enrolled in."""

    scenario = "lesson_page"


class CatalogueSignedIn(_SignedIn):
    """A signed-in learner reading the course catalogue (first and second page), which is not cached for them."""

    scenario = "catalogue_signed_in"


class ForumTopic(_SignedIn):
    """A signed-in person reading forum topics (the read marker moves forward as they read)."""

    scenario = "forum_topic"


class CredentialVerification(_Closed):
    """Anyone checking a certificate: the public verification page (signature and signed status list checked)."""

    scenario = "credential_verification"

    @task
    def page(self):
        self.get(random.choice(SCENARIOS["credential_verification"]["urls"]))


def autosave(user, applicant: dict, name: str) -> None:
    """One htmx autosave: the applicant changed a field; the draft is stored and the status line returned."""
    pairs = list(applicant["pairs"])
    # Change one answer a little, as typing does.
    if pairs:
        key, value = pairs[0]
        pairs[0] = (key, value[:-1] if value.endswith(str(random.randint(0, 9))) else value + " ")
    headers = {
        "Cookie": applicant["cookie"],
        "X-CSRFToken": applicant["csrf"],
        "HX-Request": "true",
        "HX-Target": "autosave-status",
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
    }
    with user.client.post(
        applicant["autosave"], data=multipart(pairs), headers=headers, name=name, catch_response=True
    ) as response:
        if response.status_code != 200:
            response.failure(f"status {response.status_code} for {applicant['autosave']}")
        elif b"<strong>" in (response.content or b""):
            response.failure("autosave answered with an error")


class ApplicationAutosave(_Closed):
    """Applicants editing their drafts: every change is saved by an htmx POST (a row lock and an UPDATE)."""

    scenario = "application_autosave"

    def on_start(self):
        self.applicant = _next_session(self.scenario)

    @task
    def save(self):
        autosave(self, self.applicant, self.scenario)


class ReviewQueue(_SignedIn):
    """A reviewer opening their queue (reviews still to write first; first and second page)."""

    scenario = "review_queue"


class ReviewerRanking(_SignedIn):
    """Programme staff reading a call's application list, the ranking table (by aggregated review score or by
    disagreement, filtered by status, first and second page)."""

    scenario = "reviewer_ranking"


THINK_SECONDS = (1, 3)


class _Person(FastHttpUser):
    """Someone in the mixed scenario: reads, thinks 1-3 s, clicks again.

    Each person starts somewhere in their think time, as people already on the site would be: Locust starts all
    of them at once, and their 60 simultaneous first clicks queued for ~250 ms — that queue, not the pages, was
    the scenario's p95 (9 % of a 20 s run's requests).
    """

    abstract = True
    wait_time = between(*THINK_SECONDS)
    kind = ""

    def on_start(self):
        gevent.sleep(random.uniform(0, THINK_SECONDS[1]))
        self.person = self._who()
        self.headers = {"Cookie": self.person["cookie"]} if self.person else {}

    def _who(self) -> dict | None:
        people = SCENARIOS["mixed"][self.kind]
        return people[next(_session_counter) % len(people)] if people else None

    def _get(self, url: str, name: str, headers: dict | None = None):
        with self.client.get(url, name=name, headers=headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code} for {url}")


class MixedLearner(_Person):
    """Learners move between their courses and lessons."""

    weight = 4
    kind = "learners"

    @task(3)
    def reads_lesson(self):
        if self.person:
            self._get(random.choice(self.person["urls"]), "mixed: lesson", self.headers)

    @task(1)
    def opens_course_and_my_learning(self):
        if self.person:
            self._get(self.person["course"], "mixed: course", self.headers)
            self._get(self.person["my"], "mixed: my learning", self.headers)


class MixedApplicant(_Person):
    """Applicants fill in their draft (autosaved as they type), reread it and check their applications."""

    weight = 2
    kind = "applicants"

    @task(3)
    def types(self):
        if self.person:
            autosave(self, self.person, "mixed: autosave")

    @task(1)
    def rereads_form(self):
        if self.person:
            self._get(self.person["form"], "mixed: application form", self.headers)

    @task(1)
    def checks_applications(self):
        if self.person:
            self._get(self.person["my"], "mixed: my applications", self.headers)
            self._get(self.person["call"], "mixed: call page", self.headers)


class MixedReviewer(_Person):
    """Reviewers open their queue and read the applications assigned to them."""

    weight = 1
    kind = "reviewers"

    @task(3)
    def reads_application(self):
        if self.person:
            self._get(random.choice(self.person["urls"]), "mixed: review page", self.headers)

    @task(1)
    def opens_queue(self):
        if self.person:
            self._get(self.person["queue"], "mixed: review queue", self.headers)


class MixedForumReader(_Person):
    """Signed-in people reading forum topics."""

    weight = 2
    kind = "forum"

    @task
    def reads_topic(self):
        if self.person:
            self._get(random.choice(self.person["urls"]), "mixed: forum topic", self.headers)


class MixedVisitor(_Person):
    """Visitors who are not signed in: home, catalogue, course pages, certificate verification."""

    weight = 3
    kind = "anonymous"

    def _who(self) -> None:
        return None

    @task
    def browses(self):
        self._get(random.choice(SCENARIOS["mixed"]["anonymous"]), "mixed: anonymous")
