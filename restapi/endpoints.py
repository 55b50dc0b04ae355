"""The versioned REST API, /api/v1/ (django-ninja, ADR 0022): public reads, personal reads with a token, and the
staff's reads of a call. Every read goes through the domain's ``api.py``; nothing here writes domain data.

Lists are paged (``limit``/``offset`` with ``next``/``previous`` links, a stable order ending in the primary key)
and cost a fixed number of queries whatever their length. GET answers carry an ``ETag`` and answer
``If-None-Match`` with 304. Errors are RFC 9457 problem details in the language of ``Accept-Language``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI, Path, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from accounts.api import Region, as_viewer, is_programme_staff
from calls import api as calls_api
from community import api as community_api
from credentials import api as credentials_api
from learning import api as learning_api
from restapi import schemas, services
from restapi.models import AccessToken, Scope
from restapi.problems import PROBLEM_TYPE, ApiProblem, problem

logger = logging.getLogger(__name__)

FILTER = r"^[a-z0-9_-]*$"  # filter values are codes: anything else matches nothing and is refused early
SLUG = r"^[-a-zA-Z0-9_]+$"
MAX_OFFSET = 1_000_000
PUBLIC_MAX_AGE = 60


class CivicAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        personal = getattr(request, "auth", None) is not None
        response["Cache-Control"] = "private, no-cache" if personal else f"public, max-age={PUBLIC_MAX_AGE}"
        patch_vary_headers(response, ("Accept-Language", "Authorization"))
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        wanted = [tag.removeprefix("W/") for tag in parse_etags(request.headers.get("If-None-Match", ""))]
        if etag in wanted or "*" in wanted:
            not_modified = HttpResponse(status=304)
            for header in ("ETag", "Cache-Control", "Vary"):
                not_modified[header] = response[header]
            return not_modified
        return response

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Error answers are documented with their real media type, problem details."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for code, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(code) >= 400 and "application/json" in content:
                        content[PROBLEM_TYPE] = content.pop("application/json")
        return schema


api = CivicAPI(
    title="civichub API",
    version="1",
    description=(
        "Open calls, courses, opportunities and cases without a token; your own learning, applications and "
        "credentials with a personal access token (Authorization: Bearer ...); a call's applications with a "
        "staff token. Errors are RFC 9457 problem details."
    ),
    urls_namespace="api_v1",
    docs_url=None,
)


# --- the language of answers: Accept-Language, on these unprefixed URLs too -------------------------------


def requested_language(request: HttpRequest) -> str:
    """The first supported language of ``Accept-Language`` by preference (q), else Georgian."""
    choices = []
    for position, part in enumerate(request.headers.get("Accept-Language", "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        try:
            quality = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            quality = 0.0
        if tag and quality > 0:
            choices.append((-quality, position, tag.strip().lower()))
    for _q, _p, tag in sorted(choices):
        for code, _name in settings.LANGUAGES:
            if tag == code or tag.startswith(code + "-"):
                return code
    return settings.LANGUAGE_CODE


def in_requested_language(view):
    """Run an API view in the language the client asks for (Django's LocaleMiddleware answers every URL without
    a language prefix in Georgian, which suits pages but not an API)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        language = requested_language(request)
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        return response

    return wrapped


