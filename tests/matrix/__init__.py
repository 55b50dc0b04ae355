"""The permission matrix: every named URL × persona → expected HTTP status.

Each domain keeps its rows in ``tests/matrix/<domain>.py``:

* ``build(world)`` (optional) creates the objects its URLs need and stores them on ``world``;
* ``ROWS`` is a list of :class:`Row`.

``test_permission_matrix.py`` runs every row for every persona and fails when a named URL exists
that no row lists. Personas: anon, learner, other (an unrelated learner), reviewer, org_admin, staff, mentor (the
mentor role, no organisation) and host (the host role, administrator of a verified host organisation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = ("anon", "learner", "other", "reviewer", "org_admin", "staff", "mentor", "host")


@dataclass
class Row:
    name: str
    expect: dict[str, int]
    args: Callable[[Any], list] | None = None
    method: str = "get"
    data: Callable[[Any], dict] | None = None
    query: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        missing = set(PERSONAS) - set(self.expect)
        if missing:
            raise ValueError(f"row {self.name}: no expected status for {sorted(missing)}")

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{(' ' + self.note) if self.note else ''}"


def expect(default: int | None = None, **statuses: int) -> dict[str, int]:
    """``expect(200, anon=302)``: every persona gets ``default`` unless named."""
    result = dict.fromkeys(PERSONAS, default)
    result.update(statuses)
    if any(v is None for v in result.values()):
        raise ValueError("every persona needs a status")
    return result


# Common shapes.
PUBLIC = expect(200)
SIGNED_IN = expect(200, anon=302)
STAFF_ONLY = expect(403, anon=302, staff=200)
