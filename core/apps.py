from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")
    default = True

    def ready(self):
        from django.urls import register_converter
        from django_tasks.signals import task_finished, task_started

        from core import heartbeat
        from core.converters import IdConverter

        # ``<id:pk>`` for every database id in a URL: ids beyond the column's range are a 404, not a 500.
        register_converter(IdConverter, "id")

        # Running tasks beat, so a task whose worker died is found and run again (core.periodic).
        task_started.connect(heartbeat.task_started, dispatch_uid="core.heartbeat.started")
        task_finished.connect(heartbeat.task_finished, dispatch_uid="core.heartbeat.finished")
