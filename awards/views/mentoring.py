"""Mentoring: thin views.

Every object page goes through ``queries.mentorship_for`` (404 to outsiders) and every write through
``services``; a form with errors is shown again with what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.api import Role, holds_role, require
from awards.forms.mentoring import (
    ActionForm,
    ActionStatusForm,
    AssignMentorForm,
    DeclareForm,
    EndForm,
    MessageForm,
    OpenMentorshipForm,
    OverviewFilterForm,
    PlanForm,
    RiskForm,
    SessionForm,
)
from awards.models.mentoring import ActionStatus, MentorshipStatus
from awards.queries import mentoring as queries
from awards.services import mentoring as services
from awards.services.mentoring import MentoringError

PAGE_SIZE = 25


@login_required
@require_GET
def overview(request):
    require(request.viewer, "awards.mentoring.oversee")
    form = OverviewFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.staff_overview(
        status=filters.get("status", ""),
        open_risks=filters.get("open_risks", False),
        stale=filters.get("stale", False),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "awards/mentoring/overview.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@require_GET
def mine(request):
    viewer = request.viewer
    is_mentor = holds_role(viewer, Role.MENTOR)
    context = {
        "is_mentor": is_mentor,
        "as_mentee": list(queries.mentee_mentorships(viewer)[:50]),
        "today": timezone.localdate(),
    }
    if context["as_mentee"]:
        context["my_actions"] = list(queries.my_actions_due(viewer)[:50])
    if is_mentor:
        context["page"] = Paginator(queries.mentor_mentorships(viewer), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context["actions_due"] = list(queries.actions_due(viewer)[:50])
    return render(request, "awards/mentoring/mine.html", context)


def _detail(request, mentorship, role, **forms):
    context = {"mentorship": mentorship, "role": role}
    if role == "pending_mentor":
        context["declare_form"] = forms.get("declare_form") or DeclareForm()
        return render(request, "awards/mentoring/declare.html", context)
    context.update(queries.mentorship_log(mentorship))
    active = mentorship.status == MentorshipStatus.ACTIVE
    if role in ("mentor", "mentee") and active:
        context["message_form"] = forms.get("message_form") or MessageForm()
        context["can_update_actions"] = True
        context["action_statuses"] = ActionStatus.choices
    if role == "staff":
        if mentorship.status == MentorshipStatus.WAITING and mentorship.mentor_id is None:
            context["assign_form"] = forms.get("assign_form") or AssignMentorForm(mentorship=mentorship)
        if mentorship.status != MentorshipStatus.ENDED:
            context["end_form"] = EndForm()
        context["assignments"] = list(mentorship.assignments.select_related("mentor"))
    if mentorship.mentor_id:
        context["mentor_expertise"] = list(mentorship.mentor.expertise.all())
    context["can_plan"] = role == "staff" or (role == "mentor" and active)
    context["can_log"] = role == "mentor" and active
    return render(request, "awards/mentoring/detail.html", context, status=forms.get("status", 200))


@login_required
@require_GET
def detail(request, pk):
    mentorship, role = queries.mentorship_for(request.viewer, pk)
    return _detail(request, mentorship, role)


@login_required
@require_POST
def declare(request, pk):
    mentorship, role = queries.mentorship_for(request.viewer, pk)
    require(request.viewer, "awards.mentorship.declare", mentorship)
    form = DeclareForm(request.POST)
    if not form.is_valid():
        return _detail(request, mentorship, role, declare_form=form)
    try:
        services.declare_conflict(
            mentorship=mentorship,
            by=request.user,
            conflict=form.cleaned_data["conflict"],
            note=form.cleaned_data["note"],
        )
    except MentoringError as error:
        messages.error(request, error.message)
        return redirect("awards:mentoring_mine")
    if form.cleaned_data["conflict"]:
        messages.info(request, _("Thank you. You are no longer assigned to this mentorship."))
        return redirect("awards:mentoring_mine")
    messages.success(request, _("Thank you. The mentorship is active."))
    return redirect(mentorship)


@login_required
@require_POST
def assign(request, pk):
    mentorship, role = queries.mentorship_for(request.viewer, pk)
    require(request.viewer, "awards.mentorship.manage", mentorship)
    form = AssignMentorForm(request.POST, mentorship=mentorship)
    if not form.is_valid():
        return _detail(request, mentorship, role, assign_form=form, status=400)
    try:
        services.assign_mentor(mentorship=mentorship, mentor=form.cleaned_data["mentor"], by=request.user)
    except MentoringError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The mentor is asked to declare conflicts of interest."))
    return redirect(mentorship)


@login_required
@require_POST
def end(request, pk):
    mentorship, _role = queries.mentorship_for(request.viewer, pk)
    require(request.viewer, "awards.mentorship.manage", mentorship)
    form = EndForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.end_mentorship(mentorship=mentorship, by=request.user, note=note)
    except MentoringError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The mentorship has ended."))
    return redirect(mentorship)


@login_required
@require_http_methods(["GET", "POST"])
def plan(request, pk):
    mentorship, role = queries.mentorship_for(request.viewer, pk)
    if not (role == "staff" or (role == "mentor" and mentorship.status == MentorshipStatus.ACTIVE)):
        require(request.viewer, "awards.mentorship.manage", mentorship)
    initial = {"goals": mentorship.goals, "starts_on": mentorship.starts_on, "ends_on": mentorship.ends_on}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(mentorship=mentorship, by=request.user, **form.cleaned_data)
        except MentoringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(mentorship)
    return render(request, "awards/mentoring/plan.html", {"mentorship": mentorship, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def session_add(request, pk):
    mentorship, _role = queries.mentorship_for(request.viewer, pk)
    require(request.viewer, "awards.mentorship.log", mentorship)
    form = SessionForm(request.POST or None, mentorship=mentorship)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.log_session(
                mentorship=mentorship,
                by=request.user,
                held_on=data["held_on"],
                duration_minutes=data["duration_minutes"],
                format=data["format"],
                topics=data["topics"],
                notes=data["notes"],
                action=form.action(),
            )
        except MentoringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The session is in the log."))
            return redirect(mentorship)
    return render(request, "awards/mentoring/session_form.html", {"mentorship": mentorship, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request, pk):
    mentorship, _role = queries.mentorship_for(request.viewer, pk)
    require(request.viewer, "awards.mentorship.log", mentorship)
    form = ActionForm(request.POST or None, mentorship=mentorship)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_action(mentorship=mentorship, by=request.user, **form.action())
        except MentoringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The action is in the log."))
            return redirect(mentorship)
    return render(request, "awards/mentoring/action_form.html", {"mentorship": mentorship, "form": form})


@login_required
@require_POST
def action_status(request, pk):
    action = queries.action_for(request.viewer, pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_action_status(action=action, by=request.user, status=form.cleaned_data["status"])
        except MentoringError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The action's status is saved."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect(action.mentorship)


@login_required
@require_http_methods(["GET", "POST"])
def risk_add(request, pk):
    mentorship, _role = queries.mentorship_for(request.viewer, pk)
    require(request.viewer, "awards.mentorship.log", mentorship)
    form = RiskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.raise_risk(mentorship=mentorship, by=request.user, **form.cleaned_data)
        except MentoringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Programme staff are told about the risk."))
            return redirect(mentorship)
    return render(request, "awards/mentoring/risk_form.html", {"mentorship": mentorship, "form": form})


@login_required
@require_POST
def risk_ack(request, pk):
    flag = queries.risk_flag_for_staff(request.viewer, pk)
    try:
        services.acknowledge_risk(flag=flag, by=request.user)
    except MentoringError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The risk flag is acknowledged."))
    return redirect(flag.mentorship)


@login_required
@require_POST
def message(request, pk):
    mentorship, role = queries.mentorship_for(request.viewer, pk)
    require(request.viewer, "awards.mentorship.write", mentorship)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.send_message(mentorship=mentorship, by=request.user, body=form.cleaned_data["body"])
        except MentoringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect(f"{mentorship.get_absolute_url()}#messages")
    return _detail(request, mentorship, role, message_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def open_new(request):
    require(request.viewer, "awards.mentoring.oversee")
    form = OpenMentorshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mentorship = services.open_mentorship(
                by=request.user, project=data.get("project"), mentee=data.get("mentee"), goals=data["goals"]
            )
        except MentoringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The mentorship is created: assign a mentor."))
            return redirect(mentorship)
    return render(request, "awards/mentoring/open.html", {"form": form})
