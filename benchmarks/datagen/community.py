"""Forum posts for load tests: the generator lives in the community app (``community.datagen``)."""

from community.datagen import delete, generate

__all__ = ["delete", "generate"]
