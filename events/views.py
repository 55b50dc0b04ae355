"""Thin views: load through queries (404 for outsiders), change through services, render."""

from __future__ import annotations

import datetime as dt
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.api import permission_required
from calls.api import (
    answer_columns,
    cleaned_answers,
    csv_response,
    open_and_upcoming_calls,
    present_answers,
    questionnaire_form,
    questionnaire_rows,
    spreadsheet_cell,
    xlsx_response,
)
from core.api import cache_anonymous_page, render_markdown
from events import ics, queries, services
from events.forms import CheckInForm, VisitorRegistrationForm
from events.models import Audience

PAGE_SIZE = 20


# --- public pages ----------------------------------------------------------------------------------


@require_GET
@cache_anonymous_page()
def event_list(request):
    now = timezone.now()
    upcoming = Paginator(queries.upcoming_events(now), PAGE_SIZE).get_page(request.GET.get("page"))
    past = queries.past_events(now)[:PAGE_SIZE]
    return render(request, "events/list.html", {"upcoming": upcoming, "past": past})


@require_GET
@cache_anonymous_page()
def event_detail(request, pk):
    event = queries.event_for(request.viewer, pk)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "description": render_markdown(event.description),
            "mine": queries.my_registration(request.viewer, event),
            "refusal": services.refusal(
                event=event, user=request.user if request.user.is_authenticated else None
            ),
            "counts": queries.counts(event),
        },
    )


@require_http_methods(["GET", "POST"])
def register(request, pk):
    event = queries.event_for(request.viewer, pk)
    user = request.user if request.user.is_authenticated else None
    if user is None and event.audience != Audience.ANYONE:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    reason = services.refusal(event=event, user=user)
    if reason:  # told at once, before anything is typed (the service refuses a POST all the same)
        return render(request, "events/register.html", {"event": event, "refusal": reason})
    posted = request.POST if request.method == "POST" else None
    form = VisitorRegistrationForm(posted) if user is None else None
    rows = questionnaire_rows(event.questionnaire_id)
    questions = questionnaire_form(rows, posted) if rows else None
    if posted is not None:
        # Both forms are checked (each shows its messages); what was typed stays on the page.
        valid = [f.is_valid() for f in (form, questions) if f is not None]
        if all(valid):
            data = form.cleaned_data if form is not None else {}
            try:
                registration, _new = services.register(
                    event=event,
                    user=user,
                    name=data.get("name", ""),
                    email=data.get("email", ""),
                    language=get_language() or "ka",
                    answers=cleaned_answers(questions) if questions is not None else {},
                )
            except services.RegistrationError as refusal:
                messages.error(request, str(refusal))
            else:
                if user is None:
                    messages.success(request, _("Almost done: follow the link we emailed you to confirm."))
                    return redirect("events:detail", event.pk)
                return redirect("events:registration", registration.token)
        else:
            messages.error(request, _("Check the answers marked below."))
    return render(request, "events/register.html", {"event": event, "form": form, "questions": questions})


@require_GET
@cache_anonymous_page(timeout=300)
def feed(request):
    events = queries.published_events().filter(ends_at__gte=timezone.now() - dt.timedelta(days=365))
    text = ics.calendar(
        events,
        deadlines=open_and_upcoming_calls(),
        name=_("civichub events"),
        language=get_language() or "ka",
    )
    return HttpResponse(text, content_type="text/calendar; charset=utf-8")


# --- the person's registration ---------------------------------------------------------------------


def _by_token(request, token):
    try:
        return queries.registration_by_token(request, token), None
    except queries.SignInFirst as sign_in:
        return None, sign_in.response


@require_GET
def registration(request, token):
    found, response = _by_token(request, token)
    if response is not None:
        return response
    answers = present_answers(questionnaire_rows(found.event.questionnaire_id), found.answers)
    return render(
        request,
        "events/registration.html",
        {"registration": found, "event": found.event, "answers": [a for a in answers if a.text]},
    )


@require_POST
def confirm(request, token):
    found, response = _by_token(request, token)
    if response is not None:
        return response
    try:
        services.confirm_email(registration=found)
    except services.RegistrationError as refusal:
        messages.error(request, str(refusal))
    return redirect("events:registration", found.token)


@require_POST
def cancel(request, token):
    found, response = _by_token(request, token)
    if response is not None:
        return response
    try:
        services.cancel_registration(
            registration=found, by=request.user if request.user.is_authenticated else None
        )
    except services.RegistrationError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:registration", found.token)


