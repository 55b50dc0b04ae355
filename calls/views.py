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
    FormKind,
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
        **_stages_of(call),  # stages
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
    return render(
        request,
        "calls/my_applications.html",
        {
            "applications": applications,
            "collaborations": list(queries.collaborations(request.viewer)),  # stages
        },
    )


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
        **_submit_context(request, application),  # stages
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
    if not services.may_edit(application, request.viewer):  # stages: a co-applicant who only reads
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
            .exclude(action__in=("conflict", "review_override"))  # review: staff's reason stays internal
            .exclude(action="decide" if application.decision_published_at is None else "")
            .exclude(  # review: a later decision on the waiting list shows once its letter is sent
                action__in=("accept_waitlisted", "reject_waitlisted")
                if application.decision_published_at is None
                else ()
            ),
            "info_requests": application.info_requests.all(),
            "can_withdraw": bool(services.allowed(application.status, "withdraw", APPLICANT))
            and services.may_submit(application, request.viewer),  # stages: not a co-applicant who edits
            "can_edit": application.status in (Status.DRAFT, Status.MORE_INFO)
            and services.may_edit(application, request.viewer),  # stages
            "letter": letter,
            **_team_context(request, application, fields),  # stages
            # stages: who submits an organisation's application that is still being written
            "submitters": queries.submitters_of(application)
            if application.organisation_id
            and application.status in (Status.DRAFT, Status.MORE_INFO)
            and not services.may_submit(application, request.viewer)
            else [],
            "feedback": queries.published_feedback(application),  # feedback
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
    field = application.call.fields.filter(form=FormKind.APPLICATION, key=item.field_key).first()
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
    # review: the call's statement, abstaining and revising (calls/templates/calls/review_cycle/)
    step = _review_cycle_step(request, assignment)
    if isinstance(step, HttpResponse):
        return step
    if assignment.conflict == Conflict.PENDING:
        form = (ConflictForm if assignment.statement_ok else StatementConflictForm)(request.POST or None)
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
            {
                "assignment": assignment,
                "application": application,
                "call": call,
                "form": form,
                "statement_needed": not assignment.statement_ok,  # review
            },
        )
    review_obj = getattr(assignment, "review", None)
    criteria = list(call.criteria.all())
    if request.method == "POST" and not step:  # review: a refused abstention/revision shows the page again
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
                confidence=form.cleaned_data.get("confidence", ""),  # review
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
            initial.update(confidence=review_obj.confidence)  # review
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
            **_review_cycle_context(assignment, review_obj, criteria, step),  # review
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
            **_stages_call_context(call),  # stages
            "reasons_form": _reasons_form(call, auto_id="bulk_%s"),  # feedback
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
    # review: the call's minimum of reviews is checked by services.decide (an override needs a reason)
    done, problems = services.decide_many(
        applications=list(chosen),
        by=request.user,
        outcome=form.cleaned_data["outcome"],
        note=form.cleaned_data["note"],
        override_reason=form.cleaned_data.get("override_reason", ""),
        decline_reasons=_chosen_reasons(request, call),  # feedback
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
        # review: the state is keyed on the outcome once decided ("decided:waitlisted")
        "actions": services.actions_for(services.state_of(application), services.STAFF),
        # review: below the call's minimum of reviews the decision form asks for the reason
        "may_decide": "decide" in services.actions_for(application.status, services.STAFF),
        **_review_manage_context(application, forms),
        "screening_form": forms.get("screening_form") or ScreeningForm(),
        "info_form": forms.get("info_form")
        or InfoRequestForm(fields=fields, default_days=call.info_response_days),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        # feedback: the decline reasons, in the screening form and in the decision form (as ticked when refused)
        "screen_reasons_form": _reasons_form(call, _posted(request, "screen"), auto_id="screen_%s"),
        "decide_reasons_form": _reasons_form(call, _posted(request, "decide"), auto_id="decide_%s"),
        "assign_form": AssignForm(reviewers=reviewers),
        **_stages_manage_context(application, fields),  # stages
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
                services.screen(
                    application=application,
                    by=request.user,
                    **form.cleaned_data,
                    decline_reasons=_chosen_reasons(request, application.call),  # feedback
                )
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
                services.decide(
                    application=application,
                    by=request.user,
                    **form.cleaned_data,
                    decline_reasons=_chosen_reasons(request, application.call),  # feedback
                )
        elif action in ("accept_waitlisted", "reject_waitlisted"):  # review
            form = forms["waitlist_form"] = WaitlistForm(request.POST)
            if form.is_valid():
                getattr(services, action)(application=application, by=request.user, **form.cleaned_data)
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


# --- feedback: feedback to applicants and decline reasons --------------------------------------------------------

from calls.forms import FEEDBACK_PREFIX, DeclineReasonForm, DeclineReasonsForm, FeedbackForm  # noqa: E402


def _reasons_form(call, data=None, *, auto_id="id_%s"):
    """The call's offered decline reasons to tick when rejecting or screening out."""
    return DeclineReasonsForm(data, reasons=call.decline_reasons.filter(active=True), auto_id=auto_id)


def _posted(request, action: str):
    """What the staff page posted for ``action`` (to show its form again as it was), else None."""
    return request.POST if request.method == "POST" and request.POST.get("action") == action else None


def _chosen_reasons(request, call) -> list[int]:
    return _reasons_form(call, request.POST).chosen()


def _feedback_page(request, application, form, *, status=200):
    reviews = queries.anonymous_reviews(application)
    return render(
        request,
        "calls/feedback/compose.html",
        {
            "application": application,
            "call": application.call,
            "reviews": reviews,
            "rows": [(row, form.criterion_field(row.criterion)) for row in reviews.criteria],
            "form": form,
            "locked": services.feedback_locked(application),
            "writable": application.status in services.FEEDBACK_STATUSES,
            "waiting_letter": application.outbox.filter(status=OutboxStatus.PENDING).exists(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, pk):
    """Staff write the feedback to the applicant from the reviews (reviewers numbered, never named)."""
    application = queries.application_for_staff(request.viewer, pk)
    criteria = list(application.call.criteria.all())
    if request.method == "GET":
        stored = queries.feedback_of(application)
        initial = {}
        if stored is not None:
            initial = {f"{FEEDBACK_PREFIX}{key}": text for key, text in stored.criteria.items()}
            initial["overall"] = stored.overall
        return _feedback_page(request, application, FeedbackForm(initial=initial, criteria=criteria))
    form = FeedbackForm(request.POST, criteria=criteria)
    if "prefill" in request.POST:
        # Start from the reviews: empty boxes get the reviewers' comments (numbered), nothing is saved yet.
        reviews = queries.anonymous_reviews(application)
        data = request.POST.copy()
        if not data.get("overall", "").strip() and reviews.comments:
            data["overall"] = "\n\n".join(text for _n, text in reviews.comments)
        form = FeedbackForm(data, criteria=criteria)
        form.is_valid()
        messages.info(request, _("The reviewers' comments are in the overall summary. Edit them, then save."))
        return _feedback_page(request, application, form)
    if not form.is_valid():
        return _feedback_page(request, application, form, status=400)
    try:
        _saved, rewritten = services.save_feedback(
            application=application,
            by=request.user,
            criteria=form.criteria_texts(),
            overall=form.cleaned_data["overall"],
        )
    except CallsError as error:
        messages.error(request, error.message)
        return _feedback_page(request, application, form, status=400)
    if rewritten:
        messages.success(
            request, _("Feedback saved. The decision letter waiting in the outbox now carries it.")
        )
    else:
        messages.success(request, _("Feedback saved. It goes into the decision letter."))
    return redirect("calls:feedback", application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def decline_reasons(request, slug):
    """The call's decline reasons: add, rename, reorder, stop offering; with the count of each."""
    call = queries.call_for_staff(request.viewer, slug)
    add_form = DeclineReasonForm(prefix="new")
    if request.method == "POST":
        pk = request.POST.get("reason", "")
        reason = call.decline_reasons.filter(pk=int(pk)).first() if pk.isdigit() else None
        if pk and reason is None:
            raise Http404
        form = DeclineReasonForm(request.POST, prefix=f"r{reason.pk}" if reason else "new", instance=reason)
        if form.is_valid():
            try:
                services.save_decline_reason(
                    call=call,
                    by=request.user,
                    reason=reason,
                    **{k: form.cleaned_data[k] for k in form.fields},
                )
            except CallsError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The reason is saved."))
                return redirect("calls:decline_reasons", call.slug)
        elif reason is None:
            add_form = form
        else:
            messages.error(request, _("Check the reason's fields."))
    reasons = list(queries.decline_reasons_of(call))
    declined = Application.objects.filter(queries.DECLINED, call=call).count()
    rows = [
        (
            reason,
            DeclineReasonForm(instance=reason, prefix=f"r{reason.pk}"),
            round(100 * reason.used / declined, 1) if declined else 0,
        )
        for reason in reasons
    ]
    return render(
        request,
        "calls/feedback/decline_reasons.html",
        {"call": call, "rows": rows, "add_form": add_form, "declined": declined},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("calls.manage")
@require_GET
def decline_statistics(request):
    """Decline reasons per call and across calls (by label), for staff."""
    return render(request, "calls/feedback/decline_statistics.html", {"stats": queries.decline_statistics()})


def _statistics_table(request):
    stats = queries.decline_statistics()
    return (
        exports.decline_calls_table(stats)
        if request.GET.get("table") == "calls"
        else exports.decline_labels_table(stats)
    )


@permission_required("calls.manage")
@require_GET
def decline_statistics_csv(request):
    name = f"decline-reasons-{timezone.localdate():%Y%m%d}.csv"
    return exports.csv_response(_statistics_table(request), name)


@permission_required("calls.manage")
@require_GET
def decline_statistics_xlsx(request):
    name = f"decline-reasons-{timezone.localdate():%Y%m%d}.xlsx"
    return exports.xlsx_response(_statistics_table(request), name)


# --- end feedback ---------------------------------------------------------------------------------------------


# --- stages: two-stage calls and co-applicants --------------------------------------------------------------

from calls.forms import CollaboratorForm, ShortlistForm  # noqa: E402
from calls.models import CollaboratorRole, Outcome  # noqa: E402


def _stages_of(call) -> dict:
    """The call's other stage (both are read with the call: no query)."""
    return {"concept_stage": call.concept_stage, "full_stage": getattr(call, "full_stage", None)}


def _stages_call_context(call) -> dict:
    pair = _stages_of(call)
    pair["shortlisted_count"] = queries.shortlisted_count(call) if pair["full_stage"] else None
    return pair


def _stages_manage_context(application, fields) -> dict:
    call = application.call
    full = queries.full_stage_of(call)
    return {
        "full_stage": full,
        "concept_stage": call.concept_stage,
        "may_shortlist": full is not None
        and "shortlist" in services.actions_for(application.status, services.STAFF)
        and application.review_count >= call.min_reviews,
        "shortlist_form": ShortlistForm(),
        "invitation": queries.invitation_of(application) if full is not None else None,
        "collaborators": list(queries.collaborators_of(application)) if application.organisation_id else [],
        "edits": queries.edits_of(application, fields) if application.organisation_id else [],
    }


def _team_context(request, application, fields) -> dict:
    """The invitation to the full proposal once it is sent; the co-applicants and who edited what, for the
    organisation's people on the application page."""
    context = {}
    if application.outcome == Outcome.SHORTLISTED and application.decision_published_at:
        context["invitation"] = queries.invitation_of(application)
    if not application.organisation_id:
        return context
    collaborators = list(queries.collaborators_of(application))
    mine = next((c for c in collaborators if c.user_id == request.viewer.pk), None)
    return {
        **context,
        "collaborators": collaborators,
        "edits": queries.edits_of(application, fields),
        "my_role": mine.get_role_display() if mine else "",
        "manages_team": services.may_manage_team(application, request.viewer),
    }


def _submit_context(request, application) -> dict:
    """Whether the viewer may submit; if not (a member editing an organisation's application), who may: the
    organisation's administrators and the member it named. The page says so, with or without JavaScript."""
    may_submit = services.may_submit(application, request.viewer)
    return {
        "may_submit": may_submit,
        "submitters": [] if may_submit else queries.submitters_of(application),
    }


@login_required
@require_POST
def shortlist(request, pk):
    application = queries.application_for_staff(request.viewer, pk)
    form = ShortlistForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.shortlist(application=application, by=request.user, note=note)
    except CallsError as error:
        messages.error(request, error.message)
        return redirect("calls:manage_application", application.pk)
    messages.success(
        request,
        _("Shortlisted. The full-proposal draft is ready; the invitation letter waits in the outbox."),
    )
    return redirect("calls:manage_application", application.pk)


@login_required
@require_POST
def bulk_shortlist(request, slug):
    call = queries.call_for_staff(request.viewer, slug)
    ids = [int(v) for v in request.POST.getlist("application") if v.isdigit()]
    if not ids:
        messages.error(request, _("Choose applications to shortlist."))
        return redirect("calls:manage_call", call.slug)
    chosen = Application.objects.filter(call=call, pk__in=ids).select_related("applicant", "call")
    done, problems = services.shortlist_many(
        applications=list(chosen), by=request.user, note=request.POST.get("note", "")[:2000]
    )
    messages.success(
        request,
        _("%(count)s shortlisted; their invitation letters wait in the outbox.") % {"count": done},
    )
    for problem in problems:
        messages.error(request, problem)
    return redirect("calls:manage_call", call.slug)


@login_required
@require_http_methods(["GET", "POST"])
def collaborators(request, pk):
    """The applicant of an organisation's application invites members to read, edit or submit it."""
    application = queries.application_for_collaborators(request.viewer, pk)
    names_submitter = services.is_organisation_admin(application, request.viewer)
    form = _collaborator_form(names_submitter)
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        try:
            if remove.isdigit():
                target = application.collaborators.filter(pk=int(remove)).select_related("user").first()
                if target is None:
                    raise Http404
                services.remove_collaborator(collaborator=target, by=request.user)
                messages.success(request, _("The co-applicant was removed."))
                return redirect("calls:collaborators", application.pk)
            form = _collaborator_form(names_submitter, request.POST)
            if form.is_valid():
                services.invite_collaborator(application=application, by=request.user, **form.cleaned_data)
                messages.success(request, _("Saved. A new co-applicant is told by email."))
                return redirect("calls:collaborators", application.pk)
        except CallsError as error:
            field = {"not_member": "email", "applicant": "email", "not_admin": "role"}.get(error.code)
            form.add_error(field, error.message)
    return render(
        request,
        "calls/stages/collaborators.html",
        {
            "application": application,
            "call": application.call,
            "collaborators": list(queries.collaborators_of(application)),
            "form": form,
            "open": application.status not in (Status.WITHDRAWN, Status.SCREENED_OUT, Status.DECIDED),
            "shortlisted": Outcome.SHORTLISTED,
            "names_submitter": names_submitter,
        },
    )


def _collaborator_form(names_submitter: bool, data=None) -> CollaboratorForm:
    """Only an administrator of the organisation names the member who submits: the others are not offered it."""
    form = CollaboratorForm(data)
    if not names_submitter:
        role = form.fields["role"]
        role.choices = [c for c in role.choices if c[0] != CollaboratorRole.SUBMITTER]  # type: ignore[attr-defined]
    return form


# --- end stages


# --- review: the review cycle's pages ----------------------------------------------------------------------

from calls.forms import AbstainForm, ReviseForm, StatementConflictForm, WaitlistForm  # noqa: E402


def _review_cycle_step(request, assignment):
    """What the review page does first: the call's statement for a reviewer who declared "no conflict" before
    statements existed, and the reviewer's abstention and revision (posted to the review page). Returns a
    response, or the bound form to show again."""
    declared = assignment.conflict == Conflict.NONE
    if declared and not assignment.statement_ok:
        if request.method == "POST" and "confirm_statement" in request.POST:
            services.confirm_statement(reviewer=request.user, call=assignment.application.call)
            return redirect("calls:review", assignment.pk)
        return render(
            request,
            "calls/review_cycle/statement.html",
            {
                "assignment": assignment,
                "application": assignment.application,
                "call": assignment.application.call,
            },
        )
    if request.method != "POST" or not declared:
        return None
    if "abstain" in request.POST:
        form = AbstainForm(request.POST)
        if not form.is_valid():
            return {"abstain_form": form}
        try:
            services.abstain_review(
                assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except CallsError as error:
            messages.error(request, error.message)
            return {"abstain_form": form}
        messages.success(request, _("You abstained. Thank you for saying why."))
        return redirect("calls:review", assignment.pk)
    if "revise" in request.POST:
        form = ReviseForm(request.POST, criteria=list(assignment.application.call.criteria.all()))
        if not form.is_valid():
            messages.error(request, _("Some answers need attention."))
            return {"revise_form": form}
        try:
            services.revise_review(
                assignment=assignment,
                by=request.user,
                scores=form.scores(),
                comments=form.cleaned_data.get("comments", ""),
                recommendation=form.cleaned_data["recommendation"],
                confidence=form.cleaned_data.get("confidence", ""),
                reason=form.cleaned_data["reason"],
            )
        except CallsError as error:
            messages.error(request, error.message)
            return {"revise_form": form}
        messages.success(request, _("Your revised scores are submitted."))
        return redirect("calls:review", assignment.pk)
    return None


def _review_cycle_context(assignment, review, criteria, step) -> dict:
    """The review page's review-cycle parts: the deadline, what changed after an information request, the
    abstention form and, after a resubmission, the revision form."""
    step = step or {}
    application = assignment.application
    call = application.call
    context: dict = {"review_deadline": call.review_deadline, "abstain_form": step.get("abstain_form")}
    if review is None or not review.is_submitted:
        context["abstain_form"] = context["abstain_form"] or AbstainForm()
    if application.version > 1:  # resubmitted after an information request: no queries otherwise
        fields = queries.form_fields(call)
        context["info_exchanges"] = list(application.info_requests.filter(answered_at__isnull=False))
        context["reviewer_changes"] = queries.changes_for_reviewer(
            application, fields, list(application.attachments.all()), blind=call.blind_review
        )
        if services.may_revise(review=review, application=application):
            initial = {f"score_{key}": str(value) for key, value in review.scores.items()}
            initial.update(
                comments=review.comments, recommendation=review.recommendation, confidence=review.confidence
            )
            context["revise_form"] = step.get("revise_form") or ReviseForm(initial=initial, criteria=criteria)
    return context


def _review_manage_context(application, forms) -> dict:
    """Staff's application page: the minimum of reviews, the waiting list's later decision, the score history."""
    below = application.review_count < application.call.min_reviews
    return {
        "below_minimum": below,
        "review_minimum_message": services.review_minimum_message(application) if below else "",
        "waitlist_form": forms.get("waitlist_form") or WaitlistForm(),
        "score_history": queries.score_history(application),
    }


@login_required
@require_http_methods(["GET", "POST"])
def late_reviews(request, slug):
    """Staff: who has not submitted their review after the call's review deadline, and a nudge by email."""
    call = queries.call_for_staff(request.viewer, slug)
    if request.method == "POST":
        pk = request.POST.get("assignment", "")
        if not pk.isdigit():
            raise Http404
        assignment = queries.late_assignment(call, int(pk))
        if services.nudge_reviewer(assignment=assignment, by=request.user):
            messages.success(request, _("The reviewer was reminded by email."))
        else:
            messages.info(request, _("This reviewer was reminded less than an hour ago."))
        return redirect("calls:late_reviews", call.slug)
    now = timezone.now()
    page = Paginator(queries.late_reviews(call, now=now), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"assignment": a, "days_late": (now - max(call.review_deadline, a.assigned_at)).days}
        for a in page.object_list
    ]
    return render(request, "calls/review_cycle/late_reviews.html", {"call": call, "page": page, "rows": rows})


# --- end review
