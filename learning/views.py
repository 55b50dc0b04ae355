"""Thin views: load through queries (404 for outsiders), change through services, render."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.api import Region, is_programme_staff
from core.api import cache_anonymous_page
from learning import offline, queries, services, sync
from learning.forms import CatalogueFilterForm
from learning.models import Attachment, Lesson

PAGE_SIZE = 20
# Visitors get the catalogue and course pages from the page cache; learning.services.catalogue_changed() (and the
# outline signals in learning.signals) empty it on any change, so this is only the longest a page could outlive a
# change made outside them (e.g. a database shell).
CATALOGUE_CACHE_SECONDS = 300


@require_GET
@cache_anonymous_page(timeout=CATALOGUE_CACHE_SECONDS)
def catalogue(request):
    topics = list(queries.topics_in_use())
    form = CatalogueFilterForm(request.GET or None, topics=topics)
    filters = form.cleaned() if request.GET else {}
    courses = queries.catalogue_courses(**filters)
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/catalogue.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "querystring": query.urlencode(),
        },
    )


@require_GET
@cache_anonymous_page(timeout=CATALOGUE_CACHE_SECONDS)
def course_detail(request, slug):
    viewer = request.viewer
    course = queries.course_for_user(viewer, slug)
    outline = queries.course_outline(course, viewer)
    enrolment = queries.enrolment_of(viewer, course)
    return render(
        request,
        "learning/course_detail.html",
        {
            "course": course,
            "outline": outline,
            "enrolment": enrolment,
            "topics": course.topics.all(),
            "prerequisites": course.prerequisites.all(),
            "resume": outline.item(enrolment.last_lesson_id) if enrolment is not None else None,
            "can_report": viewer.is_authenticated and is_programme_staff(viewer),
        },
    )


@login_required
@require_POST
def enrol(request, slug):
    course = queries.course_for_user(request.viewer, slug)
    try:
        services.enrol(user=request.user, course=course)
    except services.LearningError as error:
        messages.error(request, error.message)
        return redirect(course)
    messages.success(request, _("You are enrolled. Start with the first lesson."))
    outline = queries.course_outline(course, request.viewer)
    target = outline.next_lesson or (outline.lessons[0] if outline.lessons else None)
    if target is None:
        return redirect(course)
    return redirect("learning:lesson", course.slug, target.slug)


@login_required
@require_POST
def unenrol(request, slug):
    course = queries.course_for_user(request.viewer, slug)
    services.unenrol(user=request.user, course=course)
    messages.success(request, _("You have left the course. Your progress is kept if you come back."))
    return redirect(course)


def _lesson_context(request, lesson, enrolment):
    outline = queries.course_outline(lesson.course, request.viewer)
    previous, following = outline.neighbours(lesson)
    current = next(item for item in outline.lessons if item.pk == lesson.pk)
    return {
        "course": lesson.course,
        "lesson": lesson,
        "outline": outline,
        "enrolment": enrolment,
        "previous": previous,
        "following": following,
        "done": current.done,
        "content": queries.lesson_content(lesson),
    }


def _quiz_context(request, lesson, *, posted=None):
    used = services.attempts_used(user=request.user, lesson=lesson)
    left = max(lesson.max_attempts - used, 0) if lesson.max_attempts else None
    number = used + 1
    questions = services.quiz_questions(lesson, order_seed=f"{request.user.pk}:{lesson.pk}:{number}")
    if posted is not None:
        for question in questions:
            question.posted = posted.getlist(f"q{question.pk}")
    return {"questions": questions, "attempt_number": number, "attempts_left": left, "attempts_used": used}


def _enrolment_or_redirect(request, lesson):
    enrolment = queries.enrolment_of(request.viewer, lesson.course)
    if enrolment is not None and enrolment.active:
        return enrolment, None
    if is_programme_staff(request.viewer):
        return None, None  # staff preview without enrolling
    messages.info(request, _("Enrol in the course to open its lessons."))
    return None, redirect(lesson.course)


@login_required
@require_GET
def lesson(request, slug, lesson_slug):
    lesson = queries.lesson_for_user(request.viewer, slug, lesson_slug)
    enrolment, bounce = _enrolment_or_redirect(request, lesson)
    if bounce:
        return bounce
    # The offline script stores every lesson at once (header set by static/js/offline.js): that is not a visit.
    if enrolment is not None and "X-Civichub-Offline-Store" not in request.headers:
        services.record_visit(enrolment=enrolment, lesson=lesson)
    context = _lesson_context(request, lesson, enrolment)
    if lesson.is_quiz:
        context.update(_quiz_context(request, lesson))
    else:
        context["attachments"] = context["content"].attachments
    return render(request, "learning/lesson.html", context)


@login_required
@require_POST
def lesson_complete(request, slug, lesson_slug):
    lesson = queries.lesson_for_user(request.viewer, slug, lesson_slug)
    # Where the learner goes next, worked out before the write so that it is recorded in the same transaction:
    # the first step not done yet once this lesson is done, else the following lesson.
    outline = queries.course_outline(lesson.course, request.viewer)
    _previous, following = outline.neighbours(lesson)
    target = (
        next((item for item in outline.lessons if not item.done and item.pk != lesson.pk), None) or following
    )
    try:
        completed = services.mark_lesson_complete(
            user=request.user, lesson=lesson, continue_at_id=target.pk if target else None
        )
    except services.LearningError as error:
        messages.error(request, error.message)
        return redirect(lesson.course)
    if completed:
        messages.success(request, _("Congratulations! You have completed the course."))
        return redirect(lesson.course)
    if target is None:
        return redirect(lesson.course)
    return redirect(target)


@login_required
@require_POST
def quiz_submit(request, slug, lesson_slug):
    lesson = queries.lesson_for_user(request.viewer, slug, lesson_slug)
    try:
        number = int(request.POST.get("attempt", ""))
    except ValueError:
        number = 0
    data = {key: request.POST.getlist(key) for key in request.POST if key.startswith("q")}
    try:
        result = services.submit_quiz(user=request.user, lesson=lesson, data=data, attempt_number=number)
    except services.LearningError as error:
        messages.error(request, error.message)
        return redirect(lesson.course)
    if result.attempt is not None:
        if result.completed_course:
            messages.success(request, _("Congratulations! You have completed the course."))
        return redirect("learning:attempt", lesson.course.slug, lesson.slug, result.attempt.number)
    enrolment = queries.enrolment_of(request.viewer, lesson.course)
    context = _lesson_context(request, lesson, enrolment)
    context.update(_quiz_context(request, lesson, posted=request.POST))
    context.update({"errors": result.errors, "form_error": result.form_error})
    return render(request, "learning/lesson.html", context, status=400)


@login_required
@require_GET
def attempt(request, slug, lesson_slug, number):
    lesson = queries.lesson_for_user(request.viewer, slug, lesson_slug)
    if not lesson.is_quiz:
        raise Http404
    attempt = queries.attempt_for_user(request.viewer, lesson, number)
    used = services.attempts_used(user=request.user, lesson=lesson)
    left = max(lesson.max_attempts - used, 0) if lesson.max_attempts else None
    passed_before = attempt.passed or lesson.attempts.filter(user=request.user, passed=True).exists()
    reveal = passed_before or left == 0
    enrolment = queries.enrolment_of(request.viewer, lesson.course)
    return render(
        request,
        "learning/attempt.html",
        {
            "course": lesson.course,
            "lesson": lesson,
            "attempt": attempt,
            "attempts_left": left,
            "review": services.quiz_review(attempt, reveal=reveal),
            "reveal": reveal,
            "enrolment": enrolment,
            "can_retry": (left is None or left > 0) and enrolment is not None and enrolment.active,
        },
    )


@login_required
@require_GET
def attachment(request, slug, lesson_slug, pk):
    lesson = queries.lesson_for_user(request.viewer, slug, lesson_slug)
    _enrolment, bounce = _enrolment_or_redirect(request, lesson)
    if bounce:
        return bounce
    item = get_object_or_404(Attachment, pk=pk, lesson=lesson)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1])


@login_required
@require_GET
def my_learning(request):
    in_progress, completed = queries.my_learning(request.viewer)
    return render(request, "learning/my_learning.html", {"in_progress": in_progress, "completed": completed})


@login_required
@require_GET
def report(request, slug):
    course = queries.course_for_report(request.viewer, slug)
    data = queries.course_report(course)
    regions = dict(Region.choices)
    for row in data.regions:
        row["label"] = regions.get(row["user__region"]) or _("Not given")
    return render(request, "learning/report.html", {"course": course, "report": data})


@login_required
@require_GET
def report_csv(request, slug):
    course = queries.course_for_report(request.viewer, slug)
    data = queries.course_report(course)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{course.slug}-report.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 (Georgian) correctly with a byte-order mark
    writer = csv.writer(response)
    writer.writerow([_("Section"), _("Item"), _("Enrolled"), _("Completed"), _("Value")])
    writer.writerow([_("Course"), course.title, data.enrolled, data.completed, f"{data.completion_rate}%"])
    for quiz in data.quizzes:
        average = "" if quiz["average"] is None else f"{quiz['average']}%"
        writer.writerow(
            [_("Quiz"), _csv_safe(quiz["lesson"].title), quiz["learners"], quiz["passed"], average]
        )
    regions = dict(Region.choices)
    for row in data.regions:
        label = regions.get(row["user__region"]) or _("Not given")
        writer.writerow([_("Region"), label, row["enrolled"], row["completed"], ""])
    return response


def _csv_safe(value: str) -> str:
    """Keep spreadsheet programs from running a title as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@require_GET
