"""The community app's public surface: other apps (and benchmarks/) import from here, never from community's
other modules.

* ``start_topic`` / ``reply`` — forum writes with their limits and notifications (benchmark data);
* ``search_paginator`` — the forum search page's capped paginator (the search benchmark);
* ``Category``, ``CategoryKind``, ``Topic``, ``Post`` — the forum's models, for data generators that bulk-insert.

Nothing else in the project calls into community: it registers its course listener with ``learning.api`` itself,
and ``core/periodic.py`` names its digest task by path (``community.tasks.send_daily_digests``).
"""

from community.models import Category, CategoryKind, Post, Topic
from community.queries import search_paginator
from community.services import reply, start_topic

__all__ = ["Category", "CategoryKind", "Post", "Topic", "reply", "search_paginator", "start_topic"]