def urls():
    """The API's URL patterns, each view run in the requested language."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = in_requested_language(pattern.callback)
    return patterns, app_name, namespace


# --- errors as problem details ---------------------------------------------------------------------------


@api.exception_handler(ApiProblem)
def _problem(request, exc: ApiProblem):
    return problem(request, exc.status, exc.detail, retry_after=exc.retry_after)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem(request, 401, _("Send a valid personal access token: Authorization: Bearer <token>."))


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors]
    return problem(request, 422, errors=errors)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return problem(request, exc.status_code)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem(request, 404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return problem(request, 403)


@api.exception_handler(Exception)
def _server_error(request, exc):
    logger.exception("REST API error on %s", request.path)
    return problem(request, 500)


# --- personal access tokens ------------------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """A personal access token; every request it makes is counted against its rate limit."""

    def __init__(self, scope: str = Scope.READ):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token: str) -> AccessToken | None:
        access = services.authenticate(token)
        if access is None:
            return None
        rate = services.hit_rate_limit(f"token:{access.pk}")
        if not rate.allowed:
            raise ApiProblem(429, _("Wait before sending more requests."), retry_after=rate.retry_after)
        if self.scope == Scope.STAFF and not (
            access.scope == Scope.STAFF and is_programme_staff(access.user)
        ):
            raise ApiProblem(403, _("This needs a staff token of programme staff."))
        return access


READ = TokenAuth()
STAFF = TokenAuth(Scope.STAFF)
PROBLEMS: dict[int, Any] = {400: schemas.Problem, 404: schemas.Problem, 422: schemas.Problem}
TOKEN_PROBLEMS: dict[int, Any] = {
    401: schemas.Problem,
    403: schemas.Problem,
    429: schemas.Problem,
    **PROBLEMS,
}


# --- helpers ---------------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _local(moment):
    """Aware datetimes in Georgia time, so they serialise as ISO 8601 with the +04:00 offset."""
    return timezone.localtime(moment) if moment else None


def _link(request: HttpRequest, limit: int, offset: int) -> str:
    query = request.GET.copy()
    query["limit"] = str(limit)
    query["offset"] = str(offset)
    return _absolute(request.path) + "?" + query.urlencode()


def _paged(request, rows, limit: int, offset: int, build: Callable[[Any], dict]) -> dict:
    """One page of a queryset (a count and the page's rows, plus the queryset's own prefetches) or of a list,
    with its ``next``/``previous`` links."""
    count = len(rows) if isinstance(rows, list) else rows.count()
    shown = rows[offset : offset + limit] if offset < count else []
    return {
        "count": count,
        "next": _link(request, limit, offset + limit) if offset + limit < count else None,
        "previous": _link(request, limit, max(0, offset - limit)) if offset > 0 else None,
        "items": [build(row) for row in shown],
    }


def _where(queryset, **lookups: str):
    """The queryset narrowed by each filter that was given (an empty value filters nothing)."""
    given = {lookup: value for lookup, value in lookups.items() if value}
    return queryset.filter(**given) if given else queryset


def _get_list(
    path: str, page: Any, name: str, summary: str, *, auth: TokenAuth | None = None, tag: str = "public"
):
    """Register a paged list (GET): ``limit`` and ``offset`` in, ``{count, next, previous, items}`` out (``_paged``).
    The errors documented are a public endpoint's, or with ``auth`` a token's as well."""
    problems = PROBLEMS if auth is None else TOKEN_PROBLEMS
    return api.get(
        path, response={200: page, **problems}, auth=auth, url_name=name, tags=[tag], summary=summary
    )


Limit = Query(20, ge=1, le=100, description="Items per page (at most 100).")
Offset = Query(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


def _filter(description: str):
    return Query("", max_length=40, pattern=FILTER, description=description)


# --- public: courses -------------------------------------------------------------------------------------


def _course(course) -> dict:
    return {
        "slug": course.slug,
        "title": course.title,
        "language": course.language,
        "level": course.level,
        "summary": course.summary,
        "estimated_hours": course.estimated_hours,
        "topics": [topic.slug for topic in course.topics.all()],
        "url": _absolute(course.get_absolute_url()),
        "updated_at": _local(course.updated_at),
    }


@_get_list("/courses", schemas.CoursePage, "courses", "Published courses")
def courses(
    request,
    limit: int = Limit,
    offset: int = Offset,
    level: str = _filter("beginner, intermediate or advanced"),
    language: str = _filter("ka or en"),
    topic: str = _filter("A topic's slug"),
):
    queryset = _where(learning_api.api_courses(), level=level, language=language, topics__slug=topic)
    return _paged(request, queryset, limit, offset, _course)


@api.get(
    "/courses/{slug}",
    response={200: schemas.CourseDetail, **PROBLEMS},
    url_name="course",
    tags=["public"],
    summary="A published course and its outline",
)
def course(request, slug: str = Path(..., max_length=80, pattern=SLUG)):
    found = learning_api.course_by_slug(slug)
    outline = learning_api.course_outline(found, as_viewer(AnonymousUser()))
    return {
        **_course(found),
        "prerequisites": [c.slug for c in found.prerequisites.filter(published=True).order_by("title", "pk")],
        "modules": [
            {
                "title": module.title,
                "lessons": [
                    {
                        "title": item.title,
                        "kind": item.kind,
                        "required": item.required,
                        "url": _absolute(item.get_absolute_url()),
                    }
                    for item in module.outline_lessons
                ],
            }
            for module in outline.modules
        ],
    }


# --- public: calls ---------------------------------------------------------------------------------------


def eligibility_in_words(call, courses: Iterable) -> list[str]:
    """Who may apply, worded as the call's page words it (the same messages, so the same translations)."""
    words = [f"{_('Who may apply')}: {call.get_applicant_type_display()}"]
    courses = list(courses)
    if courses:
        titles = ", ".join(c.title for c in courses)
        if call.course_rule == "all":
            rule = _("Complete all of these courses:")
        else:
            rule = ngettext(
                "Complete at least %(n)s of these courses:",
                "Complete at least %(n)s of these courses:",
                call.courses_needed,
            ) % {"n": call.courses_needed}
        words.append(f"{rule} {titles}")
    if call.regions:
        labels = ", ".join(
            str(Region(code).label) if code in Region.values else code for code in call.regions
        )
        words.append(_("Regions: %(regions)s") % {"regions": labels})
    else:
        words.append(_("Open to applicants from every region of Georgia."))
    if call.require_verified_organisation:
        words.append(_("The organisation must be verified on civichub."))
    return words


