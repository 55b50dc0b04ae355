from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    """Life after a decision: offers, grant projects (milestones, reports, payments), mentoring, internships."""

    name = "awards"
    verbose_name = _("Awards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from awards import rules  # noqa: F401 - registers the permission rules
