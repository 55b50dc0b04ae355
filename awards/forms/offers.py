"""Offers: forms (staff make offers; the applicant answers)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models.offers import AgreementMode
from awards.services.offers import SIGNED_COPY_KINDS, SIGNED_COPY_MAX_BYTES, default_deadline
from calls.api import long_text
from core.api import validate_upload

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OfferOptionsForm(forms.Form):
    """The deadline and agreement mode of offers made in bulk (each amount is the application's own)."""

    response_deadline = forms.DateTimeField(label=_("Answer by (Georgia time)"), widget=DATETIME_WIDGET)
    agreement_mode = forms.ChoiceField(
        label=_("How the agreement is confirmed"),
        choices=AgreementMode.choices,
        initial=AgreementMode.ACKNOWLEDGE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response_deadline"].initial = default_deadline()

    def clean_response_deadline(self):
        value = self.cleaned_data["response_deadline"]
        if value <= timezone.now():
            raise ValidationError(_("The answer deadline must be in the future."))
        return value


class OfferForm(OfferOptionsForm):
    """One offer: also its amount and the agreement's terms, prefilled from the application and the call."""

    amount = forms.DecimalField(
        label=_("Amount (GEL)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Leave empty for a call without money (an internship, certification or mentoring)."),
    )
    terms_ka = long_text(_("Terms in Georgian"), max_length=20000, rows=8)
    terms_en = long_text(_("Terms in English"), max_length=20000, rows=8)


class AcceptForm(forms.Form):
    """Accepting an offer: by its agreement mode, tick the acknowledgement or upload the signed copy."""

    acknowledge = forms.BooleanField(label=_("I have read and accept the agreement."), required=False)
    signed_copy = forms.FileField(
        label=_("The signed agreement (PDF or an image: PNG, JPEG; at most 10 MB)"),
        required=False,
    )

    def __init__(self, *args, mode: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.mode = mode
        if mode != AgreementMode.ACKNOWLEDGE:
            del self.fields["acknowledge"]
        else:
            self.fields["acknowledge"].required = True
            self.fields["acknowledge"].error_messages["required"] = _(
                "Please confirm that you have read and accept the agreement."
            )
        if mode != AgreementMode.UPLOAD:
            del self.fields["signed_copy"]
        else:
            self.fields["signed_copy"].required = True
            self.fields["signed_copy"].error_messages["required"] = _("Please upload the signed agreement.")

    def clean_signed_copy(self):
        upload = self.cleaned_data.get("signed_copy")
        if upload:
            validate_upload(upload, kinds=SIGNED_COPY_KINDS, max_bytes=SIGNED_COPY_MAX_BYTES)
            upload.seek(0)
        return upload


class DeclineForm(forms.Form):
    reason = long_text(_("Why do you decline? (optional)"), max_length=2000, rows=3, required=False)


class NoteForm(forms.Form):
    """Staff's optional note on a withdrawal or a promotion."""

    note = long_text(_("Note (optional)"), max_length=2000, rows=2, required=False)
