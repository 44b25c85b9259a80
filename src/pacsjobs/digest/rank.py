"""Score the selected postings against the profile and sort them into tiers, best first."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pacsjobs.record import Posting

# Match scores are 0..100. A strong fit meets most of the guide (skills, pay, years, degree,
# ARRT); "worth a look" misses one or two of them.
STRONG_MIN = 70.0
WORTH_MIN = 50.0

TIERS: tuple[tuple[str, str], ...] = (
    ("strong", "Strong fit"),
    ("worth", "Worth a look"),
    ("other", "Other new PACS roles"),
)


@dataclass
class Ranked:
    """A posting with its match against the profile and its tier."""

    posting: Posting
    match: Any  # pacsjobs.match.Match: .score, .components, .reasons
    tier: str

    @property
    def score(self) -> float:
        return float(self.match.score)

    @property
    def reasons(self) -> list[str]:
        return list(self.match.reasons or [])


@dataclass
class Tier:
    """One group of the digest."""

    key: str
    title: str
    items: list[Ranked] = field(default_factory=list)


def tier_of(score: float) -> str:
    """The tier key for a match score."""
    if score >= STRONG_MIN:
        return "strong"
    if score >= WORTH_MIN:
        return "worth"
    return "other"


def _default_scorer() -> Callable[[Posting, Any], Any]:
    from pacsjobs.match import score_posting

    return score_posting


def rank(postings: Iterable[Posting], profile: Any,
         scorer: Callable[[Posting, Any], Any] | None = None) -> list[Ranked]:
    """Score every posting (in memory, no database) and sort best first, newest on ties."""
    score = scorer or _default_scorer()
    ranked = []
    for posting in postings:
        match = score(posting, profile)
        if getattr(match, "dropped", False):  # the profile's on_call = "drop" (match.apply_on_call)
            continue
        ranked.append(Ranked(posting=posting, match=match, tier=tier_of(float(match.score))))
    ranked.sort(key=lambda r: (-r.score,
                               -(r.posting.date_posted.toordinal() if r.posting.date_posted else 0),
                               -(r.posting.id or 0)))
    return ranked


def group(ranked: list[Ranked]) -> list[Tier]:
    """The tiers in order, each keeping the ranking order; empty tiers are kept (templates skip them)."""
    tiers = {key: Tier(key, title) for key, title in TIERS}
    for item in ranked:
        tiers[item.tier].items.append(item)
    return list(tiers.values())
