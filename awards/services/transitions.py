"""One row of a workflow's transition table: ``action`` moves ``source`` to ``target`` for ``role``. Offers, reports,
placements and internships each keep their own table of these."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    role: str
