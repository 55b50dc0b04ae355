"""A snapshot of the programme's indicators: aggregate counts only, never a person's data."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """Every figure of the dashboard, computed at once by ``services.refresh_indicators``.

    ``data["facts"]`` is a list of aggregate cells: ``{"f": figure, "k": key, "s": series, "m": "YYYY-MM", "r": region,
    "o": organisation type, "g": gender, "n": count, "a": amount}``; ``data["labels"]`` holds each row's titles once,
    ``{"figure:key": [Georgian, English]}`` (``data["version"]`` 2; ``queries.facts_of`` joins them to the cells).
    The dashboard filters and sums them in Python, so its cost does not grow with the data.
    """

    computed_at = models.DateTimeField(_("computed at"), default=timezone.now, db_index=True)
    data = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("indicators snapshot")
        verbose_name_plural = _("indicators snapshots")
        get_latest_by = "computed_at"

    def __str__(self):
        return f"indicators {self.computed_at:%Y-%m-%d %H:%M}"
