"""Cross-source duplicate detection: pure functions over ``Posting`` records.

Two postings are the same job when the employer matches (after normalizing names), the titles
match (after dropping requisition numbers, "- Remote" and the like), the place matches (same
state and city, or both remote) and the descriptions overlap. The store blocks candidates by
place and time window and calls ``is_duplicate`` on the few that remain.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from pacsjobs.record import Posting

# Employers' own systems: the canonical copy of a job lives there (USAJOBS is the federal
# government's own system). Aggregators and staffing agencies repeat what these publish.
EMPLOYER_PLATFORMS = ("workday", "oracle", "greenhouse", "lever", "smartrecruiters", "ashby",
                      "usajobs", "jsonld")
# Hosts of job sites that republish other employers' postings.
AGGREGATOR_HOSTS = ("indeed.", "linkedin.", "ziprecruiter.", "glassdoor.", "monster.", "dice.",
                    "simplyhired.", "careerbuilder.", "healthecareers.", "jooble.", "talent.com",
                    "adzuna.", "neuvoo.", "jobs2careers.", "getwork.", "lensa.", "builtin.")
_PLATFORM_HOSTS = (
    ("myworkdayjobs.com", "workday"), ("myworkdaysite.com", "workday"), ("oraclecloud.com", "oracle"),
    ("greenhouse.io", "greenhouse"), ("lever.co", "lever"), ("smartrecruiters.com", "smartrecruiters"),
    ("ashbyhq.com", "ashby"), ("usajobs.gov", "usajobs"),
)

_LEGAL = {"inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation", "co",
          "company", "pc", "pllc", "plc", "pa", "na", "the"}
# Names the federal government uses for the same employer in different fields and feeds.
_EMPLOYER_ALIASES = {
    "veterans health administration": "veterans affairs",
    "department of veterans affairs": "veterans affairs",
    "us department of veterans affairs": "veterans affairs",
    "va": "veterans affairs",
    "va medical center": "veterans affairs",
}
_TITLE_WORDS = {
    "sr": "senior", "snr": "senior", "jr": "junior", "admin": "administrator", "adm": "administrator",
    "mgr": "manager", "i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "lvl": "level",
    "and": "and", "amp": "and",
}
_TITLE_NOISE = re.compile(
    r"\b(?:req(?:uisition)?|job|jr|r|id)\s*(?:#|no\.?|number|id)?\s*[:\-]?\s*[a-z]{0,3}[-_]?\d{3,}\w*"
    r"|#\s*\w*\d{3,}\w*|\b\w*\d{5,}\w*\b",
    re.IGNORECASE,
)
_WORKPLACE_WORDS = re.compile(
    r"[\(\[]?\b(?:remote|hybrid|on[\s-]?site|telework|work from home|wfh)\b(?:\s*(?:-|–|/)?\s*"
    r"(?:us|usa|united states|eligible|option(?:al)?))?[\)\]]?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def normalize_employer(name: str | None) -> str:
    """A comparable employer name: lower case, no punctuation, legal suffixes and "The" dropped."""
    if not name:
        return ""
    text = _ascii(str(name)).replace("&", " and ").replace("'", "")
    words = _WORD.findall(text)
    while words and words[-1] in _LEGAL:
        words.pop()
    while words and words[0] == "the":
        words.pop(0)
    # "Banner Health System" and "Banner Health" are one employer.
    if len(words) > 2 and words[-1] in ("system", "systems") and words[-2] in ("health", "healthcare"):
        words.pop()
    key = " ".join(words)
    return _EMPLOYER_ALIASES.get(key, key)


def normalize_title(title: str | None) -> str:
    """A comparable title: no requisition numbers, workplace tags or punctuation; II == 2."""
    if not title:
        return ""
    text = _ascii(str(title))
    text = _TITLE_NOISE.sub(" ", text)
    text = _WORKPLACE_WORDS.sub(" ", text)
    text = text.replace("&", " and ")
    words = [_TITLE_WORDS.get(w, w) for w in _WORD.findall(text)]
    return " ".join(words)


def source_platform(source_name: str, platforms: Mapping[str, str] | None = None,
                    url: str | None = None) -> str:
    """The platform behind a source: from the mapping, a "platform:board" name, or the URL's host.

    Returns a platform name, "aggregator" for a known republishing site, or "unknown".
    """
    if platforms and source_name in platforms:
        platform = platforms[source_name]
    else:
        prefix = source_name.split(":", 1)[0].strip().lower() if ":" in source_name else ""
        name = source_name.strip().lower()
        platform = prefix if prefix in EMPLOYER_PLATFORMS else name if name in EMPLOYER_PLATFORMS else ""
    # JSON-LD is read from anyone's pages: the host says whether they are the employer's.
    if platform in ("", "jsonld", "unknown") and url:
        host = (urlsplit(url).hostname or "").lower()
        for suffix, by_host in _PLATFORM_HOSTS:
            if host == suffix or host.endswith("." + suffix):
                return by_host
        if any(marker in host for marker in AGGREGATOR_HOSTS):
            return "aggregator"
    return platform or "unknown"


def platform_rank(platform: str) -> int:
    """Lower is a better home for the canonical copy: employer systems, unknown, aggregators."""
    if platform in EMPLOYER_PLATFORMS:
        return 0
    if platform == "aggregator":
        return 2
    return 1


def canonical_key(posting: Posting, platforms: Mapping[str, str] | None = None) -> tuple:
    """Sort key choosing a group's canonical posting (smallest wins).

    Open before closed, the employer's own system before others, a staffing agency last, then the
    earliest seen and the smallest id.
    """
    platform = source_platform(posting.source, platforms, posting.url)
    return (
        posting.closed_at is not None,
        bool(posting.is_staffing_agency),
        platform_rank(platform),
        posting.first_seen_at or datetime.max,
        posting.id if posting.id is not None else 1 << 62,
    )


def employers_match(a: str | None, b: str | None) -> bool:
    """Same employer after normalizing, or names close enough ("Cleveland Clinic Foundation")."""
    na, nb = normalize_employer(a), normalize_employer(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    return fuzz.token_set_ratio(na, nb) >= 90 and fuzz.ratio(na, nb) >= 60


def _numbers(title: str) -> set[str]:
    return {w for w in title.split() if w.isdigit()}


def titles_match(a: str | None, b: str | None) -> bool:
    """Same title after normalizing, allowing word order and small spelling differences."""
    na, nb = normalize_title(a), normalize_title(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    # "PACS Administrator II" and "PACS Administrator III" are different jobs.
    if _numbers(na) != _numbers(nb):
        return False
    return fuzz.token_sort_ratio(na, nb) >= 90


def _is_remote(p: Posting) -> bool:
    return (p.workplace or "").lower() == "remote"


def places_match(a: Posting, b: Posting) -> bool:
    """Same state and city (a missing city matches any), or both remote."""
    if _is_remote(a) and _is_remote(b):
        return True
    sa, sb = (a.state or "").upper(), (b.state or "").upper()
    if sa != sb:
        return False
    ca, cb = _ascii(a.city or "").strip(), _ascii(b.city or "").strip()
    if ca and cb and ca != cb:
        return False
    if not sa and not ca and not cb:
        # Nothing to compare but the source's own words.
        return _ascii(a.location_text or "").strip() == _ascii(b.location_text or "").strip()
    return True


def _shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    words = _WORD.findall(_ascii(text))
    return {tuple(words[i:i + size]) for i in range(max(len(words) - size + 1, 0))}


def description_similarity(a: str | None, b: str | None) -> float | None:
    """Overlap of word 3-shingles relative to the shorter text (aggregators truncate); None if short."""
    if not a or not b:
        return None
    sa, sb = _shingles(a[:20000]), _shingles(b[:20000])
    if len(sa) < 20 or len(sb) < 20:
        return None
    return len(sa & sb) / min(len(sa), len(sb))


def similarity(a: Posting, b: Posting) -> float:
    """0..1: how alike two postings are (title, employer, place and description)."""
    parts: list[tuple[float, float]] = []
    parts.append((0.35, fuzz.token_sort_ratio(normalize_title(a.title), normalize_title(b.title)) / 100))
    ea, eb = normalize_employer(a.employer), normalize_employer(b.employer)
    parts.append((0.2, fuzz.token_set_ratio(ea, eb) / 100 if ea and eb else 0.0))
    parts.append((0.15, 1.0 if places_match(a, b) else 0.0))
    desc = description_similarity(a.description_text, b.description_text)
    if desc is not None:
        parts.append((0.3, desc))
    total = sum(w for w, _ in parts)
    return sum(w * s for w, s in parts) / total


def is_duplicate(a: Posting, b: Posting) -> bool:
    """True when two postings are the same job (the time window is the store's to check)."""
    if a.id is not None and a.id == b.id:
        return False
    if a.source == b.source and a.source_id == b.source_id:
        return False
    if not (employers_match(a.employer, b.employer) and titles_match(a.title, b.title)
            and places_match(a, b)):
        return False
    desc = description_similarity(a.description_text, b.description_text)
    if desc is not None and desc < 0.5:
        return False
    return similarity(a, b) >= 0.8
