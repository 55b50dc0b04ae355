"""Permission-matrix rows of the workspace app: "my work" is every signed-in person's home."""

from tests.matrix import SIGNED_IN, Row

ROWS = [
    Row("workspace:home", SIGNED_IN),
]