def _call(now):
    def build(call) -> dict:
        courses = list(call.required_courses.all())
        return {
            "slug": call.slug,
            "kind": call.kind,
            "title": call.title,
            "status": "open" if call.opens_at <= now else "upcoming",
            "opens_at": _local(call.opens_at),
            "closes_at": _local(call.closes_at),
            "applicant_type": call.applicant_type,
            "regions": list(call.regions or []),
            "required_courses": [c.slug for c in courses],
            "budget_max": call.budget_max,
            "eligibility": eligibility_in_words(call, courses),
            "url": _absolute(call.get_absolute_url()),
        }

    return build


@_get_list("/calls", schemas.CallPage, "calls", "Calls open now and opening later, nearest deadline first")
def calls(
    request,
    limit: int = Limit,
    offset: int = Offset,
    kind: str = _filter("grant, internship, certification or mentoring"),
    status: str = _filter("open or upcoming"),
    region: str = _filter("A region code: calls open to it (including calls open to every region)"),
):
    now = timezone.now()
    queryset = _where(calls_api.open_and_upcoming_calls(), kind=kind)
    if status == "open":
        queryset = queryset.filter(opens_at__lte=now)
    elif status == "upcoming":
        queryset = queryset.filter(opens_at__gt=now)
    elif status:
        queryset = queryset.none()
    if region:
        queryset = queryset.filter(Q(regions=[]) | Q(regions__icontains=f'"{region}"'))
    return _paged(request, queryset, limit, offset, _call(now))


# --- public: opportunities and cases ---------------------------------------------------------------------


def _opportunity(item) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "organiser": item.organiser,
        "deadline": _local(item.deadline),
        "link": item.link,
        "description": item.description,
        "url": _absolute(item.get_absolute_url()),
    }


@_get_list(
    "/opportunities",
    schemas.OpportunityPage,
    "opportunities",
    "Current opportunities, nearest deadline first",
)
def opportunities(request, limit: int = Limit, offset: int = Offset):
    return _paged(request, community_api.current_opportunities(), limit, offset, _opportunity)


def _case(case) -> dict:
    return {
        "slug": str(case.slug),
        "title": case.title,
        "mechanism": case.mechanism,
        "region": case.region,
        "municipality": case.municipality,
        "year": case.year,
        "summary": case.summary,
        "published_at": _local(case.published_at),
        "url": _absolute(case.get_absolute_url()),
    }


