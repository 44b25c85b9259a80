"""Put a digest together: select, rank, summarize, and shape each posting for the templates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from pacsjobs.conditions import condition_words
from pacsjobs.config import Config
from pacsjobs.digest.rank import Ranked, Tier, group, rank
from pacsjobs.digest.select import (
    AlsoPosted,
    count_closed_since,
    last_digest_at,
    select_postings,
)
from pacsjobs.digest.summary import (
    Summary,
    by_state,
    pay_chart,
    profile_band,
    profile_covers,
    source_health,
    top_skills,
)
from pacsjobs.normalize.text import html_to_text
from pacsjobs.record import Posting

PERIOD_WORDS = {"hour": "an hour", "day": "a day", "week": "a week", "biweekly": "every two weeks",
                "month": "a month", "year": "a year"}
WORKPLACE_WORDS = {"onsite": "On site", "hybrid": "Hybrid", "remote": "Remote"}
EMPLOYMENT_WORDS = {"full_time": "Full time", "part_time": "Part time", "contract": "Contract",
                    "temporary": "Temporary", "per_diem": "Per diem", "internship": "Internship"}
CURRENCY_SIGNS = {"USD": "$", None: "$"}
EXCERPT_CHARS = 280
# The email shows this many postings in full and the rest one line each: mail clients clip long
# messages (Gmail at about 100 KB), and a reader of 40 detailed postings does not need 400 more.
# The page shows every posting, with the full description for these first ones.
DETAIL_LIMIT = 40

_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None (no javascript:, data:, relative)."""
    if not url:
        return None
    # Browsers ignore tabs, newlines and other control characters inside a scheme ("java\tscript:").
    cleaned = _CONTROL.sub("", url.strip()) if _CONTROL.search(url.strip()) else url.strip()
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return cleaned


def money(value: float | None, currency: str | None = "USD", cents: bool = False) -> str:
    """$85,000 or $41.25; other currencies as a code suffix."""
    if value is None:
        return ""
    sign = CURRENCY_SIGNS.get(currency)
    figure = f"{value:,.2f}" if cents else f"{value:,.0f}"
    return f"{sign}{figure}" if sign else f"{figure} {currency}"


def money_range(low: float | None, high: float | None, currency: str | None = "USD",
                cents: bool = False) -> str:
    if low is not None and high is not None and low != high:
        return f"{money(low, currency, cents)}–{money(high, currency, cents)}"
    if low is not None and high is None:
        return f"from {money(low, currency, cents)}"
    if low is None and high is not None:
        return f"up to {money(high, currency, cents)}"
    return money(low if low is not None else high, currency, cents)


def short_money(value: float) -> str:
    """$85k for chart axes."""
    return f"${value / 1000:,.0f}k"


@dataclass
class Pay:
    posted: str  # "$38.50–$48.20 an hour"
    annual: str | None  # "$80,080–$100,256 a year"
    source: str | None  # "from the posting's pay field" | "found in the description"
    raw: str | None
    position: str | None  # below | within | above | overlaps the guide band


@dataclass
class PostingView:
    """What the templates show of one posting (all text; the templates escape it)."""

    id: int | None
    title: str
    url: str | None
    employer: str | None
    location: str
    workplace: str | None
    employment: str | None
    pay: Pay | None
    date_posted: date | None
    valid_through: date | None
    closes_soon: bool
    expired: bool
    score: int
    tier: str
    reasons: list[str]
    also_posted: list[AlsoPosted]
    excerpt: str
    description_html: str | None
    staffing_agency: bool
    first_seen_at: datetime | None
    rank: int = 0  # 0-based place in the whole digest, best first
    conditions: list[str] = field(default_factory=list)  # "on-call (1 week in 4)", "travel up to 25%"


@dataclass
class TierView:
    key: str
    title: str
    items: list[PostingView]


@dataclass
class Digest:
    """Everything a digest shows; templates render it, mail sends it."""

    profile_name: str
    profile: Any
    generated_at: datetime
    since: datetime | None  # the reference of "new": --since, else the profile's last digest
    since_explicit: bool
    ranked: list[Ranked]
    tiers: list[TierView]
    summary: Summary
    band: tuple[float, float]
    guide_pay: str = ""
    detail_limit: int = DETAIL_LIMIT

    @property
    def count(self) -> int:
        return len(self.ranked)

    @property
    def strong(self) -> int:
        return sum(1 for r in self.ranked if r.tier == "strong")

    @property
    def posting_ids(self) -> list[int]:
        return [r.posting.id for r in self.ranked if r.posting.id is not None]

    @property
    def since_text(self) -> str | None:
        """"Nov 27, 2026" or "Nov 27, 2026 07:00 UTC"; None on a first digest."""
        if self.since is None:
            return None
        if self.since_explicit or self.since.time() == time.min:
            return f"{self.since:%b} {self.since.day}, {self.since.year}"
        return f"{self.since:%b} {self.since.day}, {self.since.year} {self.since:%H:%M} UTC"


