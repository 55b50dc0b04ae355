"""Thin views: load through queries (404 for outsiders), change through services, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.api import is_programme_staff, memberships_of, permission_required
from calls import answers, exports, queries, services
from calls.forms import (
    AssignForm,
    ConflictForm,
    DecisionForm,
    InfoRequestForm,
    ScreeningForm,
    StaffListForm,
    StartApplicationForm,
)
from calls.models import (
    Application,
    Conflict,
    OutboxMessage,
    OutboxStatus,
    Recommendation,
    ReviewVisibility,
    Status,
)
from calls.services import APPLICANT, CallsError

# Every list of calls, applications and assignments is paged: a page reads and renders the same number of rows
# however long the list grows.
PAGE_SIZE = 25
STASH_KEY = "calls_unsaved_{pk}"


# --- public -----------------------------------------------------------------------------------------


@require_GET
def call_list(request):
    """Open and upcoming calls by deadline, a page at a time, and the ten calls closed most recently."""
    now = timezone.now()
    page = Paginator(queries.open_and_upcoming_calls(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "calls/call_list.html",
        {
            "page": page,
            "open_calls": [c for c in page.object_list if c.opens_at <= now],
            "upcoming_calls": [c for c in page.object_list if c.opens_at > now],
            "past_calls": queries.past_calls()[:10],
        },
    )


def _eligibility_options(call, user):
    """(organisation or None, failures) for every way ``user`` could apply to ``call``."""
    options = []
    if call.allows_individuals:
        options.append((None, services.eligibility(call=call, user=user)))
    if call.allows_organisations:
        for membership in memberships_of(user):
            options.append(
                (
                    membership.organisation,
                    services.eligibility(call=call, user=user, organisation=membership.organisation),
                )
            )
    return options


@require_GET
def call_detail(request, slug):
    call = queries.call_for_user(request.viewer, slug)
    context = {
        "call": call,
        "criteria": call.criteria.all(),
        "courses": call.required_courses.all(),
        "is_open": call.is_open(),
        "application": queries.application_of(request.viewer, call),
    }
    if request.viewer.is_authenticated and context["application"] is None:
        options = _eligibility_options(call, request.user)
        context["options"] = options
        eligible = [(org, f) for org, f in options if not f]
        if eligible:
            context["start_form"] = StartApplicationForm(
                call=call,
                memberships=[
                    m for m in memberships_of(request.user) if any(o == m.organisation for o, _f in eligible)
                ],
            )
    return render(request, "calls/call_detail.html", context)


@login_required
@require_POST
def start_application(request, slug):
    call = queries.call_for_user(request.viewer, slug)
    form = StartApplicationForm(request.POST, call=call, memberships=list(memberships_of(request.user)))
    if not form.is_valid():
        messages.error(request, _("Choose whether you apply in your own name or for an organisation."))
        return redirect(call)
    organisation = None
    if form.cleaned_data["organisation"]:
        organisation = next(
            m.organisation
            for m in memberships_of(request.user)
            if m.organisation_id == form.cleaned_data["organisation"]
        )
    failures = services.eligibility(call=call, user=request.user, organisation=organisation)
    if failures:
        messages.error(request, _("You do not meet the conditions of this call yet."))
        return redirect(call)
    try:
        application = services.start_application(call=call, user=request.user, organisation=organisation)
    except CallsError as error:
        messages.error(request, error.message)
        return redirect(call)
    return redirect("calls:application_form", application.pk)


# --- applicants -------------------------------------------------------------------------------------


@login_required
@require_GET
def my_applications(request):
    applications = list(queries.my_applications(request.viewer))
    return render(request, "calls/my_applications.html", {"applications": applications})


def _stash(request, pk):
    """Keep what an unauthenticated (session expired) person typed, to restore it after they sign in."""
    row = Application.objects.filter(pk=pk).select_related("call").first()
    if row is None:
        return
    values = answers.read_post(list(row.call.fields.all()), request.POST)
    if len(str(values)) < 100_000:
        request.session[STASH_KEY.format(pk=pk)] = values


def _restore(request, application):
    values = request.session.pop(STASH_KEY.format(pk=application.pk), None)
    if values and application.status in (Status.DRAFT, Status.MORE_INFO):
        services.save_draft(application=application, by=request.user, values=values)
        messages.info(request, _("What you typed before your session ended has been restored and saved."))


def _form_context(application, *, errors=None, data=None):
    fields = queries.form_fields(application.call)
    keys = services.editable_keys(application)
    data = application.data if data is None else data
    attachments = {a.pk: a for a in application.attachments.all()}
    items = []
    for field in fields:
        value = data.get(field.key)
        item = {
            "field": field,
            "value": value,
            "errors": (errors or {}).get(field.key, []),
            "editable": keys is None or field.key in keys,
            "attachment": attachments.get(value) if field.kind == "file" else None,
        }
        if field.kind == "budget":
            lines = answers.budget_lines(value)
            blanks = [answers.BudgetLine("", "", "", None)] * answers.BUDGET_BLANK_ROWS
            item["lines"] = (lines + blanks)[: answers.BUDGET_ROWS_MAX]
            item["total"] = answers.budget_total(value)
        if field.kind == "multiple":
            item["selected"] = value if isinstance(value, list) else []
        items.append(item)
    request_open = (
        application.info_requests.filter(answered_at__isnull=True).last()
        if application.status == Status.MORE_INFO
        else None
    )
    return {
        "application": application,
        "call": application.call,
        "items": items,
        "errors": errors or {},
        "answer_errors": (errors or {}).get("__answer__", []),
        "info_request": request_open,
        "has_errors": bool(errors),
    }


@require_http_methods(["GET", "POST"])
def application_form(request, pk):
    if not request.user.is_authenticated:
        if request.method == "POST":
            _stash(request, pk)
            messages.warning(
                request, _("Your session ended. Sign in again: what you typed is kept and will be restored.")
            )
        return redirect_to_login(reverse("calls:application_form", args=[pk]))
    application = queries.application_for_applicant(request.viewer, pk)
    if application.status not in (Status.DRAFT, Status.MORE_INFO):
        return redirect(application)
    _restore(request, application)
    if request.method == "GET":
        return render(request, "calls/application_form.html", _form_context(application))
    fields = queries.form_fields(application.call)
    try:  # save_draft keeps only the keys editable now and leaves ``application`` as saved
        upload_errors = services.save_draft(
            application=application,
            by=request.user,
            fields=fields,
            values=answers.read_post(fields, request.POST),
            files=_files(request),
        )
    except CallsError as error:
        messages.error(request, error.message)
        return redirect(application)
    if "submit" in request.POST:
        if upload_errors:
            messages.error(request, _("A file could not be accepted. Your other answers are saved."))
            return render(
                request, "calls/application_form.html", _form_context(application, errors=upload_errors)
            )
        try:
            if application.status == Status.MORE_INFO:
                services.resubmit_application(
                    application=application,
                    by=request.user,
                    answer=request.POST.get("info_answer", "")[:10000],
                )
                messages.success(request, _("Your answer was sent. Thank you."))
            else:
                services.submit_application(application=application, by=request.user)
                messages.success(request, _("Your application is submitted. A receipt was sent by email."))
        except CallsError as error:
            messages.error(request, error.message)
            context = _form_context(application, errors=error.errors)
            context["info_answer"] = request.POST.get("info_answer", "")
            return render(request, "calls/application_form.html", context)
        return redirect(application)
    if upload_errors:
        messages.error(request, _("A file could not be accepted. Your other answers are saved."))
        return render(
            request, "calls/application_form.html", _form_context(application, errors=upload_errors)
        )
    messages.success(request, _("Draft saved."))
    return redirect("calls:application_form", application.pk)


def _files(request) -> dict:
    return {name[2:]: upload for name, upload in request.FILES.items() if name.startswith("f_")}


@require_POST
def application_autosave(request, pk):
    """htmx: save on every change. An expired session keeps the text in the page and in the session."""
    if not request.user.is_authenticated:
        _stash(request, pk)
        return render(
            request, "calls/_autosave.html", {"expired": True, "login_url": reverse("account_login")}
        )
    application = queries.application_for_applicant(request.viewer, pk)
    # One read of the fields and of the row (locked in save_draft, which keeps only the keys editable now and
    # leaves ``application`` as saved); the fragment needs no context processors. 6 queries on SQLite.
    fields = queries.form_fields(application.call)
    try:
        upload_errors = services.save_draft(
            application=application,
            by=request.user,
            files=_files(request),
            values=answers.read_post(fields, request.POST),
            fields=fields,
        )
    except CallsError as error:
        return HttpResponse(render_to_string("calls/_autosave.html", {"error": error.message}))
    budgets = [
        (f.key, answers.budget_total(application.data.get(f.key))) for f in fields if f.kind == "budget"
    ]
    return HttpResponse(
        render_to_string(
            "calls/_autosave.html",
            {"saved_at": timezone.localtime(), "upload_errors": upload_errors, "budgets": budgets},
        )
    )


def applicant_status(application) -> str:
    """The status the applicant sees: a decision shows once its letter has been sent."""
    if application.status == Status.DECIDED and application.decision_published_at is None:
        return Status.IN_REVIEW.label
    if application.status == Status.DECIDED:
        return application.get_outcome_display()
    return application.get_status_display()


@login_required
@require_GET
def application_detail(request, pk):
    application = queries.application_for_applicant(request.viewer, pk)
    fields = queries.form_fields(application.call)
    letter = None
    if application.decision_published_at:
        letter = application.outbox.filter(status=OutboxStatus.SENT).last()
    return render(
        request,
        "calls/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "status_label": applicant_status(application),
            "answers": answers.present(fields, application.data, application.attachments.all()),
            "history": queries.history(application)
            .exclude(action="conflict")
            .exclude(action="decide" if application.decision_published_at is None else ""),
            "info_requests": application.info_requests.all(),
            "can_withdraw": bool(services.allowed(application.status, "withdraw", APPLICANT)),
            "can_edit": application.status in (Status.DRAFT, Status.MORE_INFO),
            "letter": letter,
        },
    )


@login_required
@require_POST
def application_withdraw(request, pk):
    application = queries.application_for_applicant(request.viewer, pk)
    try:
        services.withdraw_application(
            application=application, by=request.user, note=request.POST.get("note", "")[:2000]
        )
        messages.success(request, _("Your application is withdrawn."))
    except CallsError as error:
        messages.error(request, error.message)
    return redirect(application)


@login_required
@require_GET
def attachment(request, pk, attachment_pk):
    item = queries.attachment_for_user(request.viewer, pk, attachment_pk)
    application = item.application
    blind_viewer = request.viewer.pk != application.applicant_id and not is_programme_staff(request.viewer)
    name = (
        f"{application.reference}-{item.field_key}.{item.extension}"
        if blind_viewer and application.call.blind_review
        else item.original_name
    )
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- reviewers --------------------------------------------------------------------------------------


@permission_required("calls.review")
@require_GET
def review_queue(request):
    # Reviews still to write come first; long queues are paged.
    page = Paginator(queries.review_queue(request.viewer), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "calls/review_queue.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    assignment = queries.assignment_for_reviewer(request.viewer, pk)
    application = assignment.application
    call = application.call
    if assignment.conflict == Conflict.PENDING:
        form = ConflictForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.declare_conflict(
                assignment=assignment,
                by=request.user,
                conflict=form.cleaned_data["conflict"],
                note=form.cleaned_data["note"],
            )
            if form.cleaned_data["conflict"]:
                messages.info(request, _("Thank you. You are no longer assigned to this application."))
                return redirect("calls:review_queue")
            return redirect("calls:review", assignment.pk)
        return render(
            request,
            "calls/conflict.html",
            {"assignment": assignment, "application": application, "call": call, "form": form},
        )
    review_obj = getattr(assignment, "review", None)
    criteria = list(call.criteria.all())
    errors, posted = {}, None
    if request.method == "POST":
        posted = {str(c.pk): request.POST.get(f"score_{c.pk}", "") for c in criteria}
        try:
            services.save_review(
                assignment=assignment,
                by=request.user,
                scores=posted,
                comments=request.POST.get("comments", ""),
                recommendation=request.POST.get("recommendation", ""),
                submit="submit" in request.POST,
            )
            messages.success(
                request, _("Review submitted.") if "submit" in request.POST else _("Draft saved.")
            )
            return redirect("calls:review", assignment.pk)
        except CallsError as error:
            messages.error(request, error.message)
            errors = error.errors
        assignment = queries.assignment_for_reviewer(request.viewer, pk)
        review_obj = getattr(assignment, "review", None)
    scores = posted or (review_obj.scores if review_obj else {})
    rows = [
        {
            "criterion": c,
            "value": scores.get(str(c.pk), ""),
            "errors": errors.get(str(c.pk), []),
            "range": range(c.min_score, c.max_score + 1),
        }
        for c in criteria
    ]
    others = []
    submitted = review_obj is not None and review_obj.is_submitted
    if call.review_visibility == ReviewVisibility.AFTER_OWN and submitted:
        others = [
            r for r in queries.reviews_of(application) if r.assignment_id != assignment.pk and r.is_submitted
        ]
    return render(
        request,
        "calls/review.html",
        {
            "assignment": assignment,
            "application": application,
            "call": call,
            "review": review_obj,
            "rows": rows,
            "answers": answers.present(
                queries.form_fields(call),
                application.data,
                application.attachments.all(),
                blind=call.blind_review,
            ),
            "others": others,
            "submitted": submitted,
            "errors": errors,
            "comments": request.POST.get("comments")
            if request.method == "POST"
            else (review_obj.comments if review_obj else ""),
            "recommendation": request.POST.get("recommendation")
            if request.method == "POST"
            else (review_obj.recommendation if review_obj else ""),
            "recommendations": Recommendation.choices,
            "criteria_by_pk": {str(c.pk): c for c in criteria},
        },
    )


@permission_required("calls.review")
@require_GET
def reviewer_export(request, slug):
    """The reviewer's own assigned applications of one call; identity left out in blind calls."""
    call = queries.call_for_user(request.viewer, slug)
    ids = list(
        queries.reviewer_assignments(request.viewer)
        .filter(application__call=call, conflict=Conflict.NONE)
        .values_list("application_id", flat=True)
    )
    if not ids:
        raise Http404
    table = exports.rows(call, blind=True, ids=ids)
    return exports.csv_response(table, exports._filename(call, "-review.csv"))


