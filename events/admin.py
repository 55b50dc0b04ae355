"""Staff create and edit events here (the staff page /events/manage/ links to it)."""

from django.contrib import admin

from events import services
from events.models import Event, Invitation, Registration


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 3
    fields = ["email", "user"]
    raw_id_fields = ["user"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title_ka", "kind", "starts_at", "capacity", "audience", "published"]
    list_filter = ["kind", "audience", "published"]
    search_fields = ["title_ka", "title_en"]
    inlines = [InvitationInline]
    fieldsets = [
        (None, {"fields": ["kind", "title_ka", "title_en", "description_ka", "description_en"]}),
        (None, {"fields": ["starts_at", "ends_at", "venue", "address", "online_url"]}),
        (None, {"fields": ["capacity", "registration_deadline", "audience", "published", "questionnaire"]}),
        (None, {"fields": ["certification_call", "issue_participation_credentials"]}),
    ]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Invitation:
            services.invitations_added(formset.new_objects)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.invite_certified(event=obj, by=request.user)
        services.event_saved()


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-only: registrations change through the site (cancel, check-in), so the waitlist and audit stay right."""

    list_display = ["name", "email", "event", "status", "checked_in_at"]
    list_filter = ["status", "event"]
    search_fields = ["name", "email", "code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
