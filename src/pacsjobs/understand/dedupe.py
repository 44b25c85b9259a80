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
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from pacsjobs.record import Posting

# Employers' own systems: the canonical copy of a job lives there (USAJOBS is the federal
# government's own system). Aggregators and staffing agencies repeat what these publish.
EMPLOYER_PLATFORMS = ("workday", "oracle", "greenhouse", "lever", "smartrecruiters", "ashby",
                      "usajobs", "jsonld", "ukg", "taleo", "healthcaresource", "neogov",
                      "icims", "phenom", "jobvite", "successfactors")
# Nationwide job search APIs: they repeat what employers publish, and are never the canonical copy
# when another one exists (USAJOBS is the federal employer's own board, so it ranks as one).
NATIONWIDE_PLATFORMS = ("careeronestop", "adzuna")
# Hosts of job sites that republish other employers' postings.
AGGREGATOR_HOSTS = ("indeed.", "linkedin.", "ziprecruiter.", "glassdoor.", "monster.", "dice.",
                    "simplyhired.", "careerbuilder.", "healthecareers.", "jooble.", "talent.com",
                    "adzuna.", "neuvoo.", "jobs2careers.", "getwork.", "lensa.", "builtin.")
_PLATFORM_HOSTS = (
    ("myworkdayjobs.com", "workday"), ("myworkdaysite.com", "workday"), ("oraclecloud.com", "oracle"),
    ("greenhouse.io", "greenhouse"), ("lever.co", "lever"), ("smartrecruiters.com", "smartrecruiters"),
    ("ashbyhq.com", "ashby"), ("usajobs.gov", "usajobs"), ("ultipro.com", "ukg"), ("ukg.net", "ukg"),
    ("taleo.net", "taleo"), ("hcshiring.com", "healthcaresource"), ("governmentjobs.com", "neogov"),
    ("icims.com", "icims"), ("jobvite.com", "jobvite"),
    ("successfactors.com", "successfactors"), ("successfactors.eu", "successfactors"),
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
    return _employer_key(str(name))


# Cached: a crawl repeats a few hundred employers and titles, and the store normalizes each
# posting's employer three times (block column, candidate blocking, fingerprint).
@lru_cache(maxsize=65536)
def _employer_key(name: str) -> str:
    text = _ascii(name).replace("&", " and ").replace("'", "")
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


def employer_block(name: str | None) -> str | None:
    """The blocking key of an employer: the first word of its normalized name (None if nameless).

    "Cleveland Clinic" and "The Cleveland Clinic Foundation" share the block "cleveland", so
    close names still meet; everyone else is never compared.
    """
    key = normalize_employer(name)
    return key.split(" ", 1)[0][:100] if key else None


def normalize_title(title: str | None) -> str:
    """A comparable title: no requisition numbers, workplace tags or punctuation; II == 2."""
    if not title:
        return ""
    return _title_key(str(title))


@lru_cache(maxsize=65536)
def _title_key(title: str) -> str:
    text = _ascii(title)
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
        known = EMPLOYER_PLATFORMS + NATIONWIDE_PLATFORMS
        platform = prefix if prefix in known else name if name in known else ""
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
    """Lower is a better home for the canonical copy: employer systems, unknown, aggregators and
    nationwide search."""
    if platform in EMPLOYER_PLATFORMS:
        return 0
    if platform == "aggregator" or platform in NATIONWIDE_PLATFORMS:
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
    return employers_key_match(normalize_employer(a), normalize_employer(b))


def _numbers(title: str) -> set[str]:
    return {w for w in title.split() if w.isdigit()}


def titles_match(a: str | None, b: str | None) -> bool:
    """Same title after normalizing, allowing word order and small spelling differences."""
    return titles_key_match(normalize_title(a), normalize_title(b))


@dataclass(frozen=True)
class Fingerprint:
    """What duplicate detection compares of a posting, computed once per posting."""

    employer: str
    title: str
    numbers: frozenset[str]
    remote: bool
    state: str
    city: str
    place_text: str
    shingles: frozenset[int]  # hashes of word 3-grams of the description (this process only)


def fingerprint(posting: Posting, description: bool = True) -> Fingerprint:
    """The comparable parts of a posting (``description=False`` skips the costly shingles)."""
    base = place_and_names(posting.employer, posting.title, posting.workplace, posting.state,
                           posting.city, posting.location_text)
    if not description or not posting.description_text:
        return base
    return replace(base, shingles=frozenset(_shingles(posting.description_text)))


@lru_cache(maxsize=65536)
def place_and_names(employer: str | None, title: str | None, workplace: str | None,
                    state: str | None, city: str | None, location_text: str | None) -> Fingerprint:
    """A fingerprint without description; cached, since the store sees the same rows often."""
    title_key = normalize_title(title)
    return Fingerprint(
        employer=normalize_employer(employer),
        title=title_key,
        numbers=frozenset(_numbers(title_key)),
        remote=(workplace or "").lower() == "remote",
        state=(state or "").upper(),
        city=_ascii(city or "").strip(),
        place_text=_ascii(location_text or "").strip(),
        shingles=frozenset(),
    )


def places_match(a: Posting | Fingerprint, b: Posting | Fingerprint) -> bool:
    """Same state and city (a missing city matches any), or both remote."""
    fa = a if isinstance(a, Fingerprint) else fingerprint(a, description=False)
    fb = b if isinstance(b, Fingerprint) else fingerprint(b, description=False)
    if fa.remote and fb.remote:
        return True
    if fa.state != fb.state:
        return False
    if fa.city and fb.city and fa.city != fb.city:
        return False
    if not fa.state and not fa.city and not fb.city:
        # Nothing to compare but the source's own words.
        return fa.place_text == fb.place_text
    return True


def _shingles(text: str, size: int = 3) -> set[int]:
    # Hashes instead of word tuples: a third of the memory and faster intersections.
    words = _WORD.findall(_ascii(text[:20000]))
    return {hash(tuple(words[i:i + size])) for i in range(max(len(words) - size + 1, 0))}


def _containment(sa: frozenset | set, sb: frozenset | set) -> float | None:
    if len(sa) < 20 or len(sb) < 20:
        return None
    return len(sa & sb) / min(len(sa), len(sb))


def description_similarity(a: str | None, b: str | None) -> float | None:
    """Overlap of word 3-shingles relative to the shorter text (aggregators truncate); None if short."""
    if not a or not b:
        return None
    return _containment(_shingles(a), _shingles(b))


def fingerprint_similarity(fa: Fingerprint, fb: Fingerprint) -> float:
    """0..1 from two fingerprints: title, employer, place and description."""
    parts: list[tuple[float, float]] = [(0.35, fuzz.token_sort_ratio(fa.title, fb.title) / 100)]
    parts.append((0.2, fuzz.token_set_ratio(fa.employer, fb.employer) / 100
                  if fa.employer and fb.employer else 0.0))
    parts.append((0.15, 1.0 if places_match(fa, fb) else 0.0))
    desc = _containment(fa.shingles, fb.shingles)
    if desc is not None:
        parts.append((0.3, desc))
    total = sum(w for w, _ in parts)
    return sum(w * s for w, s in parts) / total


def similarity(a: Posting, b: Posting) -> float:
    """0..1: how alike two postings are (title, employer, place and description)."""
    return fingerprint_similarity(fingerprint(a), fingerprint(b))


@lru_cache(maxsize=262144)
def employers_key_match(ka: str, kb: str) -> bool:
    """``employers_match`` on names already normalized."""
    if not ka or not kb:
        return False
    return ka == kb or (fuzz.token_set_ratio(ka, kb) >= 90 and fuzz.ratio(ka, kb) >= 60)


@lru_cache(maxsize=262144)
def titles_key_match(ta: str, tb: str) -> bool:
    """``titles_match`` on titles already normalized."""
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    # "PACS Administrator II" and "PACS Administrator III" are different jobs.
    if _numbers(ta) != _numbers(tb):
        return False
    return fuzz.token_sort_ratio(ta, tb) >= 90


def fingerprints_match(fa: Fingerprint, fb: Fingerprint) -> bool:
    """The duplicate test on precomputed fingerprints (what the store calls in bulk)."""
    if not (employers_key_match(fa.employer, fb.employer) and titles_key_match(fa.title, fb.title)
            and places_match(fa, fb)):
        return False
    desc = _containment(fa.shingles, fb.shingles)
    # Cross-posted copies are often re-worded by the other board: with the very same title, employer
    # and place, a modest overlap is enough; a merely similar title needs the text to agree more.
    floor = 0.2 if fa.title == fb.title else 0.5
    if desc is not None and desc < floor:
        return False
    return fingerprint_similarity(fa, fb) >= 0.8


def is_duplicate(a: Posting, b: Posting) -> bool:
    """True when two postings are the same job (the time window is the store's to check)."""
    if a.id is not None and a.id == b.id:
        return False
    if a.source == b.source and a.source_id == b.source_id:
        return False
    return fingerprints_match(fingerprint(a), fingerprint(b))
