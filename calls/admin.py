"""Staff define calls here: the call, its form fields, rubric criteria and decision letters (inlines)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.api import Region
from calls.models import (
    QUESTIONNAIRE_EXCLUDED_KINDS,
    Application,
    ApplicationEvent,
    Call,
    Criterion,
    DecisionTemplate,
    FieldKind,
    FormField,
    FormKind,
    OutboxMessage,
    Questionnaire,
)


class ApplicationFieldForm(forms.ModelForm):
    """A question of the call's application form. The row's form is set before validation, and its key is checked
    to be unique within that form here: Django leaves out a constraint on a field the form does not show."""

    form_kind = FormKind.APPLICATION

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.form = self.form_kind

    def clean(self):
        data = super().clean()
        call, key = data.get("call") or getattr(self.instance, "call", None), data.get("key")
        if call is not None and call.pk and key:
            taken = FormField.objects.filter(call=call, form=self.form_kind, key=key).exclude(
                pk=self.instance.pk
            )
            if taken.exists():
                self.add_error("key", _("This key is already used in this form."))
        return data


class FormFieldInline(admin.StackedInline):
    model = FormField
    form = ApplicationFieldForm
    extra = 0
    fields = [
        ("position", "key", "kind", "required"),
        ("label_ka", "label_en"),
        ("help_ka", "help_en"),
        ("word_limit", "min_value", "max_value"),
        "choices",
        ("file_kinds", "max_file_mb"),
        "hidden_in_blind_review",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(form=FormKind.APPLICATION)


class ReportFieldForm(ApplicationFieldForm):
    """A question of the call's grant report form (small grants). No file questions: receipts are uploaded with
    the report's spending."""

    form_kind = FormKind.REPORT

    def clean_kind(self):
        kind = self.cleaned_data.get("kind")
        if kind == FieldKind.FILE:
            raise forms.ValidationError(_("Reports take files as receipts, not as questions."))
        return kind


# A question without files or budget tables, as a report form and a questionnaire show it in their inlines.
QUESTION_FIELDS: tuple[str | tuple[str, ...], ...] = (
    ("position", "key", "kind", "required"),
    ("label_ka", "label_en"),
    ("help_ka", "help_en"),
    ("word_limit", "min_value", "max_value"),
    "choices",
)


class ReportFieldInline(admin.StackedInline):
    """The grant report form (awards' grant projects): narrative questions; files are receipts, not questions."""

    model = FormField
    form = ReportFieldForm
    extra = 0
    verbose_name = _("Report field")
    verbose_name_plural = _("Report fields")
    fields = QUESTION_FIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).filter(form=FormKind.REPORT)


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0
    fields = [
        ("position", "weight", "min_score", "max_score"),
        ("title_ka", "title_en"),
        ("description_ka", "description_en"),
    ]


class DecisionTemplateInline(admin.StackedInline):
    model = DecisionTemplate
    extra = 0


