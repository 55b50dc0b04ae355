"""Forms for staff and reviewer actions, the reviewer's scoring form, and the draft's bookkeeping.
The application form itself is built from the call's questions by ``formkit.py``."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.api import reject_control_characters
from calls import drafts
from calls.formkit import plain
from calls.models import Outcome, Recommendation, Status

FIELD_TEMPLATE = "calls/forms/field.html"


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
        open_fields = self.fields["open_fields"]
        assert isinstance(open_fields, forms.MultipleChoiceField)
        open_fields.choices = [(f.key, f.label) for f in fields]
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


class DraftStateForm(forms.Form):
    """What every save of the application form carries besides the answers: the revision and the base it was
    based on (calls/drafts.py), and, from a conflict's buttons, which version the person chose."""

    revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    base = forms.CharField(required=False, max_length=20_000, widget=forms.HiddenInput)
    resolve = forms.RegexField(regex=r"^(mine|theirs):[-a-zA-Z0-9_]{1,40}$", required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "draft-%s")
        super().__init__(*args, **kwargs)

    def base_answers(self) -> dict[str, str] | None:
        return drafts.decode_base(self.cleaned_data.get("base")) if self.is_valid() else None

    def resolutions(self) -> dict[str, str]:
        choice = self.cleaned_data.get("resolve") if self.is_valid() else ""
        if not choice:
            return {}
        version, key = choice.split(":", 1)
        return {key: version}


class InfoAnswerForm(forms.Form):
    info_answer = forms.CharField(
        label=_("Your answer to the question"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.fields["info_answer"].template_name = FIELD_TEMPLATE


class ReviewForm(forms.Form):
    """The reviewer's scoring form, built from the call's criteria: a score per criterion, comments and a
    recommendation. A draft may leave anything out; submitting needs every score and a recommendation."""

    comments = forms.CharField(
        label=_("Comments"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    recommendation = forms.ChoiceField(
        label=_("Overall recommendation"),
        required=False,
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a recommendation.")},
    )
    submit = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, criteria, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        submitting = self.is_bound and self.fields["submit"].clean(self.data.get("submit"))
        self.fields["recommendation"].required = bool(submitting)
        scores = {}
        for criterion in self.criteria:
            span = {"min": criterion.min_score, "max": criterion.max_score}
            scores[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.title} ("
                + _("%(min)s–%(max)s, weight %(w)s") % {**span, "w": plain(criterion.weight)}
                + ")",
                help_text=criterion.description,
                choices=[("", "—")]
                + [(str(n), str(n)) for n in range(criterion.min_score, criterion.max_score + 1)],
                coerce=int,
                empty_value=None,
                required=bool(submitting),
                error_messages={
                    "required": _("Give a score."),
                    "invalid_choice": _("Enter a score from %(min)s to %(max)s.") % span,
                },
            )
        self.fields = {**scores, **{k: v for k, v in self.fields.items() if k not in scores}}
        for field in self.fields.values():
            field.template_name = FIELD_TEMPLATE

    def scores(self) -> dict[str, int]:
        """The scores that are valid, by criterion pk (the form must have been validated)."""
        data = getattr(self, "cleaned_data", {})
        return {
            str(c.pk): data[f"score_{c.pk}"] for c in self.criteria if data.get(f"score_{c.pk}") is not None
        }

    def submitting(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("submit"))
