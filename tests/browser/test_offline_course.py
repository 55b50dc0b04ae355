"""Issue 21 done: a learner keeps a whole demo course on the phone, goes offline, opens every stored lesson, marks
each done and passes the quiz with no connection; back online the steps are sent once, and the course is completed
with its certificate. Sending the same steps again doubles nothing; signing out wipes what the phone kept."""

import pytest
from django.utils import translation

from credentials.models import Credential
from learning import api, demo
from learning.models import Course, Lesson, LessonProgress, QuestionKind, QuizAttempt, SyncEvent
from tests.browser.helpers import (
    assert_accessible,
    assert_fits_360,
    loaded_html,
    settle,
    sign_in,
    wait_for_worker,
)
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.browser

COURSE = "public-finance"


def _ka(message: str) -> str:
    with translation.override("ka"):
        return translation.gettext(message)


def _answer(page, quiz: Lesson) -> None:
    for question in quiz.questions.prefetch_related("choices"):
        name = f"q{question.pk}"
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            right = [c for c in question.choices.all() if c.is_correct]
            for choice in right[:1] if question.kind == QuestionKind.SINGLE else right:
                page.check(f"input[name={name}][value='{choice.pk}']")
        elif question.kind == QuestionKind.TRUE_FALSE:
            page.check(f"input[name={name}][value={'true' if question.correct_bool else 'false'}]")
        elif question.kind == QuestionKind.NUMERIC:
            page.fill(f"input[name={name}]", str(question.numeric_answer))
        else:
            page.fill(f"input[name={name}]", question.accepted_answers.splitlines()[0])


WAITING = """() => new Promise((ok, ko) => {
  const open = indexedDB.open("civichub-offline", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("events", {keyPath: "id"});
  open.onsuccess = () => { const db = open.result; const r = db.transaction("events").objectStore("events").getAll();
    r.onsuccess = () => { db.close(); ok(r.result); }; };
  open.onerror = () => ko(open.error);
})"""

PUT_BACK = """(rows) => new Promise((ok, ko) => {
  const open = indexedDB.open("civichub-offline", 1);
  open.onsuccess = () => { const db = open.result; const tx = db.transaction("events", "readwrite");
    rows.forEach((row) => tx.objectStore("events").put(row)); tx.oncomplete = () => { db.close(); ok(); }; };
  open.onerror = () => ko(open.error);
})"""

STORED_COURSES = "async () => (await caches.keys()).filter((name) => name.startsWith('civichub-course-'))"


