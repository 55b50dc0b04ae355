"""The form that creates a personal access token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.api import is_programme_staff, validate_single_line
from restapi.models import Scope

EXPIRY_CHOICES = [
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
    ("never", _("Never (revoke it yourself)")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        validators=[validate_single_line],
        help_text=_("What the token is for, e.g. the name of the script or site that uses it."),
    )
    scope = forms.ChoiceField(
        label=_("Access"), choices=Scope.choices, initial=Scope.READ, widget=forms.RadioSelect
    )
    expires = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, initial="90")

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        if not is_programme_staff(viewer):
            self.fields["scope"].choices = [(Scope.READ.value, Scope.READ.label)]

    def clean_scope(self):
        scope = self.cleaned_data["scope"]
        if scope == Scope.STAFF and not is_programme_staff(self.viewer):
            raise forms.ValidationError(
                _("Only programme staff with two-factor authentication may create it.")
            )
        return scope

    @property
    def expires_in_days(self) -> int | None:
        value = self.cleaned_data["expires"]
        return None if value == "never" else int(value)
