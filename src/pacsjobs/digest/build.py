"""Put a digest together: select, rank, summarize, and shape each posting for the templates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

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
from pacsjobs.pay import PERIOD_WORDS, POSITION_LABELS, annual_range, money_range, position
from pacsjobs.record import Posting
from pacsjobs.sources.discover import count_proposed
from pacsjobs.sources.nationwide import credits_for
from pacsjobs.store.coverage import Coverage, coverage
from pacsjobs.store.marks import ApplicationChange, application_changes, marks_for
from pacsjobs.understand.conditions import condition_words

WORKPLACE_WORDS = {"onsite": "On site", "hybrid": "Hybrid", "remote": "Remote"}
EMPLOYMENT_WORDS = {"full_time": "Full time", "part_time": "Part time", "contract": "Contract",
                    "temporary": "Temporary", "per_diem": "Per diem", "internship": "Internship"}
EXCERPT_CHARS = 280
# The page shows every posting, with the full description for the first DETAIL_LIMIT.
DETAIL_LIMIT = 40
# The email must arrive whole (Gmail clips a message whose HTML passes about 102 KB): full cards
# for the strong fits (at most EMAIL_CARDS), one line each for the next EMAIL_LINES, and a count
# (with a link to the page when [digest] public_url is set) for the rest.
EMAIL_CARDS = 15
EMAIL_LINES = 60

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


@dataclass
class Pay:
    posted: str  # "$38.50–$48.20 an hour"
    annual: str | None  # "$80,080–$100,256 a year"
    source: str | None  # "from the posting's pay field" | "found in the description"
    raw: str | None
    position: str | None  # below | within | above | overlaps the guide band
    label: str | None = None  # "above guide pay": the words the card shows for ``position``


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
    mark: str = ""  # the profile's mark on it ("applied on 2026-12-01"), if any
    source: str | None = None
    credits: list[tuple[str, str]] = field(default_factory=list)  # (text, link) a source's terms require
    conditions: list[str] = field(default_factory=list)  # "on-call (1 week in 4)", "travel up to 25%"
    snippet_only: bool = False  # only a search snippet was read (Posting.partial): the card says so


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
    common_reasons: list[str] = field(default_factory=list)  # true of every posting: said once
    applications: list[ApplicationChange] = field(default_factory=list)  # applied, changed since
    page_url: str | None = None  # where the full page is published ([digest] public_url)
    coverage: Coverage | None = None  # open openings across the US (the whole database, not this digest)

    @property
    def has_news(self) -> bool:
        """New postings, or a change to one of the person's applications."""
        return self.count > 0 or bool(self.applications)

    @cached_property
    def email_cards(self) -> int:
        """How many postings the email shows as full cards: the strong fits, up to EMAIL_CARDS."""
        return min(self.strong, EMAIL_CARDS)

    @cached_property
    def email_shown(self) -> int:
        """How many postings the email lists at all (cards, then one line each)."""
        return min(self.count, self.email_cards + EMAIL_LINES)

    @property
    def count(self) -> int:
        return len(self.ranked)

    @cached_property  # read once per posting by the templates: count the tier once
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
    has_annual = p.salary_annual_min is not None or p.salary_annual_max is not None
    if has_annual and p.salary_period != "year":
        annual = money_range(p.salary_annual_min, p.salary_annual_max, cents=False) + " a year"
    yearly = annual_range(p)
    where = position(*yearly, band) if yearly else None
    source = {"structured": "from the posting's pay field",
              "description": "found in the description"}.get(p.salary_source or "")
    return Pay(posted=posted, annual=annual, source=source, raw=p.salary_raw, position=where,
               label=POSITION_LABELS.get(where or ""))


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
        staffing_agency=p.is_staffing_agency, first_seen_at=p.first_seen_at, source=p.source,
        conditions=condition_words(p.conditions), snippet_only=bool(p.partial),
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
    marks = marks_for(session, profile_name, [r.posting.id for r in ranked if r.posting.id is not None])
    applications = [replace(a, url=safe_url(a.url)) for a in application_changes(session, profile_name)]
    last = last_digest_at(session, profile_name)
    band = profile_band(profile)
    tiers: list[TierView] = []
    start = 0
    common = common_reasons(ranked)
    for tier in group(ranked):
        tiers.append(_tier_view(tier, selection.also_posted, now.date(),
                                config.digest.closes_soon_days, band, start, common))
        start += len(tier.items)
    for item in (item for tier in tiers for item in tier.items):
        item.mark = marks[item.id].describe() if item.id in marks else ""
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
        proposed_boards=count_proposed(config),
    )
    if since is not None:
        ref, explicit = datetime.combine(since, time.min), True
    else:
        ref, explicit = last, False
    platforms = {s.name: s.platform for s in config.sources}
    _add_credits(tiers, selection.also_posted, platforms)
    cov = coverage(session, platforms, [s.employer for s in config.sources if s.employer])
    return Digest(profile_name=profile_name, profile=profile, generated_at=now, since=ref,
                  since_explicit=explicit, ranked=ranked, tiers=tiers, summary=summary, band=band,
                  guide_pay=money_range(*band), common_reasons=common, applications=applications,
                  coverage=cov)


def common_reasons(ranked: list[Ranked]) -> list[str]:
    """Reasons every posting of the digest has (two or more postings): said once, not on each card."""
    if len(ranked) < 2:
        return []
    shared = set(ranked[0].reasons)
    for r in ranked[1:]:
        shared &= set(r.reasons)
    return [reason for reason in ranked[0].reasons if reason in shared]


def _add_credits(tiers: list[TierView], also: dict[int, list[AlsoPosted]], platforms: dict[str, str]) -> None:
    """The credits owed for each shown posting, its own source's and its duplicates' (Adzuna's)."""
    for tier in tiers:
        for item in tier.items:
            sources = [item.source] + [a.source for a in also.get(item.id or -1, [])]
            item.credits = credits_for(sources, platforms)


def _tier_view(tier: Tier, also: dict[int, list[AlsoPosted]], today: date, closes_soon_days: int,
               band: tuple[float, float], start: int, common: list[str]) -> TierView:
    items = [view(r, also.get(r.posting.id or -1, []), today, closes_soon_days, band) for r in tier.items]
    for offset, item in enumerate(items):
        item.rank = start + offset
        item.reasons = [reason for reason in item.reasons if reason not in common]
    return TierView(tier.key, tier.title, items)
