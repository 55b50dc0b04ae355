"""Reads of the calls domain and the access helpers every view loads objects through (404 for outsiders).

Access helpers take the viewer (``request.viewer``): permission rules and the person's own rows read it.
"""

from __future__ import annotations

from django.db.models import F, OrderBy, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.api import require
from calls.models import (
    Application,
    ApplicationEvent,
    Assignment,
    Attachment,
    Call,
    Conflict,
    FormKind,
    OutboxMessage,
    OutboxStatus,
    Review,
    Status,
)

SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "score": (F("score").desc(nulls_last=True), "pk"),
    "-score": (F("score").asc(nulls_last=True), "pk"),
    "reviews": ("-review_count", "pk"),
    "spread": (F("score_spread").desc(nulls_last=True), "pk"),
    "reference": (F("reference").asc(nulls_last=True), "pk"),
    "submitted": (F("submitted_at").asc(nulls_last=True), "pk"),
}


def open_and_upcoming_calls() -> QuerySet[Call]:
    now = timezone.now()
    # stages: a full-proposal stage is not open to the public (only shortlisted applicants apply there)
    return Call.objects.filter(published=True, closes_at__gte=now, concept_stage__isnull=True).order_by(
        "closes_at", "pk"
    )


def past_calls() -> QuerySet[Call]:
    return Call.objects.filter(
        published=True,
        closes_at__lt=timezone.now(),
        concept_stage__isnull=True,  # stages
    ).order_by("-closes_at", "pk")


def call_for_user(viewer, slug: str) -> Call:
    call = Call.objects.select_related("concept_stage", "full_stage").filter(slug=slug).first()  # stages
    if call is None:
        raise Http404
    require(viewer, "calls.view_public", call)
    return call


def call_for_staff(viewer, slug: str) -> Call:
    call = Call.objects.select_related("concept_stage", "full_stage").filter(slug=slug).first()  # stages
    if call is None:
        raise Http404
    require(viewer, "calls.manage", call)
    return call


def application_for_applicant(viewer, pk: int) -> Application:
    application = (
        Application.objects.select_related("call", "organisation", "applicant", "invited_from")  # stages
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    require(viewer, "calls.view_application", application)
    return application


def application_for_staff(viewer, pk: int) -> Application:
    application = (
        Application.objects.select_related("call", "organisation", "applicant").filter(pk=pk).first()
    )
    if application is None:
        raise Http404
    require(viewer, "calls.manage", application)
    return application


def assignment_for_reviewer(viewer, pk: int) -> Assignment:
    from calls.models import ReviewerStatement  # review

    assignment = (
        Assignment.objects.select_related(
            "application__call", "application__applicant", "application__organisation", "review"
        )
        # review: whether the reviewer confirmed the call's statement, read with the assignment
        .annotate(
            statement_ok=Exists(
                ReviewerStatement.objects.filter(
                    reviewer_id=OuterRef("reviewer_id"), call_id=OuterRef("application__call_id")
                )
            )
        )
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    require(viewer, "calls.review", assignment)
    return assignment


def attachment_for_user(viewer, application_pk: int, pk: int) -> Attachment:
    attachment = (
        Attachment.objects.select_related("application").filter(pk=pk, application_id=application_pk).first()
    )
    if attachment is None:
        raise Http404
    require(viewer, "calls.download_attachment", attachment)
    return attachment


def application_of(viewer, call: Call) -> Application | None:
    if not viewer.is_authenticated:
        return None
    return Application.objects.filter(call=call, applicant_id=viewer.pk).exclude(HIDDEN_INVITATION).first()


def my_applications(viewer) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant_id=viewer.pk)
        .exclude(HIDDEN_INVITATION)  # stages
        .select_related("call", "organisation")
        .prefetch_related(Prefetch("info_requests"))
        .order_by("-created_at", "pk")
    )


def form_fields(call: Call) -> list:
    return list(call.fields.filter(form=FormKind.APPLICATION))


