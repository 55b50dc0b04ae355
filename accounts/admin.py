from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import (
    AuditEntry,
    DeletionRequest,
    ExpertiseTag,
    Invitation,
    Membership,
    Organisation,
    RoleGrant,
    User,
)


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ["role", "granted_at"]
    readonly_fields = ["granted_at"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "full_name_ka",
        "full_name_latin",
        "region",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_active", "region", "role_grants__role"]
    search_fields = ["email", "full_name_ka", "full_name_latin"]
    filter_horizontal = ["expertise", "groups", "user_permissions"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "full_name_ka",
                    "full_name_latin",
                    "region",
                    "municipality",
                    "bio",
                    "phone",
                    "expertise",
                ]
            },
        ),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [RoleGrantInline, MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_ka", "name_en", "kind", "region", "verified", "created_at"]
    list_filter = ["verified", "kind", "region"]
    search_fields = ["name_ka", "name_en", "registration_number"]
    prepopulated_fields = {"slug": ["name_en"]}
    readonly_fields = ["verified_at"]
    inlines = [MembershipInline]
    actions = ["mark_verified", "mark_unverified"]

    @admin.action(description=_("Mark as verified"))
    def mark_verified(self, request, queryset):
        for organisation in queryset:
            services.set_organisation_verified(organisation=organisation, verified=True, by=request.user)
        messages.success(request, _("Verified."))

    @admin.action(description=_("Mark as not verified"))
    def mark_unverified(self, request, queryset):
        for organisation in queryset:
            services.set_organisation_verified(organisation=organisation, verified=False, by=request.user)
        messages.success(request, _("Marked as not verified."))


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name_ka"]
    readonly_fields = ["token", "invited_by", "accepted_by", "accepted_at", "created_at"]


@admin.register(DeletionRequest)
class DeletionRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "requested_at", "processed_at"]
    readonly_fields = ["user", "reason", "requested_at", "processed_at"]
    actions = ["process"]

    @admin.action(description=_("Delete these accounts (anonymise personal data)"))
    def process(self, request, queryset):
        for deletion in queryset.filter(processed_at__isnull=True).select_related("user"):
            services.process_account_deletion(deletion=deletion, by=request.user)
        messages.success(request, _("The accounts have been anonymised."))


@admin.register(ExpertiseTag)
class ExpertiseTagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target"]
    list_filter = ["action"]
    search_fields = ["target", "note"]
    readonly_fields = ["at", "actor", "action", "target", "note"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
