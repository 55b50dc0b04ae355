from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.api import validate_single_line


class VisitorRegistrationForm(forms.Form):
    """A visitor registers with a name and an address (the registration stands once they follow the email link)."""

    name = forms.CharField(label=_("Your name"), max_length=200, validators=[validate_single_line])
    email = forms.EmailField(label=_("Your email"), max_length=254)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Registration code"),
        max_length=20,
        help_text=_("Type the code under the person's QR code, for example ABCDE-23456."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
    )
