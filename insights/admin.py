from django.contrib import admin

from insights.models import Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ("computed_at",)
    readonly_fields = ("computed_at", "data")
