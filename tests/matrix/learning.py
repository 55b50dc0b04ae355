from django.core.files.uploadedfile import SimpleUploadedFile

from learning import services
from learning.models import Lesson
from tests.learning.builders import answers, make_course
from tests.matrix import PUBLIC, SIGNED_IN, Row, expect

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build(world):
    world.course = make_course(slug="matrix-course")
    world.hidden = make_course(slug="matrix-hidden", published=False)
    services.enrol(user=world.learner, course=world.course)
    quiz = Lesson.objects.get(course=world.course, slug="quiz")
    services.submit_quiz(user=world.learner, lesson=quiz, data=answers(quiz, correct=False), attempt_number=1)
    lesson = Lesson.objects.get(course=world.course, slug="lesson-1")
    world.attachment = services.add_attachment(
        lesson=lesson,
        upload=SimpleUploadedFile("slides.pdf", PDF, content_type="application/pdf"),
        title="Slides",
    )


def _course(world):
    return [world.course.slug]


def _hidden(world):
    return [world.hidden.slug]


def _lesson(world):
    return [world.course.slug, "lesson-1"]


def _hidden_lesson(world):
    return [world.hidden.slug, "lesson-1"]


def _quiz(world):
    return [world.course.slug, "quiz"]


HIDDEN = expect(404, staff=200)
NOT_ENROLLED = expect(302, learner=200, staff=200)  # others are sent to the course page to enrol

ROWS = [
    Row("learning:catalogue", PUBLIC),
    Row("learning:my_learning", SIGNED_IN),
    Row("learning:course_detail", PUBLIC, args=_course),
    Row("learning:course_detail", HIDDEN, args=_hidden, note="unpublished"),
    Row("learning:download", PUBLIC, args=_course),
    Row("learning:download", HIDDEN, args=_hidden, note="unpublished"),
    Row("learning:enrol", expect(302), method="post", args=_course),
    Row("learning:enrol", expect(404, anon=302, staff=302), method="post", args=_hidden, note="unpublished"),
    Row("learning:unenrol", expect(302), method="post", args=_course),
    Row(
        "learning:unenrol", expect(404, anon=302, staff=302), method="post", args=_hidden, note="unpublished"
    ),
    Row("learning:report", expect(404, anon=302, staff=200), args=_course),
    Row("learning:report_csv", expect(404, anon=302, staff=200), args=_course),
    Row("learning:lesson", expect(302, learner=200, staff=200), args=_lesson),
    Row("learning:lesson", expect(404, anon=302, staff=200), args=_hidden_lesson, note="unpublished"),
    Row("learning:lesson", NOT_ENROLLED, args=_quiz, note="quiz"),
    Row("learning:lesson_complete", expect(302), method="post", args=_lesson),
    Row(
        "learning:lesson_complete",
        expect(404, anon=302, staff=302),
        method="post",
        args=_hidden_lesson,
        note="unpublished",
    ),
    Row(
        "learning:quiz_submit",
        expect(302, learner=400),
        method="post",
        args=_quiz,
        note="no answers: the learner is told; others must enrol first",
    ),
    Row(
        "learning:attempt",
        expect(404, anon=302, learner=200),
        args=lambda w: [*_quiz(w), 1],
        note="another learner's attempt is invisible",
    ),
    Row("learning:attachment", NOT_ENROLLED, args=lambda w: [*_lesson(w), w.attachment.pk]),
    # Courses kept on the phone (learning/sync.py): the manifest for enrolled learners only.
    Row("learning:offline_manifest", expect(404, anon=302, learner=200), args=_course),
    Row("learning:offline_manifest", expect(404, anon=302), args=_hidden, note="unpublished"),
    # JSON for the page script: 401 when signed out; GET gives a fresh CSRF token.
    Row("learning:offline_sync", expect(200, anon=401)),
    Row(
        "learning:offline_sync",
        expect(400, anon=401),
        method="post",
        note="a form post is not JSON: the batch is refused whole (tests/learning/test_offline_sync.py)",
    ),
]
