from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Conferences, trainings, webinars and ceremonies: registration, waitlist, reminders, check-in at the door."""

    name = "events"
    verbose_name = _("Events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from events import rules  # noqa: F401 - registers the permission rules
