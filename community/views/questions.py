"""The practitioner network: the directory, profiles, private questions and the public Q&A library."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from community import queries, rules, services
from community.forms import (
    DirectoryFilterForm,
    MessageForm,
    PractitionerForm,
    QuestionForm,
    ReportForm,
    SearchForm,
    ThanksForm,
)
from community.services import CommunityError
from community.views.common import LIST_PER_PAGE, page_of, querystring


def practitioners(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.directory(
        expertise=filters.get("expertise", ""),
        region=filters.get("region", ""),
        language=filters.get("language", ""),
        query=filters.get("q", ""),
    )
    return render(
        request,
        "community/practitioners.html",
        {
            "form": form,
            "page": page_of(request, qs, LIST_PER_PAGE),
            "querystring": querystring(form),
            "me": queries.practitioner_of(request.viewer),
        },
    )


def practitioner(request, pk):
    practitioner = queries.practitioner_by_pk(pk)
    answered = practitioner.questions.filter(published_at__isnull=False).order_by("-published_at")[:10]
    return render(
        request, "community/practitioner.html", {"practitioner": practitioner, "answered": answered}
    )


@login_required
@require_http_methods(["GET", "POST"])
def practitioner_join(request):
    current = queries.practitioner_of(request.viewer)
    form = PractitionerForm(request.POST or None, initial=PractitionerForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        practitioner = services.save_practitioner(user=request.user, **form.cleaned_data)
        request.viewer.forget("community.practitioner")
        messages.success(request, _("Your practitioner profile has been saved."))
        return redirect(practitioner)
    return render(request, "community/practitioner_form.html", {"form": form, "current": current})


@login_required
@require_http_methods(["GET", "POST"])
def ask(request):
    to = request.GET.get("to") or request.POST.get("to") or ""
    target = queries.practitioner_by_pk(int(to)) if to.isdigit() else None
    form = QuestionForm(
        request.POST or None, to_pool=target is None, initial={"area": request.GET.get("area", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            question = services.ask_question(
                asker=request.user,
                practitioner=target,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                area=form.cleaned_data.get("area", ""),
            )
        except CommunityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your question has been sent. You will be notified when it is answered.")
            )
            return redirect(question)
    return render(
        request,
        "community/ask.html",
        {"form": form, "target": target, "suspension": rules.active_suspension(request.viewer)},
    )


@login_required
def questions(request):
    me = queries.practitioner_of(request.viewer)
    return render(
        request,
        "community/questions.html",
        {
            "asked": page_of(request, queries.questions_asked_by(request.viewer), LIST_PER_PAGE),
            "received": list(queries.questions_for_practitioner(me)[:50]) if me else None,
            "me": me,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def question(request, pk):
    viewer = request.viewer
    question = queries.question_for_user(viewer, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_question_message(
                question=question, author=request.user, body=form.cleaned_data["body"]
            )
        except CommunityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect(question)
    is_asker = question.asker_id == viewer.pk
    is_answerer = question.practitioner is not None and question.practitioner.user_id == viewer.pk
    # The other party of the thread (none yet for the asker of an unclaimed pool question).
    other = (
        question.asker if not is_asker else (question.practitioner.user if question.practitioner else None)
    )
    unclaimed = question.to_pool and question.practitioner_id is None
    return render(
        request,
        "community/question.html",
        {
            "question": question,
            "thread": list(question.messages.select_related("author")),
            "form": form,
            "is_asker": is_asker,
            "is_answerer": is_answerer,
            "may_write": is_asker or is_answerer or (unclaimed and rules.is_practitioner(viewer)),
            "other": other,
            "blocked": other is not None and queries.has_blocked(viewer=viewer, person=other),
            "thanks_form": ThanksForm(),
        },
    )


@login_required
@require_POST
def question_act(request, pk):
    question = queries.question_for_user(request.viewer, pk)
    form = ThanksForm(request.POST)
    thanks = form.cleaned_data["thanks"] if form.is_valid() else ""
    try:
        services.change_question(
            question=question, user=request.user, action=request.POST.get("action", ""), thanks=thanks
        )
    except CommunityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The question has been updated."))
    return redirect(question)


@login_required
@require_http_methods(["GET", "POST"])
def question_report(request, pk):
    question = queries.question_for_user(request.viewer, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_question(question=question, reporter=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Thank you. A moderator will look at your report."))
        return redirect(question)
    return render(request, "community/report.html", {"form": form, "question": question})


@login_required
@require_POST
def block_user(request, user_id):
    person = get_object_or_404(get_user_model(), pk=user_id)
    if request.POST.get("action") == "unblock":
        services.unblock(blocker=request.user, blocked=person)
        messages.success(request, _("You unblocked %(name)s.") % {"name": person.display_name})
    else:
        try:
            services.block(blocker=request.user, blocked=person)
        except CommunityError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("You blocked %(name)s: they cannot ask you or write to you.")
                % {"name": person.display_name},
            )
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else "community:settings")


def qa_list(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "community/qa_list.html",
        {
            "form": form,
            "page": page_of(request, queries.published_questions(query), LIST_PER_PAGE),
            "querystring": urlencode({"q": query}) if query else "",
        },
    )


def qa_detail(request, pk):
    question = queries.published_question(pk)
    return render(
        request,
        "community/qa_detail.html",
        {"question": question, "thread": list(question.messages.select_related("author"))},
    )
