"""Offers: thin views. Load through queries (404 for outsiders), change through services, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.api import is_programme_staff, permission_required, require
from awards import pdf
from awards.forms.offers import AcceptForm, DeclineForm, NoteForm, OfferForm, OfferOptionsForm
from awards.models.offers import AgreementMode, OfferStatus
from awards.queries import offers as queries
from awards.services import offers as services
from awards.services.offers import OfferError
from calls.api import accepted_applications, csv_response, xlsx_response

PAGE_SIZE = 25


# --- the people who answer ---------------------------------------------------------------------------


@login_required
@require_GET
def my_offers(request):
    page = Paginator(queries.offers_of(request.viewer), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "awards/offers/my_offers.html", {"page": page, "now": timezone.now()})


def _detail(request, offer, *, accept_form=None, decline_form=None, status=200):
    respondent = services.is_respondent(request.viewer, offer)
    context = {
        "offer": offer,
        "application": offer.application,
        "call": offer.application.call,
        "respondent": respondent,
        "staff": is_programme_staff(request.viewer),
        "open": offer.status == OfferStatus.MADE and services.open_until(offer, timezone.now()),
        "events": [(e, services.ACTION_LABELS.get(e.action, e.action)) for e in queries.events_of(offer)],
        "note_form": NoteForm(),
        "accept_form": accept_form or AcceptForm(mode=offer.agreement_mode),
        "decline_form": decline_form or DeclineForm(),
        "modes": AgreementMode,
    }
    return render(request, "awards/offers/offer_detail.html", context, status=status)


def _refused(request, offer, form, form_name: str, error: OfferError):
    """The offer's page again, as the offer now is, with the service's refusal on the answer's form."""
    form.add_error(None, error.message)
    offer.refresh_from_db()
    return _detail(request, offer, **{form_name: form})


@login_required
@require_GET
def offer_detail(request, pk):
    return _detail(request, queries.offer_for(request.viewer, pk))


@login_required
@require_POST
def offer_accept(request, pk):
    offer = queries.offer_for(request.viewer, pk)
    require(request.viewer, "awards.offer.respond", offer)
    form = AcceptForm(request.POST, request.FILES, mode=offer.agreement_mode)
    if not form.is_valid():
        return _detail(request, offer, accept_form=form)
    try:
        services.accept_offer(
            offer=offer,
            by=request.viewer,
            acknowledged=form.cleaned_data.get("acknowledge", False),
            signed_copy=form.cleaned_data.get("signed_copy"),
        )
    except OfferError as error:
        return _refused(request, offer, form, "accept_form", error)
    messages.success(request, _("You accepted the offer. Thank you!"))
    return redirect("awards:offer_detail", pk=offer.pk)


@login_required
@require_POST
def offer_decline(request, pk):
    offer = queries.offer_for(request.viewer, pk)
    require(request.viewer, "awards.offer.respond", offer)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _detail(request, offer, decline_form=form)
    try:
        services.decline_offer(offer=offer, by=request.viewer, reason=form.cleaned_data["reason"])
    except OfferError as error:
        return _refused(request, offer, form, "decline_form", error)
    messages.success(request, _("You declined the offer."))
    return redirect("awards:offer_detail", pk=offer.pk)


