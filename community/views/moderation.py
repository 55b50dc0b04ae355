"""Moderators' pages and acts: the queue, the log, hiding posts, locking/pinning/moving topics, suspensions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from community import queries, services
from community.forms import MoveForm, SuspendForm
from community.models import ModerationAction, Suspension
from community.services import CommunityError
from community.views.common import LIST_PER_PAGE, page_of


@login_required
@require_POST
def post_moderate(request, pk):
    queries.require_moderator(request.viewer)
    post = queries.post_for_user(request.viewer, pk)
    try:
        services.moderate_post(
            post=post,
            moderator=request.user,
            action=request.POST.get("action", ""),
            note=request.POST.get("note", "")[:1000],
        )
    except CommunityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done. The act is in the moderation log."))
    if request.POST.get("next") == "queue":
        return redirect("community:moderation")
    return redirect(post)


@login_required
@require_POST
def topic_moderate(request, pk):
    queries.require_moderator(request.viewer)
    topic = queries.topic_for_user(request.viewer, pk)
    action = request.POST.get("action", "")
    category = None
    if action == ModerationAction.MOVE:
        form = MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose another category to move the topic to."))
            return redirect(topic)
        category = form.cleaned_data["category"]
    try:
        services.moderate_topic(topic=topic, moderator=request.user, action=action, category=category)
    except CommunityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done. The act is in the moderation log."))
    return redirect(topic)


@login_required
def moderation(request):
    queries.require_moderator(request.viewer)
    grouped: dict[int, dict] = {}
    for flag in queries.open_flags()[:200]:
        grouped.setdefault(flag.post_id, {"post": flag.post, "flags": []})["flags"].append(flag)
    return render(
        request,
        "community/moderation.html",
        {
            "flagged": list(grouped.values()),
            "reports": list(queries.open_question_reports()[:100]),
            "suspensions": list(queries.current_suspensions()),
        },
    )


@login_required
def moderation_log(request):
    queries.require_moderator(request.viewer)
    return render(
        request,
        "community/moderation_log.html",
        {"page": page_of(request, queries.moderation_log(), LIST_PER_PAGE * 2)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def suspend(request, user_id):
    queries.require_moderator(request.viewer)
    person = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    form = SuspendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suspend(user=person, moderator=request.user, **form.cleaned_data)
        except CommunityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(name)s cannot post until the date you chose.") % {"name": person.display_name}
            )
            return redirect("community:moderation")
    return render(request, "community/suspend.html", {"form": form, "person": person})


@login_required
@require_POST
def lift_suspension(request, pk):
    queries.require_moderator(request.viewer)
    suspension = get_object_or_404(Suspension, pk=pk)
    services.lift_suspension(suspension=suspension, moderator=request.user)
    messages.success(request, _("The suspension has been lifted."))
    return redirect("community:moderation")


@login_required
@require_POST
def resolve_report(request, pk):
    queries.require_moderator(request.viewer)
    report = get_object_or_404(queries.open_question_reports(), pk=pk)
    services.resolve_question_report(
        report=report, moderator=request.user, note=request.POST.get("note", "")[:1000]
    )
    messages.success(request, _("Done. The act is in the moderation log."))
    return redirect("community:moderation")
