"""The lesson and course pages keep the outline fragment and each lesson's rendered text in the cache: every
change an author makes shows on the next view, and ticks stay per learner."""

import pytest
import time_machine
from django.urls import reverse

from learning import services
from learning.models import Attachment, Course, Lesson, LessonKind, LessonProgress, Module, QuizAttempt
from tests.learning.builders import make_course

pytestmark = pytest.mark.django_db


def _lesson_page(client, course, slug="lesson-1"):
    return client.get(reverse("learning:lesson", args=[course.slug, slug])).content.decode()


def _outline(page):
    start = page.index('<nav class="outline"')
    return page[start : page.index("</nav>", start)]


@pytest.fixture
def reading(client_for, learner):
    """A learner enrolled in a two-lesson course who has opened its first lesson once (caches filled)."""
    course = make_course(lessons=2)
    services.enrol(user=learner, course=course)
    client = client_for(learner)
    _lesson_page(client, course)
    return course, client


# --- author changes show on the next view ---------------------------------------------------------------


def test_a_renamed_lesson_and_module_show_on_the_next_view(reading):
    course, client = reading
    lesson = Lesson.objects.get(course=course, slug="lesson-2")
    lesson.title = "ახალი სათაური"
    lesson.save()
    module = Module.objects.get(course=course)
    module.title = "განახლებული მოდული"
    module.save(update_fields=["title"])

    outline = _outline(_lesson_page(client, course))

    assert "ახალი სათაური" in outline and "გაკვეთილი 2" not in outline
    assert "განახლებული მოდული" in outline


def test_a_lesson_added_or_deleted_shows_on_the_course_page(reading):
    course, client = reading
    url = reverse("learning:course_detail", args=[course.slug])
    module = Module.objects.get(course=course)
    client.get(url)

    Lesson.objects.create(module=module, title="დამატებითი", slug="extra", position=10, required=False)
    added = _outline(client.get(url).content.decode())
    Lesson.objects.get(course=course, slug="lesson-2").delete()
    removed = _outline(client.get(url).content.decode())

    assert "დამატებითი" in added and "Optional" in added
    assert "გაკვეთილი 2" in added and "გაკვეთილი 2" not in removed


def test_deleting_a_module_removes_its_lessons_from_the_outline(reading):
    course, client = reading
    later = Module.objects.create(course=course, title="მეორე მოდული", position=2)
    Lesson.objects.create(module=later, title="დასკვნა", slug="wrap-up", position=1)
    assert "დასკვნა" in _outline(_lesson_page(client, course))

    later.delete()

    outline = _outline(_lesson_page(client, course))
    assert "დასკვნა" not in outline and "მეორე მოდული" not in outline


def test_edited_lesson_text_and_attachments_show_on_the_next_view(reading):
    course, client = reading
    lesson = Lesson.objects.get(course=course, slug="lesson-1")
    lesson.body = "ახალი **ტექსტი**"
    lesson.save(update_fields=["body"])
    attachment = Attachment.objects.create(
        lesson=lesson, title="ბიუჯეტის ცხრილი", file="learning/x/table.pdf", size=10
    )

    page = _lesson_page(client, course)
    attachment.delete()
    after_delete = _lesson_page(client, course)

    assert "ახალი <strong>ტექსტი</strong>" in page and "სათაური 1" not in page
    assert "ბიუჯეტის ცხრილი" in page
    assert "ბიუჯეტის ცხრილი" not in after_delete


def test_a_change_moves_the_course_version_so_other_processes_read_afresh(reading):
    """Another web process keeps its own cache (local memory): only a new key makes it read the new outline."""
    course, _client = reading
    before = Course.objects.get(pk=course.pk).outline_version
    lesson = Lesson.objects.get(course=course, slug="lesson-1")

    lesson.title = "სხვა"
    lesson.save()

    assert Course.objects.get(pk=course.pk).outline_version > before


def test_changes_show_even_when_the_clock_stands_still(client_for, learner):
    with time_machine.travel("2026-03-01 12:00:00+04:00", tick=False):
        course = make_course(lessons=2)
        services.enrol(user=learner, course=course)
        client = client_for(learner)
        _lesson_page(client, course)
        lesson = Lesson.objects.get(course=course, slug="lesson-1")
        lesson.title = "გადარქმეული"
        lesson.body = "შეცვლილი ტექსტი"
        lesson.save()

        page = _lesson_page(client, course)

    assert "გადარქმეული" in _outline(page)
    assert "შეცვლილი ტექსტი" in page


# --- ticks are per learner, from the cache as without it ------------------------------------------------


def test_ticks_are_each_learners_own_when_the_outline_comes_from_the_cache(client_for, learner, staff):
    course = make_course(lessons=2)
    services.enrol(user=learner, course=course)
    services.enrol(user=staff, course=course)
    services.mark_lesson_complete(user=learner, lesson=Lesson.objects.get(course=course, slug="lesson-1"))
    quiz = Lesson.objects.get(course=course, slug="quiz")
    QuizAttempt.objects.create(user=learner, lesson=quiz, number=1, score=100, passed=True)
    # A quiz is done only when passed, whatever else is recorded for it.
    LessonProgress.objects.create(user=staff, lesson=quiz)

    first = _outline(_lesson_page(client_for(learner), course))  # fills the cache
    again = _outline(_lesson_page(client_for(learner), course))
    other = _outline(_lesson_page(client_for(staff), course))

    assert first == again
    assert again.count('class="done') == 2
    assert other.count('class="done') == 0


