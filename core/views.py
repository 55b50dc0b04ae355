from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.i18n import set_language
from django_tasks_db.models import DBTaskResult

from core.cache import cache_anonymous_page
from core.models import PeriodicRun
from core.periodic import SCHEDULER


@cache_anonymous_page(timeout=300)
def home(request):
    return render(request, "core/home.html")


def _age_seconds(moment, now) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise (for load balancers and uptime checks).

    Also the age of the oldest task waiting for a worker and of the scheduler's last round, in seconds (null when
    there is none), so a monitor sees a stopped or stuck task worker or scheduler while the site itself is up.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        now = timezone.now()
        oldest_ready = (
            DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        )
        last_tick = (
            PeriodicRun.objects.filter(name=SCHEDULER).values_list("last_enqueued_at", flat=True).first()
        )
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "oldest_ready_task_age_seconds": _age_seconds(oldest_ready, now),
            "last_periodic_run_age_seconds": _age_seconds(last_tick, now),
        }
    )


def csrf_failure(request, reason=""):
    response = render(request, "core/csrf_failure.html", status=403)
    return response


def bad_request(request, exception):
    """The portal's 400 page. Unlike Django's default it does not check the CSRF token: that check reads the
    request body again, and a body that could not be read (an unknown charset) would raise again, giving a 500."""
    return render(request, "400.html", status=400)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def switch_language(request):
    """Django's set_language, and a signed-in person's choice is remembered for the emails we send them."""
    response = set_language(request)
    language = request.POST.get("language")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and user.language != language
    ):
        user.language = language
        user.save(update_fields=["language"])
    return response