@require_GET
def qr(request, token):
    found, response = _by_token(request, token)
    if response is not None:
        return response
    out = io.BytesIO()
    segno.make(found.code, error="m").save(out, kind="svg", scale=6, border=2, title=found.display_code)
    reply = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    reply["Cache-Control"] = "private, max-age=3600"
    return reply


@require_GET
def registration_ics(request, token):
    found, response = _by_token(request, token)
    if response is not None:
        return response
    reply = HttpResponse(
        ics.calendar([found.event], language=get_language() or "ka"),
        content_type="text/calendar; charset=utf-8",
    )
    reply["Content-Disposition"] = 'attachment; filename="event.ics"'
    return reply


@login_required
@require_GET
def mine(request):
    page = Paginator(queries.registrations_of(request.viewer), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/mine.html", {"page": page})


# --- staff -----------------------------------------------------------------------------------------


@permission_required("events.manage")
@require_GET
def manage(request):
    page = Paginator(queries.events_with_counts(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/manage.html", {"page": page})


@login_required
@require_GET
def registrations(request, pk):
    event = queries.event_for_staff(request.viewer, pk)
    page = Paginator(queries.registrations_for_staff(event), 50).get_page(request.GET.get("page"))
    questions = questionnaire_rows(event.questionnaire_id)
    texts = answer_columns(questions)
    labels = queries.status_labels()
    return render(
        request,
        "events/registrations.html",
        {
            "event": event,
            "page": page,
            "rows": [(r, labels[r.status], texts(r.answers)) for r in page],
            "questions": questions,
            "counts": queries.counts(event),
        },
    )


@login_required
@require_POST
def invite_certified(request, pk):
    """A ceremony: invite the certification call's certified people now (each once, by email)."""
    event = queries.event_for_staff(request.viewer, pk)
    if event.certification_call_id is None:
        messages.error(request, _("This event is not linked to a certification call."))
    else:
        invited = services.invite_certified(event=event, by=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)s certified person invited by email.",
                "%(count)s certified people invited by email.",
                invited,
            )
            % {"count": invited},
        )
    return redirect("events:registrations", event.pk)


def _table(event) -> list[list[str]]:
    questions = questionnaire_rows(event.questionnaire_id)
    texts = answer_columns(questions)
    header = [_("Name"), _("Email"), _("Status"), _("Registered at"), _("Checked in at"), _("Code")]
    rows = [header + [q.label for q in questions]]
    labels = queries.status_labels()
    for r in queries.registrations_for_staff(event):
        rows.append(
            [
                spreadsheet_cell(r.name),
                spreadsheet_cell(r.email),
                labels[r.status],
                timezone.localtime(r.placed_at).strftime("%Y-%m-%d %H:%M") if r.placed_at else "",
                timezone.localtime(r.checked_in_at).strftime("%Y-%m-%d %H:%M") if r.checked_in_at else "",
                r.display_code,
                *(spreadsheet_cell(text) for text in texts(r.answers)),
            ]
        )
    return rows


@login_required
@require_GET
def export(request, pk, fmt):
    event = queries.event_for_staff(request.viewer, pk)
    filename = f"event-{event.pk}-registrations"
    if fmt == "xlsx":
        return xlsx_response(_table(event), f"{filename}.xlsx")
    if fmt == "csv":
        return csv_response(_table(event), f"{filename}.csv")
    from django.http import Http404

    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request, pk):
    event = queries.event_for_staff(request.viewer, pk)
    form = CheckInForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            found, already = services.check_in(event=event, code=form.cleaned_data["code"], by=request.user)
        except services.RegistrationError as refusal:
            form.add_error("code", str(refusal))
        else:
            result = {"registration": found, "already": already}
            form = CheckInForm()
    return render(
        request,
        "events/checkin.html",
        {
            "event": event,
            "form": form,
            "result": result,
            "counts": queries.counts(event),
            "admin_url": reverse("admin:events_event_change", args=[event.pk]),
        },
    )


@login_required
@require_POST
def ceremony_pdf(request, pk):
    """A ceremony's print run of the certificates of the people registered (built by credentials)."""
    event = queries.event_for_staff(request.viewer, pk)
    try:
        ceremony = services.print_ceremony(event=event, by=request.user)
    except services.RegistrationError as refusal:
        messages.error(request, str(refusal))
        return redirect("events:registrations", event.pk)
    return redirect("credentials:ceremony_detail", ceremony.pk)