# --- staff ------------------------------------------------------------------------------------------


@login_required
@require_GET
def manage_call(request, slug):
    call = queries.call_for_staff(request.viewer, slug)
    form = StaffListForm(request.GET or None)
    status = sort = ""
    if form.is_valid():
        status, sort = form.cleaned_data["status"], form.cleaned_data["sort"]
    page = Paginator(
        queries.staff_applications(call, status=status, sort=sort or "score"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "calls/manage_call.html",
        {
            "call": call,
            "page": page,
            "form": form,
            "querystring": query.urlencode(),
            "decision_form": DecisionForm(),
            "pending_letters": OutboxMessage.objects.filter(
                application__call=call, status=OutboxStatus.PENDING
            ).count(),
        },
    )


@login_required
@require_POST
def auto_assign(request, slug):
    call = queries.call_for_staff(request.viewer, slug)
    created = services.auto_assign(call=call, by=request.user)
    messages.success(request, _("%(count)s reviewer assignments made.") % {"count": created})
    return redirect("calls:manage_call", call.slug)


@login_required
@require_POST
def bulk_decide(request, slug):
    call = queries.call_for_staff(request.viewer, slug)
    form = DecisionForm(request.POST)
    ids = [int(v) for v in request.POST.getlist("application") if v.isdigit()]
    if not form.is_valid() or not ids:
        messages.error(request, _("Choose applications and a decision."))
        return redirect("calls:manage_call", call.slug)
    applications = list(Application.objects.filter(call=call, pk__in=ids).select_related("applicant", "call"))
    done, problems = services.decide_many(
        applications=applications,
        by=request.user,
        outcome=form.cleaned_data["outcome"],
        note=form.cleaned_data["note"],
    )
    messages.success(
        request, _("%(count)s decisions recorded; their letters wait in the outbox.") % {"count": done}
    )
    for problem in problems:
        messages.error(request, problem)
    return redirect("calls:manage_call", call.slug)


def _manage_context(request, application, **forms):
    call = application.call
    fields = queries.form_fields(call)
    attachments = list(application.attachments.all())
    versions = list(application.versions.all())
    changes = []
    if len(versions) > 1:
        changes = answers.diff(fields, versions[-2].data, versions[-1].data, attachments)
    excluded = services._excluded_reviewer_ids(application)
    reviewers = [
        r for r in services.eligible_reviewers().order_by("full_name_ka", "pk") if r.pk not in excluded
    ]
    criteria = list(call.criteria.all())
    reviews = list(queries.reviews_of(application))
    return {
        "application": application,
        "call": call,
        "criteria": criteria,
        "answers": answers.present(fields, application.data, attachments),
        "history": queries.history(application),
        "versions": versions,
        "changes": changes,
        "assignments": application.assignments.select_related("reviewer", "review"),
        "reviews": reviews,
        "info_requests": application.info_requests.all(),
        "actions": services.actions_for(application.status, services.STAFF),
        "screening_form": forms.get("screening_form") or ScreeningForm(),
        "info_form": forms.get("info_form")
        or InfoRequestForm(fields=fields, default_days=call.info_response_days),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "assign_form": AssignForm(reviewers=reviewers),
        "can_assign": application.status in services.REVIEWABLE,
        "outbox": application.outbox.all(),
    }


@login_required
@require_GET
def manage_application(request, pk):
    application = queries.application_for_staff(request.viewer, pk)
    return render(request, "calls/manage_application.html", _manage_context(request, application))


@login_required
@require_POST
def staff_action(request, pk):
    application = queries.application_for_staff(request.viewer, pk)
    action = request.POST.get("action", "")
    forms = {}
    try:
        if action == "start_screening":
            services.start_screening(application=application, by=request.user)
        elif action == "screen":
            form = forms["screening_form"] = ScreeningForm(request.POST)
            if form.is_valid():
                services.screen(application=application, by=request.user, **form.cleaned_data)
        elif action == "request_info":
            form = forms["info_form"] = InfoRequestForm(
                request.POST,
                fields=queries.form_fields(application.call),
                default_days=application.call.info_response_days,
            )
            if form.is_valid():
                services.request_more_information(
                    application=application, by=request.user, **form.cleaned_data
                )
        elif action == "decide":
            form = forms["decision_form"] = DecisionForm(request.POST)
            if form.is_valid():
                services.decide(application=application, by=request.user, **form.cleaned_data)
        else:
            raise CallsError(_("This action is not possible for this application now."))
    except CallsError as error:
        messages.error(request, error.message)
        application.refresh_from_db()
        return render(
            request,
            "calls/manage_application.html",
            _manage_context(request, application, **forms),
            status=400,
        )
    if any(not f.is_valid() for f in forms.values()):
        return render(
            request,
            "calls/manage_application.html",
            _manage_context(request, application, **forms),
            status=400,
        )
    messages.success(request, _("Done."))
    return redirect("calls:manage_application", application.pk)


@login_required
@require_POST
def assign(request, pk):
    application = queries.application_for_staff(request.viewer, pk)
    try:
        if request.POST.get("unassign", "").isdigit():
            target = application.assignments.filter(pk=int(request.POST["unassign"])).first()
            if target is None:
                raise Http404
            services.unassign_reviewer(assignment=target, by=request.user)
            messages.success(request, _("The reviewer is unassigned."))
        else:
            reviewer_id = request.POST.get("reviewer", "")
            reviewer = (
                services.eligible_reviewers().filter(pk=int(reviewer_id)).first()
                if reviewer_id.isdigit()
                else None
            )
            if reviewer is None:
                raise CallsError(_("Choose a reviewer."))
            services.assign_reviewer(application=application, reviewer=reviewer, by=request.user)
            messages.success(request, _("The reviewer is assigned and notified."))
    except CallsError as error:
        messages.error(request, error.message)
    return redirect("calls:manage_application", application.pk)


@login_required
@require_GET
def export_csv(request, slug):
    call = queries.call_for_staff(request.viewer, slug)
    return exports.csv_response(exports.rows(call, blind=False), exports._filename(call, ".csv"))


@login_required
@require_GET
def export_xlsx(request, slug):
    call = queries.call_for_staff(request.viewer, slug)
    return exports.xlsx_response(exports.rows(call, blind=False), exports._filename(call, ".xlsx"))


@login_required
@require_GET
def export_attachments(request, slug):
    call = queries.call_for_staff(request.viewer, slug)
    return exports.attachments_zip(call)


@permission_required("calls.manage")
@require_http_methods(["GET", "POST"])
def outbox(request):
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("message") if v.isdigit()]
        if "retry" in request.POST:
            chosen = list(OutboxMessage.objects.filter(pk__in=ids))
            count = services.retry_outbox(messages=chosen, by=request.user)
            messages.success(request, _("%(count)s letters are being sent again.") % {"count": count})
            return redirect("calls:outbox")
        chosen = list(OutboxMessage.objects.filter(pk__in=ids, status=OutboxStatus.PENDING))
        if "cancel" in request.POST:
            count = sum(services.cancel_outbox(message=m, by=request.user) for m in chosen)
            messages.success(request, _("%(count)s letters cancelled.") % {"count": count})
        else:
            count = services.approve_outbox(messages=chosen, by=request.user)
            messages.success(
                request, _("%(count)s letters approved; they are being sent.") % {"count": count}
            )
        return redirect("calls:outbox")
    pending = list(queries.outbox(OutboxStatus.PENDING))
    sent = list(queries.outbox(OutboxStatus.SENT).order_by("-sent_at")[:20])
    not_sent = list(queries.outbox_not_sent())
    return render(request, "calls/outbox.html", {"pending": pending, "sent": sent, "not_sent": not_sent})
