import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Assertions read English messages; reverse() then gives /en/ addresses, so pages render in English too."""
    with translation.override("en"):
        yield
