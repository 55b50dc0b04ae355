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
from calls.models import CollaboratorRole, Confidence, DeclineReason, Outcome, Recommendation, Status

FIELD_TEMPLATE = "calls/forms/field.html"


def long_text(label, *, max_length: int, rows: int, required: bool = True, **options) -> forms.CharField:
    """Text a person writes in a box of ``rows`` lines (a note, a reason, terms): at most ``max_length``
    characters, control characters refused. ``options`` are the field's others (``help_text``, ...)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        validators=[reject_control_characters],
        **options,
    )


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
    note = long_text(_("Reason (the applicant reads it)"), max_length=2000, rows=3, required=False)


class InfoRequestForm(forms.Form):
    question = long_text(_("Question for the applicant"), max_length=4000, rows=4)
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
    outcome = forms.ChoiceField(
        label=_("Decision"),
        # stages: "shortlisted" is given by shortlisting (it invites to the full proposal), not here
        choices=[c for c in Outcome.choices if c[0] != Outcome.SHORTLISTED],
        widget=forms.RadioSelect,
    )
    note = long_text(_("Internal note"), max_length=2000, rows=2, required=False)
    # review: needed only below the call's minimum of submitted reviews (kept in the history and audit log)
    override_reason = long_text(
        _("Reason for deciding with fewer reviews than the call asks for"),
        max_length=2000,
        rows=2,
        help_text=_("Only when an application has fewer submitted reviews than the call's minimum."),
        required=False,
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
    note = long_text(_("Note for staff (optional)"), max_length=2000, rows=2, required=False)


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
    confidence = forms.ChoiceField(  # review
        label=_("How confident are you in this assessment?"),
        required=False,
        choices=[("", _("Not stated")), *Confidence.choices],
        widget=forms.RadioSelect,
    )

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


# --- feedback: feedback to applicants and decline reasons --------------------------------------------------------

FEEDBACK_PREFIX = "criterion_"


class FeedbackForm(forms.Form):
    """A summary per criterion (``criterion_<pk>``) and an overall summary, all optional."""

    overall = long_text(_("Overall summary"), max_length=5000, rows=6, required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        overall = self.fields.pop("overall")
        for criterion in criteria:
            self.fields[f"{FEEDBACK_PREFIX}{criterion.pk}"] = long_text(
                _("Summary: %(criterion)s") % {"criterion": criterion.title},
                max_length=5000,
                rows=4,
                required=False,
            )
        self.fields["overall"] = overall

    def criteria_texts(self) -> dict[str, str]:
        return {
            name.removeprefix(FEEDBACK_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(FEEDBACK_PREFIX)
        }

    def criterion_field(self, criterion):
        return self[f"{FEEDBACK_PREFIX}{criterion.pk}"]


class DeclineReasonsForm(forms.Form):
    """The call's offered decline reasons, to tick when rejecting or screening out (the service says whether at
    least one is needed). Give each copy on a page its own ``auto_id``."""

    decline_reasons = forms.TypedMultipleChoiceField(
        label=_("Reasons for declining"),
        help_text=_("When rejecting or finding the application not compliant: choose one or more."),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, reasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.offered_choices = [(r.pk, r.label) for r in reasons]
        field = self.fields["decline_reasons"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = self.offered_choices

    @property
    def offered(self) -> bool:
        return bool(self.offered_choices)

    def chosen(self) -> list[int]:
        return list(self.cleaned_data.get("decline_reasons") or []) if self.is_valid() else []


class DeclineReasonForm(forms.ModelForm):
    class Meta:
        model = DeclineReason
        fields = ["label_ka", "label_en", "position", "active"]


# --- stages: two-stage calls and co-applicants --------------------------------------------------------------


class ShortlistForm(forms.Form):
    note = long_text(_("Internal note"), max_length=2000, rows=2, required=False)


class CollaboratorForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of a member of the organisation"),
        help_text=_("Only members of the applying organisation can be invited."),
    )
    role = forms.ChoiceField(
        label=_("What they may do"),
        choices=CollaboratorRole.choices,
        initial=CollaboratorRole.EDITOR,
        widget=forms.RadioSelect,
    )


# --- review: the review cycle's forms -----------------------------------------------------------------------


class StatementConflictForm(ConflictForm):
    """The conflict declaration on a reviewer's first application of a call: it also confirms the call's
    confidentiality and conflict-of-interest statement (shown above it)."""

    accept_statement = forms.BooleanField(
        label=_("I have read the statement above and I accept it."), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("conflict") is False and not data.get("accept_statement"):
            self.add_error("accept_statement", _("Accept the statement to review this application."))
        return data


class AbstainForm(forms.Form):
    reason = long_text(
        _("Why do you abstain?"),
        max_length=2000,
        rows=2,
        help_text=_("Staff read it. The application is then assessed without your scores."),
        error_messages={"required": _("Give the reason you abstain: staff read it.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "abstain_%s")
        super().__init__(*args, **kwargs)


class ReviseForm(ReviewForm):
    """A new score set after the applicant's resubmission; every score, a recommendation and a reason."""

    reason = long_text(
        _("Why do you revise your scores?"),
        max_length=2000,
        rows=2,
        error_messages={"required": _("Say briefly why you revise your scores.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name.startswith("score_") or name == "recommendation":
                field.required = True
        self.fields["reason"].template_name = FIELD_TEMPLATE


class WaitlistForm(forms.Form):  # review: staff accept or reject a waitlisted application later
    note = long_text(_("Internal note"), max_length=2000, rows=2, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "waitlist_%s")
        super().__init__(*args, **kwargs)
