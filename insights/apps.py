from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """The programme's indicators: aggregates of every domain, precomputed into snapshots, shown as charts and tables
    to programme staff and donor viewers."""

    name = "insights"
    verbose_name = _("Indicators")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from insights import rules  # noqa: F401 - registers the permission rules
