import importlib.util

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from community import rules  # noqa: F401 - registers the permission rules

        if importlib.util.find_spec("learning.api"):
            from community.services import course_created
            from learning import api as learning_api

            learning_api.register_course_listener(course_created)
