"""The test suite's settings: pytest's configuration names this module (pyproject.toml, DJANGO_SETTINGS_MODULE).

They are civichub.settings with CIVICHUB_TESTING on (fast password hashing, immediate tasks, plain cookies). The
flag goes into the environment, not into a setting after the import, because settings.py derives other settings
from it and the processes some tests start inherit it. A conftest.py could not set it: pytest-django loads the
settings before it reads any conftest.
"""

import os

os.environ["CIVICHUB_TESTING"] = "true"

from civichub.settings import *  # noqa: E402, F403
