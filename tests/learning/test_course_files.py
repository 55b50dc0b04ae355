import filecmp
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from learning import api, services
from learning.course_files import CourseFolderError, export_course, import_course, read_course_folder
from learning.models import Course, Lesson, LessonProgress, Question
from tests.learning.builders import make_course

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _same_tree(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files:
        return False
    return all(_same_tree(a / d, b / d) for d in cmp.common_dirs)


def _rich_course():
    course = make_course(
        slug="rich", topics=["finance"], instructors="ნინო, გიორგი", description="## აღწერა\n\nტექსტი"
    )
    lesson = Lesson.objects.get(course=course, slug="lesson-1")
    lesson.video_url = "https://vimeo.com/123456"
    lesson.transcript = "ტრანსკრიპტი"
    lesson.required = False
    lesson.save()
    services.add_attachment(lesson=lesson, upload=SimpleUploadedFile("slides.pdf", PDF), title="სლაიდები")
    return course


def test_export_then_import_reproduces_the_course_exactly(tmp_path):
    course = _rich_course()
    first = export_course(course, tmp_path / "one")
    Course.objects.all().delete()
    imported, created = import_course(first)
    assert created is True
    second = export_course(imported, tmp_path / "two")
    assert _same_tree(first, second)
    lesson = Lesson.objects.get(course=imported, slug="lesson-1")
    assert (lesson.video_url, lesson.transcript, lesson.required) == (
        "https://vimeo.com/123456",
        "ტრანსკრიპტი",
        False,
    )
    assert lesson.attachments.get().file.read() == PDF
    quiz = Lesson.objects.get(course=imported, slug="quiz")
    assert [q.kind for q in quiz.questions.all()] == ["single", "true_false", "numeric", "text", "multiple"]
    assert quiz.questions.get(kind="text").accepted_answers == "თბილისი\nTbilisi"


def test_import_tells_other_domains_about_a_new_course_only_once(tmp_path):
    heard = []
    api.register_course_listener(lambda *, course: heard.append(course.slug))
    try:
        folder = export_course(_rich_course(), tmp_path)
        Course.objects.all().delete()
        import_course(folder)
        import_course(folder)
    finally:
        services._course_listeners.clear()
    assert heard == ["rich"]


def test_reimport_keeps_learners_progress_on_lessons_that_remain(tmp_path, learner):
    course = _rich_course()
    services.enrol(user=learner, course=course)
    services.mark_lesson_complete(user=learner, lesson=Lesson.objects.get(course=course, slug="lesson-2"))
    folder = export_course(course, tmp_path)
    import_course(folder)
    assert LessonProgress.objects.filter(user=learner, lesson__slug="lesson-2").count() == 1


def test_invalid_folder_names_file_and_line_and_changes_nothing(tmp_path):
    course = _rich_course()
    folder = export_course(course, tmp_path)
    quiz_file = next(folder.glob("*/*.quiz"))
    text = (
        quiz_file.read_text(encoding="utf-8")
        .replace("answer: true", "answer: perhaps")
        .replace("pass_score: 60", "pass_score: 600")
    )
    quiz_file.write_text(text, encoding="utf-8")
    (folder / "course.md").write_text(
        (folder / "course.md")
        .read_text(encoding="utf-8")
        .replace("level: beginner", "level: expert\ncolour: blue"),
        encoding="utf-8",
    )
    Lesson.objects.filter(course=course, slug="lesson-1").update(title="შეცვლილი")
    before = Question.objects.count()
    with pytest.raises(CourseFolderError) as error:
        import_course(folder)
    messages = error.value.errors
    lines = quiz_file.read_text(encoding="utf-8").split("\n")
    tf_line = next(i for i, line in enumerate(lines, 1) if line == "=== question true_false")
    ps_line = next(i for i, line in enumerate(lines, 1) if line.startswith("pass_score"))
    assert 'rich/course.md:4: "level" must be one of: beginner, intermediate, advanced' in messages
    assert any(m.startswith('rich/course.md:5: unknown key "colour"') for m in messages)
    assert (
        f'rich/01-module/{quiz_file.name}:{ps_line}: "pass_score" must be a whole number from 1 to 100'
        in messages
    )
    assert any(
        m.startswith(f"rich/01-module/{quiz_file.name}:{tf_line}: a true_false question") for m in messages
    )
    assert Lesson.objects.get(course=course, slug="lesson-1").title == "შეცვლილი"
    assert Question.objects.count() == before


def test_missing_course_file_and_broken_question_are_reported(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CourseFolderError) as error:
        read_course_folder(empty)
    assert error.value.errors == ["empty/course.md:1: file missing (every course folder needs one)"]


def test_import_command_reports_errors_and_export_command_writes_the_folder(tmp_path):
    course = _rich_course()
    call_command("export_course", course.slug, str(tmp_path))
    assert (tmp_path / "rich" / "course.md").read_text(encoding="utf-8").startswith("title: ")
    (tmp_path / "rich" / "course.md").write_text("title: x\n---\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_course", str(tmp_path / "rich"))
    assert "nothing was changed" in str(error.value) and 'rich/course.md:1: "slug" is missing' in str(
        error.value
    )


def test_demo_courses_load_once_and_meet_the_content_bar():
    from learning import demo
    from learning.models import Module

    demo.seed()
    demo.seed()
    slugs = sorted(Course.objects.values_list("slug", flat=True))
    assert len(slugs) == len({p.name for p in demo.DEMO_DIR.iterdir() if p.is_dir()})
    for course in Course.objects.all():
        assert Module.objects.filter(course=course).count() >= 2
        reading = Lesson.objects.filter(course=course, kind="text")
        assert reading.count() >= 4, course.slug
        short = [lesson.slug for lesson in reading if len(lesson.body.split()) < 150]
        assert not short, (course.slug, short)
        questions = Question.objects.filter(lesson__course=course)
        assert questions.count() >= 5, course.slug
        assert len({q.kind for q in questions}) >= 4, course.slug  # a mix of question types
        for question in questions.filter(kind__in=["single", "multiple"]).prefetch_related("choices"):
            assert all(c.feedback for c in question.choices.all()), (course.slug, question.prompt)
    assert {"public-finance", "research-methods", "advocacy-and-lobbying", "public-policy-analysis"} <= set(
        slugs
    )
    assert Course.objects.filter(language="ka").count() >= 4 and Course.objects.filter(language="en").exists()


@pytest.mark.parametrize(
    "folder",
    sorted(
        p.name
        for p in Path(__file__).resolve().parents[2].joinpath("learning", "demo_courses").iterdir()
        if p.is_dir()
    ),
)
def test_each_demo_course_folder_is_in_the_exact_export_format(tmp_path, folder):
    """Importing a demo folder and exporting it again gives the same bytes, so the folders stay canonical."""
    from learning import demo

    source = demo.DEMO_DIR / folder
    course, _created = import_course(source)
    assert course.slug == folder
    assert _same_tree(source, export_course(course, tmp_path))


def test_every_demo_course_can_be_completed_with_its_own_answer_key(learner):
    """The keys in the demo quizzes grade as correct (numbers, Georgian short answers) and complete the course."""
    from learning import demo
    from tests.learning.builders import answers

    demo.seed()
    for course in Course.objects.all():
        services.enrol(user=learner, course=course)
        for lesson in Lesson.objects.filter(course=course, kind="text"):
            services.mark_lesson_complete(user=learner, lesson=lesson)
        for quiz in Lesson.objects.filter(course=course, kind="quiz"):
            wrong = services.submit_quiz(
                user=learner, lesson=quiz, data=answers(quiz, correct=False), attempt_number=1
            )
            assert wrong.attempt.score == 0 and not wrong.attempt.passed, quiz.title
            right = services.submit_quiz(user=learner, lesson=quiz, data=answers(quiz), attempt_number=2)
            assert right.attempt.score == 100 and right.attempt.passed, quiz.title
        assert api.is_completed(user=learner, course=course), course.slug
