from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from learning import (
            rules,  # noqa: F401 - registers the permission rules
            signals,  # noqa: F401 - outline cache keys follow lesson and module changes
        )