@_get_list("/cases", schemas.CasePage, "cases", "Published participation cases, newest first")
def cases(
    request,
    limit: int = Limit,
    offset: int = Offset,
    mechanism: str = _filter("A participation mechanism's code"),
    region: str = _filter("A region code"),
):
    queryset = community_api.published_cases(mechanism=mechanism, region=region).only(
        "slug", "title", "mechanism", "region", "municipality", "year", "summary", "published_at"
    )
    return _paged(request, queryset, limit, offset, _case)


# --- public: events (when the events domain is on) -------------------------------------------------------

if apps.is_installed("events"):
    from events import api as events_api

    def _event(event) -> dict:
        return {
            "id": event.pk,
            "kind": event.kind,
            "title": event.title,
            "starts_at": _local(event.starts_at),
            "ends_at": _local(event.ends_at),
            "registration_deadline": _local(event.registration_deadline),
            "venue": event.venue,
            "address": event.address,
            "audience": event.audience,
            "url": _absolute(reverse("events:detail", args=[event.pk])),
        }

    @_get_list(
        "/events",
        schemas.EventPage,
        "events",
        "Published events: upcoming (soonest first) or past (latest first)",
    )
    def events(
        request,
        limit: int = Limit,
        offset: int = Offset,
        kind: str = _filter("conference, training, webinar or ceremony"),
        when: str = _filter("upcoming (the default) or past"),
    ):
        now = timezone.now()
        queryset = events_api.published_events().only(
            "kind",
            "title_ka",
            "title_en",
            "starts_at",
            "ends_at",
            "registration_deadline",
            "venue",
            "address",
            "audience",
        )
        if when == "past":
            queryset = queryset.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
        else:
            queryset = queryset.filter(ends_at__gte=now).order_by("starts_at", "pk")
        return _paged(request, _where(queryset, kind=kind), limit, offset, _event)


# --- public: credential verification ---------------------------------------------------------------------


@api.post(
    "/credentials/verify",
    response={200: schemas.VerdictOut, **PROBLEMS},
    url_name="verify",
    tags=["public"],
    summary="Verify a VC-JWT (or a printed code): the verifier page's verdict",
)
def verify(request, payload: schemas.VerifyIn):
    verdict = credentials_api.verify_reference_or_token(payload.token)
    return {
        "state": verdict.state,
        "valid": verdict.valid,
        "headline": str(verdict.headline),
        "achievement": verdict.achievement_name,
        "valid_from": _local(verdict.valid_from),
        "valid_until": _local(verdict.valid_until),
        "checks": [{"name": c.name, "ok": c.ok, "message": str(c.message)} for c in verdict.checks],
    }


# --- personal (a token of any scope) ---------------------------------------------------------------------


def _viewer(request):
    return as_viewer(request.auth.user)


@_get_list(
    "/me/enrolments",
    schemas.EnrolmentPage,
    "my_enrolments",
    "My courses and my progress in each",
    auth=READ,
    tag="personal",
)
def my_enrolments(request, limit: int = Limit, offset: int = Offset):
    in_progress, completed = learning_api.my_learning(_viewer(request))
    enrolments = sorted([*in_progress, *completed], key=lambda e: (e.enrolled_at, e.pk), reverse=True)

    def build(enrolment) -> dict:
        next_lesson = getattr(enrolment, "next_lesson", None)
        return {
            "course": enrolment.course.slug,
            "title": enrolment.course.title,
            "enrolled_at": _local(enrolment.enrolled_at),
            "completed_at": _local(enrolment.completed_at),
            "percent": enrolment.percent,
            "next_lesson": _absolute(next_lesson.get_absolute_url()) if next_lesson else None,
            "url": _absolute(enrolment.course.get_absolute_url()),
        }

    return _paged(request, enrolments, limit, offset, build)