def test_a_failed_quiz_attempt_is_not_a_tick(client_for, learner):
    course = make_course(lessons=1)
    services.enrol(user=learner, course=course)
    quiz = Lesson.objects.get(course=course, kind=LessonKind.QUIZ)
    QuizAttempt.objects.create(user=learner, lesson=quiz, number=1, score=10, passed=False)
    client = client_for(learner)
    _lesson_page(client, course)

    assert 'class="done' not in _outline(_lesson_page(client, course))


# --- the course page's topics and prerequisites -------------------------------------


def test_course_page_lists_topics_and_prerequisites_by_name_with_links(client_for, learner):
    course = make_course(topics=["ფინანსები", "ბიუჯეტი"])
    later_title, first_title = make_course(title="ჰიპოთეზა & <კვლევა>"), make_course(title="ადვოკატირება")
    course.prerequisites.add(later_title, first_title)
    other = make_course()

    page = client_for(learner).get(reverse("learning:course_detail", args=[course.slug])).content.decode()
    plain = client_for(learner).get(reverse("learning:course_detail", args=[other.slug])).content.decode()

    catalogue = reverse("learning:catalogue")
    topics = [f'<a href="{catalogue}?topic={slug}">{slug}</a>' for slug in ("ბიუჯეტი", "ფინანსები")]
    prerequisites = [
        f'<a href="{reverse("learning:course_detail", args=[c.slug])}">{title}</a>'
        for c, title in ((first_title, "ადვოკატირება"), (later_title, "ჰიპოთეზა &amp; &lt;კვლევა&gt;"))
    ]
    assert f"<dt>Topics</dt><dd>{topics[0]}, {topics[1]}</dd>" in page
    assert f"<dt>Complete first</dt><dd>{prerequisites[0]}, {prerequisites[1]}</dd>" in page
    assert "<dt>Topics</dt>" not in plain and "<dt>Complete first</dt>" not in plain


# --- "my learning" ---------------------------------------------------------------------------------------


def _my_learning(client):
    return client.get(reverse("learning:my_learning"))


def _main(page):
    """The page's main content (the header carries a fresh CSRF token on each response)."""
    return page[page.index("<main") : page.index("</main>")]


@pytest.mark.parametrize("cached", [False, True])
def test_my_learning_shows_the_same_progress_whatever_is_cached(client_for, learner, cached):
    courses = [make_course(lessons=2) for _ in range(3)]
    for course in courses:
        services.enrol(user=learner, course=course)
    services.mark_lesson_complete(user=learner, lesson=Lesson.objects.get(course=courses[1], slug="lesson-1"))
    client = client_for(learner)
    expected = _main(_my_learning(client).content.decode())
    if cached:
        client.get(reverse("learning:course_detail", args=[courses[0].slug]))  # caches one course's outline

    page = _main(_my_learning(client).content.decode())

    assert page == expected
    assert page.count('value="33"') == 1 and page.count('value="0"') == 2
    assert reverse("learning:lesson", args=[courses[1].slug, "lesson-2"]) in page


def test_my_learning_follows_a_renamed_next_lesson(client_for, learner):
    course = make_course(lessons=2)
    services.enrol(user=learner, course=course)
    client = client_for(learner)
    _my_learning(client)
    lesson = Lesson.objects.get(course=course, slug="lesson-1")
    lesson.title = "ახალი დასაწყისი"
    lesson.save()

    assert "ახალი დასაწყისი" in _my_learning(client).content.decode()


def test_my_learning_points_a_finished_learner_at_the_last_lesson(client_for, learner):
    course = make_course(lessons=1, quiz=False)
    services.enrol(user=learner, course=course)
    lesson = Lesson.objects.get(course=course, slug="lesson-1")
    Lesson.objects.create(module=lesson.module, title="დამატება", slug="extra", position=5, required=False)
    LessonProgress.objects.create(user=learner, lesson=lesson)
    LessonProgress.objects.create(user=learner, lesson=Lesson.objects.get(course=course, slug="extra"))
    client = client_for(learner)
    _my_learning(client)

    in_progress = _my_learning(client).context["in_progress"]

    assert [(e.percent, e.next_lesson.slug) for e in in_progress] == [(100, "extra")]


def test_deleting_a_course_with_its_modules_and_lessons_works_and_its_pages_are_gone(reading):
    course, client = reading
    attachment_lesson = Lesson.objects.get(course=course, slug="lesson-1")
    Attachment.objects.create(lesson=attachment_lesson, title="ფაილი", file="learning/x/f.pdf", size=1)

    course.delete()

    assert not Lesson.objects.filter(course_id=course.pk).exists()
    assert client.get(reverse("learning:lesson", args=[course.slug, "lesson-1"])).status_code == 404


def test_a_lesson_marked_complete_shows_its_tick_on_the_next_view_of_the_cached_outline(client_for, learner):
    course = make_course(lessons=2)
    services.enrol(user=learner, course=course)
    client = client_for(learner)
    before = _outline(_lesson_page(client, course, "lesson-2"))  # caches the outline without ticks

    client.post(reverse("learning:lesson_complete", args=[course.slug, "lesson-1"]))
    after = _outline(_lesson_page(client, course, "lesson-2"))

    assert 'class="done' not in before
    assert after.count('class="done"') == 1


def test_an_outline_with_ticks_is_not_shown_to_another_learner_with_none(client_for, learner, other_learner):
    course = make_course(lessons=2)
    for person in (learner, other_learner):
        services.enrol(user=person, course=course)
    services.mark_lesson_complete(user=learner, lesson=Lesson.objects.get(course=course, slug="lesson-1"))
    url = reverse("learning:course_detail", args=[course.slug])

    mine = _outline(client_for(learner).get(url).content.decode())
    theirs = _outline(client_for(other_learner).get(url).content.decode())

    assert mine.count('class="done"') == 1
    assert 'class="done' not in theirs
