from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """ "My work": each person's home after sign-in, gathering what each domain says waits for them."""

    name = "workspace"
    verbose_name = _("My work")
    default_auto_field = "django.db.models.BigAutoField"
