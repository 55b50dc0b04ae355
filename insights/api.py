"""The insights domain's public surface. Nothing imports insights but "my work" (workspace), which reads these."""

from insights.services import refresh_indicators
from insights.work import header_entries, work_items

__all__ = ["header_entries", "refresh_indicators", "work_items"]
