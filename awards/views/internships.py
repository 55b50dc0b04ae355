"""Internships: views (thin: an access helper loads the object, a form checks the input, a service writes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.api import can, permission_required, require
from awards.forms.internships import (
    AgreementForm,
    DiscontinueForm,
    EvaluationForm,
    PositionForm,
    PositionStatusForm,
    ReflectionForm,
    RegionFilterForm,
    SelectInternForm,
)
from awards.models.internships import EvaluationKind, InternshipStatus, PositionStatus
from awards.queries import internships as queries
from awards.services import internships as services
from awards.services.internships import InternshipError
from calls.api import csv_response, xlsx_response
from core.api import render_markdown

PAGE_SIZE = 20


def _taken(position) -> int:
    """Places taken (annotated by the queries)."""
    return getattr(position, "taken", 0)


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


# --- placements -----------------------------------------------------------------------------------------


def placements(request):
    """Published placements, newest first, with a region filter (anyone)."""
    form = RegionFilterForm(request.GET or None)
    region = form.cleaned_data["region"] if form.is_valid() else ""
    page = _page(request, queries.published_positions(region=region))
    return render(
        request, "awards/internships/placements.html", {"page": page, "form": form, "region": region}
    )


def placement_detail(request, pk: int):
    position = queries.position_for(request.viewer, pk)
    manages = queries.manages_position(request.viewer, position)
    context = {
        "position": position,
        "tasks_html": render_markdown(position.tasks),
        "manages": manages,
        "is_host": can(request.viewer, "awards.internships.host"),
        "free": max(position.slots - _taken(position), 0),
    }
    if manages:
        context["internships"] = list(queries.internships_of_position(position))
        context["actions"] = [
            action
            for action in services.POSITION_ACTIONS
            if services.allowed(services.POSITION_TRANSITIONS, position.status, action, services.HOST)
        ]
    return render(request, "awards/internships/placement_detail.html", context)


@permission_required("awards.internships.host")
def host_placements(request):
    """ "Our placements": every placement of the organisations the viewer hosts for."""
    page = _page(request, queries.positions_of_hosts(request.viewer))
    return render(request, "awards/internships/host_placements.html", {"page": page})


def _position_form(request, *, hosts, initial=None):
    return PositionForm(request.POST or None, hosts=hosts, initial=initial)


@permission_required("awards.internships.host")
@require_http_methods(["GET", "POST"])
def placement_create(request):
    hosts = list(queries.host_organisations(request.viewer))
    if not hosts:
        raise Http404
    form = _position_form(request, hosts=hosts, initial={"region": hosts[0].region})
    if request.method == "POST" and form.is_valid():
        host = next(h for h in hosts if h.pk == form.cleaned_data["host"])
        try:
            position = services.create_position(
                host=host,
                by=request.user,
                required_courses=form.cleaned_data["required_courses"],
                **form.service_fields(),
            )
        except InternshipError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The placement is saved as a draft. Publish it when it is ready."))
            return redirect("awards:placement_detail", position.pk)
    return render(
        request, "awards/internships/placement_form.html", {"form": form, "position": None, "is_host": True}
    )


@login_required
@require_http_methods(["GET", "POST"])
def placement_edit(request, pk: int):
    position = queries.position_to_manage(request.viewer, pk)
    initial = {
        "host": position.host_id,
        "title_ka": position.title_ka,
        "title_en": position.title_en,
        "region": position.region,
        "starts_on": position.starts_on,
        "ends_on": position.ends_on,
        "slots": position.slots,
        "tasks": position.tasks,
        "required_courses": list(position.required_courses.all()),
        "call": position.call_id,
        "supervisor": position.supervisor_id,
    }
    form = _position_form(request, hosts=[position.host], initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_position(
                position=position,
                by=request.user,
                required_courses=form.cleaned_data["required_courses"],
                **form.service_fields(),
            )
        except InternshipError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The placement is saved."))
            return redirect("awards:placement_detail", position.pk)
    return render(
        request,
        "awards/internships/placement_form.html",
        {"form": form, "position": position, "is_host": can(request.viewer, "awards.internships.host")},
    )


@login_required
@require_POST
def placement_status(request, pk: int):
    position = queries.position_to_manage(request.viewer, pk)
    form = PositionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This action is not possible now."))
        return redirect("awards:placement_detail", position.pk)
    try:
        services.move_position(position=position, action=form.cleaned_data["action"], by=request.user)
    except InternshipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Status: %(status)s") % {"status": position.get_status_display()})
    return redirect("awards:placement_detail", position.pk)


@login_required
@require_http_methods(["GET", "POST"])
def placement_select(request, pk: int):
    """The call's accepted candidates not yet placed; choose one for a place and write the learning agreement."""
    position = queries.position_to_manage(request.viewer, pk)
    candidates = list(queries.candidates_for(position))
    missing = services.missing_courses(position=position, person_ids=[c.person_id for c in candidates])
    rows = [(c, missing.get(c.person_id, [])) for c in candidates]
    form = SelectInternForm(
        request.POST or None,
        candidates=candidates,
        initial={
            "starts_on": position.starts_on,
            "ends_on": position.ends_on,
            "agreed_tasks": position.tasks,
        },
    )
    if request.method == "POST" and form.is_valid():
        candidate = next(c for c in candidates if c.pk == form.cleaned_data["candidate"])
        try:
            internship = services.select_intern(
                position=position,
                candidate=candidate,
                by=request.user,
                objectives=form.cleaned_data["objectives"],
                agreed_tasks=form.cleaned_data["agreed_tasks"],
                schedule=form.cleaned_data["schedule"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except InternshipError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The intern is placed. They will acknowledge the learning agreement.")
            )
            return redirect("awards:internship_detail", internship.pk)
    context = {
        "position": position,
        "rows": rows,
        "form": form,
        "free": max(position.slots - _taken(position), 0),
        "open": position.status == PositionStatus.PUBLISHED,
    }
    return render(request, "awards/internships/placement_select.html", context)


# --- internships ----------------------------------------------------------------------------------------


@login_required
def internship_detail(request, pk: int):
    internship = queries.internship_for(request.viewer, pk)
    viewer = request.viewer
    is_intern = viewer.pk == internship.intern_id
    evaluations = {e.kind: e for e in internship.evaluations.all()}
    reflection = getattr(internship, "reflection", None)  # select_related by internship_for
    active = internship.status == InternshipStatus.ACTIVE
    may_evaluate = queries.may_evaluate(viewer, internship)
    context = {
        "internship": internship,
        "position": internship.position,
        "is_intern": is_intern,
        "manages": queries.is_manager(viewer, internship),
        "midterm": evaluations.get(EvaluationKind.MIDTERM),
        "final": evaluations.get(EvaluationKind.FINAL),
        "reflection": reflection,
        "pending": internship.status == InternshipStatus.AGREEMENT_PENDING,
        "active": active,
        "can_evaluate_midterm": active and may_evaluate and EvaluationKind.MIDTERM not in evaluations,
        "can_evaluate_final": active and may_evaluate and EvaluationKind.FINAL not in evaluations,
        "can_reflect": active and is_intern and reflection is None,
        "discontinue_form": DiscontinueForm(),
        "ended": internship.status
        in (InternshipStatus.COMPLETED, InternshipStatus.NOT_COMPLETED, InternshipStatus.DISCONTINUED),
    }
    return render(request, "awards/internships/internship_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def internship_agreement(request, pk: int):
    internship = queries.internship_for(request.viewer, pk)
    require(request.viewer, "awards.internship.manage", internship)
    if internship.status != InternshipStatus.AGREEMENT_PENDING:
        messages.error(request, _("The agreement has been acknowledged and can no longer change."))
        return redirect("awards:internship_detail", internship.pk)
    form = AgreementForm(
        request.POST or None,
        initial={
            "objectives": internship.objectives,
            "agreed_tasks": internship.agreed_tasks,
            "schedule": internship.schedule,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agreement(internship=internship, by=request.user, **form.cleaned_data)
        except InternshipError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The learning agreement is saved."))
            return redirect("awards:internship_detail", internship.pk)
    return render(request, "awards/internships/agreement_form.html", {"internship": internship, "form": form})


@login_required
@require_POST
def internship_acknowledge(request, pk: int):
    internship = queries.internship_for(request.viewer, pk)
    require(request.viewer, "awards.internship.respond", internship)
    try:
        services.acknowledge_agreement(internship=internship, by=request.user)
    except InternshipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You acknowledged the learning agreement. Your internship is active."))
    return redirect("awards:internship_detail", internship.pk)


@login_required
@require_POST
def internship_discontinue(request, pk: int):
    internship = queries.internship_for(request.viewer, pk)
    require(request.viewer, "awards.internship.manage", internship)
    form = DiscontinueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for discontinuing the internship."))
        return redirect("awards:internship_detail", internship.pk)
    try:
        services.discontinue(internship=internship, by=request.user, note=form.cleaned_data["note"])
    except InternshipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The internship is discontinued."))
    return redirect("awards:internship_detail", internship.pk)


@login_required
@require_http_methods(["GET", "POST"])
def internship_evaluate(request, pk: int, kind: str):
    internship = queries.internship_for(request.viewer, pk)
    require(request.viewer, "awards.internship.evaluate", internship)
    if kind not in EvaluationKind.values:
        raise Http404
    final = kind == EvaluationKind.FINAL
    form = EvaluationForm(request.POST or None, final=final)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_evaluation(
                internship=internship,
                kind=kind,
                ratings=form.ratings(),
                overall=form.cleaned_data["overall"],
                successful=form.cleaned_data.get("successful"),
                by=request.user,
            )
        except InternshipError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The evaluation is submitted; the intern can read it."))
            return redirect("awards:internship_detail", internship.pk)
    context = {
        "internship": internship,
        "form": form,
        "kind_label": EvaluationKind(kind).label,
        "final": final,
    }
    return render(request, "awards/internships/evaluation_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def internship_reflection(request, pk: int):
    internship = queries.internship_for(request.viewer, pk)
    require(request.viewer, "awards.internship.respond", internship)
    form = ReflectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_reflection(internship=internship, by=request.user, **form.cleaned_data)
        except InternshipError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your reflection is submitted."))
            return redirect("awards:internship_detail", internship.pk)
    return render(
        request, "awards/internships/reflection_form.html", {"internship": internship, "form": form}
    )


@login_required
def my_internships(request):
    """The viewer's internships, as intern or as supervisor."""
    page = _page(request, queries.my_internships(request.viewer))
    return render(request, "awards/internships/my_internships.html", {"page": page})


# --- staff ----------------------------------------------------------------------------------------------


@permission_required("awards.internships.oversee")
def internships_overview(request):
    positions = _page(request, queries.all_positions())
    internships = Paginator(queries.all_internships(), PAGE_SIZE).get_page(request.GET.get("ipage"))
    return render(
        request, "awards/internships/overview.html", {"positions": positions, "internships": internships}
    )


def _d(value) -> str:
    return date_format(value, "Y-m-d") if value else ""


@permission_required("awards.internships.oversee")
def internships_export(request, what: str, fmt: str):
    if what == "positions":
        table = [
            [
                _("Placement"),
                _("Host organisation"),
                _("Region"),
                _("Starts on"),
                _("Ends on"),
                _("Places"),
                _("Taken"),
                _("Status"),
            ]
        ]
        for p in queries.all_positions():
            table.append(
                [
                    p.title,
                    p.host.name,
                    p.get_region_display(),
                    _d(p.starts_on),
                    _d(p.ends_on),
                    str(p.slots),
                    str(_taken(p)),
                    p.get_status_display(),
                ]
            )
    elif what == "internships":
        table = [
            [
                _("Placement"),
                _("Host organisation"),
                _("Intern"),
                _("Host supervisor"),
                _("Starts on"),
                _("Ends on"),
                _("Status"),
                _("Evaluations"),
                _("Certificate"),
            ]
        ]
        for i in queries.all_internships():
            table.append(
                [
                    i.position.title,
                    i.position.host.name,
                    i.intern.full_name_ka or i.intern.full_name_latin,
                    i.supervisor.full_name_ka or i.supervisor.full_name_latin,
                    _d(i.starts_on),
                    _d(i.ends_on),
                    i.get_status_display(),
                    str(getattr(i, "evaluation_count", 0)),
                    str(i.credential_id or ""),
                ]
            )
    else:
        raise Http404
    table = [[_safe_cell(str(cell)) for cell in row] for row in table]
    filename = f"internship-{what}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        return csv_response(table, filename)
    if fmt == "xlsx":
        return xlsx_response(table, filename)
    raise Http404


def _safe_cell(value: str) -> str:
    """No spreadsheet formula from typed text (as calls' exports do)."""
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value
