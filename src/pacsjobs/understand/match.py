"""Fit of a posting to a profile: a 0..100 score from weighted components, each with its reason.

Pure and I/O-free (the digest scores hundreds of postings, ``query`` thousands). A component the
posting says nothing about has score None and counts as its ``UNSTATED`` credit: little for what a
job seeker needs to see (pay, skills, place: "pay not stated" ranks below pay that fits), more for
requirements (no degree stated is more often no barrier than a hidden one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pacsjobs.pay import PERIOD_WORDS, annual_range, as_amount, money, money_range, position
from pacsjobs.profile import COMPONENTS, DEGREES, GUIDE, Profile
from pacsjobs.record import Posting
from pacsjobs.sources.nationwide import MATCH_SNIPPET_REASON, is_partial

# Credit for a component the posting is silent on (documented in docs/matching.md).
UNSTATED = {"role": 0.0, "skills": 0.2, "salary": 0.2, "location": 0.2,
            "experience": 0.7, "education": 0.7, "certification": 0.7}
_DEGREE_WORDS = {"associate": "an associate degree", "bachelor": "a bachelor's degree",
                 "master": "a master's degree", "doctorate": "a doctorate"}
_DEGREE_SHORT = {"associate": "associate", "bachelor": "bachelor's", "master": "master's",
                 "doctorate": "doctorate"}
SKILL_TARGET = 5  # naming this many of the profile's skills is a full skills score
_US = {"US", "USA", "UNITED STATES", "UNITED STATES OF AMERICA"}


@dataclass
class Component:
    """One part of the fit: score 0..1 (None = the posting does not say), weight and reason."""

    name: str
    score: float | None
    weight: float
    reason: str


@dataclass
class Match:
    """The fit of one posting to one profile: 0..100, its components and their reasons."""

    score: float
    components: list[Component] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    dropped: bool = False  # the profile asks to leave such postings out (on_call = "drop")


def _who(profile: Profile) -> str:
    return "guide" if profile.name == GUIDE else f"{profile.name} profile"


def _list(items: list[str], limit: int = 6) -> str:
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def dollars(value: float) -> str:
    """Whole dollars, for differences between annual figures."""
    return money(value, cents=False)


def _years(value: float) -> str:
    text = f"{value:g}"
    return f"{text} year" if value == 1 else f"{text} years"


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def skills_component(posting: Posting, profile: Profile, weight: float) -> Component:
    """Which profile skills the posting asks for, and which it wants that the profile lacks."""
    asked = [s for s in (posting.skills or []) if isinstance(s, str)]
    have = set(profile.skills)
    who = _who(profile)
    if not asked:
        return Component("skills", None, weight, "names no skills from the vocabulary")
    if not have:
        return Component("skills", None, weight, f"asks for {_list(asked)}; the {who} lists no skills")
    matched = [s for s in asked if s in have]
    lacking = [s for s in asked if s not in have]
    target = min(SKILL_TARGET, len(have))
    score = round(_clamp(min(1.0, len(matched) / target) - min(0.3, 0.05 * len(lacking))), 3)
    if matched:
        reason = f"asks for {_list(matched)} ({len(matched)} of {len(have)} {who} skills)"
    else:
        reason = f"asks for none of the {len(have)} {who} skills"
    if lacking:
        reason += f"; also wants {_list(lacking)}, which the {who} does not cover"
    return Component("skills", score, weight, reason)


def _posted_pay(posting: Posting, lo: float, hi: float) -> str:
    """The pay as posted ("$38.50-$52.00 an hour ($80,080-$108,160 a year)")."""
    pmin, pmax, period = as_amount(posting.salary_min), as_amount(posting.salary_max), posting.salary_period
    annual = money_range(lo, hi, dash="-")
    if period in PERIOD_WORDS and (pmin is not None or pmax is not None):
        a, b = pmin if pmin is not None else pmax, pmax if pmax is not None else pmin
        posted = money_range(a, b, dash="-")
        if period == "year":
            return f"{posted} a year"
        return f"{posted} {PERIOD_WORDS[period]} ({annual} a year)"
    return f"{annual} a year"


def salary_component(posting: Posting, profile: Profile, weight: float) -> Component:
    """Where the posted pay sits against the profile's range; above it is good, unstated is a gap."""
    annual = annual_range(posting)
    if annual is None:
        return Component("salary", None, weight, "pay not stated")
    lo, hi = annual
    pay = "pay " + _posted_pay(posting, lo, hi)
    who = _who(profile)
    if profile.salary_floor and hi < profile.salary_floor:
        return Component("salary", 0.0, weight, f"{pay} tops out under the {who}'s floor of {money(profile.salary_floor)}")
    smin, smax = profile.salary_min, profile.salary_max
    if smin is None and smax is None:
        return Component("salary", None, weight, f"{pay}; the {who} sets no pay range")
    smin = smin if smin is not None else smax
    smax = smax if smax is not None else smin
    assert smin is not None and smax is not None
    span = f"the {who} range ({money_range(smin, smax, dash='-')})"
    where = position(lo, hi, (smin, smax))  # the same words the digest card and chart use
    if where == "within":
        return Component("salary", 1.0, weight, f"{pay} sits inside the {who} range")
    if where == "above":
        return Component("salary", 1.0, weight, f"{pay} is above {span}")
    if where == "overlaps" and lo >= smin:
        return Component("salary", 1.0, weight, f"{pay} reaches above {span}")
    if where == "overlaps":
        frac = (hi - smin) / (hi - lo) if hi > lo else 1.0
        score = 0.6 + 0.4 * frac
        return Component("salary", round(score, 3), weight, f"{pay} overlaps {span}, starting {dollars(smin - lo)} below it")
    gap = smin - hi
    score = _clamp(0.5 - 2.5 * gap / smin)
    return Component("salary", round(score, 3), weight, f"{pay} is below {span} by {dollars(gap)}")