class CallAdminForm(forms.ModelForm):
    regions = forms.MultipleChoiceField(
        label=_("regions"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means every region."),
    )

    class Meta:
        model = Call
        exclude: list[str] = []

    def clean_concept_stage(self):  # stages: two stages, never a chain or a loop
        concept = self.cleaned_data.get("concept_stage")
        if concept is None:
            return concept
        if concept.pk == self.instance.pk or concept.concept_stage_id:
            raise forms.ValidationError(
                _("Choose a concept-note call: not this call, and not another call's full-proposal stage.")
            )
        if self.instance.pk and Call.objects.filter(concept_stage_id=self.instance.pk).exists():
            raise forms.ValidationError(
                _("This call is itself the concept-note stage of another call: it cannot have one.")
            )
        return concept


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    form = CallAdminForm
    list_display = ["title_ka", "kind", "opens_at", "closes_at", "published"]
    list_filter = ["kind", "published"]
    search_fields = ["title_ka", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["required_courses"]
    inlines = [FormFieldInline, ReportFieldInline, CriterionInline, DecisionTemplateInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kind",
                    "slug",
                    ("title_ka", "title_en"),
                    "description_ka",
                    "description_en",
                    "applicant_type",
                    ("opens_at", "closes_at"),
                    "contact_email",
                    "published",
                    "concept_stage",  # stages: set on a full-proposal call (stage 2)
                ]
            },
        ),
        (
            _("Eligibility"),
            {
                "fields": [
                    "required_courses",
                    ("course_rule", "courses_needed"),
                    "regions",
                    "require_verified_organisation",
                ]
            },
        ),
        (
            _("Budget and review"),
            {
                "fields": [
                    "budget_max",
                    "reviewers_per_application",
                    "blind_review",
                    "review_visibility",
                    "aggregation",
                    "disagreement_threshold",
                    "info_response_days",
                    # review: the review cycle
                    ("review_deadline", "min_reviews"),
                    "reviewer_statement_ka",
                    "reviewer_statement_en",
                ]
            },
        ),
    ]


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the staff pages (and so through the transition table)."""

    list_display = ["reference", "call", "applicant", "status", "outcome", "score"]
    list_filter = ["status", "outcome", "call"]
    search_fields = ["reference", "applicant__email"]
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Application._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to_email", "status", "created_at", "sent_at"]
    list_filter = ["status"]
    readonly_fields = [
        "application",
        "to_email",
        "subject",
        "body",
        "status",
        "approved_by",
        "approved_at",
        "sent_at",
    ]

    def has_add_permission(self, request):
        return False


# --- feedback: decline reasons (staff usually edit them on the call's "Decline reasons" page) ----------------------

from calls.models import DeclineReason  # noqa: E402


@admin.register(DeclineReason)
class DeclineReasonAdmin(admin.ModelAdmin):
    list_display = ["label_ka", "label_en", "call", "position", "active"]
    list_filter = ["active", "call"]
    search_fields = ["label_ka", "label_en"]
    exclude = ["applications"]

    def has_delete_permission(self, request, obj=None):
        return False  # a reason given once stays in the statistics: stop offering it instead


# --- end feedback ---------------------------------------------------------------------------------------------


# --- stages: co-applicants and who edited what, read-only on the application

from calls.models import ApplicationEdit, Collaborator  # noqa: E402


class CollaboratorInline(admin.TabularInline):
    model = Collaborator
    extra = 0
    can_delete = False
    readonly_fields = ["user", "role", "invited_by", "invited_at"]

    def has_add_permission(self, request, obj=None):
        return False


class ApplicationEditInline(admin.TabularInline):
    model = ApplicationEdit
    extra = 0
    can_delete = False
    readonly_fields = ["user", "keys", "started_at", "at", "saves"]

    def has_add_permission(self, request, obj=None):
        return False


ApplicationAdmin.inlines = [*ApplicationAdmin.inlines, CollaboratorInline, ApplicationEditInline]

# --- end stages


# --- review: reviewers' statements and score histories, read-only (written by the review pages) -------------
from calls.models import ReviewerStatement  # noqa: E402


@admin.register(ReviewerStatement)
class ReviewerStatementAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "call", "confirmed_at"]
    list_filter = ["call"]
    search_fields = ["reviewer__email"]
    readonly_fields = ["reviewer", "call", "text", "confirmed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- end review


class QuestionForm(forms.ModelForm):
    """A question of a questionnaire (an event's registration questions): no files or budget tables, and a key
    unique within the questionnaire (checked here too, so the admin shows a message rather than an error)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].choices = [
                (value, label)
                for value, label in self.fields["kind"].choices
                if value not in QUESTIONNAIRE_EXCLUDED_KINDS
            ]

    def clean_kind(self):
        kind = self.cleaned_data.get("kind")
        if kind in QUESTIONNAIRE_EXCLUDED_KINDS:
            raise forms.ValidationError(_("Registration questions take neither files nor budget tables."))
        return kind

    def clean(self):
        data = super().clean()
        owner = data.get("questionnaire") or getattr(self.instance, "questionnaire", None)
        key = data.get("key")
        if owner is not None and owner.pk and key:
            taken = FormField.objects.filter(questionnaire=owner, key=key).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("key", _("This key is already used in this form."))
        return data


class QuestionInline(admin.StackedInline):
    model = FormField
    fk_name = "questionnaire"
    form = QuestionForm
    extra = 0
    verbose_name = _("question")
    verbose_name_plural = _("questions")
    fields = QUESTION_FIELDS


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Questions owned by something other than a call: an event links one for its registration questions."""

    list_display = ["title_ka", "title_en", "created_at"]
    search_fields = ["title_ka", "title_en"]
    inlines = [QuestionInline]
