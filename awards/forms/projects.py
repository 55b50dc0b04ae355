"""Projects: forms (staff set-up, review and payments; the editors list; the report's spending and state)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.api import reject_control_characters
from awards.models.projects import Milestone, ProjectStatus, ReportKind
from calls.api import DraftStateForm, long_text

FIELD_TEMPLATE = "calls/forms/field.html"


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = FIELD_TEMPLATE


class MilestoneForm(_Form):
    title = forms.CharField(label=_("Milestone"), max_length=200, validators=[reject_control_characters])
    due_on = forms.DateField(label=_("Report due on"), widget=forms.DateInput(attrs={"type": "date"}))
    deliverables = long_text(_("Deliverables"), max_length=4000, rows=3, required=False)
    report_kind = forms.ChoiceField(
        label=pgettext_lazy("grant report", "Report"), choices=ReportKind.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "milestone")
        super().__init__(*args, **kwargs)


class TrancheForm(_Form):
    amount = forms.DecimalField(label=_("Amount (GEL)"), min_value=0.01, max_digits=14, decimal_places=2)
    milestone = forms.ModelChoiceField(
        label=_("Payable after"),
        queryset=Milestone.objects.none(),
        required=False,
        empty_label=_("Signing the agreement (payable at once)"),
    )

    def __init__(self, *args, project, **kwargs):
        kwargs.setdefault("prefix", "tranche")
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = project.milestones.filter(tranche__isnull=True)


class PaymentForm(_Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("Amount (GEL)"), min_value=0.01, max_digits=14, decimal_places=2)
    reference = forms.CharField(
        label=_("Payment reference"), max_length=100, validators=[reject_control_characters]
    )


class ReviewForm(_Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Approve the report")), ("changes", _("Ask for changes"))],
    )
    comment = long_text(_("Comments (the organisation reads them)"), max_length=8000, rows=4, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "changes" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what should change."))
        return data


class EditorsForm(_Form):
    editors = forms.MultipleChoiceField(
        label=_("Members who may write and submit reports"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["editors"].choices = [(str(user.pk), user.display_name) for user, _flag in members]
        self.fields["editors"].initial = [str(user.pk) for user, flag in members if flag]


class StaffFilterForm(_Form):
    call = forms.TypedChoiceField(label=_("Call"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ProjectStatus.choices]
    )

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = [("", _("All"))] + [(str(c.pk), c.title) for c in calls]


class ReportStateForm(DraftStateForm):
    """What every save of the report carries besides the answers: the revision and base (calls/drafts.py) and a
    conflict's chosen version, as the application form's; a report's base may be longer."""

    base = forms.CharField(required=False, max_length=40_000, widget=forms.HiddenInput)


class SpendingForm(forms.Form):
    """Actual spending per approved budget line (``spend-<pk>``) and a receipt to add."""

    receipt = forms.FileField(label=_("Add a receipt (PDF or image, up to 5 MB)"), required=False)
    receipt_line = forms.TypedChoiceField(
        label=_("Budget line of the receipt"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, budget, spending: dict, editable: bool = True, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.budget = list(budget)
        for line in self.budget:
            self.fields[f"spend-{line.pk}"] = forms.CharField(
                label=line.item,
                required=False,
                max_length=30,
                initial=spending.get(str(line.pk), ""),
                disabled=not editable,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        receipt_line = self.fields["receipt_line"]
        assert isinstance(receipt_line, forms.ChoiceField)
        receipt_line.choices = [("", "—")] + [(str(line.pk), line.item) for line in self.budget]
        for name, field in self.fields.items():
            field.template_name = FIELD_TEMPLATE  # type: ignore[attr-defined]  # Field.template_name: Django 5
            if name.startswith("receipt") and not editable:
                field.disabled = True

    def typed(self) -> dict[str, str]:
        """The amounts sent, by budget line pk (text); fields not sent are left out (a partial save)."""
        return {
            str(line.pk): str(self.data.get(f"spend-{line.pk}", "")).strip()[:30]
            for line in self.budget
            if f"spend-{line.pk}" in self.data
        }

    def spend_fields(self):
        return [self[f"spend-{line.pk}"] for line in self.budget]
