"""Mentoring: forms."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.api import validate_single_line
from awards.models.mentoring import (
    MESSAGE_MAX,
    NOTES_MAX,
    ActionOwner,
    ActionStatus,
    MentorshipStatus,
    RiskLevel,
    SessionFormat,
)
from awards.queries.mentoring import (
    mentee_people,
    mentor_candidates,
    person_by_email,
    projects_without_mentorship,
)
from calls.api import long_text

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label, max_length, *, rows=None, required=True, help_text=""):
    if rows:
        return long_text(label, max_length=max_length, rows=rows, required=required, help_text=help_text)
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        validators=[validate_single_line],
    )


class OverviewFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *MentorshipStatus.choices]
    )
    open_risks = forms.BooleanField(label=_("With open risk flags"), required=False)
    stale = forms.BooleanField(label=_("No session in 30 days"), required=False)


class AssignMentorForm(forms.Form):
    mentor: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Mentor"), queryset=None, empty_label=None
    )

    def __init__(self, *args, mentorship, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["mentor"]
        field.queryset = mentor_candidates(mentorship)
        field.label_from_instance = lambda user: user.display_name


class DeclareForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this mentee?"),
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        choices=[
            ("no", _("No, I have no conflict of interest")),
            ("yes", _("Yes, I have a conflict of interest (you will be unassigned)")),
        ],
    )
    note = _text(_("Note for staff (optional)"), 2000, rows=2, required=False)


class EndForm(forms.Form):
    note = _text(_("Note (optional)"), 2000, rows=2, required=False)


class PlanForm(forms.Form):
    goals = _text(_("Goals"), NOTES_MAX, rows=4, required=False)
    starts_on = forms.DateField(label=_("Start date"), required=False, widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("End date"), required=False, widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data


class _OwnerMixin:
    """One "owner" choice: the mentor, or a named mentee (the person, or a member of the organisation)."""

    fields: dict

    def _set_owner_choices(self, mentorship, field: str) -> None:
        self._people = {str(p.pk): p for p in mentee_people(mentorship)}
        mentor_name = mentorship.mentor.display_name if mentorship.mentor_id else ""
        self.fields[field].choices = [
            ("", "—"),
            ("mentor", _("Mentor: %(name)s") % {"name": mentor_name}),
            *[(pk, _("Mentee: %(name)s") % {"name": p.display_name}) for pk, p in self._people.items()],
        ]

    def _owner(self, value: str) -> tuple[str, object]:
        if value == "mentor":
            return ActionOwner.MENTOR, None
        return ActionOwner.MENTEE, self._people[value]


class ActionForm(_OwnerMixin, forms.Form):
    text = _text(_("Agreed action"), 300)
    owner = forms.ChoiceField(label=_("Who does it"))
    due_on = forms.DateField(label=_("Due date"), widget=DATE_WIDGET)

    def __init__(self, *args, mentorship, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_owner_choices(mentorship, "owner")

    def action(self) -> dict:
        owner, person = self._owner(self.cleaned_data["owner"])
        return {
            "text": self.cleaned_data["text"],
            "owner": owner,
            "owner_person": person,
            "due_on": self.cleaned_data["due_on"],
        }


class SessionForm(_OwnerMixin, forms.Form):
    held_on = forms.DateField(label=pgettext_lazy("session", "Date"), widget=DATE_WIDGET)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=24 * 60)
    format = forms.ChoiceField(label=_("Format"), choices=SessionFormat.choices, widget=forms.RadioSelect)
    topics = _text(_("Topics"), 300)
    notes = _text(_("Notes"), NOTES_MAX, rows=6, required=False)
    action_text = _text(
        _("Agreed action (optional)"),
        300,
        required=False,
        help_text=_("Add more actions later from the log."),
    )
    action_owner = forms.ChoiceField(label=_("Who does it"), required=False)
    action_due_on = forms.DateField(label=_("Due date of the action"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, mentorship, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_owner_choices(mentorship, "action_owner")

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("A session cannot be logged before it is held."))
        return held_on

    def clean(self):
        data = super().clean()
        if data.get("action_text"):
            if not data.get("action_owner"):
                self.add_error("action_owner", _("Say who does the agreed action."))
            if not data.get("action_due_on"):
                self.add_error("action_due_on", _("Give the agreed action a due date."))
        return data

    def action(self) -> dict | None:
        if not self.cleaned_data.get("action_text"):
            return None
        owner, person = self._owner(self.cleaned_data["action_owner"])
        return {
            "text": self.cleaned_data["action_text"],
            "owner": owner,
            "owner_person": person,
            "due_on": self.cleaned_data["action_due_on"],
        }


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class RiskForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=RiskLevel.choices, widget=forms.RadioSelect)
    text = _text(_("What is at risk, and why"), 2000, rows=5)


class MessageForm(forms.Form):
    body = _text(
        _("Message"),
        MESSAGE_MAX,
        rows=4,
        help_text=_("Markdown: **bold**, *italic*, lists and links."),
    )


class OpenMentorshipForm(forms.Form):
    """Staff open a mentorship for a grant project or for one person (e.g. a certified practitioner)."""

    project: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Grant project"), queryset=None, required=False, empty_label="—"
    )
    email = forms.EmailField(
        label=_("Or a person: their email address"),
        required=False,
        help_text=_("For an individual, e.g. a certified practitioner."),
    )
    goals = _text(_("Goals"), NOTES_MAX, rows=4, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        field.queryset = projects_without_mentorship()
        field.label_from_instance = lambda p: (
            f"{p.title} ({p.organisation.name})" if p.organisation_id else p.title
        )

    def clean(self):
        data = super().clean()
        project, email = data.get("project"), data.get("email")
        if bool(project) == bool(email):
            raise forms.ValidationError(_("Choose a grant project or give one person's email address."))
        if email:
            data["mentee"] = person_by_email(email)
            if data["mentee"] is None:
                self.add_error("email", _("Nobody with this email address has an account."))
        return data
