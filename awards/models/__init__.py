"""The awards domain's models, one module per sub-domain; Django finds them through these imports."""

from awards.models.internships import *  # noqa: F403
from awards.models.mentoring import *  # noqa: F403
from awards.models.offers import *  # noqa: F403
from awards.models.projects import *  # noqa: F403
