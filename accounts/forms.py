from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import MembershipRole, Organisation, User
from accounts.validators import reject_control_characters, validate_georgian_name, validate_latin_name

NAME_MAX = 150
# Django's message for a value outside a list quotes the value back whole (%(value)s): a 1 MB "region" came back
# as a 1 MB error. The list is on the page; naming the refused value adds nothing.
INVALID_CHOICE = _("Select a valid choice. That choice is not one of the available choices.")


def without_echoed_choices(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.ChoiceField):
            field.error_messages["invalid_choice"] = INVALID_CHOICE


class SignupExtraForm(forms.Form):
    """Fields allauth adds to its sign-up form: the name in both scripts (certificates print both)."""

    full_name_ka = forms.CharField(
        label=_("Full name in Georgian"),
        max_length=NAME_MAX,
        required=False,
        validators=[validate_georgian_name],
        help_text=_("As it should appear on certificates, for example: ნინო ბერიძე."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "lang": "ka"}),
    )
    full_name_latin = forms.CharField(
        label=_("Full name in Latin letters"),
        max_length=NAME_MAX,
        required=False,
        validators=[validate_latin_name],
        help_text=_("As in your passport, for example: Nino Beridze."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "lang": "en"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("full_name_ka") and not cleaned.get("full_name_latin"):
            raise ValidationError(_("Enter your name in Georgian, in Latin letters, or both."))
        return cleaned

    def signup(self, request, user):
        user.full_name_ka = " ".join(self.cleaned_data.get("full_name_ka", "").split())
        user.full_name_latin = " ".join(self.cleaned_data.get("full_name_latin", "").split())
        user.language = (
            get_language() if get_language() in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        )
        user.save(update_fields=["full_name_ka", "full_name_latin", "language"])


class ProfileForm(forms.ModelForm):
    expertise_text = forms.CharField(
        label=_("Areas of expertise"),
        required=False,
        max_length=600,
        help_text=_("Separate them with commas, for example: civic budgets, public procurement."),
    )

    class Meta:
        model = User
        fields = [
            "full_name_ka",
            "full_name_latin",
            "region",
            "municipality",
            "bio",
            "phone",
            "language",
            "gender",
        ]
        widgets = {
            "full_name_ka": forms.TextInput(attrs={"lang": "ka", "autocomplete": "name"}),
            "full_name_latin": forms.TextInput(attrs={"lang": "en", "autocomplete": "name"}),
            "bio": forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_echoed_choices(self)
        if self.instance.pk and not self.is_bound:
            self.fields["expertise_text"].initial = ", ".join(t.name for t in self.instance.expertise.all())

    def clean_expertise_text(self):
        value = self.cleaned_data["expertise_text"]
        reject_control_characters(value)
        names = [" ".join(n.split()) for n in value.split(",") if n.strip()]
        if any(len(n) > 60 for n in names):
            raise ValidationError(_("Each area of expertise can be at most 60 characters long."))
        if len(names) > 15:
            raise ValidationError(_("List at most 15 areas of expertise."))
        return names

    def clean(self):
        cleaned = super().clean()
        both_valid = "full_name_ka" in cleaned and "full_name_latin" in cleaned
        if both_valid and not cleaned["full_name_ka"] and not cleaned["full_name_latin"]:
            raise ValidationError(_("Enter your name in Georgian, in Latin letters, or both."))
        return cleaned


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name_ka", "name_en", "kind", "region", "website", "registration_number", "description"]
        widgets = {
            "name_ka": forms.TextInput(attrs={"lang": "ka"}),
            "name_en": forms.TextInput(attrs={"lang": "en"}),
            "description": forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_echoed_choices(self)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)
        without_echoed_choices(self)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.organisation.memberships.filter(user__email__iexact=email).exists():
            raise ValidationError(_("This person is already a member."))
        return email


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you leaving? (optional)"),
        required=False,
        max_length=2000,
        validators=[reject_control_characters],
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account will be deleted and I will no longer be able to sign in."),
        required=True,
    )
