"""Projects: views (thin: load through queries, write through services).

Who sees what: every member of the project's organisation (and the grantee, and programme staff) sees the
project and its reports; outsiders get 404. A member who is not a report editor may read but not write:
the report form answers 403 — the project is not hidden from them, so a 404 would be untrue.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.api import can, permission_required, require
from awards import exports
from awards.forms.projects import (
    EditorsForm,
    MilestoneForm,
    PaymentForm,
    ReportStateForm,
    ReviewForm,
    SpendingForm,
    StaffFilterForm,
    TrancheForm,
)
from awards.models.projects import ReportStatus
from awards.queries import mentoring as mentoring_queries
from awards.queries import projects as queries
from awards.services import projects as services
from awards.services.projects import EDITABLE, ProjectError
from calls.api import AnswerForm, as_text, checked_form, draft_form, encode_base, present

PAGE_SIZE = 20


# --- the organisation's pages ------------------------------------------------------------------------------


@login_required
@require_GET
def my_projects(request):
    page = Paginator(queries.my_projects(request.viewer), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "awards/projects/my_projects.html", {"page": page})


@login_required
@require_GET
def project(request, pk):
    project = queries.project_for(request.viewer, pk)
    context = {
        "page": queries.project_page(project),
        "project": project,
        "may_edit": queries.can_edit_reports(request.viewer, project),
        "may_manage_editors": _can(request, "awards.project.manage_editors", project),
        "is_staff": _can(request, "awards.project.manage", project),
        "mentorship": mentoring_queries.mentorship_of_project(project),
    }
    return render(request, "awards/projects/project.html", context)


def _can(request, rule, obj) -> bool:
    return can(request.viewer, rule, obj)


@login_required
@require_http_methods(["GET", "POST"])
def project_editors(request, pk):
    project = queries.project_for(request.viewer, pk)
    if not _can(request, "awards.project.manage_editors", project):
        raise PermissionDenied
    members = queries.members_with_editor_flag(project)
    form = EditorsForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        ids = [int(v) for v in form.cleaned_data["editors"]]
        services.set_editors(project=project, by=request.user, user_ids=ids)
        messages.success(request, _("The list of report editors is saved."))
        return redirect("awards:project", project.pk)
    return render(request, "awards/projects/editors.html", {"project": project, "form": form})


# --- reports ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def report(request, pk):
    report = queries.report_for(request.viewer, pk)
    project = report.milestone.project
    versions = queries.versions_of(report)
    context = {
        "report": report,
        "project": project,
        "milestone": report.milestone,
        "answers": queries.answers_of(report, report.data),
        "spending": queries.spending_lines(report, report.spending),
        "receipts": list(report.receipts.select_related("budget_item")),
        "versions": versions,
        "may_edit": report.status in EDITABLE and queries.can_edit_reports(request.viewer, project),
        "may_review": report.status == ReportStatus.SUBMITTED
        and _can(request, "awards.project.manage", project),
        "review_form": ReviewForm(),
    }
    return render(request, "awards/projects/report.html", context)


@login_required
@require_GET
def report_version(request, pk, number):
    report = queries.report_for(request.viewer, pk)
    version = queries.version_of(report, number)
    previous = report.versions.filter(number=number - 1).first()
    context = {
        "report": report,
        "project": report.milestone.project,
        "milestone": report.milestone,
        "version": version,
        "previous": previous,
        "answers": queries.answers_of(report, version.data),
        "changes": queries.changes_between(report, previous, version) if previous else [],
        "spending": queries.spending_lines(report, version.spending, previous.spending if previous else None),
    }
    return render(request, "awards/projects/report_version.html", context)


@login_required
@require_GET
def receipt(request, pk, receipt_pk):
    item = queries.receipt_for(request.viewer, pk, receipt_pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)


def _editable_report(request, pk):
    report = queries.report_for(request.viewer, pk)
    if not queries.can_edit_reports(request.viewer, report.milestone.project):
        raise PermissionDenied
    return report


def _conflicts(fields, conflicts, budget) -> list[dict]:
    by_key = {f.key: f for f in fields}
    rows = [by_key[c.key] for c in conflicts if c.key in by_key]
    mine = present(rows, {c.key: c.mine for c in conflicts}, [])
    theirs = present(rows, {c.key: c.theirs for c in conflicts}, [])
    result = [
        {"field": row, "mine": as_text(m), "theirs": as_text(t)}
        for row, m, t in zip(rows, mine, theirs, strict=True)
    ]
    lines = {f"spend-{line.pk}": line for line in budget}
    for c in conflicts:
        if c.key in lines:
            result.append(
                {"field": {"key": c.key, "label": lines[c.key].item}, "mine": c.mine, "theirs": c.theirs}
            )
    return result


def _form_page(request, report, *, form=None, spending_form=None, saved=None, status=200):
    project = report.milestone.project
    fields = queries.report_questions(report)
    budget = list(project.budget.all())
    editable = report.status in EDITABLE
    if form is None:
        form = draft_form(fields, report.data, call=project.call, editable=None if editable else set())
    if spending_form is None:
        spending_form = SpendingForm(budget=budget, spending=report.spending, editable=editable)
    keys = [f.key for f in fields] + [f"spend-{line.pk}" for line in budget]
    base = saved.base if saved is not None else services.draft_base(report, keys)
    state = ReportStateForm(initial={"revision": report.revision, "base": encode_base(base)})
    context = {
        "report": report,
        "project": project,
        "milestone": report.milestone,
        "form": form,
        "spending_form": spending_form,
        "state": state,
        "receipts": list(report.receipts.select_related("budget_item")),
        "conflicts": _conflicts(fields, saved.conflicts, budget) if saved is not None else [],
        "editable": editable,
    }
    return render(request, "awards/projects/report_form.html", context, status=status)


def _save(request, report):
    project = report.milestone.project
    fields = queries.report_questions(report)
    budget = list(project.budget.all())
    answers = AnswerForm(request.POST, request.FILES, rows=fields, call=project.call)
    spending_form = SpendingForm(request.POST, request.FILES, budget=budget, spending=report.spending)
    state = ReportStateForm(request.POST)
    line_pk = request.POST.get("receipt_line", "")
    line = next((b for b in budget if str(b.pk) == line_pk), None)
    saved = services.save_report_draft(
        report=report,
        by=request.user,
        values=answers.typed(),
        spending=spending_form.typed(),
        receipt=request.FILES.get("receipt"),
        receipt_line=line,
        base=state.base_answers(),
        resolutions=state.resolutions(),
    )
    return saved, answers, spending_form


@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("awards:report_edit", args=[pk]))
    report = _editable_report(request, pk)
    if report.status not in EDITABLE:
        return redirect("awards:report", report.pk)
    if request.method == "GET":
        return _form_page(request, report)
    try:
        saved, answers, spending_form = _save(request, report)
    except ProjectError as error:
        messages.error(request, error.message)
        return redirect("awards:report", report.pk)
    if saved.conflicts:
        messages.warning(
            request, _("Some answers were changed in another window or device. Choose which version to keep.")
        )
        return _form_page(request, report, form=answers, spending_form=spending_form, saved=saved)
    if saved.upload_error:
        messages.error(request, saved.upload_error)
    if "submit" in request.POST:
        try:
            services.submit_report(report=report, by=request.user)
        except ProjectError as error:
            messages.error(request, error.message)
            return _form_page(request, report, form=_with_errors(report, error.errors), status=200)
        messages.success(request, _("The report is submitted. Programme staff will review it."))
        return redirect("awards:report", report.pk)
    if not saved.upload_error:
        messages.success(request, _("Draft saved."))
    return redirect("awards:report_edit", report.pk)


def _with_errors(report, errors: dict):
    project = report.milestone.project
    fields = queries.report_questions(report)
    form = checked_form(fields, report.data, call=project.call)
    form.is_valid()
    return form


@never_cache
@require_http_methods(["GET", "POST"])
def report_autosave(request, pk):
    """The page's script saves here while the person types (calls' autosave.js), and asks (GET) for a fresh
    CSRF token."""
    if request.method == "GET":
        return JsonResponse({"csrf": get_token(request), "signed_in": request.user.is_authenticated})
    if not request.user.is_authenticated:
        return HttpResponse(render_to_string("calls/_autosave.html", {"state": "expired"}))
    report = _editable_report(request, pk)
    try:
        saved, _answers, _spending = _save(request, report)
    except ProjectError as error:
        return HttpResponse(
            render_to_string("calls/_autosave.html", {"state": "refused", "error": error.message})
        )
    budget = list(report.milestone.project.budget.all())
    fields = queries.report_questions(report)
    return HttpResponse(
        render_to_string(
            "calls/_autosave.html",
            {
                "state": "conflict" if saved.conflicts else "saved",
                "saved_at": timezone.localtime(report.updated_at),
                "revision": report.revision,
                "base": encode_base(saved.base),
                "upload_errors": {"receipt": [saved.upload_error]} if saved.upload_error else {},
                "uploaded": [],
                "budgets": [],
                "conflicts": _conflicts(fields, saved.conflicts, budget),
            },
        )
    )


@login_required
@require_POST
def receipt_remove(request, pk, receipt_pk):
    report = _editable_report(request, pk)
    item = queries.receipt_for(request.viewer, pk, receipt_pk)
    try:
        services.remove_receipt(receipt=item, by=request.user)
        messages.success(request, _("The receipt is removed."))
    except ProjectError as error:
        messages.error(request, error.message)
    return redirect("awards:report_edit", report.pk)


# --- staff --------------------------------------------------------------------------------------------------


@login_required
@require_POST
def report_review(request, pk):
    report = queries.report_for(request.viewer, pk)
    require(request.viewer, "awards.project.manage", report.milestone.project)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect("awards:report", report.pk)
    try:
        services.review_report(
            report=report,
            by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("The decision is recorded and the organisation is told by email."))
    except ProjectError as error:
        messages.error(request, error.message)
    return redirect("awards:report", report.pk)


@permission_required("awards.projects.list")
@require_GET
def staff_projects(request):
    calls = list(queries.project_calls())
    form = StaffFilterForm(request.GET or None, calls=calls)
    call_id, status = None, ""
    if form.is_valid():
        call_id, status = form.cleaned_data["call"], form.cleaned_data["status"]
    projects = queries.staff_projects(call_id=call_id, status=status)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "awards/projects/staff_projects.html",
        {"page": page, "form": form, "query": query.urlencode()},
    )


@login_required
@require_GET
def project_manage(request, pk):
    project = queries.project_for_staff(request.viewer, pk)
    return _manage_page(request, project)


def _manage_page(request, project, *, milestone_form=None, tranche_form=None, status=200):
    context = {
        "project": project,
        "page": queries.project_page(project),
        "milestone_form": milestone_form or MilestoneForm(),
        "tranche_form": tranche_form or TrancheForm(project=project),
        "payment_form": PaymentForm(initial={"paid_on": timezone.localdate()}),
        "tranches_total": services.tranches_total(project),
    }
    return render(request, "awards/projects/manage.html", context, status=status)


def _add_to_project(request, project, form, form_name: str, add, done: str):
    """A milestone or tranche added from the manage page: an invalid form shows the page again with its errors
    (400); otherwise ``add`` is called with the form's data, its refusal becomes a message, and back to the page."""
    if not form.is_valid():
        return _manage_page(request, project, status=400, **{form_name: form})
    try:
        add(project=project, by=request.user, **form.cleaned_data)
        messages.success(request, done)
    except ProjectError as error:
        messages.error(request, error.message)
    return redirect("awards:project_manage", project.pk)


