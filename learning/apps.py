from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import learning.rules  # noqa: F401 - registers the permission rules
        import learning.signals  # noqa: F401 - the outline's cache version follows lesson and module changes