def test_a_whole_course_offline_then_one_sync_completes_it_with_its_certificate(browser_page):
    page, base = browser_page, browser_page.base_url
    demo.seed()
    learner = UserFactory(email="regions@example.org")
    course = Course.objects.get(slug=COURSE)
    lessons = list(Lesson.objects.filter(course=course).order_by("module__position", "position", "pk"))
    reading = [lesson for lesson in lessons if not lesson.is_quiz]
    quizzes = [lesson for lesson in lessons if lesson.is_quiz]

    sign_in(page, base, learner.email, TEST_PASSWORD)
    page.goto(f"{base}/learning/{COURSE}/")
    with page.expect_navigation():
        page.get_by_role("button", name=_ka("Enrol in this course")).click()
    page.goto(f"{base}/learning/{COURSE}/")

    # The course page shows the size before anything is downloaded, then keeps the course.
    box = page.locator("#offline-course")
    page.wait_for_function("() => document.querySelector('[data-offline-size]').textContent.length > 0")
    size_text = page.inner_text("[data-offline-size]")
    assert size_text.startswith(_ka("Size to download:")) and (
        "KB" in size_text or "MB" in size_text or "კბ" in size_text or "მბ" in size_text
    )
    assert box.is_visible()
    assert_accessible(page)
    assert_fits_360(page)
    page.click("[data-offline-keep]")
    page.wait_for_selector("[data-offline-remove]", state="visible")
    assert (
        _ka("This course is kept on this phone: its lessons and quizzes open without a connection.")
        in box.inner_text()
    )
    assert page.evaluate(STORED_COURSES) == [f"civichub-course-{COURSE}"]
    stored_urls = page.evaluate(
        f"async () => (await (await caches.open('civichub-course-{COURSE}')).keys()).map((r) => new URL(r.url).pathname)"
    )
    for lesson in lessons:
        assert f"/learning/{COURSE}/{lesson.slug}/" in stored_urls
    # Keeping the course is not reading it: "continue where you left off" is unchanged.
    settle(page)
    first_lesson_url = f"/learning/{COURSE}/{reading[0].slug}/"

    # The service worker (core/pwa.py) answers navigations from the stored course when there is no network.
    wait_for_worker(page)

    page.context.set_offline(True)
    for lesson in reading:
        page.goto(f"{base}/learning/{COURSE}/{lesson.slug}/")
        assert page.locator("h1").inner_text() == lesson.title
        page.get_by_role("button", name=_ka("Mark as complete and continue")).click()
        page.wait_for_selector(".offline-saved")
        assert page.inner_text(".offline-saved") == _ka("Saved on this phone, waiting to sync.")
    for quiz in quizzes:
        page.goto(f"{base}/learning/{COURSE}/{quiz.slug}/")
        # The stored quiz holds no key: no explanation, no feedback of any option.
        html = loaded_html(page)
        for question in quiz.questions.prefetch_related("choices"):
            assert not question.explanation or question.explanation not in html
            assert all(c.feedback not in html for c in question.choices.all() if c.feedback)
        _answer(page, quiz)
        page.get_by_role("button", name=_ka("Submit answers")).click()
        page.wait_for_selector(".offline-saved")
    waiting = page.locator(".offline-waiting")
    total = len(reading) + len(quizzes)
    assert f"{_ka('Waiting to sync:')} {total}" in waiting.inner_text()
    assert waiting.locator("li").count() == total
    assert_accessible(page)
    assert_fits_360(page)
    # Signing out now would lose them: the sign-out form asks first.
    assert page.get_attribute("form[action*='logout']", "data-confirm") == _ka(
        "Some of what you did offline is still waiting to sync and would be lost. Sign out anyway?"
    )
    # A page that is not kept answers with the offline page, which links to the courses kept on the phone.
    page.goto(f"{base}/learning/")
    assert page.locator("h1").inner_text() == _ka("You are offline")
    kept = page.locator("#offline-courses a")
    kept.first.wait_for()
    assert kept.all_inner_texts() == [course.title]
    assert kept.first.get_attribute("href") == f"/learning/{COURSE}/"
    with page.expect_navigation():
        kept.first.click()  # back to the stored course page, still offline
    assert page.locator("h1").inner_text() == course.title
    events = page.evaluate(WAITING)
    assert len(events) == total and len({e["id"] for e in events}) == total
    assert LessonProgress.objects.filter(user=learner).count() == 0  # nothing reached the server yet
    assert QuizAttempt.objects.filter(user=learner).count() == 0

    # Back online: the steps are sent at once, graded on the server, and the course is completed.
    page.context.set_offline(False)
    results = page.locator(".offline-results")
    results.wait_for()
    page.wait_for_selector(".offline-results strong")
    text = results.inner_text()
    assert _ka("You have completed the course.") in text
    assert results.get_by_role("link", name=_ka("See your certificate")).is_visible()
    # The waiting list goes once the synced steps are deleted from IndexedDB (after the results are drawn).
    page.locator(".offline-waiting").wait_for(state="detached")
    assert page.locator(".offline-waiting").count() == 0
    settle(page)
    assert page.evaluate(WAITING) == []
    assert api.is_completed(user=learner, course=course)
    assert LessonProgress.objects.filter(user=learner).count() == len(reading)
    assert QuizAttempt.objects.filter(user=learner, passed=True).count() == len(quizzes)
    assert Credential.objects.filter(user=learner, achievement__key=f"course:{COURSE}").count() == 1
    assert SyncEvent.objects.filter(user=learner).count() == total
    assert_accessible(page)

    # The phone sends the same steps again (say the answer was lost): the stored results, nothing doubled.
    page.evaluate(PUT_BACK, events)
    page.reload()
    page.wait_for_selector(".offline-results")
    settle(page)
    assert page.evaluate(WAITING) == []
    assert LessonProgress.objects.filter(user=learner).count() == len(reading)
    assert QuizAttempt.objects.filter(user=learner).count() == len(quizzes)
    assert Credential.objects.filter(user=learner).count() == 1
    assert SyncEvent.objects.filter(user=learner).count() == total

    # Online, the certificate is there.
    with page.expect_navigation():
        results.get_by_role("link", name=_ka("See your certificate")).click()
    assert course.title in page.inner_text("main")

    # Signing out wipes the stored course and the waiting steps (Clear-Site-Data, core/pwa.py).
    page.goto(f"{base}{first_lesson_url}")
    with page.expect_navigation():
        page.locator("form[action*='logout'] button").click()
    settle(page)
    assert page.evaluate(STORED_COURSES) == []
    databases = page.evaluate(
        "async () => indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : []"
    )
    assert "civichub-offline" not in databases


