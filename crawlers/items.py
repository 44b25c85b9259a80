"""What spiders yield to the pipeline."""

from __future__ import annotations

from dataclasses import dataclass

from pacsjobs.record import RawPosting


@dataclass
class PostingItem:
    """A posting parsed from a source (full, or from a listing where that is all there is)."""

    source: str
    raw: RawPosting


@dataclass
class SeenItem:
    """A posting the listing still shows but that is unchanged: refresh last_seen, skip the detail."""

    source: str
    source_id: str


@dataclass
class BoardReport:
    """End of one board's pagination: what the source says it has against what we fetched.

    ``complete`` is False when any page of the board failed; then nothing of the source is closed.
    """

    source: str
    board: str
    reported: int | None
    fetched: int
    complete: bool
