import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning import services
from learning.models import Course, Enrolment, Lesson, LessonProgress, QuizAttempt
from tests.learning.builders import answers, make_course

pytestmark = pytest.mark.django_db

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)


def _titles(response):
    return [c.title for c in response.context["page"].object_list]


def test_catalogue_finds_georgian_words_by_prefix(client):
    make_course(title="საჯარო ფინანსები", summary="ბიუჯეტის საფუძვლები")
    make_course(title="კვლევის მეთოდები", summary="ინტერვიუ და გამოკითხვა")
    make_course(title="დამალული ფინანსები", published=False)
    response = client.get(reverse("learning:catalogue"), {"q": "ბიუჯ"})
    assert _titles(response) == ["საჯარო ფინანსები"]
    response = client.get(reverse("learning:catalogue"), {"q": "ფინან"})
    assert _titles(response) == ["საჯარო ფინანსები"]
    response = client.get(reverse("learning:catalogue"), {"q": "კვლევ ინტერ"})
    assert _titles(response) == ["კვლევის მეთოდები"]
    response = client.get(reverse("learning:catalogue"), {"q": "ეთოდ"})  # not a word start
    assert _titles(response) == []
    assert "No course matches" in response.content.decode()


def test_catalogue_filters_by_topic_language_and_level_and_keeps_the_choice(client):
    make_course(title="Budgets", language="en", level="beginner", topics=["finance"])
    make_course(title="ბიუჯეტები", language="ka", level="advanced", topics=["finance"])
    make_course(title="კვლევა", language="ka", level="advanced", topics=["research"])
    url = reverse("learning:catalogue")
    assert _titles(client.get(url, {"topic": "finance"})) == ["Budgets", "ბიუჯეტები"]
    assert _titles(client.get(url, {"language": "en"})) == ["Budgets"]
    response = client.get(url, {"level": "advanced", "topic": "research"})
    assert _titles(response) == ["კვლევა"]
    assert 'value="advanced" selected' in response.content.decode()


def test_catalogue_is_paginated_and_pages_keep_the_filters(client):
    for i in range(23):
        make_course(title=f"კურსი {i:02d}", language="ka")
    response = client.get(reverse("learning:catalogue"), {"language": "ka"})
    assert len(response.context["page"].object_list) == 20
    assert "language=ka&amp;page=2" in response.content.decode()
    response = client.get(reverse("learning:catalogue"), {"language": "ka", "page": 2})
    assert len(response.context["page"].object_list) == 3


@pytest.mark.parametrize("count", [1, 3])
def test_catalogue_query_count_is_constant(client_for, learner, count, django_assert_num_queries):
    for _ in range(count):
        make_course(topics=["finance", "budgets"])
    client = client_for(learner)
    with django_assert_num_queries(7):
        client.get(reverse("learning:catalogue"))


@pytest.mark.parametrize("count", [1, 3])
def test_catalogue_page_two_query_count_is_constant(client_for, learner, count, django_assert_num_queries):
    for i in range(20 + count):
        make_course(title=f"კურსი {i:02d}", topics=["finance"])
    client = client_for(learner)
    with django_assert_num_queries(7):
        response = client.get(reverse("learning:catalogue"), {"page": 2})
    assert len(response.context["page"].object_list) == count


def test_catalogue_pages_keep_a_stable_order_when_titles_are_equal(client):
    courses = [make_course(title="ერთნაირი სათაური") for _ in range(23)]
    url = reverse("learning:catalogue")

    first = client.get(url).context["page"].object_list
    second = client.get(url, {"page": 2}).context["page"].object_list

    assert [c.pk for c in [*first, *second]] == [c.pk for c in courses]


def test_catalogue_with_500_courses_takes_at_most_10_queries(
    client_for, learner, django_assert_max_num_queries
):
    courses = Course.objects.bulk_create(
        Course(
            title=f"კურსი {i}", slug=f"c-{i}", summary="მოკლე აღწერა", published=True, search_text=" კურსი "
        )
        for i in range(500)
    )
    assert len(courses) == 500
    client = client_for(learner)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("learning:catalogue"), {"q": "კურს"})
    assert response.context["page"].paginator.count == 500


@pytest.mark.parametrize("lessons", [1, 3])
def test_course_outline_query_count_is_constant(client_for, learner, lessons, django_assert_num_queries):
    course = make_course(lessons=lessons)
    services.enrol(user=learner, course=course)
    client = client_for(learner)
    with django_assert_num_queries(9):  # the first view reads the outline's rows into the cache
        client.get(reverse("learning:course_detail", args=[course.slug]))
    with django_assert_num_queries(8):
        client.get(reverse("learning:course_detail", args=[course.slug]))


def test_course_page_shows_ticks_progress_and_continue_link(client_for, learner):
    course = make_course(lessons=2)
    services.enrol(user=learner, course=course)
    services.mark_lesson_complete(user=learner, lesson=Lesson.objects.get(course=course, slug="lesson-1"))
    page = client_for(learner).get(reverse("learning:course_detail", args=[course.slug])).content.decode()
    assert "1 of 3 steps done" in page
    assert 'value="33"' in page
    assert "Continue where you left off" in page
    assert page.count('class="done"') == 1


