"""Merging a save into a draft so that no saved answer is lost to a stale page.

Every page of the form carries the draft's revision and a fingerprint of each answer as the page showed it
(its *base*). A save is a three-way merge of, per answer: the base, what the page sends (*mine*) and what is
stored now (*theirs*, perhaps saved by another tab or device since):

- mine equals theirs: nothing to do;
- mine equals the base: this page did not change it; the stored answer stays (it may be newer);
- theirs equals the base: only this page changed it; mine is written;
- all three differ: both changed it; nothing is written and the person sees both versions and chooses
  (``resolutions``: ``{key: "mine" | "theirs"}``).

Without a base (an old page, a script) the answers sent are written, as before revisions existed.
Pure functions: the service applies the result under the row lock.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

MINE, THEIRS = "mine", "theirs"


def fingerprint(value) -> str:
    """A short, stable fingerprint of one answer (empty answers share one)."""
    if value in (None, "", []):
        value = None
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fingerprints(data: dict, keys) -> dict[str, str]:
    return {key: fingerprint(data.get(key)) for key in keys}


def encode_base(base: dict[str, str]) -> str:
    return json.dumps(base, sort_keys=True, separators=(",", ":"))


def decode_base(text: str | None) -> dict[str, str] | None:
    """The base a page sent, or None when it sent none (or something that is not one)."""
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return None
    return value


def same(a, b) -> bool:
    return fingerprint(a) == fingerprint(b)


@dataclass
class Conflict:
    key: str
    mine: object
    theirs: object


@dataclass
class Merge:
    data: dict
    written: set[str] = field(default_factory=set)
    conflicts: list[Conflict] = field(default_factory=list)
    # The base the page holds after this save: what it shows now is what is stored, except for answers it
    # left untouched while another page changed them, and for conflicts still to resolve.
    base: dict[str, str] = field(default_factory=dict)


def merge(
    stored: dict, posted: dict, base: dict[str, str] | None, resolutions: dict[str, str] | None = None
) -> Merge:
    resolutions = resolutions or {}
    data = dict(stored)
    result = Merge(data=data)
    kept_base: dict[str, str] = {}
    for key, mine in posted.items():
        theirs = stored.get(key)
        if same(mine, theirs):
            continue
        choice = resolutions.get(key)
        if choice == THEIRS:
            continue
        was = None if base is None else base.get(key, fingerprint(None))
        if choice == MINE or base is None or was == fingerprint(theirs):
            data[key] = mine
            result.written.add(key)
        elif was == fingerprint(mine):
            kept_base[key] = was  # untouched here, changed elsewhere: the newer stored answer stays
        else:
            result.conflicts.append(Conflict(key=key, mine=mine, theirs=theirs))
            kept_base[key] = was or fingerprint(None)
    keys = set(data) | set(posted) | set(base or {})
    result.base = {key: kept_base.get(key, fingerprint(data.get(key))) for key in sorted(keys)}
    return result