def experience_component(posting: Posting, profile: Profile, weight: float) -> Component:
    """Years asked against the profile's years."""
    asked = posting.years_experience_min
    if asked is None:
        return Component("experience", None, weight, "experience not stated")
    pmin, pmax = profile.years_min, profile.years_max if profile.years_max is not None else profile.years_min
    who = _who(profile)
    if pmax is None:
        return Component("experience", None, weight, f"asks for {_years(asked)}; the {who} sets no years")
    have = f"{pmin:g}-{pmax:g}" if pmin is not None and pmin != pmax else f"{pmax:g}"
    if pmin is not None and asked < pmin:
        return Component("experience", 1.0, weight, f"asks for {_years(asked)}, less than the {who}'s {have}")
    if asked <= pmax:
        return Component("experience", 1.0, weight, f"asks for {_years(asked)}, within the {who}'s {have}")
    score = _clamp(1.0 - 0.2 * (asked - pmax))
    return Component("experience", round(score, 3), weight, f"asks for {_years(asked)}, more than the {who}'s {have}")


def education_component(posting: Posting, profile: Profile, weight: float) -> Component:
    """Degree asked against the profile's degree ("or equivalent experience" softens a gap)."""
    asked = posting.degree if posting.degree in DEGREES else None
    if asked is None:
        return Component("education", None, weight, "no degree stated")
    who = _who(profile)
    words = _DEGREE_WORDS[asked] + (" (or equivalent experience)" if posting.degree_or_experience else "")
    have = profile.degree if profile.degree in DEGREES else None
    if have is None:
        score = 0.6 if posting.degree_or_experience else 0.2
        return Component("education", score, weight, f"asks for {words}; the {who} has no degree")
    if DEGREES.index(asked) < DEGREES.index(have):
        return Component("education", 1.0, weight, f"asks for {words}, below the {who}'s {_DEGREE_SHORT[have]}")
    if asked == have:
        return Component("education", 1.0, weight, f"asks for {words}, as the {who} has")
    score = 0.6 if posting.degree_or_experience else 0.2
    return Component("education", score, weight, f"asks for {words}, above the {who}'s {_DEGREE_SHORT[have]}")


