from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("Calls for applications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from calls import rules, signals  # noqa: F401 - registers the permission rules and cache signals
