"""Courses kept on the phone: the offline manifest of a course and the sync of steps taken offline.

The manifest lists what the page script (``static/js/offline.js``) stores in Cache Storage: the course page,
every lesson and quiz page, the lessons' own images and attachments, and the static files those pages use,
each with its size, and a version that changes whenever the course's content changes. Videos are not in it.
No answer key is in anything listed: quiz pages never carry one, grading stays on the server.

The sync applies a batch of steps taken offline (``lesson_done``, ``quiz_answers``), each with an id made
on the device, through the same services as the online pages (``services.mark_lesson_complete``,
``services.submit_quiz``): the server grades, attempt limits apply, completion and everything that follows
from it (the course credential, call eligibility) happen exactly as online. Each applied event is stored
once (``SyncEvent``, unique user + event id); sending it again returns the stored result.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from learning import offline, queries, services
from learning.models import Course, Enrolment, Lesson, SyncEvent, SyncKind

# Static files the course and lesson pages load: stored with the course so a stored page looks and works the
# same offline, whether or not the service worker has them.
PAGE_STATIC = ("css/site.css", "img/favicon.svg", "js/htmx.min.js", "js/site.js", "js/offline.js")
# A page's size is estimated without rendering it: the page around the text (head, header, footer, the script's
# strings), the outline (one row per lesson), then the lesson's rendered text, or the quiz's questions and options
# with their form controls. Calibrated on the demo courses' pages (tests/learning/test_offline_manifest.py keeps
# every estimate within 15% above and 10% below the page as served; measured: 5%).
# The page around the text, by interface language: Georgian letters take three bytes each in UTF-8, Latin ones one.
PAGE_BYTES = {"ka": {"course": 10_100, "lesson": 8_300}, "en": {"course": 7_250, "lesson": 6_100}}
OUTLINE_ROW_BYTES = 230
QUESTION_BYTES = 250
CHOICE_BYTES = 90

MAX_BODY_BYTES = 256 * 1024
MAX_EVENTS = 100
MAX_ANSWER_FIELDS = 100
MAX_VALUES_PER_FIELD = 50
MAX_VALUE_CHARS = 500
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")
_FIELD = re.compile(r"^q[0-9]{1,12}$")


# --- the manifest -----------------------------------------------------------------------------------


def _static_entry(name: str) -> dict:
    found = finders.find(name)
    size = 0
    if found:
        size = Path(found if isinstance(found, str) else found[0]).stat().st_size
    return {"url": static(name), "kind": "static", "size": size}


def _images(html: str) -> list[dict]:
    entries = []
    for match in offline.IMG_TAG.finditer(html):
        attrs = dict(offline._ATTR.findall(match.group(0)))
        src = attrs.get("src", "")
        local = offline._local_media(src)
        if local is not None and not src.startswith(("http://", "https://")):
            entries.append({"url": src, "kind": "image", "size": local.stat().st_size})
    return entries


def course_manifest(course: Course) -> dict:
    """What to keep on the phone for ``course``, in the current language (the pages' addresses carry it)."""
    lessons = list(
        Lesson.objects.filter(course=course)
        .select_related("module")
        .prefetch_related("attachments", "questions__choices")
        .order_by("module__position", "module_id", "position", "pk")
    )
    around = PAGE_BYTES["en" if get_language() == "en" else "ka"]
    outline = OUTLINE_ROW_BYTES * len(lessons)
    description = len(course.description.encode()) + len(course.summary.encode())
    entries = [
        {
            "url": course.get_absolute_url(),
            "kind": "page",
            "size": around["course"] + outline + description,
        }
    ]
    for lesson in lessons:
        lesson.course = course  # the content's cache key reads the course's version: no query per lesson
        content = queries.lesson_content(lesson)
        url = reverse("learning:lesson", args=[course.slug, lesson.slug])
        text = len(str(content.body).encode()) + len(str(content.transcript).encode())
        for question in lesson.questions.all() if lesson.is_quiz else ():
            text += QUESTION_BYTES + len(question.prompt.encode())
            text += sum(CHOICE_BYTES + len(choice.text.encode()) for choice in question.choices.all())
        entries.append(
            {
                "url": url,
                "kind": "quiz" if lesson.is_quiz else "page",
                "size": around["lesson"] + outline + text,
                "title": lesson.title,
            }
        )
        entries.extend(_images(str(content.body)))
        for item in content.attachments:
            entries.append(
                {
                    "url": reverse("learning:attachment", args=[course.slug, lesson.slug, item.pk]),
                    "kind": "attachment",
                    "size": item.size,
                }
            )
    entries.extend(_static_entry(name) for name in PAGE_STATIC)
    seen: set[str] = set()
    unique: list[dict] = []
    for entry in entries:  # each address once (an image used by two lessons), in reading order
        if entry["url"] not in seen:
            seen.add(entry["url"])
            unique.append(entry)
    # The version names the content: any change to a lesson, module or attachment moves outline_version
    # (learning.signals), a course edit moves updated_at, and a new deployment changes the static addresses.
    fingerprint = json.dumps(
        [course.pk, course.outline_version, course.updated_at.isoformat(), [e["url"] for e in unique]]
    )
    return {
        "course": course.slug,
        "title": course.title,
        "version": hashlib.sha256(fingerprint.encode()).hexdigest()[:16],
        "cache": f"civichub-course-{course.slug}",
        "files": unique,
        "total": sum(e["size"] for e in unique),
        "videos": _("Videos are not kept on the phone: they play only with a connection."),
    }


# --- the sync ---------------------------------------------------------------------------------------


class BatchError(Exception):
    """The batch as a whole cannot be read; nothing of it is applied."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Event:
    id: uuid.UUID
    kind: str
    course: str
    lesson: str
    answers: dict[str, list[str]]
    device_time: datetime | None


class _Refused(Exception):
    def __init__(self, result: dict):
        super().__init__(result.get("message", ""))
        self.result = result


def read_batch(body: bytes) -> list[dict | Event]:
    """The events of a request body; a problem (a dict) in place of each event that cannot be read."""
    if len(body) > MAX_BODY_BYTES:
        raise BatchError(_("Too much to send at once: send fewer steps in each batch."), status=413)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: "[[[[…" nested thousands deep
        raise BatchError(_("The steps sent are not readable (JSON expected).")) from None
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list) or not events:
        raise BatchError(_("No steps were sent."))
    if len(events) > MAX_EVENTS:
        raise BatchError(
            _("Too many steps at once: send at most %(count)s in each batch.") % {"count": MAX_EVENTS},
            status=413,
        )
    return [_read_event(raw) for raw in events]


def _problem(event_id, message: str) -> dict:
    return {"id": str(event_id) if event_id else None, "status": "invalid", "message": message}


def _read_event(raw) -> dict | Event:
    if not isinstance(raw, dict):
        return _problem(None, _("This step is not readable."))
    try:
        event_id = uuid.UUID(str(raw.get("id", ""))[:40])
    except ValueError:
        return _problem(None, _("This step has no valid id."))
    kind, course, lesson = raw.get("kind"), raw.get("course"), raw.get("lesson")
    if kind not in SyncKind.values:
        return _problem(event_id, _("This kind of step is not known."))
    if not (
        isinstance(course, str) and _SLUG.match(course) and isinstance(lesson, str) and _SLUG.match(lesson)
    ):
        return _problem(event_id, _("This step names no valid course and lesson."))
    device_time = None
    if raw.get("device_time") is not None:
        text = raw["device_time"]
        device_time = parse_datetime(text[:40]) if isinstance(text, str) else None
        if device_time is None:
            return _problem(event_id, _("The time of this step is not readable."))
        if timezone.is_naive(device_time):
            device_time = timezone.make_aware(device_time, UTC)
    answers: dict[str, list[str]] = {}
    if kind == SyncKind.QUIZ_ANSWERS:
        given = raw.get("answers")
        if not isinstance(given, dict) or len(given) > MAX_ANSWER_FIELDS:
            return _problem(event_id, _("The answers of this step are not readable."))
        for name, values in given.items():
            values = [values] if isinstance(values, str) else values
            if (
                not _FIELD.match(str(name))
                or not isinstance(values, list)
                or len(values) > MAX_VALUES_PER_FIELD
                or not all(isinstance(v, str) and len(v) <= MAX_VALUE_CHARS for v in values)
            ):
                return _problem(event_id, _("The answers of this step are not readable."))
            answers[name] = values
    return Event(event_id, kind, course, lesson, answers, device_time)


def _credential_url() -> str | None:
    try:
        return reverse("credentials:my_credentials")
    except NoReverseMatch:  # the credentials domain is switched off
        return None


def _feedback(attempt, *, reveal: bool) -> list[dict]:
    rows = []
    for row in services.quiz_review(attempt, reveal=reveal):
        rows.append(
            {
                "prompt": row["question"].prompt[:300],
                "correct": row["correct"],
                "feedback": [str(c["feedback"]) for c in row["choices"] if c["feedback"]],
                "explanation": row["question"].explanation if reveal else "",
            }
        )
    return rows


def _apply(user, event: Event, lesson: Lesson) -> dict:
    result: dict[str, object]
    base: dict[str, object] = {
        "id": str(event.id),
        "kind": event.kind,
        "course": lesson.course.slug,
        "lesson": lesson.slug,
        "lesson_title": lesson.title,
    }
    # One learner's steps in one course are applied one after another (the enrolment row is the lock), so
    # two different offline attempts of one quiz sent at once get two numbers.
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course_id=lesson.course_id).first()
    if enrolment is None or not enrolment.active:
        raise _Refused({**base, "status": "refused", "message": _("Enrol in the course first.")})
    try:
        if event.kind == SyncKind.LESSON_DONE:
            completed = services.mark_lesson_complete(user=user, lesson=lesson)
            result = {**base, "status": "applied", "message": _("Lesson marked as done.")}
        else:
            number = services.attempts_used(user=user, lesson=lesson) + 1
            submission = services.submit_quiz(
                user=user, lesson=lesson, data=event.answers, attempt_number=number
            )
            if submission.attempt is None:
                raise _Refused(
                    {
                        **base,
                        "status": "refused",
                        "message": submission.form_error,
                        "errors": {str(k): v for k, v in submission.errors.items()},
                    }
                )
            attempt = submission.attempt
            left = max(lesson.max_attempts - number, 0) if lesson.max_attempts else None
            reveal = attempt.passed or left == 0 or lesson.attempts.filter(user=user, passed=True).exists()
            completed = submission.completed_course
            result = {
                **base,
                "status": "applied",
                "message": _("You passed with %(score)s%%.") % {"score": attempt.score}
                if attempt.passed
                else _("You scored %(score)s%%. You need %(needed)s%% to pass.")
                % {"score": attempt.score, "needed": lesson.pass_score},
                "attempt": attempt.number,
                "attempts_left": left,
                "score": attempt.score,
                "passed": attempt.passed,
                "attempt_url": reverse("learning:attempt", args=[lesson.course.slug, lesson.slug, number]),
                "feedback": _feedback(attempt, reveal=reveal),
            }
    except services.LearningError as error:
        raise _Refused({**base, "status": "refused", "message": str(error.message)}) from None
    course_complete = completed or enrolment.completed_at is not None  # read under the lock, before this step
    result["course_completed"] = completed
    result["course_complete"] = course_complete
    result["credential_url"] = _credential_url() if course_complete else None
    if completed:
        congratulations = _("Congratulations! You have completed the course.")
        result["message"] = f"{result['message']} {congratulations}"
    return result


def sync(*, user, events: list[dict | Event]) -> list[dict]:
    """Apply each event once, in the order sent; one result per event, in the same order."""
    readable = [e for e in events if isinstance(e, Event)]
    stored = {
        row.event_id: row.result
        for row in SyncEvent.objects.filter(user=user, event_id__in=[e.id for e in readable])
    }
    pairs = {(e.course, e.lesson) for e in readable if e.id not in stored}
    lessons: dict[tuple[str, str], Lesson] = {}
    if pairs:
        query = Q()
        for course_slug, lesson_slug in pairs:
            query |= Q(course__slug=course_slug, slug=lesson_slug)
        for lesson in Lesson.objects.filter(query, course__published=True).select_related("course", "module"):
            lessons[(lesson.course.slug, lesson.slug)] = lesson
    results = []
    for event in events:
        if not isinstance(event, Event):
            results.append(event)
            continue
        if event.id in stored:
            results.append({**stored[event.id], "replayed": True})
            continue
        found = lessons.get((event.course, event.lesson))
        if found is None:
            results.append(
                {
                    "id": str(event.id),
                    "status": "refused",
                    "message": _("This course or lesson was not found."),
                }
            )
            continue
        results.append(_apply_once(user, event, found))
        stored_now = results[-1]
        if stored_now.get("status") == "applied":
            stored[event.id] = {k: v for k, v in stored_now.items() if k != "replayed"}
    return results


def _apply_once(user, event: Event, lesson: Lesson) -> dict:
    try:
        with transaction.atomic():
            try:
                # The claim comes first: a second send of the same event (also a concurrent one, which waits
                # here for the first to commit) fails on the unique constraint and reads the stored result.
                with transaction.atomic():
                    row = SyncEvent.objects.create(
                        user=user,
                        event_id=event.id,
                        kind=event.kind,
                        lesson=lesson,
                        device_time=event.device_time,
                    )
            except IntegrityError:
                return {**SyncEvent.objects.get(user=user, event_id=event.id).result, "replayed": True}
            result = _apply(user, event, lesson)
            row.result = result
            row.save(update_fields=["result"])
            return result
    except _Refused as refused:  # nothing of the step is kept, the claim included
        return refused.result
