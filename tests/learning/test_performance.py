"""The fast paths of learning stay correct: lesson visits write only on change, the outline is built cheaply with
the same links, and visitors get the catalogue from the page cache, which any change to courses empties."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry
from core.cache import HIT_HEADER
from learning import services
from learning.models import Course, Lesson, Module
from tests.learning.builders import make_course

pytestmark = pytest.mark.django_db


class _Updates:
    """Counts the SQL UPDATE statements on the enrolment table run inside the block."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("UPDATE") and "learning_enrolment" in sql:
            self.statements.append(sql)
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def _continue_link(client, course):
    page = client.get(reverse("learning:course_detail", args=[course.slug])).content.decode()
    marker = 'class="button" href="'
    start = page.index(marker, page.index("course-actions")) + len(marker)
    return page[start : page.index('"', start)]


# --- "continue where you left off" without a write on every view ------------------------------------


def test_viewing_the_same_lesson_twice_writes_the_enrolment_once(client_for, learner):
    course = make_course(lessons=3)
    services.enrol(user=learner, course=course)
    client = client_for(learner)
    url = reverse("learning:lesson", args=[course.slug, "lesson-2"])

    with _Updates() as updates:
        client.get(url)
        client.get(url)
        client.get(url)

    assert len(updates.statements) == 1
    assert _continue_link(client, course) == url


def test_moving_to_another_lesson_records_it_and_going_back_records_that(client_for, learner):
    course = make_course(lessons=3)
    services.enrol(user=learner, course=course)
    client = client_for(learner)
    second = reverse("learning:lesson", args=[course.slug, "lesson-2"])
    third = reverse("learning:lesson", args=[course.slug, "lesson-3"])

    with _Updates() as updates:
        client.get(second)
        client.get(third)
        client.get(third)
        client.get(second)

    assert len(updates.statements) == 3
    assert _continue_link(client, course) == second
    my_learning = client.get(reverse("learning:my_learning")).content.decode()
    assert f'<a href="{second}">' in my_learning


def test_marking_a_lesson_done_records_the_next_lesson_so_opening_it_writes_nothing(client_for, learner):
    course = make_course(lessons=3)
    services.enrol(user=learner, course=course)
    client = client_for(learner)
    first = reverse("learning:lesson", args=[course.slug, "lesson-1"])
    second = reverse("learning:lesson", args=[course.slug, "lesson-2"])
    client.get(first)

    with _Updates() as on_submit:
        response = client.post(reverse("learning:lesson_complete", args=[course.slug, "lesson-1"]))
    with _Updates() as on_open:
        page = client.get(response["Location"])

    assert response["Location"] == second
    assert len(on_submit.statements) == 1
    assert on_open.statements == []
    assert 'aria-current="page">გაკვეთილი 2<' in page.content.decode()
    assert _continue_link(client, course) == second


def test_finishing_the_course_keeps_the_last_lesson_read_as_the_place_to_continue(client_for, learner):
    course = make_course(lessons=2, quiz=False)
    services.enrol(user=learner, course=course)
    client = client_for(learner)
    client.post(reverse("learning:lesson_complete", args=[course.slug, "lesson-1"]))

    response = client.post(reverse("learning:lesson_complete", args=[course.slug, "lesson-2"]))

    assert response["Location"] == course.get_absolute_url()
    enrolment = services.active_enrolment(user=learner, course=course)
    assert enrolment.completed_at is not None
    assert enrolment.last_lesson.slug == "lesson-2"


def test_completing_a_lesson_after_skipping_one_sends_the_learner_back_to_it(client_for, learner):
    course = make_course(lessons=3)
    services.enrol(user=learner, course=course)
    client = client_for(learner)

    response = client.post(reverse("learning:lesson_complete", args=[course.slug, "lesson-2"]))

    assert response["Location"] == reverse("learning:lesson", args=[course.slug, "lesson-1"])
    assert _continue_link(client, course) == response["Location"]


# --- the outline: same links and ticks, built without model instances ---------------------------------