def location_text(p: Posting) -> str:
    """"Houston, TX", "TX", the source's own words, or "Location not given"."""
    if p.city and p.state:
        where = f"{p.city}, {p.state}"
    elif p.state:
        where = p.state
    else:
        where = p.location_text or ""
    extra = len(p.locations or []) - 1
    if where and extra > 0:
        where += f" (+{extra} more location{'s' if extra > 1 else ''})"
    if p.country and p.country != "US" and where:
        where += f", {p.country}"
    return where or ("Anywhere in the US" if p.workplace == "remote" else "Location not given")


def pay_of(p: Posting, band: tuple[float, float]) -> Pay | None:
    """The pay as posted, its annual equivalent, and where it came from."""
    if p.salary_min is None and p.salary_max is None:
        return None
    hourly = p.salary_period in ("hour", "day")
    posted = money_range(p.salary_min, p.salary_max, p.salary_currency or "USD", cents=hourly)
    if p.salary_period:
        posted += " " + PERIOD_WORDS.get(p.salary_period, f"per {p.salary_period}")
    annual = None
    position = None
    low, high = p.salary_annual_min, p.salary_annual_max
    if low is not None or high is not None:
        if p.salary_period != "year":
            annual = money_range(low, high) + " a year"
        lo = low if low is not None else high
        hi = high if high is not None else low
        if hi < band[0]:
            position = "below"
        elif lo > band[1]:
            position = "above"
        elif lo >= band[0] and hi <= band[1]:
            position = "within"
        else:
            position = "overlaps"
    source = {"structured": "from the posting's pay field",
              "description": "found in the description"}.get(p.salary_source or "")
    return Pay(posted=posted, annual=annual, source=source, raw=p.salary_raw, position=position)


def excerpt(p: Posting, limit: int = EXCERPT_CHARS) -> str:
    """The first sentences of the plain-text description (never HTML)."""
    text = p.description_text or html_to_text(p.description_html)
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def view(r: Ranked, also: list[AlsoPosted], today: date, closes_soon_days: int,
         band: tuple[float, float]) -> PostingView:
    p = r.posting
    closes_soon = False
    expired = False
    if p.valid_through is not None:
        days = (p.valid_through - today).days
        expired = days < 0
        closes_soon = 0 <= days <= closes_soon_days
    safe_also = [AlsoPosted(a.source, safe_url(a.url) or "", a.title, a.employer) for a in also]
    return PostingView(
        id=p.id, title=p.title or "(untitled)", url=safe_url(p.url), employer=p.employer,
        location=location_text(p), workplace=WORKPLACE_WORDS.get(p.workplace or ""),
        employment=EMPLOYMENT_WORDS.get(p.employment_type or ""), pay=pay_of(p, band),
        date_posted=p.date_posted, valid_through=p.valid_through, closes_soon=closes_soon,
        expired=expired, score=round(r.score), tier=r.tier, reasons=r.reasons,
        also_posted=safe_also, excerpt=excerpt(p), description_html=p.description_html,
        staffing_agency=p.is_staffing_agency, first_seen_at=p.first_seen_at,
        conditions=condition_words(p.conditions),
    )


def build_digest(session: Session, config: Config, profile: Any, profile_name: str,
                 since: date | None = None, now: datetime | None = None,
                 limit: int | None = None, scorer: Any = None) -> Digest:
    """Select, score and summarize a profile's digest (reads the database, writes nothing)."""
    from pacsjobs.timeutil import utcnow

    now = now or utcnow()
    include_non_us = bool(getattr(profile, "include_non_us", False) or config.digest.include_non_us)
    min_rel = config.digest.min_relevance
    selection = select_postings(session, profile_name, min_rel, include_non_us, since, limit)
    ranked = rank(selection.postings, profile, scorer)
    last = last_digest_at(session, profile_name)
    band = profile_band(profile)
    tiers: list[TierView] = []
    start = 0
    for tier in group(ranked):
        tiers.append(_tier_view(tier, selection.also_posted, now.date(),
                                config.digest.closes_soon_days, band, start))
        start += len(tier.items)
    postings = [r.posting for r in ranked]
    summary = Summary(
        new=len(ranked),
        strong=sum(1 for r in ranked if r.tier == "strong"),
        closed_since_last=(count_closed_since(session, last, min_rel, include_non_us)
                           if last is not None else None),
        pay=pay_chart(postings, band),
        skills=top_skills(postings, profile_covers(profile)),
        states=by_state(postings),
        health=source_health(session, [s.name for s in config.enabled_sources()], now),
    )
    if since is not None:
        ref, explicit = datetime.combine(since, time.min), True
    else:
        ref, explicit = last, False
    return Digest(profile_name=profile_name, profile=profile, generated_at=now, since=ref,
                  since_explicit=explicit, ranked=ranked, tiers=tiers, summary=summary, band=band,
                  guide_pay=money_range(*band))


def _tier_view(tier: Tier, also: dict[int, list[AlsoPosted]], today: date, closes_soon_days: int,
               band: tuple[float, float], start: int) -> TierView:
    items = [view(r, also.get(r.posting.id or -1, []), today, closes_soon_days, band) for r in tier.items]
    for offset, item in enumerate(items):
        item.rank = start + offset
    return TierView(tier.key, tier.title, items)
