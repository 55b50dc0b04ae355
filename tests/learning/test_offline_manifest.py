"""A course's offline manifest (what static/js/offline.js keeps on the phone) and the pages it stores: enrolled
learners only, sizes, a version that follows the content, no answer key anywhere, no video."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning import services
from learning.models import Enrolment, Lesson
from tests.learning.builders import enrol, make_course

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def course(settings, tmp_path):
    course = make_course(slug="budgets", lessons=2)
    image = tmp_path / "media" / "learning" / "chart.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(PNG)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    lesson = Lesson.objects.get(course=course, slug="lesson-1")
    lesson.body += "\n\n![chart](/media/learning/chart.png)\n\n![remote](https://example.org/x.png)"
    lesson.video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    lesson.save()
    services.add_attachment(
        lesson=lesson, upload=SimpleUploadedFile("slides.pdf", PDF, content_type="application/pdf")
    )
    return course


def _manifest(client, slug="budgets"):
    return client.get(reverse("learning:offline_manifest", args=[slug]))


def test_an_enrolled_learner_gets_every_page_image_and_attachment_with_sizes(client, learner, course):
    enrol(learner, course)
    client.force_login(learner)
    response = _manifest(client)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = response.json()
    assert data["course"] == "budgets" and data["cache"] == "civichub-course-budgets"
    by_kind: dict[str, list[str]] = {}
    for entry in data["files"]:
        by_kind.setdefault(entry["kind"], []).append(entry["url"])
        assert entry["size"] > 0, entry
    assert by_kind["page"] == [
        "/en/learning/budgets/",
        "/en/learning/budgets/lesson-1/",
        "/en/learning/budgets/lesson-2/",
    ]
    assert by_kind["quiz"] == ["/en/learning/budgets/quiz/"]
    assert by_kind["image"] == ["/media/learning/chart.png"]  # the remote image is not fetched
    attachment = Lesson.objects.get(slug="lesson-1").attachments.get()
    assert by_kind["attachment"] == [f"/en/learning/budgets/lesson-1/files/{attachment.pk}/"]
    sizes = {e["url"]: e["size"] for e in data["files"]}
    assert sizes["/media/learning/chart.png"] == len(PNG)
    assert sizes[by_kind["attachment"][0]] == len(PDF)
    assert any(url.endswith(".js") and "offline" in url for url in by_kind["static"])
    assert data["total"] == sum(e["size"] for e in data["files"])
    # No video: it stays click-to-load online, and the manifest says so for the page.
    assert not any("youtube" in e["url"] for e in data["files"])
    assert "Videos are not kept on the phone" in data["videos"]


def test_nobody_else_gets_the_manifest(client, learner, other_learner, staff, course):
    assert _manifest(client).status_code == 302  # signed out: sign in first
    client.force_login(other_learner)
    assert _manifest(client).status_code == 404
    client.force_login(staff)
    assert _manifest(client).status_code == 404  # staff preview lessons, they do not keep them
    enrol(learner, course)
    services.unenrol(user=learner, course=course)
    client.force_login(learner)
    assert _manifest(client).status_code == 404  # left the course
    hidden = make_course(slug="draft", published=False)
    assert _manifest(client, hidden.slug).status_code == 404


def test_the_version_changes_when_a_lesson_changes_and_only_then(client, learner, course):
    enrol(learner, course)
    client.force_login(learner)
    first = _manifest(client).json()["version"]
    assert _manifest(client).json()["version"] == first
    lesson = Lesson.objects.get(course=course, slug="lesson-2")
    lesson.body = "A new text"
    lesson.save()
    second = _manifest(client).json()
    assert second["version"] != first
    course.refresh_from_db()
    course.summary = "new summary"
    course.save()
    assert _manifest(client).json()["version"] not in (first, second["version"])


def test_no_answer_key_in_what_is_stored(client, learner, course):
    """Every page listed, as the script fetches it, holds no correct answer, explanation or feedback."""
    enrol(learner, course)
    client.force_login(learner)
    manifest = _manifest(client).json()
    text = json.dumps(manifest, ensure_ascii=False)
    pages = [e["url"] for e in manifest["files"] if e["kind"] in ("page", "quiz")]
    for url in pages:
        response = client.get(url, headers={"X-Civichub-Offline-Store": "1"})
        assert response.status_code == 200, url
        text += response.content.decode()
    for secret in (
        "სწორია: გეგმა.",
        "ბიუჯეტი არის",
        "თბილისი",
        "Tbilisi",
        "1.5",
        "is_correct",
        "ხელფასი შემოსავალია",
    ):
        assert secret not in text, secret
    # The quiz page does carry the questions and the form the script keeps offline.
    quiz = client.get("/en/learning/budgets/quiz/").content.decode()
    assert 'data-offline-kind="quiz_answers"' in quiz and "რა არის ბიუჯეტი?" in quiz


def test_storing_the_lessons_is_not_a_visit(client, learner, course):
    enrolment = enrol(learner, course)
    client.force_login(learner)
    client.get("/en/learning/budgets/lesson-2/", headers={"X-Civichub-Offline-Store": "1"})
    assert Enrolment.objects.get(pk=enrolment.pk).last_lesson_id is None
    client.get("/en/learning/budgets/lesson-2/")
    assert Enrolment.objects.get(pk=enrolment.pk).last_lesson.slug == "lesson-2"


def test_course_page_offers_keeping_to_enrolled_learners_and_the_file_to_everyone(client, learner, course):
    page = client.get("/en/learning/budgets/").content.decode()
    assert "Keep this course on my phone" not in page and "js/offline" not in page
    assert "Download this course to read offline (one HTML file)" in page
    assert "for reading: quizzes are taken on the site" in page
    enrol(learner, course)
    client.force_login(learner)
    page = client.get("/en/learning/budgets/").content.decode()
    assert 'id="offline-course"' in page and "Keep this course on my phone" in page
    assert 'data-manifest="/en/learning/budgets/offline.json"' in page
    assert 'data-sync="/en/learning/my/sync/"' in page
    lesson = client.get("/en/learning/budgets/lesson-1/").content.decode()
    assert 'data-offline-kind="lesson_done"' in lesson
    assert "Videos are not kept on the phone: they play only with a connection." in lesson


def test_page_sizes_are_estimated_close_to_the_pages_served(client, learner):
    """Sizes are shown before downloading without rendering every page: on the demo courses each estimate is
    within 10% below and 15% above the page as the script fetches it (and the total follows)."""
    from learning import demo
    from learning.models import Course

    demo.seed()
    courses = list(Course.objects.all())
    for course in courses:
        Enrolment.objects.create(user=learner, course=course)
    client.force_login(learner)
    ratios = []
    for course, prefix in [(c, p) for c in courses for p in ("", "/en")]:  # Georgian and English interface
        manifest = client.get(f"{prefix}/learning/{course.slug}/offline.json").json()
        for entry in manifest["files"]:
            if entry["kind"] in ("page", "quiz"):
                served = client.get(entry["url"], headers={"X-Civichub-Offline-Store": "1"})
                ratios.append((round(entry["size"] / len(served.content), 2), entry["url"]))
    assert len(ratios) > 30
    outside = [(ratio, url) for ratio, url in ratios if not 0.9 <= ratio <= 1.15]
    assert outside == []


@pytest.mark.parametrize("lessons", [1, 3])
def test_manifest_query_count_does_not_grow_with_the_lessons(
    client, learner, lessons, django_assert_num_queries
):
    course = make_course(slug="counted", lessons=lessons)
    enrol(learner, course)
    client.force_login(learner)
    # Session, user, the viewer's roles, the course (with topics and prerequisites), the enrolment, the lessons
    # with their modules, attachments, questions and options.
    with django_assert_num_queries(10):
        _manifest(client, "counted")
