from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")
    default = True

    def ready(self):
        from django.urls import register_converter

        from core.converters import IdConverter

        # ``<id:pk>`` for every database id in a URL: ids beyond the column's range are a 404, not a 500.
        register_converter(IdConverter, "id")