@login_required
@require_POST
def milestone_add(request, pk):
    project = queries.project_for_staff(request.viewer, pk)
    form = MilestoneForm(request.POST)
    done = _("The milestone is added.")
    return _add_to_project(request, project, form, "milestone_form", services.add_milestone, done)


@login_required
@require_POST
def tranche_add(request, pk):
    project = queries.project_for_staff(request.viewer, pk)
    form = TrancheForm(request.POST, project=project)
    done = _("The tranche is added.")
    return _add_to_project(request, project, form, "tranche_form", services.add_tranche, done)


@login_required
@require_POST
def tranche_pay(request, pk):
    tranche = queries.tranche_for_staff(request.viewer, pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect("awards:project_manage", tranche.project_id)
    try:
        services.record_payment(tranche=tranche, by=request.user, **form.cleaned_data)
        messages.success(request, _("The payment is recorded."))
    except ProjectError as error:
        messages.error(request, error.message)
    return redirect("awards:project_manage", tranche.project_id)


@permission_required("awards.projects.list")
@require_GET
def projects_export_csv(request):
    name = request.GET.get("table", "projects")
    if name not in exports.TABLES:
        name = "projects"
    return exports.csv_export(name)


@permission_required("awards.projects.list")
@require_GET
def projects_export_xlsx(request):
    return exports.xlsx_export()
