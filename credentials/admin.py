"""Admin: issuer profile and achievements are edited here; credentials and keys are read-only.

The private key field is never listed, shown or exported: SigningKeyAdmin shows only public data.
Issuing, revoking and key rotation go through the services (staff pages, ``manage.py rotate_signing_key``).
"""

from django.contrib import admin

from credentials.models import Achievement, Ceremony, Credential, IssuerProfile, SigningKey


@admin.register(IssuerProfile)
class IssuerProfileAdmin(admin.ModelAdmin):
    list_display = ("name_ka", "name_en", "url", "email")

    def has_add_permission(self, request):
        return not IssuerProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ("name_ka", "name_en", "kind", "key")
    list_filter = ("kind",)
    search_fields = ("name_ka", "name_en", "key")

    def get_readonly_fields(self, request, obj=None):
        # The key is part of every credential issued for the achievement: fixed once created.
        return ("key",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ("kid", "current", "created_at", "retired_at")
    fields = ("kid", "current", "created_at", "retired_at", "public_jwk")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("private_key_encrypted")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ("recipient_name_ka", "recipient_name_latin", "achievement", "issued_at", "status")
    list_filter = ("status", "achievement")
    search_fields = ("recipient_name_ka", "recipient_name_latin", "short_code")
    list_select_related = ("achievement",)
    fields = (
        "id",
        "achievement",
        "recipient_name_ka",
        "recipient_name_latin",
        "issued_at",
        "valid_until",
        "status",
        "revoked_at",
        "revocation_reason",
        "status_index",
        "short_code",
        "show_name",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ceremony)
class CeremonyAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "total", "created_at")
    fields = ("title", "status", "total", "done", "created_at", "finished_at", "error")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