def certification_component(posting: Posting, profile: Profile, weight: float) -> Component:
    """Certifications asked that the profile has, and those it lacks."""
    asked = [c for c in (posting.certifications or []) if isinstance(c, str)]
    if not asked:
        return Component("certification", None, weight, "no certification asked")
    who = _who(profile)
    have = set(profile.certifications)
    matched = [c for c in asked if c in have]
    lacking = [c for c in asked if c not in have]
    score = (len(matched) + 0.3 * len(lacking)) / len(asked)
    parts = []
    if matched:
        parts.append(f"asks for {_list(matched)}, which the {who} has")
    if lacking:
        parts.append(f"{'also ' if matched else 'asks for '}{_list(lacking)}, which the {who} lacks")
    return Component("certification", round(score, 3), weight, "; ".join(parts))


def location_component(posting: Posting, profile: Profile, weight: float) -> Component:
    """Country, state and workplace against the profile's states and remote preference."""
    who = _who(profile)
    country = (posting.country or "").strip().upper()
    if country and country not in _US and not profile.include_non_us:
        return Component("location", 0.0, weight, f"outside the US ({posting.country})")
    workplace = posting.workplace
    place = ", ".join(p for p in (posting.city, posting.state) if p) or (posting.location_text or "")
    where = "remote" if workplace == "remote" else (f"in {place}" if place else "")
    if workplace == "hybrid" and where:
        where += " (hybrid)"
    if profile.remote == "only":
        if workplace == "remote":
            return Component("location", 1.0, weight, "remote, as the profile wants")
        if workplace is None:
            return Component("location", None, weight, f"{where or 'location not stated'}; workplace not stated (remote only wanted)")
        score = 0.3 if workplace == "hybrid" else 0.0
        return Component("location", score, weight, f"{where or workplace}, not remote (the {who} wants remote only)")
    factor, note = 1.0, ""
    if profile.remote == "prefer":
        factor = {"remote": 1.0, "hybrid": 0.85, "onsite": 0.7}.get(workplace or "", 0.8)
        if workplace != "remote":
            note = f"; not remote ({workplace or 'workplace not stated'}), the {who} prefers remote"
    if profile.states:
        states = ", ".join(profile.states)
        if workplace == "remote":
            return Component("location", 1.0, weight, f"remote (open to the {who}'s states, {states})")
        if posting.state in profile.states:
            return Component("location", round(factor, 3), weight, f"{where}, one of the {who}'s states ({states}){note}")
        if posting.state:
            return Component("location", round(0.1 * factor, 3), weight, f"{where}, outside the {who}'s states ({states}){note}")
        return Component("location", None, weight, f"{where or 'location'} without a state; the {who} wants {states}")
    if posting.state or workplace == "remote" or country in _US:
        if not note:  # the same for every US posting: the digest shows it once, not on each card
            return Component("location", 1.0, weight, f"any US state suits the {who}")
        return Component("location", round(factor, 3), weight, f"{where or 'in the US'}{note}")
    if country:  # non-US but allowed by include_non_us
        return Component("location", round(0.5 * factor, 3), weight, f"{where or 'abroad'} ({posting.country}){note}")
    return Component("location", None, weight, "location not stated")


# -- role: how close the posting's role is to the profile's target role ---------------------------
# A role family from the title (the classifier's evidence decides when the title names no family).
_TECH = re.compile(r"\b(technologists?|radiographers?|sonographers?|radiologic tech|rad tech)\b", re.I)
_ADMIN = re.compile(r"\badmin(istrator|istration)?\b", re.I)
_IMAGING = re.compile(r"\b(pacs|ris|vna|dicom|picture archiving|imaging|radiology|radiant|"
                      r"cardiology pacs|teleradiology)\b", re.I)
_INFORMATICS = re.compile(r"\b(analyst|specialist|engineer|coordinator|informatics|architect|manager|"
                          r"lead|associate|support|integration|director|supervisor|consultant)\b", re.I)
