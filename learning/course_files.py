"""A course as a folder of plain-text files (see README.md, "Course folders").

    <course-slug>/
      course.md                  header lines "key: value", a line "---", then the description (Markdown)
      01-<module>/               one folder per module, in name order
        module.md                title: ...
        01-<lesson>.md           a reading lesson: header, "---", Markdown body, optional "=== transcript" part
        02-<quiz>.quiz           a quiz: header, "---", introduction, then "=== question <kind>" blocks
        files/<name>             attachments named by "attachment: <name> | <title>" header lines

In a quiz, ``prompt:``, ``feedback:`` and ``explanation:`` may span several lines: write ``key: |`` and
indent the following lines by two spaces (blank lines inside are kept; the value ends at the first line
that is not indented). One-line values are written as before, so older folders read unchanged.

``read_course_folder`` parses and checks everything first and raises :class:`CourseFolderError` listing
every problem as "file:line: message"; ``import_course`` then writes in one transaction, so an invalid
folder changes nothing. ``export_course`` writes the same format; export then import reproduces the course.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from core.api import validate_upload
from learning import services
from learning.models import (
    Attachment,
    Choice,
    Course,
    Language,
    Lesson,
    LessonKind,
    Level,
    Module,
    Question,
    QuestionKind,
    Topic,
    video_embed_url,
)

SEPARATOR = "---"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEY = re.compile(r"^([a-z_]+\*?):\s?(.*)$")
YES, NO = "yes", "no"
BLOCK = "|"  # "key: |" starts a multi-line value
INDENT = "  "  # ...whose lines are indented by two spaces
MULTILINE_KEYS = {"prompt", "feedback", "explanation"}
# Longest texts the database takes (Question.prompt/explanation, Choice.text/feedback).
MAX_LENGTHS = {"prompt": 2000, "explanation": 2000, "choice": 500, "feedback": 1000}


class CourseFolderError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ChoiceData:
    text: str
    is_correct: bool
    feedback: str = ""


@dataclass
class QuestionData:
    kind: str
    prompt: str = ""
    points: int = 1
    explanation: str = ""
    choices: list[ChoiceData] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    tolerance: Decimal = Decimal("0")
    line: int = 0


@dataclass
class LessonData:
    slug: str
    title: str
    kind: str
    body: str = ""
    required: bool = True
    video_url: str = ""
    transcript: str = ""
    pass_score: int = 70
    max_attempts: int = 3
    shuffle: bool = False
    attachments: list[tuple[Path, str]] = field(default_factory=list)
    questions: list[QuestionData] = field(default_factory=list)


@dataclass
class ModuleData:
    title: str
    lessons: list[LessonData] = field(default_factory=list)


@dataclass
class CourseData:
    slug: str
    title: str
    summary: str
    description: str
    language: str
    level: str
    hours: int
    instructors: str
    published: bool
    topics: list[tuple[str, str]]
    prerequisites: list[str]
    modules: list[ModuleData]


class _Reader:
    def __init__(self, root: Path):
        self.root = root
        self.errors: list[str] = []

    def error(self, path: Path, line: int, message: str) -> None:
        self.errors.append(f"{path.relative_to(self.root.parent)}:{line}: {message}")

    def read(self, path: Path) -> list[str] | None:
        try:
            return path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
        except UnicodeDecodeError:
            self.error(path, 1, "not UTF-8 text")
        except OSError as error:
            self.error(path, 1, f"cannot read ({error.strerror})")
        return None

    def header(self, path: Path, lines: list[str]) -> tuple[list[tuple[int, str, str]], int]:
        """Header entries (line number, key, value) up to the '---' line; returns them and the body start."""
        entries: list[tuple[int, str, str]] = []
        for index, line in enumerate(lines):
            if line.strip() == SEPARATOR:
                return entries, index + 1
            if not line.strip() or line.startswith("#"):
                continue
            match = _KEY.match(line)
            if not match:
                self.error(path, index + 1, f'expected "key: value", found {line[:60]!r}')
                continue
            entries.append((index + 1, match.group(1), match.group(2).strip()))
        return entries, len(lines)

    def single(self, path, entries, allowed: set[str], required: set[str]) -> dict[str, tuple[int, str]]:
        values: dict[str, tuple[int, str]] = {}
        repeatable = {"topic", "prerequisite", "attachment"}
        for line, key, value in entries:
            if key not in allowed:
                self.error(path, line, f'unknown key "{key}" (allowed: {", ".join(sorted(allowed))})')
            elif key in values and key not in repeatable:
                self.error(path, line, f'"{key}" is given twice')
            else:
                values.setdefault(key, (line, value))
        for key in sorted(required - set(values)):
            self.error(path, 1, f'"{key}" is missing')
        return values

    def boolean(self, path, values, key, default: bool) -> bool:
        if key not in values:
            return default
        line, value = values[key]
        if value not in (YES, NO):
            self.error(path, line, f'"{key}" must be yes or no')
            return default
        return value == YES

    def integer(self, path, values, key, default: int, low: int, high: int) -> int:
        if key not in values:
            return default
        line, value = values[key]
        if not value.isdigit() or not low <= int(value) <= high:
            self.error(path, line, f'"{key}" must be a whole number from {low} to {high}')
            return default
        return int(value)

    def text(self, path, values, key, *, max_length: int) -> str:
        line, value = values.get(key, (1, ""))
        if len(value) > max_length:
            self.error(path, line, f'"{key}" is longer than {max_length} characters')
        return value


def _body(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")


def _split_sections(lines: list[str], start: int) -> list[tuple[int, str, list[str]]]:
    """Split at "=== name" lines: [(line number, name, lines)], the first named "" (the body)."""
    sections: list[tuple[int, str, list[str]]] = [(start + 1, "", [])]
    for index in range(start, len(lines)):
        line = lines[index]
        if line.startswith("=== "):
            sections.append((index + 1, line[4:].strip(), []))
        else:
            sections[-1][2].append(line)
    return sections


def read_course_folder(folder) -> CourseData:
    root = Path(folder).resolve()
    reader = _Reader(root)
    course_file = root / "course.md"
    if not course_file.is_file():
        raise CourseFolderError([f"{root.name}/course.md:1: file missing (every course folder needs one)"])
    lines = reader.read(course_file) or []
    entries, start = reader.header(course_file, lines)
    allowed = {
        "title",
        "slug",
        "language",
        "level",
        "hours",
        "summary",
        "instructors",
        "topic",
        "prerequisite",
        "published",
    }
    values = reader.single(course_file, entries, allowed, {"title", "slug", "summary", "language"})
    slug = values.get("slug", (1, ""))[1]
    if "slug" in values and not _SLUG.match(slug):
        reader.error(course_file, values["slug"][0], "slug: use lower-case Latin letters, digits and hyphens")
    for key, choices in (("language", Language.values), ("level", Level.values)):
        if key in values and values[key][1] not in choices:
            reader.error(course_file, values[key][0], f'"{key}" must be one of: {", ".join(choices)}')
    topics, prerequisites = [], []
    for line, key, value in entries:
        if key == "topic":
            topic_slug, _bar, name = (part.strip() for part in value.partition("|"))
            if not _SLUG.match(topic_slug) or not name:
                reader.error(course_file, line, 'topic: write "slug | name"')
            topics.append((topic_slug, name))
        elif key == "prerequisite":
            prerequisites.append(value)
    course = CourseData(
        slug=slug,
        title=reader.text(course_file, values, "title", max_length=200),
        summary=reader.text(course_file, values, "summary", max_length=600),
        description=_body(lines[start:]),
        language=values.get("language", (1, "ka"))[1],
        level=values.get("level", (1, Level.BEGINNER))[1],
        hours=reader.integer(course_file, values, "hours", 1, 1, 500),
        instructors=reader.text(course_file, values, "instructors", max_length=300),
        published=reader.boolean(course_file, values, "published", False),
        topics=topics,
        prerequisites=prerequisites,
        modules=[],
    )
    module_dirs = sorted(p for p in root.iterdir() if p.is_dir())
    if not module_dirs:
        reader.error(course_file, 1, "the course has no module folder")
    seen_slugs: dict[str, Path] = {}
    for module_dir in module_dirs:
        module_file = module_dir / "module.md"
        if not module_file.is_file():
            reader.errors.append(f"{module_dir.relative_to(root.parent)}/module.md:1: file missing")
            continue
        mlines = reader.read(module_file) or []
        mentries, _start = reader.header(module_file, mlines + [SEPARATOR])
        mvalues = reader.single(module_file, mentries, {"title"}, {"title"})
        module = ModuleData(title=reader.text(module_file, mvalues, "title", max_length=200))
        for path in sorted(module_dir.iterdir()):
            if path.is_dir() or path.name == "module.md":
                continue
            if path.suffix not in (".md", ".quiz"):
                reader.errors.append(
                    f"{path.relative_to(root.parent)}:1: unexpected file (lessons end in .md, quizzes in .quiz)"
                )
                continue
            lesson = _read_lesson(reader, path, module_dir)
            if lesson is None:
                continue
            if lesson.slug in seen_slugs:
                reader.error(
                    path, 1, f'slug "{lesson.slug}" is already used by {seen_slugs[lesson.slug].name}'
                )
            seen_slugs[lesson.slug] = path
            module.lessons.append(lesson)
        if not module.lessons:
            reader.error(module_file, 1, "the module has no lesson")
        course.modules.append(module)
    if reader.errors:
        raise CourseFolderError(reader.errors)
    return course


def _read_lesson(reader: _Reader, path: Path, module_dir: Path) -> LessonData | None:
    lines = reader.read(path)
    if lines is None:
        return None
    is_quiz = path.suffix == ".quiz"
    entries, start = reader.header(path, lines)
    allowed = {"title", "slug", "required", "video", "attachment"} | (
        {"pass_score", "max_attempts", "shuffle"} if is_quiz else set()
    )
    values = reader.single(path, entries, allowed, {"title", "slug"})
    slug = values.get("slug", (1, ""))[1]
    if "slug" in values and not _SLUG.match(slug):
        reader.error(path, values["slug"][0], "slug: use lower-case Latin letters, digits and hyphens")
    lesson = LessonData(
        slug=slug,
        title=reader.text(path, values, "title", max_length=200),
        kind=LessonKind.QUIZ if is_quiz else LessonKind.TEXT,
        required=reader.boolean(path, values, "required", True),
        video_url=values.get("video", (1, ""))[1],
    )
    if lesson.video_url and video_embed_url(lesson.video_url) is None:
        reader.error(path, values["video"][0], "video: give a YouTube or Vimeo address (https://...)")
    for line, key, value in entries:
        if key == "attachment":
            name, _bar, title = (part.strip() for part in value.partition("|"))
            file_path = module_dir / "files" / name
            if "/" in name or "\\" in name or not file_path.is_file():
                reader.error(path, line, f'attachment: no file "files/{name}" in {module_dir.name}')
                continue
            lesson.attachments.append((file_path, title or name))
    sections = _split_sections(lines, start)
    lesson.body = _body(sections[0][2])
    if is_quiz:
        lesson.pass_score = reader.integer(path, values, "pass_score", 70, 1, 100)
        lesson.max_attempts = reader.integer(path, values, "max_attempts", 3, 0, 100)
        lesson.shuffle = reader.boolean(path, values, "shuffle", False)
        for line, name, body in sections[1:]:
            question = _read_question(reader, path, line, name, body)
            if question is not None:
                lesson.questions.append(question)
        if not lesson.questions:
            reader.error(path, 1, "the quiz has no question (add '=== question single' blocks)")
    else:
        for line, name, body in sections[1:]:
            if name != "transcript":
                reader.error(path, line, f'unknown part "=== {name}" (a lesson may have "=== transcript")')
            else:
                lesson.transcript = _body(body)
    return lesson


def _indented_block(body: list[str], index: int) -> tuple[list[str], int]:
    """The lines of a "key: |" value from ``body[index]`` on, without their indent, and where it ends.

    Lines indented by two spaces belong to the value; blank lines do too when more indented lines follow
    (a paragraph break). The first other line ends it; blank lines before that line are not part of it.
    """
    lines: list[str] = []
    end = index
    for position in range(index, len(body)):
        text = body[position]
        if text.startswith(INDENT):
            lines.append(text[len(INDENT) :])
            end = position + 1
        elif text.strip():
            break
        else:
            lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    return lines, end


def _read_question(reader: _Reader, path: Path, line: int, name: str, body: list[str]) -> QuestionData | None:
    parts = name.split()
    if len(parts) != 2 or parts[0] != "question" or parts[1] not in QuestionKind.values:
        reader.error(path, line, f'expected "=== question <{"|".join(QuestionKind.values)}>"')
        return None
    question = QuestionData(kind=parts[1], line=line)
    index = 0
    while index < len(body):
        text = body[index]
        index += 1
        number = line + index
        if not text.strip():
            continue
        match = _KEY.match(text)
        if not match:
            hint = (
                f' (only {", ".join(sorted(MULTILINE_KEYS))} may continue on indented lines after "key: |")'
                if text.startswith(" ")
                else ""
            )
            reader.error(path, number, f'expected "key: value", found {text[:60]!r}{hint}')
            continue
        key, value = match.group(1), match.group(2).strip()
        if key in MULTILINE_KEYS and value == BLOCK:
            lines, index = _indented_block(body, index)
            if lines:  # "key: |" with nothing indented below keeps its old meaning: the text "|"
                value = "\n".join(lines)
        limit = MAX_LENGTHS.get(key.rstrip("*"))
        if limit and len(value) > limit:
            reader.error(path, number, f'"{key.rstrip("*")}" is longer than {limit} characters')
        if key in ("choice", "choice*"):
            question.choices.append(ChoiceData(text=value, is_correct=key == "choice*"))
        elif key == "feedback":
            if not question.choices:
                reader.error(path, number, "feedback must follow a choice")
            else:
                question.choices[-1].feedback = value
        elif key == "prompt":
            question.prompt = value
        elif key == "explanation":
            question.explanation = value
        elif key == "answer":
            question.answers.append(value)
        elif key == "points":
            if not value.isdigit() or not 1 <= int(value) <= 100:
                reader.error(path, number, '"points" must be a whole number from 1 to 100')
            else:
                question.points = int(value)
        elif key == "tolerance":
            try:
                question.tolerance = Decimal(value.replace(",", "."))
            except InvalidOperation:
                reader.error(path, number, '"tolerance" must be a number')
        else:
            reader.error(path, number, f'unknown key "{key}" in a question')
    kind = question.kind
    if not question.prompt:
        reader.error(path, line, "the question has no prompt")
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        correct = sum(c.is_correct for c in question.choices)
        if len(question.choices) < 2:
            reader.error(path, line, "a choice question needs at least two choices")
        if kind == QuestionKind.SINGLE and correct != 1:
            reader.error(
                path, line, 'a single-choice question needs exactly one "choice*:" (the correct one)'
            )
        if kind == QuestionKind.MULTIPLE and correct < 1:
            reader.error(path, line, 'a multiple-choice question needs at least one "choice*:"')
    elif question.choices:
        reader.error(path, line, f"a {kind} question has no choices")
    if kind == QuestionKind.TRUE_FALSE and question.answers not in (["true"], ["false"]):
        reader.error(path, line, 'a true_false question needs "answer: true" or "answer: false"')
    if kind == QuestionKind.NUMERIC:
        try:
            if len(question.answers) != 1:
                raise InvalidOperation
            Decimal(question.answers[0].replace(",", "."))
        except InvalidOperation:
            reader.error(path, line, 'a numeric question needs one "answer: <number>"')
    if kind == QuestionKind.TEXT and not question.answers:
        reader.error(path, line, 'a text question needs at least one "answer:"')
    return question


# --- writing to the database ------------------------------------------------------------------------


def import_course(folder) -> tuple[Course, bool]:
    """Create or update the course described by ``folder``. Returns (course, created). All or nothing."""
    data = read_course_folder(folder)
    missing = [slug for slug in data.prerequisites if not Course.objects.filter(slug=slug).exists()]
    if missing:
        raise CourseFolderError(
            [
                f"{Path(folder).resolve().name}/course.md:1: prerequisite course not found: {', '.join(missing)}"
            ]
        )
    for module in data.modules:
        for lesson in module.lessons:
            for file_path, _title in lesson.attachments:
                with file_path.open("rb") as handle:
                    try:
                        validate_upload(File(handle, name=file_path.name), kinds=services.ATTACHMENT_KINDS)
                    except ValidationError as error:
                        raise CourseFolderError([f"{file_path}:1: {' '.join(error.messages)}"]) from None
    with transaction.atomic():
        course, created = _write(data)
        services.course_saved(course=course, created=created)
    return course, created


def _write(data: CourseData) -> tuple[Course, bool]:
    course = Course.objects.filter(slug=data.slug).first()
    created = course is None
    course = course or Course(slug=data.slug)
    for attr, value in (
        ("title", data.title),
        ("summary", data.summary),
        ("description", data.description),
        ("language", data.language),
        ("level", data.level),
        ("estimated_hours", data.hours),
        ("instructors", data.instructors),
        ("published", data.published),
    ):
        setattr(course, attr, value)
    course.full_clean(exclude=["topics", "prerequisites"], validate_unique=False)
    course.save()
    topics = []
    for slug, name in data.topics:
        topic, _ = Topic.objects.get_or_create(slug=slug, defaults={"name": name})
        if topic.name != name:
            topic.name = name
            topic.save(update_fields=["name"])
        topics.append(topic)
    course.topics.set(topics)
    course.prerequisites.set(Course.objects.filter(slug__in=data.prerequisites))

    # Lessons are matched by slug so learners' progress on them survives a re-import.
    existing = {lesson.slug: lesson for lesson in Lesson.objects.filter(course=course)}
    old_modules = list(Module.objects.filter(course=course).order_by("position", "pk"))
    kept_slugs = set()
    for position, module_data in enumerate(data.modules, start=1):
        module = old_modules[position - 1] if position <= len(old_modules) else Module(course=course)
        module.title, module.position = module_data.title, position
        module.save()
        for lesson_position, item in enumerate(module_data.lessons, start=1):
            lesson = existing.get(item.slug) or Lesson(slug=item.slug)
            lesson.module, lesson.course = module, course
            for attr in (
                "title",
                "kind",
                "body",
                "required",
                "video_url",
                "transcript",
                "pass_score",
                "max_attempts",
                "shuffle",
            ):
                setattr(lesson, attr, getattr(item, attr))
            lesson.position = lesson_position
            lesson.save()
            kept_slugs.add(item.slug)
            lesson.questions.all().delete()
            for q_position, q in enumerate(item.questions, start=1):
                question = Question.objects.create(
                    lesson=lesson,
                    kind=q.kind,
                    prompt=q.prompt,
                    explanation=q.explanation,
                    position=q_position,
                    points=q.points,
                    tolerance=q.tolerance,
                    correct_bool=(q.answers == ["true"]) if q.kind == QuestionKind.TRUE_FALSE else None,
                    numeric_answer=Decimal(q.answers[0].replace(",", "."))
                    if q.kind == QuestionKind.NUMERIC
                    else None,
                    accepted_answers="\n".join(q.answers) if q.kind == QuestionKind.TEXT else "",
                )
                Choice.objects.bulk_create(
                    Choice(
                        question=question,
                        text=c.text,
                        is_correct=c.is_correct,
                        feedback=c.feedback,
                        position=i,
                    )
                    for i, c in enumerate(q.choices, start=1)
                )
            for old in lesson.attachments.all():
                old.file.delete(save=False)
                old.delete()
            for a_position, (file_path, title) in enumerate(item.attachments, start=1):
                with file_path.open("rb") as handle:
                    attachment = Attachment(
                        lesson=lesson, title=title, position=a_position, size=file_path.stat().st_size
                    )
                    attachment.file.save(file_path.name, File(handle), save=False)
                    attachment.save()
    Lesson.objects.filter(course=course).exclude(slug__in=kept_slugs).delete()
    Module.objects.filter(course=course, position__gt=len(data.modules)).delete()
    return course, created


# --- export -----------------------------------------------------------------------------------------


def _yes(value: bool) -> str:
    return YES if value else NO


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def export_course(course: Course, folder) -> Path:
    """Write ``course`` as ``folder/<slug>/``; returns that path. An existing folder is replaced."""
    target = Path(folder) / course.slug
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    header = [
        f"title: {course.title}",
        f"slug: {course.slug}",
        f"language: {course.language}",
        f"level: {course.level}",
        f"hours: {course.estimated_hours}",
        f"summary: {course.summary}",
    ]
    if course.instructors:
        header.append(f"instructors: {course.instructors}")
    header += [f"topic: {t.slug} | {t.name}" for t in course.topics.order_by("slug")]
    header += [f"prerequisite: {c.slug}" for c in course.prerequisites.order_by("slug")]
    header.append(f"published: {_yes(course.published)}")
    _write_text(target / "course.md", header, course.description)
    modules = (
        Module.objects.filter(course=course)
        .order_by("position", "pk")
        .prefetch_related("lessons__questions__choices", "lessons__attachments")
    )
    for m_index, module in enumerate(modules, start=1):
        module_dir = target / f"{m_index:02d}-module"
        module_dir.mkdir()
        (module_dir / "module.md").write_text(f"title: {module.title}\n", encoding="utf-8")
        lessons = sorted(module.lessons.all(), key=lambda lesson: (lesson.position, lesson.pk))
        for l_index, lesson in enumerate(lessons, start=1):
            head = [f"title: {lesson.title}", f"slug: {lesson.slug}"]
            if not lesson.required:
                head.append("required: no")
            if lesson.video_url:
                head.append(f"video: {lesson.video_url}")
            for attachment in sorted(lesson.attachments.all(), key=lambda a: (a.position, a.pk)):
                name = Path(attachment.file.name or "file").name
                (module_dir / "files").mkdir(exist_ok=True)
                with attachment.file.open("rb") as source, (module_dir / "files" / name).open("wb") as out:
                    shutil.copyfileobj(source, out)
                head.append(f"attachment: {name} | {attachment.title}")
            body = lesson.body
            if lesson.is_quiz:
                head += [
                    f"pass_score: {lesson.pass_score}",
                    f"max_attempts: {lesson.max_attempts}",
                    f"shuffle: {_yes(lesson.shuffle)}",
                ]
                blocks = [body] if body else []
                for question in sorted(lesson.questions.all(), key=lambda q: (q.position, q.pk)):
                    blocks.append(_question_block(question))
                _write_text(module_dir / f"{l_index:02d}-{lesson.slug}.quiz", head, "\n\n".join(blocks))
            else:
                if lesson.transcript:
                    body = f"{body}\n\n=== transcript\n{lesson.transcript}"
                _write_text(module_dir / f"{l_index:02d}-{lesson.slug}.md", head, body)
    return target


def _entry(key: str, value: str) -> list[str]:
    """``key: value``, or for a text of several lines ``key: |`` and the lines indented by two spaces."""
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if "\n" not in text:
        return [f"{key}: {text}"]
    return [f"{key}: {BLOCK}"] + [f"{INDENT}{line}" if line else "" for line in text.split("\n")]


def _question_block(question: Question) -> str:
    lines = [f"=== question {question.kind}", *_entry("prompt", question.prompt)]
    if question.points != 1:
        lines.append(f"points: {question.points}")
    for choice in sorted(question.choices.all(), key=lambda c: (c.position, c.pk)):
        lines.append(f"{'choice*' if choice.is_correct else 'choice'}: {choice.text}")
        if choice.feedback:
            lines += _entry("feedback", choice.feedback)
    if question.kind == QuestionKind.TRUE_FALSE:
        lines.append(f"answer: {'true' if question.correct_bool else 'false'}")
    elif question.kind == QuestionKind.NUMERIC and question.numeric_answer is not None:
        lines.append(f"answer: {_number(question.numeric_answer)}")
        if question.tolerance:
            lines.append(f"tolerance: {_number(question.tolerance)}")
    elif question.kind == QuestionKind.TEXT:
        lines += [f"answer: {a}" for a in question.accepted_answers.splitlines() if a.strip()]
    if question.explanation:
        lines += _entry("explanation", question.explanation)
    return "\n".join(lines)


def _write_text(path: Path, header: list[str], body: str) -> None:
    text = "\n".join(header) + f"\n{SEPARATOR}\n"
    if body:
        text += body.strip("\n") + "\n"
    path.write_text(text, encoding="utf-8")
