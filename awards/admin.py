"""The awards admin is read-only: offers, projects, internships and mentorships change only through
``awards.services`` (their transition tables) and the awards pages."""

from django.contrib import admin

from awards.models.internships import (
    InternCandidate,
    Internship,
    InternshipEvaluation,
    InternshipReflection,
    Position,
)
from awards.models.mentoring import (
    AgreedAction,
    MentorAssignment,
    MentoringSession,
    Mentorship,
    RiskFlag,
)
from awards.models.offers import Offer, OfferEvent
from awards.models.projects import BudgetItem, GrantProject, Milestone, Tranche


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _NoAddOrDelete(admin.ModelAdmin):
    """Rows are shown (every field read-only, set by each admin) but neither added nor deleted here."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- offers (every change goes through awards.services.offers and its transition table)


class OfferEventInline(admin.TabularInline):
    model = OfferEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "by", "at", "note")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Offer)
class OfferAdmin(_NoAddOrDelete):
    list_display = ("application", "status", "amount", "response_deadline", "responded_at")
    list_filter = ("status", "agreement_mode")
    search_fields = ("application__reference",)
    list_select_related = ("application",)
    inlines = [OfferEventInline]
    readonly_fields = [f.name for f in Offer._meta.fields]


# --- projects (set-up, reports and payments go through awards.services.projects and its pages)


class BudgetItemInline(_ReadOnlyInline):
    model = BudgetItem
    fields = ("position", "item", "quantity", "unit_cost", "total")


class MilestoneInline(_ReadOnlyInline):
    model = Milestone
    fields = ("title", "due_on", "report_kind")


class TrancheInline(_ReadOnlyInline):
    model = Tranche
    fields = ("position", "amount", "milestone")


@admin.register(GrantProject)
class GrantProjectAdmin(_NoAddOrDelete):
    list_display = ("title", "call", "organisation", "amount", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("title",)
    list_select_related = ("call", "organisation")
    inlines = [BudgetItemInline, MilestoneInline, TrancheInline]
    readonly_fields = [f.name for f in GrantProject._meta.fields]


# --- internships (placements, selection, evaluations and completion go through awards.services.internships and
# its pages)


class _InternshipsReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Position)
class PositionAdmin(_InternshipsReadOnly):
    list_display = ("title_ka", "host", "region", "starts_on", "ends_on", "slots", "status")
    list_filter = ("status", "region")
    search_fields = ("title_ka", "title_en", "host__name_ka")
    list_select_related = ("host",)


class EvaluationInline(admin.StackedInline):
    model = InternshipEvaluation
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "ratings", "overall", "successful", "author", "submitted_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Internship)
class InternshipAdmin(_InternshipsReadOnly):
    list_display = ("intern", "position", "supervisor", "starts_on", "ends_on", "status")
    list_filter = ("status",)
    search_fields = ("intern__email", "intern__full_name_ka", "position__title_ka")
    list_select_related = ("intern", "position", "supervisor")
    inlines = [EvaluationInline]


@admin.register(InternCandidate)
class InternCandidateAdmin(_InternshipsReadOnly):
    list_display = ("person", "call", "ready_at")
    list_select_related = ("person", "call")


@admin.register(InternshipReflection)
class InternshipReflectionAdmin(_InternshipsReadOnly):
    list_display = ("internship", "submitted_at")
    list_select_related = ("internship__intern", "internship__position")


# --- mentoring (assigning, declarations, the log and risk flags go through awards.services.mentoring)


class MentorAssignmentInline(_ReadOnlyInline):
    model = MentorAssignment
    fields = ("mentor", "assigned_by", "assigned_at", "conflict", "conflict_note", "declared_at")


class MentoringSessionInline(_ReadOnlyInline):
    model = MentoringSession
    fields = ("held_on", "duration_minutes", "format", "topics")


class AgreedActionInline(_ReadOnlyInline):
    model = AgreedAction
    fields = ("text", "owner", "owner_person", "due_on", "status")


class RiskFlagInline(_ReadOnlyInline):
    model = RiskFlag
    fields = ("level", "text", "raised_by", "raised_at", "acknowledged_by", "acknowledged_at")


@admin.register(Mentorship)
class MentorshipAdmin(_NoAddOrDelete):
    list_display = ("__str__", "mentor", "status", "starts_on", "last_session_on")
    list_filter = ("status",)
    search_fields = ("mentee__email", "mentor__email", "organisation__name_ka", "project__title")
    list_select_related = ("mentor", "mentee", "organisation", "project")
    inlines = [MentorAssignmentInline, MentoringSessionInline, AgreedActionInline, RiskFlagInline]
    readonly_fields = [f.name for f in Mentorship._meta.fields]
