"""Search filters on the job's conditions (on-call, travel, shift) and on how much of the posting
was read (partial), kept apart from search.py.

``--on-call/--no-on-call`` and ``--travel/--no-travel`` test the indexed booleans the pipeline
reads from ``postings.conditions``; ``--shift KIND`` matches one of the shift kinds stored
comma-joined ("night,rotating"). A posting that says nothing has on_call = travel = False.
``--partial/--full`` tests ``postings.partial``: only a nationwide search snippet was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pacsjobs.errors import PacsjobsError
from pacsjobs.store.models import PostingRow

SHIFT_KINDS = ("day", "evening", "night", "rotating", "12-hour")
_POSTINGS = PostingRow.__table__


@dataclass
class ConditionFilters:
    """None: either way; True / False: only postings that do / do not."""

    on_call: bool | None = None
    travel: bool | None = None
    shift: str | None = None  # one of SHIFT_KINDS
    partial: bool | None = None  # only a search snippet was read (True) / the full posting (False)

    def __post_init__(self) -> None:
        if self.shift is not None:
            kind = self.shift.strip().lower()
            if kind not in SHIFT_KINDS:
                raise PacsjobsError(f"unknown shift {self.shift!r} (known: {', '.join(SHIFT_KINDS)})")
            self.shift = kind


def conditions_clause(filters: ConditionFilters | None) -> list[Any]:
    """WHERE parts for the condition filters (none when ``filters`` is None or empty)."""
    if filters is None:
        return []
    p = _POSTINGS.c
    where: list[Any] = []
    if filters.on_call is not None:
        where.append(p.on_call.is_(filters.on_call))
    if filters.travel is not None:
        where.append(p.travel.is_(filters.travel))
    if filters.partial is not None:
        where.append(p.partial.is_(filters.partial))
    if filters.shift:
        # kinds are comma-joined words from SHIFT_KINDS: wrap in commas so "day" is not "12-hour day"
        where.append(("," + p.shift + ",").contains("," + filters.shift + ",", autoescape=True))
    return where