def applicant_status(application) -> tuple[str, str]:
    """(code, label) the applicant sees: a decision shows once its letter has been sent (as on their page)."""
    status = application.status
    if status == calls_api.Status.DECIDED and application.decision_published_at is None:
        return str(calls_api.Status.IN_REVIEW), str(calls_api.Status.IN_REVIEW.label)
    if status == calls_api.Status.DECIDED:
        return str(application.outcome), application.get_outcome_display()
    return str(status), application.get_status_display()


@_get_list(
    "/me/applications",
    schemas.MyApplicationPage,
    "my_applications",
    "My applications and their status",
    auth=READ,
    tag="personal",
)
def my_applications(request, limit: int = Limit, offset: int = Offset):
    def build(application) -> dict:
        code, label = applicant_status(application)
        return {
            "id": application.pk,
            "reference": application.reference,
            "call": application.call.slug,
            "call_title": application.call.title,
            "status": code,
            "status_label": label,
            "created_at": _local(application.created_at),
            "submitted_at": _local(application.submitted_at),
            "url": _absolute(application.get_absolute_url()),
        }

    queryset = calls_api.my_applications(_viewer(request)).prefetch_related(None)
    return _paged(request, queryset, limit, offset, build)


@_get_list(
    "/me/credentials", schemas.CredentialPage, "my_credentials", "My credentials", auth=READ, tag="personal"
)
def my_credentials(request, limit: int = Limit, offset: int = Offset):
    def build(credential) -> dict:
        return {
            "id": credential.pk,
            "achievement": credential.achievement.name,
            "issued_at": _local(credential.issued_at),
            "valid_until": _local(credential.valid_until),
            "status": credential.status,
            "url": _absolute(reverse("credentials:verify", args=[credential.pk])),
            "json_url": _absolute(reverse("credentials_credential_json", args=[credential.pk])),
        }

    queryset = credentials_api.credentials_of(_viewer(request)).order_by("-issued_at", "pk")
    return _paged(request, queryset, limit, offset, build)


# --- staff (a staff-scoped token of programme staff) -----------------------------------------------------


def _staff_application(application) -> dict:
    reviews = [a.review for a in application.assignments.all() if hasattr(a, "review")]
    return {
        "id": application.pk,
        "reference": application.reference,
        "status": application.status,
        "outcome": application.outcome,
        "score": application.score,
        "review_count": application.review_count,
        "disagreement": application.disagreement,
        "submitted_at": _local(application.submitted_at),
        "decided_at": _local(application.decided_at),
        "decision_published_at": _local(application.decision_published_at),
        "applicant": {
            "name": application.applicant.display_name,
            "email": application.applicant.email,
            "organisation": application.organisation.name if application.organisation else None,
        },
        "reviews": [
            {
                "scores": dict(review.scores or {}),
                "total": review.total,
                "recommendation": review.recommendation,
                "submitted_at": _local(review.submitted_at),
            }
            for review in reviews
        ],
    }


@_get_list(
    "/staff/calls/{slug}/applications",
    schemas.StaffApplicationPage,
    "staff_applications",
    "A call's submitted applications with their reviews and decisions",
    auth=STAFF,
    tag="staff",
)
def staff_applications(
    request,
    slug: str = Path(..., max_length=80, pattern=SLUG),
    limit: int = Limit,
    offset: int = Offset,
    status: str = _filter("An application status, e.g. in_review or decided"),
    outcome: str = _filter("accepted, rejected or waitlisted"),
):
    call = calls_api.call_for_staff(_viewer(request), slug)
    queryset = _where(calls_api.submitted_applications(call), status=status, outcome=outcome)
    return _paged(request, queryset, limit, offset, _staff_application)


@api.get(
    "/staff/calls/{slug}/export",
    response={200: schemas.ExportOut, **TOKEN_PROBLEMS},
    auth=STAFF,
    url_name="staff_export",
    tags=["staff"],
    summary="The call's staff export (the CSV/XLSX table) as JSON",
)
def staff_export(request, slug: str = Path(..., max_length=80, pattern=SLUG)):
    call = calls_api.call_for_staff(_viewer(request), slug)
    table = calls_api.application_rows(call, blind=False)
    return {"columns": [str(c) for c in table[0]], "rows": [[str(v) for v in row] for row in table[1:]]}
