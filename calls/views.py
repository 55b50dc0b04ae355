"""Thin views: load through queries (404 for outsiders), change through services, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.api import is_programme_staff, memberships_of, permission_required
from calls import drafts, exports, files, formkit, queries, services
from calls.forms import (
    AssignForm,
    ConflictForm,
    DecisionForm,
    DraftStateForm,
    InfoAnswerForm,
    InfoRequestForm,
    ReviewForm,
    ScreeningForm,
    StaffListForm,
    StartApplicationForm,
)
from calls.models import (
    Application,
    Conflict,
    OutboxMessage,
    OutboxStatus,
    ReviewVisibility,
    Status,
)
from calls.services import APPLICANT, CallsError
from core.api import cache_anonymous_page

# Every list of calls, applications and assignments is paged: a page reads and renders the same number of rows
# however long the list grows.
PAGE_SIZE = 25
STASH_KEY = "calls_unsaved_{pk}"

# No page offers a decision before a reviewer has scored the application (the review-cycle rules come later).
NO_REVIEW_YET = gettext_lazy("A decision needs at least one submitted review: assign reviewers first.")


# --- public -----------------------------------------------------------------------------------------


# Visitors' call list is served from the page cache; a call that opens or closes with time moves on the list within
# this many seconds (calls.signals drops the cached pages at once when a call is saved).
CALL_LIST_CACHE_SECONDS = 30


@require_GET
@cache_anonymous_page(timeout=CALL_LIST_CACHE_SECONDS)
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
    """Keep what a person whose session ended typed (with the base it was typed on), to merge it in after they
    sign in again. The page also keeps it in the browser."""
    row = Application.objects.filter(pk=pk).select_related("call").first()
    if row is None:
        return
    fields = queries.form_fields(row.call)
    form = formkit.AnswerForm(request.POST, rows=fields, call=row.call)
    state = DraftStateForm(request.POST)
    values = form.typed()
    if len(str(values)) < 100_000:
        request.session[STASH_KEY.format(pk=pk)] = {"values": values, "base": state.base_answers()}


def _restore(request, application):
    stash = request.session.pop(STASH_KEY.format(pk=application.pk), None)
    if not stash or application.status not in (Status.DRAFT, Status.MORE_INFO):
        return None
    saved = services.save_draft(
        application=application, by=request.user, values=stash.get("values") or {}, base=stash.get("base")
    )
    messages.info(request, _("What you typed before your session ended has been restored and saved."))
    return saved


def _conflicts(fields, conflicts) -> list[dict]:
    """Each answer changed both on this page and elsewhere, with both versions as people read them."""
    by_key = {f.key: f for f in fields}
    rows = [by_key[c.key] for c in conflicts if c.key in by_key]
    mine = formkit.present(rows, {c.key: c.mine for c in conflicts}, [])
    theirs = formkit.present(rows, {c.key: c.theirs for c in conflicts}, [])
    return [
        {"field": row, "mine": formkit.as_text(m), "theirs": formkit.as_text(t)}
        for row, m, t in zip(rows, mine, theirs, strict=True)
    ]


def _form_page(request, application, *, form=None, saved=None, info_form=None, status=200):
    """The application form: ``form`` bound to what was posted or checked, else the stored answers."""
    fields = queries.form_fields(application.call)
    keys = services.editable_keys(application)
    attachments = list(application.attachments.all())
    if form is None:
        # After a restore that met a change made elsewhere, the page shows the person's own version to choose.
        shown = {**application.data, **{c.key: c.mine for c in (saved.conflicts if saved else [])}}
        form = formkit.draft_form(
            fields,
            shown,
            call=application.call,
            attachments=attachments,
            editable=keys,
            application=application,
        )
    base = saved.base if saved is not None else drafts.fingerprints(application.data, [f.key for f in fields])
    state = DraftStateForm(initial={"revision": application.revision, "base": drafts.encode_base(base)})
    info_request = (
        application.info_requests.filter(answered_at__isnull=True).last()
        if application.status == Status.MORE_INFO
        else None
    )
    context = {
        "application": application,
        "call": application.call,
        "form": form,
        "state": state,
        "conflicts": _conflicts(fields, saved.conflicts) if saved is not None else [],
        "info_request": info_request,
        "info_form": info_form or InfoAnswerForm(),
        "is_open": application.call.is_open(),
    }
    return render(request, "calls/application_form.html", context, status=status)


def _answer_form(request, application, fields, *, attachments=()):
    return formkit.AnswerForm(
        request.POST,
        request.FILES,
        rows=fields,
        call=application.call,
        attachments=attachments,
        editable=services.editable_keys(application),
        application=application,
    )


def _save(request, application, fields, form) -> services.DraftSave:
    """Merge what the page sent into the draft (see calls/drafts.py)."""
    state = DraftStateForm(request.POST)
    values = form.typed()
    for key in form.removals():
        values[key] = None
    return services.save_draft(
        application=application,
        by=request.user,
        fields=fields,
        values=values,
        files=form.uploads(),
        base=state.base_answers(),
        resolutions=state.resolutions(),
    )


def _with_messages(application, fields, errors: dict, *, check: bool):
    """The form on the stored answers showing ``errors`` (and, with ``check``, every answer's own messages)."""
    form = formkit.checked_form(
        fields,
        application.data,
        call=application.call,
        attachments=list(application.attachments.all()),
        editable=services.editable_keys(application),
        application=application,
    )
    if not check:
        for name in list(form.errors):
            del form.errors[name]
    for key, messages_ in errors.items():
        name = formkit.FIELD_PREFIX + key
        if name in form.fields and not (check and form.has_error(name)):
            form.add_error(name, messages_)
    return form


@require_http_methods(["GET", "POST"])
def application_form(request, pk):
    requested_at = timezone.now()
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
    restored = _restore(request, application)
    if request.method == "GET":
        return _form_page(request, application, saved=restored if restored and restored.conflicts else None)
    fields = queries.form_fields(application.call)
    form = _answer_form(request, application, fields)
    info_form = InfoAnswerForm(request.POST)
    try:  # save_draft keeps only the keys editable now and leaves ``application`` as saved
        saved = _save(request, application, fields, form)
    except CallsError as error:
        messages.error(request, error.message)
        return redirect(application)
    if saved.conflicts:
        messages.warning(
            request,
            _("Some answers were changed in another window or device. Choose which version to keep."),
        )
        return _form_page(request, application, form=form, saved=saved, info_form=info_form)
    if saved.upload_errors:
        messages.error(request, _("A file could not be accepted. Your other answers are saved."))
        return _form_page(
            request,
            application,
            form=_with_messages(application, fields, saved.upload_errors, check=False),
            info_form=info_form,
        )
    if "submit" in request.POST:
        answer = info_form.cleaned_data.get("info_answer", "") if info_form.is_valid() else ""
        try:
            if application.status == Status.MORE_INFO:
                services.resubmit_application(application=application, by=request.user, answer=answer)
                messages.success(request, _("Your answer was sent. Thank you."))
            else:
                services.submit_application(
                    application=application, by=request.user, requested_at=requested_at
                )
                messages.success(request, _("Your application is submitted. A receipt was sent by email."))
        except CallsError as error:
            messages.error(request, error.message)
            for message in error.errors.get("__answer__", []):
                info_form.add_error("info_answer", message)
            errors = {k: v for k, v in error.errors.items() if k != "__answer__"}
            form = _with_messages(application, fields, errors, check=bool(errors)) if errors else None
            return _form_page(request, application, form=form, info_form=info_form)
        return redirect(application)
    messages.success(request, _("Draft saved."))
    return redirect("calls:application_form", application.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def application_autosave(request, pk):
    """The page's script saves here while the person types, and asks here (GET) for a fresh CSRF token when
    signing in again in another tab rotated it. An ended session keeps the text (here and in the page)."""
    if request.method == "GET":
        return JsonResponse({"csrf": get_token(request), "signed_in": request.user.is_authenticated})
    if not request.user.is_authenticated:
        _stash(request, pk)
        return render(request, "calls/_autosave.html", {"state": "expired"})
    application = queries.application_for_applicant(request.viewer, pk)
    # One read of the fields and of the row (locked in save_draft, which keeps only the keys editable now and
    # leaves ``application`` as saved); the fragment needs no context processors.
    fields = queries.form_fields(application.call)
    try:
        saved = _save(request, application, fields, _answer_form(request, application, fields))
    except CallsError as error:
        return HttpResponse(
            render_to_string("calls/_autosave.html", {"state": "refused", "error": error.message})
        )
    state = "saved"
    if saved.conflicts:
        state = "conflict"
    elif application.status == Status.DRAFT and not application.call.is_open():
        state = "closed"
    budgets = [
        (f.key, formkit.budget_total(application.data.get(f.key))) for f in fields if f.kind == "budget"
    ]
    file_keys = {f.key for f in fields if f.kind == "file"}
    uploaded_pks = [application.data[k] for k in saved.written & file_keys if application.data.get(k)]
    uploaded = list(application.attachments.filter(pk__in=uploaded_pks)) if uploaded_pks else []
    return HttpResponse(
        render_to_string(
            "calls/_autosave.html",
            {
                "state": state,
                "application": application,
                "call": application.call,
                "saved_at": timezone.localtime(application.updated_at),
                "revision": application.revision,
                "base": drafts.encode_base(saved.base),
                "upload_errors": saved.upload_errors,
                "uploaded": uploaded,
                "budgets": budgets,
                "conflicts": _conflicts(fields, saved.conflicts),
            },
        )
    )


def applicant_status(application) -> str:
    """The status the applicant sees: a decision shows once its letter has been sent."""
    if application.status == Status.DECIDED and application.decision_published_at is None:
        return str(Status.IN_REVIEW.label)
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
            "answers": formkit.present(fields, application.data, application.attachments.all()),
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
    reviewer = request.viewer.pk != application.applicant_id and not is_programme_staff(request.viewer)
    if not (reviewer and application.call.blind_review):
        response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        return response
    # Blind review: a reviewer never receives what could name the applicant. Files of identifying questions
    # are not served at all; other files only with their metadata removed, and only of types where that can
    # be guaranteed (calls/files.py).
    field = application.call.fields.filter(key=item.field_key).first()
    if field is None or field.hidden_in_blind_review or not files.can_clean(item.kind):
        raise Http404
    with item.file.open("rb") as handle:
        content = files.without_metadata(handle.read(), item.kind)
    response = HttpResponse(content, content_type=files.CONTENT_TYPES[item.kind])
    response["Content-Disposition"] = (
        f'attachment; filename="{application.reference}-{item.field_key}.{item.extension}"'
    )
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
    if request.method == "POST":
        form = ReviewForm(request.POST, criteria=criteria)
        valid = form.is_valid()
        submit = form.submitting() and valid
        try:
            services.save_review(
                assignment=assignment,
                by=request.user,
                scores=form.scores(),
                comments=form.cleaned_data.get("comments", ""),
                recommendation=form.cleaned_data.get("recommendation", ""),
                submit=submit,
            )
            if valid:
                messages.success(request, _("Review submitted.") if submit else _("Draft saved."))
                return redirect("calls:review", assignment.pk)
            messages.error(request, _("Some scores need attention. Your draft is saved."))
        except CallsError as error:
            messages.error(request, error.message)
            for key, errors in error.errors.items():
                name = "recommendation" if key == "recommendation" else f"score_{key}"
                if name in form.fields and not form.has_error(name):
                    form.add_error(name, errors)
        assignment = queries.assignment_for_reviewer(request.viewer, pk)
        review_obj = getattr(assignment, "review", None)
    else:
        initial = {}
        if review_obj is not None:
            initial = {f"score_{key}": str(value) for key, value in review_obj.scores.items()}
            initial.update(comments=review_obj.comments, recommendation=review_obj.recommendation)
        form = ReviewForm(initial=initial, criteria=criteria)
    scores = review_obj.scores if review_obj else {}
    rows = [{"criterion": c, "value": scores.get(str(c.pk), "")} for c in criteria]
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
            "form": form,
            "answers": formkit.present(
                queries.form_fields(call),
                application.data,
                application.attachments.all(),
                blind=call.blind_review,
            ),
            "cleanable": files.CLEANABLE,
            "others": others,
            "submitted": submitted,
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
    chosen = Application.objects.filter(call=call, pk__in=ids).select_related("applicant", "call")
    applications = [a for a in chosen if a.review_count]
    unreviewed = [f"{a.label}: {NO_REVIEW_YET}" for a in chosen if not a.review_count]
    done, problems = services.decide_many(
        applications=applications,
        by=request.user,
        outcome=form.cleaned_data["outcome"],
        note=form.cleaned_data["note"],
    )
    messages.success(
        request, _("%(count)s decisions recorded; their letters wait in the outbox.") % {"count": done}
    )
    for problem in [*unreviewed, *problems]:
        messages.error(request, problem)
    return redirect("calls:manage_call", call.slug)


def _manage_context(request, application, **forms):
    call = application.call
    fields = queries.form_fields(call)
    attachments = list(application.attachments.all())
    versions = list(application.versions.all())
    changes = []
    if len(versions) > 1:
        changes = formkit.diff(fields, versions[-2].data, versions[-1].data, attachments)
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
        "answers": formkit.present(fields, application.data, attachments),
        "history": queries.history(application),
        "versions": versions,
        "changes": changes,
        "assignments": application.assignments.select_related("reviewer", "review"),
        "reviews": reviews,
        "info_requests": application.info_requests.all(),
        "actions": services.actions_for(application.status, services.STAFF),
        # No page offers a decision before a reviewer has scored the application.
        "may_decide": "decide" in services.actions_for(application.status, services.STAFF)
        and application.review_count > 0,
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
            if not application.review_count:
                raise CallsError(NO_REVIEW_YET)
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