@pytest.mark.parametrize("lessons", [1, 3])
def test_lesson_page_query_count_is_constant(client_for, learner, lessons, django_assert_num_queries):
    course = make_course(lessons=lessons)
    services.enrol(user=learner, course=course)
    client = client_for(learner)
    url = reverse("learning:lesson", args=[course.slug, "lesson-1"])
    client.get(url)  # the first visit records "last lesson" (one UPDATE) and fills the lesson's cache entries
    with django_assert_num_queries(6):
        client.get(url)


@pytest.mark.parametrize("lessons", [1, 3])
def test_quiz_page_query_count_is_constant(client_for, learner, lessons, django_assert_num_queries):
    course = make_course(lessons=lessons)
    services.enrol(user=learner, course=course)
    client = client_for(learner)
    url = reverse("learning:lesson", args=[course.slug, "quiz"])
    client.get(url)
    with django_assert_num_queries(9):
        client.get(url)


def test_lesson_page_weighs_less_than_50_kb(client_for, learner):
    course = make_course(lessons=40)
    Lesson.objects.filter(course=course, slug="lesson-1").update(body="ტექსტი. " * 1500)
    services.enrol(user=learner, course=course)
    response = client_for(learner).get(reverse("learning:lesson", args=[course.slug, "lesson-1"]))
    assert len(response.content) < 50 * 1024


@pytest.mark.parametrize("count", [1, 3])
def test_my_learning_query_count_is_constant(client_for, learner, count, django_assert_num_queries):
    for _ in range(count):
        services.enrol(user=learner, course=make_course())
    client = client_for(learner)
    with django_assert_num_queries(5):
        response = client.get(reverse("learning:my_learning"))
    assert len(response.context["in_progress"]) == count


def test_my_learning_lists_progress_next_lesson_and_completed_courses(client_for, learner):
    doing = make_course(title="მიმდინარე", lessons=2)
    done = make_course(title="დასრულებული", lessons=1, quiz=False)
    services.enrol(user=learner, course=doing)
    services.enrol(user=learner, course=done)
    services.mark_lesson_complete(user=learner, lesson=Lesson.objects.get(course=doing, slug="lesson-1"))
    services.mark_lesson_complete(user=learner, lesson=Lesson.objects.get(course=done, slug="lesson-1"))
    response = client_for(learner).get(reverse("learning:my_learning"))
    assert [e.course.title for e in response.context["in_progress"]] == ["მიმდინარე"]
    assert [e.course.title for e in response.context["completed"]] == ["დასრულებული"]
    page = response.content.decode()
    assert 'value="33"' in page
    assert reverse("learning:lesson", args=[doing.slug, "lesson-2"]) in page


def test_enrol_from_the_course_page_opens_the_first_lesson(client_for, learner):
    course = make_course()
    response = client_for(learner).post(reverse("learning:enrol", args=[course.slug]))
    assert response["Location"] == reverse("learning:lesson", args=[course.slug, "lesson-1"])
    assert Enrolment.objects.get(user=learner, course=course).active


def test_not_enrolled_learner_is_sent_to_the_course_page(client_for, other_learner):
    course = make_course()
    response = client_for(other_learner).get(reverse("learning:lesson", args=[course.slug, "lesson-1"]))
    assert response["Location"] == reverse("learning:course_detail", args=[course.slug])


def test_mark_complete_without_javascript_ticks_and_moves_on(client_for, learner):
    course = make_course(lessons=2)
    services.enrol(user=learner, course=course)
    response = client_for(learner).post(reverse("learning:lesson_complete", args=[course.slug, "lesson-1"]))
    assert response["Location"] == reverse("learning:lesson", args=[course.slug, "lesson-2"])
    assert LessonProgress.objects.filter(user=learner, lesson__slug="lesson-1").count() == 1


