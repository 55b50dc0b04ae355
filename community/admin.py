"""Staff tools in the admin: categories, moderators (Member.is_moderator), practitioners, cases, opportunities.

Forum posts are moderated on the site (the moderation queue), where every act is logged; here the log is read-only.
"""

from django.contrib import admin

from community.models import Case, Category, Member, ModerationLog, Opportunity, Practitioner, Suspension


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name_ka", "name_en", "kind", "slug", "position", "topic_count")
    list_filter = ("kind",)
    search_fields = ("name_ka", "name_en", "slug")
    raw_id_fields = ("course",)


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("handle", "user", "is_moderator", "email_mode")
    list_filter = ("is_moderator", "email_mode")
    search_fields = ("handle", "user__email", "user__full_name_ka", "user__full_name_latin")
    raw_id_fields = ("user",)
    fields = ("user", "handle", "email_mode", "is_moderator")


@admin.register(Practitioner)
class PractitionerAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "accepting_questions", "is_listed")
    list_filter = ("kind", "accepting_questions", "is_listed")
    search_fields = ("user__email", "user__full_name_ka", "user__full_name_latin")
    raw_id_fields = ("user",)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("title", "mechanism", "region", "year", "status")
    list_filter = ("status", "mechanism", "region")
    search_fields = ("title", "municipality")
    raw_id_fields = ("author", "topic")
    readonly_fields = ("status", "published_at")


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ("title", "organiser", "deadline")
    search_fields = ("title", "organiser")
    raw_id_fields = ("created_by",)


@admin.register(Suspension)
class SuspensionAdmin(admin.ModelAdmin):
    list_display = ("user", "ends_at", "lifted_at", "created_by")
    raw_id_fields = ("user", "created_by")
    readonly_fields = ("user", "reason", "ends_at", "created_by", "created_at", "lifted_at")

    def has_add_permission(self, request):
        return False


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "topic", "target_user")
    list_filter = ("action",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, _obj=None):
        return False

    def has_delete_permission(self, request, _obj=None):
        return False
