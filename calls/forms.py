"""Forms for staff and reviewer actions. The application form itself is built by ``answers.py``."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.api import reject_control_characters
from calls.models import Outcome, Status


class StartApplicationForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Apply as"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, call, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if call.allows_individuals:
            choices.append(("", _("Myself")))
        if call.allows_organisations:
            choices += [(m.organisation_id, m.organisation.name) for m in memberships]
        self.fields["organisation"].choices = choices
        self.fields["organisation"].required = not call.allows_individuals


class ScreeningForm(forms.Form):
    compliant = forms.TypedChoiceField(
        label=_("Screening result"),
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Complete and compliant")), ("no", _("Not compliant"))],
    )
    note = forms.CharField(
        label=_("Reason (the applicant reads it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_control_characters],
    )


class InfoRequestForm(forms.Form):
    question = forms.CharField(
        label=_("Question for the applicant"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[reject_control_characters],
    )
    open_fields = forms.MultipleChoiceField(
        label=_("Answers the applicant may change"), required=False, widget=forms.CheckboxSelectMultiple
    )
    respond_by = forms.DateTimeField(
        label=_("Answer by (Georgia time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, fields, default_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["open_fields"].choices = [(f.key, f.label) for f in fields]
        self.fields["respond_by"].initial = (timezone.localtime() + timedelta(days=default_days)).replace(
            second=0, microsecond=0
        )

    def clean_respond_by(self):
        value = self.cleaned_data["respond_by"]
        if value <= timezone.now():
            raise forms.ValidationError(_("The response deadline must be in the future."))
        return value


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Internal note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[reject_control_characters],
    )


class AssignForm(forms.Form):
    reviewer = forms.TypedChoiceField(label=_("Reviewer"), coerce=int)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", "—")] + [
            (r.pk, f"{r.display_name} ({r.email})") for r in reviewers
        ]


class ConflictForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this application?"),
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        choices=[
            ("no", _("No, I have no conflict of interest")),
            ("yes", _("Yes, I have a conflict of interest (you will be unassigned)")),
        ],
    )
    note = forms.CharField(
        label=_("Note for staff (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[reject_control_characters],
    )


class StaffListForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + [c for c in Status.choices if c[0] != Status.DRAFT],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("score", _("Score, highest first")),
            ("-score", _("Score, lowest first")),
            ("reviews", _("Number of reviews")),
            ("spread", _("Disagreement")),
            ("reference", _("Reference")),
            ("submitted", _("Submission time")),
        ],
    )