def _enrolled_on_course_page(page, *, slug="budgets"):
    from tests.learning.builders import enrol, make_course

    course = make_course(slug=slug, lessons=2)
    learner = UserFactory(email="phone@example.org")
    enrol(learner, course)
    sign_in(page, page.base_url, learner.email, TEST_PASSWORD)
    page.goto(f"{page.base_url}/learning/{slug}/")
    return course, learner


def test_a_full_phone_gets_a_clear_message_and_nothing_half_stored(browser_page):
    page = browser_page
    page.add_init_script("navigator.storage.estimate = () => Promise.resolve({quota: 50000, usage: 49000});")
    _enrolled_on_course_page(page)
    page.wait_for_function("() => document.querySelector('[data-offline-size]').textContent.length > 0")
    page.click("[data-offline-keep]")
    message = _ka(
        "There is not enough space on this phone for this course. Free some space (or remove another course kept "
        "on the phone) and try again."
    )
    page.wait_for_function(
        "(text) => document.querySelector('[data-offline-message]').textContent === text", arg=message
    )
    assert page.evaluate(STORED_COURSES) == []
    assert page.locator("[data-offline-keep]").is_visible()


def test_a_stored_course_is_refreshed_when_its_content_changes_and_can_be_removed(browser_page):
    page = browser_page
    course, _learner = _enrolled_on_course_page(page)
    page.wait_for_function("() => document.querySelector('[data-offline-size]').textContent.length > 0")
    page.click("[data-offline-keep]")
    page.wait_for_selector("[data-offline-remove]", state="visible")
    settle(page)
    lesson = Lesson.objects.get(course=course, slug="lesson-2")
    lesson.body = "ახალი ტექსტი ბიუჯეტზე."
    lesson.save()
    page.reload()
    page.wait_for_function(
        "(text) => document.querySelector('[data-offline-message]').textContent === text",
        arg=_ka("The course kept on this phone was updated to its latest version."),
    )
    stored = page.evaluate("async () => (await (await caches.match('/learning/budgets/lesson-2/')).text())")
    assert "ახალი ტექსტი ბიუჯეტზე." in stored
    page.click("[data-offline-remove]")
    page.wait_for_selector("[data-offline-keep]", state="visible")
    assert page.inner_text("[data-offline-message]") == _ka("The course was removed from this phone.")
    assert page.evaluate(STORED_COURSES) == []


def test_without_javascript_the_single_file_is_offered_and_quizzes_need_the_site(nojs_page):
    page = nojs_page
    _enrolled_on_course_page(page)
    assert not page.locator("#offline-course").is_visible()
    links = page.inner_text(".course-links")
    assert _ka("Download this course to read offline (one HTML file)") in links
    assert _ka("for reading: quizzes are taken on the site") in links
    assert_accessible(page)


def test_online_a_kept_course_works_as_before_messages_included(browser_page):
    """With the course kept, the script sends "mark as done" itself (to keep it if the post fails); online the
    learner lands where the server sends them and sees its message."""
    from tests.learning.builders import enrol, make_course

    page = browser_page
    course = make_course(slug="short", lessons=1, quiz=False)
    learner = UserFactory(email="short@example.org")
    enrol(learner, course)
    sign_in(page, page.base_url, learner.email, TEST_PASSWORD)
    page.goto(f"{page.base_url}/learning/short/")
    page.click("[data-offline-keep]")
    page.wait_for_selector("[data-offline-remove]", state="visible")
    page.goto(f"{page.base_url}/learning/short/lesson-1/")
    page.get_by_role("button", name=_ka("Mark as complete and continue")).click()
    page.wait_for_url(f"{page.base_url}/learning/short/")
    page.wait_for_selector(".messages .notice")
    assert page.inner_text(".messages") == _ka("Congratulations! You have completed the course.")
    settle(page)
    assert api.is_completed(user=learner, course=course)
    assert SyncEvent.objects.count() == 0  # online: the usual post, nothing kept for later