def test_video_is_a_click_to_load_placeholder_without_third_party_requests(client_for, learner):
    course = make_course()
    Lesson.objects.filter(course=course, slug="lesson-1").update(
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    services.enrol(user=learner, course=course)
    page = (
        client_for(learner).get(reverse("learning:lesson", args=[course.slug, "lesson-1"])).content.decode()
    )
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    assert "<iframe" not in page


def test_lesson_markdown_is_sanitised(client_for, learner):
    course = make_course()
    Lesson.objects.filter(course=course, slug="lesson-1").update(
        body="<script>alert(1)</script>\n\n[x](javascript:alert(1))"
    )
    services.enrol(user=learner, course=course)
    page = (
        client_for(learner).get(reverse("learning:lesson", args=[course.slug, "lesson-1"])).content.decode()
    )
    assert "<script>alert" not in page
    assert 'href="javascript' not in page


def test_quiz_page_never_contains_the_correct_answers(client_for, learner):
    course = make_course()
    services.enrol(user=learner, course=course)
    page = client_for(learner).get(reverse("learning:lesson", args=[course.slug, "quiz"])).content.decode()
    assert "რომელია გადასახადი?" in page
    for secret in ("სწორია: გეგმა.", "თბილისი", "1.5", "is_correct", "ბიუჯეტი არის", "ხელფასი შემოსავალია"):
        assert secret not in page, secret


def test_quiz_with_a_missing_answer_keeps_what_was_typed(client_for, learner):
    course = make_course()
    services.enrol(user=learner, course=course)
    quiz = Lesson.objects.get(course=course, slug="quiz")
    data = answers(quiz)
    numeric = quiz.questions.get(kind="numeric")
    data[f"q{numeric.pk}"] = ["ათი"]
    text = quiz.questions.get(kind="text")
    data[f"q{text.pk}"] = ["ჩემი პასუხი"]
    response = client_for(learner).post(
        reverse("learning:quiz_submit", args=[course.slug, "quiz"]), {**data, "attempt": "1"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a number" in page
    assert 'value="ათი"' in page and 'value="ჩემი პასუხი"' in page
    assert QuizAttempt.objects.count() == 0


def test_failed_attempt_shows_feedback_but_not_the_key_then_passing_reveals_it(client_for, learner):
    course = make_course()
    services.enrol(user=learner, course=course)
    quiz = Lesson.objects.get(course=course, slug="quiz")
    client = client_for(learner)
    url = reverse("learning:quiz_submit", args=[course.slug, "quiz"])
    response = client.post(url, {**answers(quiz, correct=False), "attempt": "1"})
    assert response["Location"] == reverse("learning:attempt", args=[course.slug, "quiz", 1])
    page = client.get(response["Location"]).content.decode()
    assert "You scored 0%" in page
    assert "ანგარიში გეგმა არ არის." in page  # feedback on the choice the learner picked
    assert "სწორია: გეგმა." not in page and "(correct answer)" not in page
    response = client.post(url, {**answers(quiz), "attempt": "2"})
    page = client.get(response["Location"]).content.decode()
    assert "You passed with 100%" in page
    assert "სწორია: გეგმა." in page and "<strong>გეგმა</strong>" in page


def test_report_counts_enrolments_completion_quiz_scores_and_regions(
    client_for, staff, learner, other_learner
):
    course = make_course(lessons=1)
    quiz = Lesson.objects.get(course=course, slug="quiz")
    for user, correct in ((learner, True), (other_learner, False)):
        services.enrol(user=user, course=course)
        services.mark_lesson_complete(user=user, lesson=Lesson.objects.get(course=course, slug="lesson-1"))
        services.submit_quiz(user=user, lesson=quiz, data=answers(quiz, correct=correct), attempt_number=1)
    client = client_for(staff)
    report = client.get(reverse("learning:report", args=[course.slug])).context["report"]
    assert (report.enrolled, report.completed, report.completion_rate) == (2, 1, 50)
    assert report.quizzes[0]["average"] == 50 and report.quizzes[0]["passed"] == 1
    assert {(r["user__region"], r["enrolled"], r["completed"]) for r in report.regions} == {
        ("imereti", 1, 1),
        ("kakheti", 1, 0),
    }
    response = client.get(reverse("learning:report_csv", args=[course.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][2:] == ["2", "1", "50%"]
    assert [row[1:] for row in rows[3:]] == [["Imereti", "1", "1", ""], ["Kakheti", "1", "0", ""]]


def test_offline_download_is_one_self_contained_file(client, settings, tmp_path):
    course = make_course(lessons=2)
    lesson = Lesson.objects.get(course=course, slug="lesson-1")
    image = services.add_attachment(lesson=lesson, upload=SimpleUploadedFile("map.png", PNG), title="Map")
    Lesson.objects.filter(pk=lesson.pk).update(
        body=f"![რუკა]({image.file.url})\n\n![remote](https://example.com/x.png)\n\nგაკვეთილის ტექსტი"
    )
    response = client.get(reverse("learning:download", args=[course.slug]))
    assert response["Content-Disposition"] == f'attachment; filename="{course.slug}.html"'
    page = response.content.decode()
    assert "გაკვეთილის ტექსტი" in page and "გაკვეთილი 2" in page and "რომელია გადასახადი?" in page
    assert 'src="data:image/png;base64,' in page
    assert 'https://example.com/x.png"' not in page and 'src="http' not in page
    assert "<link" not in page and "<script" not in page
    assert "თბილისი" not in page  # no quiz answers


def test_attachment_upload_refuses_a_file_whose_content_is_not_allowed(db):
    course = make_course()
    lesson = Lesson.objects.get(course=course, slug="lesson-1")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.add_attachment(lesson=lesson, upload=SimpleUploadedFile("evil.pdf", b"MZ\x90\x00binary"))


def test_attachment_is_downloaded_by_an_enrolled_learner(client_for, learner):
    course = make_course()
    lesson = Lesson.objects.get(course=course, slug="lesson-1")
    item = services.add_attachment(
        lesson=lesson, upload=SimpleUploadedFile("slides.png", PNG), title="Slides"
    )
    services.enrol(user=learner, course=course)
    response = client_for(learner).get(
        reverse("learning:attachment", args=[course.slug, "lesson-1", item.pk])
    )
    assert b"".join(response.streaming_content) == PNG