def history(application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("actor").order_by("at", "pk")


def staff_applications(call: Call, *, status: str = "", sort: str = "score") -> QuerySet[Application]:
    """The staff list / ranking table: sorted on stored score columns (indexed with the call), so a page costs a
    fixed number of queries and reads only its own rows."""
    queryset = Application.objects.filter(call=call).exclude(status=Status.DRAFT)
    if status in Status.values:
        queryset = queryset.filter(status=status)
    return (
        queryset.select_related("applicant", "organisation")
        .only(*RANKING_COLUMNS)
        .order_by(*SORTS.get(sort, SORTS["score"]))
    )


# The columns the ranking table shows (the answers in ``data`` are not read for it).
RANKING_COLUMNS = (
    "id",
    "reference",
    "status",
    "outcome",
    "score",
    "review_count",
    "score_spread",
    "disagreement",
    "applicant",
    "organisation",
    "applicant__email",
    "applicant__full_name_ka",
    "applicant__full_name_latin",
    "organisation__name_ka",
    "organisation__name_en",
)


def reviewer_assignments(viewer) -> QuerySet[Assignment]:
    """The reviewer's assignments (not those they declared a conflict on), reviews still to write first."""
    return (
        Assignment.objects.filter(reviewer_id=viewer.pk)
        .exclude(conflict=Conflict.CONFLICT)
        .select_related("application__call", "review")
        .order_by(F("review__submitted_at").asc(nulls_first=True), "-assigned_at", "pk")
    )


# The columns the reviewer's queue shows (not the answers, the call's texts or the review's scores).
QUEUE_COLUMNS = (
    "id",
    "conflict",
    "application",
    "application__reference",
    "application__call",
    "application__call__slug",
    "application__call__title_ka",
    "application__call__title_en",
    "review__id",
    "review__submitted_at",
    "application__call__review_deadline",  # review
    "review__abstained",  # review
)


def review_queue(viewer) -> QuerySet[Assignment]:
    """``reviewer_assignments`` with only what the queue page shows."""
    return reviewer_assignments(viewer).only(*QUEUE_COLUMNS)


def reviews_of(application: Application) -> QuerySet[Review]:
    return (
        Review.objects.filter(assignment__application=application)
        .exclude(assignment__conflict=Conflict.CONFLICT)
        .select_related("assignment__reviewer")
        .order_by("pk")
    )


def outbox(status: str = OutboxStatus.PENDING) -> QuerySet[OutboxMessage]:
    return (
        OutboxMessage.objects.filter(status=status)
        .select_related("application__call")
        .order_by("created_at", "pk")
    )


def outbox_not_sent() -> QuerySet[OutboxMessage]:
    """Approved letters that failed to send or have made no progress for a while (staff may send them again)."""
    return (
        OutboxMessage.objects.filter(OutboxMessage.not_sent(timezone.now()))
        .select_related("application")
        .order_by("created_at", "pk")
    )


# --- feedback: feedback to applicants and decline statistics ---------------------------------------------------

from dataclasses import dataclass, field  # noqa: E402

from django.db.models import Count, Exists, OuterRef, Q  # noqa: E402

from calls.models import Criterion, DeclineReason, DeclineReasonUse, Feedback, Outcome  # noqa: E402

# Applications declined: rejected by a decision or found not compliant at screening.
DECLINED = Q(status=Status.SCREENED_OUT) | Q(status=Status.DECIDED, outcome=Outcome.REJECTED)


@dataclass
class CriterionReviews:
    """One criterion with each submitted review's score, reviewers numbered (never named)."""

    criterion: Criterion
    scores: list[tuple[int, object]]  # (reviewer number, score or None)
    mean: float | None


@dataclass
class AnonymousReviews:
    criteria: list[CriterionReviews]
    comments: list[tuple[int, str]]  # (reviewer number, comments) for reviews with comments
    count: int


def anonymous_reviews(application: Application) -> AnonymousReviews:
    """The submitted reviews of ``application`` as the feedback page shows them: numbered 1, 2, … in the order
    they were written, with no reviewer's name, email or account (the rows are read without the reviewer)."""
    reviews = list(
        Review.objects.filter(assignment__application=application, submitted_at__isnull=False)
        .exclude(assignment__conflict=Conflict.CONFLICT)
        .only("pk", "scores", "comments")
        .order_by("submitted_at", "pk")
    )
    rows = []
    for criterion in application.call.criteria.all():
        scores = [(n, review.scores.get(str(criterion.pk))) for n, review in enumerate(reviews, start=1)]
        given = [s for _n, s in scores if isinstance(s, int | float)]
        rows.append(CriterionReviews(criterion, scores, round(sum(given) / len(given), 2) if given else None))
    comments = [(n, r.comments.strip()) for n, r in enumerate(reviews, start=1) if r.comments.strip()]
    return AnonymousReviews(criteria=rows, comments=comments, count=len(reviews))


def feedback_of(application: Application) -> Feedback | None:
    return Feedback.objects.filter(application_id=application.pk).first()


def published_feedback(application: Application) -> Feedback | None:
    """The feedback the applicant may read: once the decision letter carrying it has been sent."""
    if application.decision_published_at is None:
        return None
    feedback = feedback_of(application)
    return None if feedback is None or feedback.is_empty else feedback


def decline_reasons_of(call: Call) -> QuerySet[DeclineReason]:
    """The call's reasons (offered or not) with the number of applications each was given for."""
    return DeclineReason.objects.filter(call=call).annotate(used=Count("uses")).order_by("position", "pk")


@dataclass
class CallDeclines:
    call: Call
    declined: int  # applications rejected or screened out
    without_reason: int  # of those, the ones no reason was recorded for
    reasons: list[tuple[DeclineReason, int, float]] = field(
        default_factory=list
    )  # (reason, count, % of declined)


@dataclass
class DeclineStatistics:
    calls: list[CallDeclines]
    # Across calls: (reason label, [count per call in ``calls`` order], total), by label in the active language.
    labels: list[tuple[str, list[int], int]]


def decline_statistics() -> DeclineStatistics:
    """Decline reasons per call (count, share of the call's declined applications) and across calls (by label).

    Four queries whatever the number of calls and reasons: the calls, the reasons with their counts, the declined
    applications per call, and the declined applications with at least one reason per call."""
    reasons_exist = DeclineReason.objects.filter(call=OuterRef("pk"))
    declined_exist = Application.objects.filter(DECLINED, call=OuterRef("pk"))
    calls = list(
        Call.objects.filter(Exists(reasons_exist) | Exists(declined_exist))
        .only("pk", "slug", "title_ka", "title_en", "opens_at")
        .order_by("-opens_at", "pk")
    )
    reasons = list(
        DeclineReason.objects.filter(call__in=[c.pk for c in calls])
        .annotate(used=Count("uses", filter=Q(uses__application__in=Application.objects.filter(DECLINED))))
        .order_by("position", "pk")
    )
    declined = dict(
        Application.objects.filter(DECLINED)
        .values("call_id")
        .annotate(n=Count("pk"))
        .values_list("call_id", "n")
    )
    with_reason = dict(
        DeclineReasonUse.objects.filter(application__in=Application.objects.filter(DECLINED))
        .values("application__call_id")
        .annotate(n=Count("application_id", distinct=True))
        .values_list("application__call_id", "n")
    )
    per_call = {
        c.pk: CallDeclines(
            call=c,
            declined=declined.get(c.pk, 0),
            without_reason=declined.get(c.pk, 0) - with_reason.get(c.pk, 0),
        )
        for c in calls
    }
    by_label: dict[str, list[int]] = {}
    order = {c.pk: i for i, c in enumerate(calls)}
    for reason in reasons:
        entry = per_call[reason.call_id]
        share = round(100 * reason.used / entry.declined, 1) if entry.declined else 0.0
        entry.reasons.append((reason, reason.used, share))
        by_label.setdefault(reason.label, [0] * len(calls))[order[reason.call_id]] += reason.used
    labels = sorted(
        ((label, counts, sum(counts)) for label, counts in by_label.items()), key=lambda r: (-r[2], r[0])
    )
    return DeclineStatistics(calls=list(per_call.values()), labels=labels)


# --- end feedback ---------------------------------------------------------------------------------------------


# --- stages: two-stage calls and co-applicants --------------------------------------------------------------

from django.db.models import Q  # noqa: E402

from accounts.api import Membership, User  # noqa: E402
from calls.models import ApplicationEdit, Collaborator, CollaboratorRole, Outcome  # noqa: E402
from calls.services import ORGANISATION_ADMIN  # noqa: E402

# A full-proposal draft made by shortlisting, before its invitation letter is sent: nobody outside staff sees it.
HIDDEN_INVITATION = Q(invited_from__isnull=False, invited_from__decision_published_at__isnull=True)


def collaborations(viewer) -> QuerySet[Application]:
    """Organisations' applications the viewer was invited to work on, or that an organisation they administer
    makes (they submit them), not their own."""
    if not viewer.is_authenticated:
        return Application.objects.none()
    invited = Exists(Collaborator.objects.filter(application_id=OuterRef("pk"), user_id=viewer.pk))
    administered = Membership.objects.filter(user_id=viewer.pk, role=ORGANISATION_ADMIN).values(
        "organisation_id"
    )
    return (
        Application.objects.filter(invited | Q(organisation_id__in=administered))
        .exclude(applicant_id=viewer.pk)
        .exclude(HIDDEN_INVITATION)
        .select_related("call", "organisation", "applicant")
        .order_by("-created_at", "pk")
    )


def collaborators_of(application: Application) -> QuerySet[Collaborator]:
    return (
        Collaborator.objects.filter(application=application)
        .select_related("user")
        .order_by("invited_at", "pk")
    )


@dataclass
class Edit:
    """A run of saves as the pages show it: who, when, how many saves, and the questions' labels."""

    user: object
    at: object
    saves: int
    questions: list[str]


def edits_of(application: Application, fields, limit: int = 50) -> list[Edit]:
    """Who saved which answers, newest first (the last ``limit`` runs of saves). ``fields`` are the call's
    questions the page has read already: each changed answer is named by its question's label in the active
    language (the stored key if the question was deleted since) — one query whatever the number of edits."""
    labels = {f.key: f.label for f in fields}
    order = {key: position for position, key in enumerate(labels)}

    def questions(keys) -> list[str]:  # in the form's order; deleted questions last, by key
        return [labels.get(k, k) for k in sorted(keys, key=lambda k: (order.get(k, len(order)), k))]

    return [
        Edit(user=edit.user, at=edit.at, saves=edit.saves, questions=questions(edit.keys))
        for edit in ApplicationEdit.objects.filter(application=application).select_related("user")[:limit]
    ]


def submitters_of(application: Application) -> list:
    """Who may submit an organisation's application: its current administrators and the member it named
    (one query)."""
    if not application.organisation_id:
        return [application.applicant]
    return list(
        User.objects.filter(
            Q(memberships__organisation_id=application.organisation_id, memberships__role=ORGANISATION_ADMIN)
            | Q(
                call_collaborations__application_id=application.pk,
                call_collaborations__role=CollaboratorRole.SUBMITTER,
            )
        )
        .distinct()
        .order_by("full_name_ka", "pk")
    )


def application_for_collaborators(viewer, pk: int) -> Application:
    """The organisation's application whose co-applicants the viewer (its applicant) manages; 404 otherwise."""
    application = (
        Application.objects.select_related("call", "organisation", "applicant").filter(pk=pk).first()
    )
    if application is None:
        raise Http404
    require(viewer, "calls.manage_collaborators", application)
    return application


def shortlisted_count(call: Call) -> int:
    return Application.objects.filter(call=call, status=Status.DECIDED, outcome=Outcome.SHORTLISTED).count()


# --- end stages


# --- stages (2)


def full_stage_of(call: Call) -> Call | None:
    return Call.objects.filter(concept_stage=call).first()


def invitation_of(application: Application) -> Application | None:
    """The full-proposal draft made by shortlisting this concept note."""
    return Application.objects.filter(invited_from=application).select_related("call").first()


# --- review: the review cycle's reads ---------------------------------------------------------------------


def late_reviews(call: Call, *, now=None) -> QuerySet[Assignment]:
    """Assignments of ``call`` still without a submitted review after its review deadline, oldest first."""
    from calls import services

    now = now or timezone.now()
    if call.review_deadline is None or call.review_deadline >= now:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(
            services.without_submitted_review(),
            application__call=call,
            application__status__in=services.REVIEWABLE,
        )
        .exclude(conflict=Conflict.CONFLICT)
        .select_related("reviewer", "application")
        .only(
            "id",
            "assigned_at",
            "nudged_at",
            "conflict",
            "reviewer__id",
            "reviewer__email",
            "reviewer__full_name_ka",
            "reviewer__full_name_latin",
            "application__id",
            "application__reference",
        )
        .order_by("assigned_at", "pk")
    )


def late_assignment(call: Call, pk: int) -> Assignment:
    assignment = late_reviews(call).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


def score_history(application: Application) -> dict[str, list]:
    """Every submitted score set of the application's reviews, by review id (one query)."""
    from calls.models import ReviewRevision

    history: dict[str, list] = {}
    for revision in ReviewRevision.objects.filter(review__assignment__application=application).order_by(
        "review_id", "number"
    ):
        history.setdefault(str(revision.review_id), []).append(revision)
    return history


def changes_for_reviewer(application: Application, fields, attachments, *, blind: bool) -> list:
    """(question, before, after) between the last two submitted versions, as a reviewer may read them: in a blind
    call without the identifying questions and without file names."""
    from django.utils.translation import gettext as _

    from calls.formkit import diff
    from calls.models import FieldKind

    versions = list(application.versions.order_by("-number")[:2])
    if len(versions) < 2:
        return []
    rows = [f for f in fields if not (blind and f.hidden_in_blind_review)]
    changes = diff(rows, versions[1].data, versions[0].data, attachments)
    if blind:
        changes = [
            (row, _("a file"), _("another file")) if row.kind == FieldKind.FILE else (row, before, after)
            for row, before, after in changes
        ]
    return changes


# --- end review
