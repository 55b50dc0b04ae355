import importlib.util

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from credentials import rules  # noqa: F401 - registers the permission rules

        if apps.is_installed("learning") and importlib.util.find_spec("learning.api"):
            from credentials.services import issue_for_course_completion
            from learning import api as learning_api

            learning_api.register_completion_listener(issue_for_course_completion)