FAMILY_WORDS = {
    "administrator": "a PACS / imaging systems administrator",
    "informatics": "a PACS analyst / imaging informatics / enterprise imaging role",
    "technologist": "a technologist role with PACS duties",
    "it": "a general IT role whose duties name PACS",
    "other": "not a PACS role",
}
# closeness[target][family]: the profile's target role against the posting's role family.
ROLE_CLOSENESS = {
    "administrator": {"administrator": 1.0, "informatics": 0.7, "technologist": 0.4, "it": 0.25, "other": 0.0},
    "informatics": {"administrator": 0.85, "informatics": 1.0, "technologist": 0.35, "it": 0.3, "other": 0.0},
    "technologist": {"administrator": 0.6, "informatics": 0.5, "technologist": 1.0, "it": 0.1, "other": 0.0},
    "it": {"administrator": 0.7, "informatics": 0.8, "technologist": 0.1, "it": 1.0, "other": 0.0},
}


def role_family(posting: Posting) -> str:
    """administrator | informatics | technologist | it | other, from the title and the classifier."""
    title = posting.title or ""
    if not posting.is_pacs_role:
        return "other"
    if _TECH.search(title):
        return "technologist"
    if _IMAGING.search(title):
        if _ADMIN.search(title):
            return "administrator"
        if _INFORMATICS.search(title):
            return "informatics"
    # the title names no imaging role: the classifier found PACS in the duties
    return "it"


def role_component(posting: Posting, profile: Profile, weight: float) -> Component:
    """The posting's role family against the profile's target role, in words."""
    family = role_family(posting)
    target = profile.role if profile.role in ROLE_CLOSENESS else "administrator"
    score = ROLE_CLOSENESS[target][family]
    title = " ".join((posting.title or "").split())[:80]
    if family == target:
        reason = f"role: {FAMILY_WORDS[family]}, the {_who(profile)}'s target"
    elif score >= 0.7:
        reason = f"role: {FAMILY_WORDS[family]}, close to the {_who(profile)}'s target"
    else:
        reason = f"role: {FAMILY_WORDS[family]} (\"{title}\"), further from the {_who(profile)}'s target"
    return Component("role", score, weight, reason)


_SCORERS = {
    "role": role_component,
    "skills": skills_component,
    "salary": salary_component,
    "experience": experience_component,
    "education": education_component,
    "certification": certification_component,
    "location": location_component,
}


def score_posting(posting: Posting, profile: Profile) -> Match:
    """Score a posting 0..100 against a profile, with every component's reason."""
    components: list[Component] = []
    for name in COMPONENTS:
        weight = float(profile.weights.get(name, 0.0) or 0.0)
        if weight <= 0:
            continue
        try:
            components.append(_SCORERS[name](posting, profile, weight))
        except (TypeError, ValueError, ZeroDivisionError) as exc:  # a malformed record must not stop a digest
            components.append(Component(name, None, weight, f"could not score ({exc.__class__.__name__})"))
    reasons = [c.reason for c in components]
    if is_partial(posting):  # what it asks for was read from a search snippet only
        reasons.append(MATCH_SNIPPET_REASON)
    total = sum(c.weight for c in components)
    if total <= 0:
        return Match(0.0, components, reasons)
    value = sum(c.weight * (UNSTATED.get(c.name, 0.0) if c.score is None else c.score)
                for c in components) / total
    return apply_on_call(Match(round(100 * value, 1), components, reasons), posting, profile)


ON_CALL_PENALTY = 15.0  # points off the 0..100 score when the profile ranks on-call postings lower


def apply_on_call(match: Match, posting: Posting, profile: Profile) -> Match:
    """The profile's on-call rule: "lower" takes points off, "drop" marks the posting to leave out."""
    rule = getattr(profile, "on_call", "ok")
    if rule == "ok" or not getattr(posting, "on_call", False):
        return match
    said = ((getattr(posting, "conditions", None) or {}).get("on_call") or {})
    rotation = f" ({said['rotation']})" if said.get("rotation") else ""
    if rule == "drop":
        match.dropped = True
        match.reasons.append(f"states on-call duty{rotation}: the {_who(profile)} leaves such postings out")
    else:
        match.score = round(max(0.0, match.score - ON_CALL_PENALTY), 1)
        match.reasons.append(f"states on-call duty{rotation}: ranked {ON_CALL_PENALTY:.0f} points lower "
                             f"as the {_who(profile)} asks")
    return match