def download(request, slug):
    course = queries.course_for_user(request.viewer, slug)
    modules = queries.offline_course(course)
    html = render_to_string(
        "learning/offline.html",
        {
            "course": course,
            "modules": modules,
            "generated": timezone.now(),
            "css": offline.STYLES,
        },
        request=None,
    )
    html = offline.inline_images(html)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{course.slug}.html"'
    return response


@never_cache
@login_required
@require_GET
def offline_manifest(request, slug):
    """What to keep on the phone for a course: enrolled learners only, 404 for everyone else."""
    course = queries.course_for_user(request.viewer, slug)
    enrolment = queries.enrolment_of(request.viewer, course)
    if enrolment is None or not enrolment.active:
        raise Http404
    return JsonResponse(sync.course_manifest(course), json_dumps_params={"ensure_ascii": False})


@never_cache
@require_http_methods(["GET", "POST"])
def offline_sync(request):
    """POST: apply steps taken offline (JSON, CSRF token in the X-CSRFToken header); GET: a fresh token.

    JSON answers for the script, also when signed out (401: sign in, then the steps are sent again).
    """
    if not request.user.is_authenticated:
        return JsonResponse({"problem": _("Sign in to send the steps kept on this phone.")}, status=401)
    if request.method == "GET":
        return JsonResponse({"csrf_token": get_token(request)})
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > sync.MAX_BODY_BYTES:
            raise sync.BatchError(_("Too much to send at once: send fewer steps in each batch."), status=413)
        events = sync.read_batch(request.body)
    except sync.BatchError as error:
        return JsonResponse({"problem": error.message, "results": []}, status=error.status)
    results = sync.sync(user=request.user, events=events)
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})


__all__ = ["Lesson"]
