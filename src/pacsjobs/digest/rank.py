"""Score the selected postings against the profile and sort them into tiers, best first."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pacsjobs.profile import STRONG_FIT
from pacsjobs.record import Posting

# Match scores are 0..100; the tier rules are written out in docs/matching.md. A strong fit is a
# shortlist: a high score (the profile's ``strong_fit``), the target role or one close to it, and
# stated pay that is not below the profile's range. "Worth a look" scores WORTH_MIN or more.
STRONG_MIN = STRONG_FIT
WORTH_MIN = 75.0
CLOSE_ROLE = 0.7  # role component score from which a role counts as close to the target
FITTING_PAY = 0.6  # salary component score from which pay is not below the range

TIERS: tuple[tuple[str, str], ...] = (
    ("strong", "Strong fit"),
    ("worth", "Worth a look"),
    ("other", "Other new PACS roles"),
)


@dataclass
class Ranked:
    """A posting with its match against the profile and its tier."""

    posting: Posting
    match: Any  # pacsjobs.understand.match.Match: .score, .components, .reasons
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


def tier_of(score: float, strong: float = STRONG_MIN) -> str:
    """The tier key for a match score alone."""
    if score >= strong:
        return "strong"
    if score >= WORTH_MIN:
        return "worth"
    return "other"


def _component(match: Any, name: str) -> Any:
    return next((c for c in getattr(match, "components", None) or () if getattr(c, "name", None) == name), None)


def tier_for(match: Any, strong: float = STRONG_MIN) -> str:
    """The tier of a match: its score, and for "strong" also a close role and pay that fits."""
    tier = tier_of(float(match.score), strong)
    if tier != "strong":
        return tier
    role, salary = _component(match, "role"), _component(match, "salary")
    if role is not None and (role.score or 0.0) < CLOSE_ROLE:
        return "worth"
    if salary is not None and (salary.score is None or salary.score < FITTING_PAY):
        return "worth"
    return tier


def _default_scorer() -> Callable[[Posting, Any], Any]:
    from pacsjobs.understand.match import score_posting

    return score_posting


def rank(postings: Iterable[Posting], profile: Any,
         scorer: Callable[[Posting, Any], Any] | None = None) -> list[Ranked]:
    """Score every posting (in memory, no database) and sort best first, newest on ties."""
    score = scorer or _default_scorer()
    strong = float(getattr(profile, "strong_fit", None) or STRONG_MIN)
    ranked = []
    for posting in postings:
        match = score(posting, profile)
        if getattr(match, "dropped", False):  # the profile's on_call = "drop" (match.apply_on_call)
            continue
        ranked.append(Ranked(posting=posting, match=match, tier=tier_for(match, strong)))
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
