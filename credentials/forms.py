from __future__ import annotations

import importlib.util

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from credentials.models import Achievement, Credential, CredentialStatus
from credentials.verification import MAX_TOKEN_CHARS, MAX_UPLOAD_BYTES


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown publicly on the verification page."),
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(
                _("Give the reason for revoking; it is shown on the verification page.")
            )
        return reason


class ReissueForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=500, required=False)


class VisibilityForm(forms.Form):
    show_name = forms.BooleanField(label=_("Show my name on the verification page"), required=False)


class VerifierForm(forms.Form):
    token = forms.CharField(
        label=_("The code printed on the certificate, its link, or the certificate itself (JWT)"),
        required=False,
        max_length=MAX_TOKEN_CHARS,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "autocomplete": "off"}),
    )
    file = forms.FileField(
        label=_("…or upload the badge image (PNG) or the .json / .jwt file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.json,.jwt,image/png,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large. Certificates are smaller than 2 MB."))
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("token", "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Paste a certificate or choose a file."))
        return data


def calls_available() -> bool:
    """The calls domain is installed (and offers its api): bulk issuing for a call is possible."""
    return apps.is_installed("calls") and importlib.util.find_spec("calls.api") is not None


def _certification_calls():
    if not calls_available():
        return []
    from calls import api as calls_api

    return list(calls_api.certification_calls())


class BulkIssueForm(forms.Form):
    call = forms.TypedChoiceField(label=_("Certification call"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = {call.pk: call for call in _certification_calls()}
        self.fields["call"].choices = [(pk, str(call)) for pk, call in self.calls.items()]

    def clean_call(self):
        pk = self.cleaned_data["call"]
        if pk not in self.calls:
            raise forms.ValidationError(_("Choose one of the certification calls."))
        return self.calls[pk]


class CeremonyForm(forms.Form):
    title = forms.CharField(label=_("Event"), max_length=200)
    achievement = forms.ModelChoiceField(
        label=_("All active certificates of"),
        queryset=Achievement.objects.none(),
        required=False,
        empty_label=_("— pick individual certificates below —"),
    )
    credentials = forms.ModelMultipleChoiceField(
        label=_("Certificates"),
        queryset=Credential.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["achievement"].queryset = Achievement.objects.order_by("name_ka")
        self.fields["credentials"].queryset = (
            Credential.objects.filter(status=CredentialStatus.ACTIVE)
            .select_related("achievement")
            .order_by("-issued_at")
        )
        self.fields["credentials"].label_from_instance = lambda c: (
            f"{c.recipient_name} — {c.achievement.name}"
        )

    def clean(self):
        data = super().clean()
        picked = list(data.get("credentials") or [])
        if data.get("achievement"):
            picked += list(
                Credential.objects.filter(achievement=data["achievement"], status=CredentialStatus.ACTIVE)
            )
        picked = list({c.pk: c for c in picked}.values())
        if not self.errors and not picked:
            raise forms.ValidationError(_("Choose at least one certificate."))
        data["picked"] = picked
        return data