@login_required
@require_GET
def offer_agreement(request, pk):
    offer = queries.offer_for(request.viewer, pk)
    response = HttpResponse(pdf.agreement_pdf(offer), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{offer.reference}-agreement.pdf"'
    return response


@login_required
@require_GET
def offer_signed_copy(request, pk):
    offer = queries.offer_for(request.viewer, pk)
    if not offer.signed_copy:
        raise Http404
    response = FileResponse(
        offer.signed_copy.open("rb"), as_attachment=True, filename=offer.signed_copy_name or "signed"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- staff ------------------------------------------------------------------------------------------


@permission_required("awards.offer.manage")
@require_GET
def staff_offers(request):
    page = Paginator(queries.staff_calls(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "awards/offers/staff_offers.html", {"page": page})


@login_required
@require_GET
def call_offers(request, slug):
    call = queries.call_for_staff(request.viewer, slug)
    page = Paginator(queries.accepted_rows(call), PAGE_SIZE).get_page(request.GET.get("page"))
    to_promote = list(queries.offers_to_promote(call)[:PAGE_SIZE])
    return render(
        request,
        "awards/offers/call_offers.html",
        {
            "call": call,
            "page": page,
            "options_form": OfferOptionsForm(),
            "to_promote": to_promote,
            "next_waitlisted": queries.next_waitlisted(call) if to_promote else None,
            "note_form": NoteForm(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def make_offers(request, slug):
    """Offers for the ticked applications (or all that can receive one), with one deadline and mode."""
    call = queries.call_for_staff(request.viewer, slug)
    form = OfferOptionsForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect("awards:call_offers", slug=call.slug)
    applications = accepted_applications(call)
    if request.POST.get("scope") != "all":
        ticked = [pk for pk in request.POST.getlist("application") if pk.isdigit() and len(pk) <= 18]
        applications = applications.filter(pk__in=ticked)
    made, problems = services.make_offers(
        applications=list(applications),
        by=request.viewer,
        response_deadline=form.cleaned_data["response_deadline"],
        agreement_mode=form.cleaned_data["agreement_mode"],
    )
    messages.success(request, _("Offers made: %(count)s") % {"count": made})
    for problem in problems:
        messages.warning(request, problem)
    return redirect("awards:call_offers", slug=call.slug)


@login_required
@require_http_methods(["GET", "POST"])
def make_offer(request, pk):
    """One offer, with its amount and terms editable before it is made."""
    application = queries.application_for_offer(request.viewer, pk)
    call = application.call
    existing = getattr(application, "offer", None)
    if existing is not None:
        return redirect("awards:offer_detail", pk=existing.pk)
    amount = services.default_amount(application)
    if request.method == "POST":
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                offer = services.make_offer(
                    application=application,
                    by=request.viewer,
                    response_deadline=form.cleaned_data["response_deadline"],
                    amount=form.cleaned_data["amount"],
                    agreement_mode=form.cleaned_data["agreement_mode"],
                    terms_ka=form.cleaned_data["terms_ka"],
                    terms_en=form.cleaned_data["terms_en"],
                )
            except OfferError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The offer is made; its letter waits in the outbox."))
                return redirect("awards:offer_detail", pk=offer.pk)
    else:
        terms_ka, terms_en = services.default_terms(application, amount)
        form = OfferForm(initial={"amount": amount, "terms_ka": terms_ka, "terms_en": terms_en})
    return render(
        request,
        "awards/offers/make_offer.html",
        {
            "form": form,
            "application": application,
            "call": call,
            "ready": services.can_receive_offer(application),
        },
    )


@login_required
@require_POST
def offer_withdraw(request, pk):
    offer = queries.offer_for(request.viewer, pk)
    require(request.viewer, "awards.offer.manage", offer)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.withdraw_offer(offer=offer, by=request.viewer, note=note)
    except OfferError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The offer is withdrawn."))
    return redirect("awards:offer_detail", pk=offer.pk)


@login_required
@require_POST
def offer_promote(request, pk):
    offer = queries.offer_for(request.viewer, pk)
    require(request.viewer, "awards.offer.manage", offer)
    application = queries.waitlisted_of(offer.application.call, request.POST.get("application", ""))
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.promote_next(offer=offer, application=application, by=request.viewer, note=note)
    except OfferError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Application %(reference)s is accepted from the waiting list; its letter waits in the outbox.")
            % {"reference": application.reference},
        )
    return redirect("awards:call_offers", slug=offer.application.call.slug)


@login_required
@require_GET
def export_offers(request, slug, fmt):
    call = queries.call_for_staff(request.viewer, slug)
    table = queries.export_table(call)
    filename = f"{call.slug}-offers-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        return xlsx_response(table, filename)
    return csv_response(table, filename)
