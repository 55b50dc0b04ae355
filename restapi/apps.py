from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestapiConfig(AppConfig):
    """The versioned REST API (/api/v1/) with its OpenAPI document, personal access tokens and feeds."""

    name = "restapi"
    verbose_name = _("REST API")
    default_auto_field = "django.db.models.BigAutoField"
