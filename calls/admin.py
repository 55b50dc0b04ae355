"""Staff define calls here: the call, its form fields, rubric criteria and decision letters (inlines)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.api import Region
from calls.models import (
    Application,
    ApplicationEvent,
    Call,
    Criterion,
    DecisionTemplate,
    FormField,
    OutboxMessage,
)


class FormFieldInline(admin.StackedInline):
    model = FormField
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


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    form = CallAdminForm
    list_display = ["title_ka", "kind", "opens_at", "closes_at", "published"]
    list_filter = ["kind", "published"]
    search_fields = ["title_ka", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["required_courses"]
    inlines = [FormFieldInline, CriterionInline, DecisionTemplateInline]
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