def test_outline_lists_modules_in_order_with_links_ticks_and_neighbours(client_for, learner):
    course = make_course(lessons=2, quiz=False)
    later = Module.objects.create(course=course, title="მეორე მოდული", position=2)
    Lesson.objects.create(
        module=later, title="დასკვნა", slug="wrap-up", position=1, required=False, body="ბოლო"
    )
    services.enrol(user=learner, course=course)
    services.mark_lesson_complete(user=learner, lesson=Lesson.objects.get(course=course, slug="lesson-1"))
    client = client_for(learner)

    page = client.get(reverse("learning:lesson", args=[course.slug, "lesson-2"])).content.decode()

    outline = page[
        page.index('<nav class="outline"') : page.index("</nav>", page.index('<nav class="outline"'))
    ]
    links = [
        reverse("learning:lesson", args=[course.slug, slug]) for slug in ("lesson-1", "lesson-2", "wrap-up")
    ]
    assert [outline.index(f'href="{link}"') for link in links] == sorted(
        outline.index(f'href="{link}"') for link in links
    )
    assert outline.index("შესავალი") < outline.index("მეორე მოდული")
    assert outline.count('class="done"') == 1
    assert f'href="{links[1]}" aria-current="page"' in outline
    assert "Optional" in outline
    assert f'<a rel="prev" href="{links[0]}">' in page
    assert f'<a rel="next" href="{links[2]}">' in page
    assert "1 of 2 steps done" in page


def test_course_page_outline_is_plain_text_until_enrolled(client_for, learner):
    course = make_course(lessons=2)
    client = client_for(learner)
    lesson_url = reverse("learning:lesson", args=[course.slug, "lesson-1"])

    before = client.get(reverse("learning:course_detail", args=[course.slug])).content.decode()
    services.enrol(user=learner, course=course)
    after = client.get(reverse("learning:course_detail", args=[course.slug])).content.decode()

    assert f'href="{lesson_url}"' not in before and "გაკვეთილი 1" in before
    assert f'href="{lesson_url}"' in after


# --- the catalogue from the anonymous page cache --------------------------------------------------------


def test_a_visitor_served_the_cached_catalogue_costs_no_query(django_assert_num_queries):
    make_course(title="ბიუჯეტის მონიტორინგი")
    url = reverse("learning:catalogue")
    assert Client().get(url)[HIT_HEADER] == "miss"

    with django_assert_num_queries(0):
        response = Client().get(url)

    assert response[HIT_HEADER] == "hit"
    assert "ბიუჯეტის მონიტორინგი" in response.content.decode()


def test_filtered_catalogue_pages_are_cached_apart():
    make_course(title="ბიუჯეტის მონიტორინგი", level="beginner")
    make_course(title="ადვოკატირება", level="advanced")
    url = reverse("learning:catalogue")
    Client().get(url)

    filtered = Client().get(url, {"level": "advanced"}).content.decode()

    assert "ადვოკატირება" in filtered and "ბიუჯეტის მონიტორინგი" not in filtered


def test_signed_in_learners_never_get_the_cached_catalogue(client_for, learner):
    make_course(title="ბიუჯეტის მონიტორინგი")
    Client().get(reverse("learning:catalogue"))

    response = client_for(learner).get(reverse("learning:catalogue"))

    assert HIT_HEADER not in response
    assert reverse("learning:my_learning") in response.content.decode()


def test_publishing_a_course_shows_it_to_visitors_at_once(staff, django_capture_on_commit_callbacks):
    course = make_course(title="ახალი კურსი საჯარო ფინანსებზე", published=False)
    url = reverse("learning:catalogue")
    assert "ახალი კურსი" not in Client().get(url).content.decode()
    assert Client().get(url)[HIT_HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        assert services.set_published(course=course, published=True, actor=staff) is True

    response = Client().get(url)
    assert response[HIT_HEADER] == "miss"
    assert "ახალი კურსი საჯარო ფინანსებზე" in response.content.decode()
    assert AuditEntry.objects.filter(actor=staff, action="learning.publish").count() == 1


def test_unpublishing_hides_the_course_and_repeating_it_changes_nothing(
    staff, django_capture_on_commit_callbacks
):
    course = make_course(title="დროებითი კურსი")
    url = reverse("learning:catalogue")
    assert "დროებითი კურსი" in Client().get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.set_published(course=course, published=False, actor=staff) is True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.set_published(course=course, published=False, actor=staff) is False

    assert callbacks == []
    assert "დროებითი კურსი" not in Client().get(url).content.decode()
    assert AuditEntry.objects.filter(action="learning.unpublish").count() == 1


def test_publishing_from_the_admin_list_refreshes_the_catalogue(
    client_for, staff, django_capture_on_commit_callbacks
):
    course = make_course(title="ადმინიდან გამოქვეყნებული", published=False)
    url = reverse("learning:catalogue")
    Client().get(url)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            reverse("admin:learning_course_changelist"),
            {"action": "publish", "_selected_action": [course.pk]},
        )

    assert response.status_code == 302
    assert Course.objects.get(pk=course.pk).published is True
    assert "ადმინიდან გამოქვეყნებული" in Client().get(url).content.decode()


