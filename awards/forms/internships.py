"""Internships: forms (plain ``forms.Form``s; the services do the writing)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.api import Membership, Region, User, validate_single_line
from awards.models.internships import LONG_TEXT, RUBRIC
from calls.api import internship_calls, long_text
from learning.api import published_courses

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label, *, rows=4, required=True, help_text=""):
    return long_text(label, max_length=LONG_TEXT, rows=rows, required=required, help_text=help_text)


class RegionFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions")), *Region.choices]


class _DatesMixin:
    def clean(self):
        data = super().clean()  # type: ignore[misc]
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date is before the start date."))  # type: ignore[attr-defined]
        return data


class PositionForm(_DatesMixin, forms.Form):
    host = forms.TypedChoiceField(label=_("Host organisation"), coerce=int)
    title_ka = forms.CharField(
        label=_("Position in Georgian"), max_length=200, validators=[validate_single_line]
    )
    title_en = forms.CharField(
        label=_("Position in English"), max_length=200, required=False, validators=[validate_single_line]
    )
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    slots = forms.IntegerField(label=_("Places"), min_value=1, max_value=50, initial=1)
    tasks = _text(_("Tasks"), rows=6, help_text=_("Markdown."))
    required_courses = forms.ModelMultipleChoiceField(
        label=_("Required courses"),
        queryset=published_courses(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    call = forms.ModelChoiceField(
        label=_("Internship call"),
        queryset=internship_calls(),
        required=False,
        help_text=_("Interns are selected from the people whose offers from this call were accepted."),
    )
    supervisor = forms.TypedChoiceField(label=_("Host supervisor"), coerce=int)

    def __init__(self, *args, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        hosts = list(hosts)
        self.fields["host"].choices = [(h.pk, h.name) for h in hosts]
        self.fields["required_courses"].queryset = published_courses()
        self.fields["call"].queryset = internship_calls()
        members = (
            Membership.objects.filter(organisation__in=[h.pk for h in hosts])
            .select_related("user")
            .order_by("user__full_name_ka", "user_id")
        )
        seen: dict[int, str] = {}
        for m in members:
            seen.setdefault(m.user_id, m.user.full_name_ka or m.user.full_name_latin or m.user.email)
        self.fields["supervisor"].choices = list(seen.items())

    def clean(self):
        data = super().clean()
        host, supervisor = data.get("host"), data.get("supervisor")
        if (
            host
            and supervisor
            and not Membership.objects.filter(organisation_id=host, user_id=supervisor).exists()
        ):
            self.add_error("supervisor", _("The supervisor must be a member of the host organisation."))
        return data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["supervisor"] = User.objects.get(pk=data["supervisor"])
        data.pop("host")
        data.pop("required_courses")
        return data


class PositionStatusForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("publish", pgettext_lazy("placement", "Publish")),
            ("close", pgettext_lazy("placement", "Close")),
            ("reopen", pgettext_lazy("placement", "Reopen")),
        ]
    )


class AgreementForm(forms.Form):
    objectives = _text(_("Learning objectives"))
    agreed_tasks = _text(_("Tasks"))
    schedule = _text(_("Schedule"), rows=3, help_text=_("Days, hours, place (on site or remote)."))


class SelectInternForm(_DatesMixin, AgreementForm):
    candidate = forms.TypedChoiceField(label=_("Candidate"), coerce=int, widget=forms.RadioSelect)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)

    field_order = ["candidate", "starts_on", "ends_on", "objectives", "agreed_tasks", "schedule"]

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = [
            (c.pk, c.person.full_name_ka or c.person.full_name_latin or c.person.email) for c in candidates
        ]


SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class EvaluationForm(forms.Form):
    """The rubric: each criterion 1–5 with an optional comment, the overall text and (final) the verdict."""

    def __init__(self, *args, final: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in RUBRIC:
            self.fields[f"{key}_score"] = forms.TypedChoiceField(
                label=label, choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
            )
            self.fields[f"{key}_comment"] = long_text(
                _("Comment (%(criterion)s)") % {"criterion": label}, max_length=1000, rows=2, required=False
            )
        self.fields["overall"] = _text(_("Overall assessment"))
        if final:
            self.fields["successful"] = forms.TypedChoiceField(
                label=_("Was the internship successfully completed?"),
                choices=[("yes", _("Yes, successfully completed")), ("no", _("No"))],
                coerce=lambda v: v == "yes",
                widget=forms.RadioSelect,
            )

    def ratings(self) -> dict:
        return {
            key: {"score": self.cleaned_data[f"{key}_score"], "comment": self.cleaned_data[f"{key}_comment"]}
            for key, _label in RUBRIC
        }


class ReflectionForm(forms.Form):
    learnt = _text(_("What I learnt"))
    hard = _text(_("What was hard"))
    next_steps = _text(_("What next"))


class DiscontinueForm(forms.Form):
    note = long_text(_("Reason"), max_length=1000, rows=2)