def test_changing_a_course_in_the_admin_form_refreshes_the_catalogue(
    client_for, staff, django_capture_on_commit_callbacks
):
    course = make_course(title="ძველი სათაური", lessons=0, quiz=False)
    Module.objects.filter(course=course).delete()
    url = reverse("learning:catalogue")
    assert "ძველი სათაური" in Client().get(url).content.decode()
    form = {
        "title": "ახალი სათაური",
        "slug": course.slug,
        "language": course.language,
        "summary": course.summary,
        "description": "",
        "published": "on",
        "level": course.level,
        "estimated_hours": course.estimated_hours,
        "instructors": "",
        "modules-TOTAL_FORMS": "0",
        "modules-INITIAL_FORMS": "0",
        "modules-MIN_NUM_FORMS": "0",
        "modules-MAX_NUM_FORMS": "1000",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(reverse("admin:learning_course_change", args=[course.pk]), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    page = Client().get(url).content.decode()
    assert "ახალი სათაური" in page and "ძველი სათაური" not in page


def test_a_course_created_in_the_admin_appears_for_visitors(
    client_for, staff, django_capture_on_commit_callbacks
):
    url = reverse("learning:catalogue")
    Client().get(url)
    form = {
        "title": "სრულიად ახალი კურსი",
        "slug": "brand-new",
        "language": "ka",
        "summary": "მოკლედ",
        "description": "",
        "published": "on",
        "level": "beginner",
        "estimated_hours": "2",
        "instructors": "",
        "modules-TOTAL_FORMS": "0",
        "modules-INITIAL_FORMS": "0",
        "modules-MIN_NUM_FORMS": "0",
        "modules-MAX_NUM_FORMS": "1000",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(reverse("admin:learning_course_add"), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert "სრულიად ახალი კურსი" in Client().get(url).content.decode()


# --- course pages from the anonymous page cache ---------------------------------------------------------


def test_a_visitor_gets_the_cached_course_page_and_a_learner_their_own(
    client_for, learner, django_assert_num_queries
):
    course = make_course(title="საჯარო ფინანსები", lessons=2)
    services.enrol(user=learner, course=course)
    url = reverse("learning:course_detail", args=[course.slug])
    assert Client().get(url)[HIT_HEADER] == "miss"

    with django_assert_num_queries(0):
        visitor = Client().get(url)
    mine = client_for(learner).get(url)

    assert visitor[HIT_HEADER] == "hit"
    assert (
        "საჯარო ფინანსები" in visitor.content.decode()
        and reverse("account_login") in visitor.content.decode()
    )
    assert HIT_HEADER not in mine
    assert reverse("learning:unenrol", args=[course.slug]) in mine.content.decode()
    assert reverse("learning:unenrol", args=[course.slug]) not in visitor.content.decode()


def test_an_outline_change_shows_to_visitors_at_once(django_capture_on_commit_callbacks):
    course = make_course(title="საჯარო ფინანსები", lessons=2)
    url = reverse("learning:course_detail", args=[course.slug])
    Client().get(url)
    assert Client().get(url)[HIT_HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        lesson = Lesson.objects.get(course=course, slug="lesson-2")
        lesson.title = "ბიუჯეტის კითხვა"
        lesson.save()
    renamed = Client().get(url)
    with django_capture_on_commit_callbacks(execute=True):
        Lesson.objects.get(course=course, slug="lesson-1").delete()
    removed = Client().get(url).content.decode()

    assert renamed[HIT_HEADER] == "miss" and "ბიუჯეტის კითხვა" in renamed.content.decode()
    assert "გაკვეთილი 1" not in removed and "ბიუჯეტის კითხვა" in removed


def test_an_unpublished_course_page_is_gone_for_visitors_even_if_it_was_cached(
    staff, django_capture_on_commit_callbacks
):
    course = make_course(title="დროებითი კურსი")
    url = reverse("learning:course_detail", args=[course.slug])
    Client().get(url)
    assert Client().get(url)[HIT_HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.set_published(course=course, published=False, actor=staff)

    assert Client().get(url).status_code == 404
