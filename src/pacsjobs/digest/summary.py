"""The digest's summary: counts, pay against the guide band, skills asked, states, source health."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pacsjobs.pay import POSITIONS, annual_range, position
from pacsjobs.record import Posting
from pacsjobs.store.closing import GUARD_PREFIX
from pacsjobs.store.core import Store
from pacsjobs.store.models import CrawlRun

GUIDE_PAY = (80_615.0, 100_189.0)  # the guide's salary range, used when a profile has none
SCALE_CAP = 250_000.0  # a bar beyond this is clipped, so one outlier does not flatten the chart
STALE_AFTER = timedelta(days=3)  # a source without a successful crawl for this long is flagged
CHART_MAX = 40  # bars drawn (best ranked first); the counts cover every posting


@dataclass
class PayBar:
    """One posting's annual pay as a bar on the chart."""

    label: str
    short: str  # for narrow screens: the title alone, shortened
    low: float
    high: float
    position: str  # below | within | above | overlaps (the guide band)
    clipped: bool = False


@dataclass
class PayChart:
    """Annual pay of the digest's postings against the guide band, with a shared scale."""

    band_min: float
    band_max: float
    bars: list[PayBar] = field(default_factory=list)
    unpaid: int = 0  # postings that state no pay
    paid: int = 0  # postings with pay, drawn or not
    counts: dict[str, int] = field(default_factory=dict)  # below / overlaps / within / above, all paid
    scale_min: float = 0.0
    scale_max: float = 1.0
    ticks: list[float] = field(default_factory=list)

    def pct(self, value: float) -> float:
        """Where ``value`` falls on the scale, 0..100 (percent of the chart width)."""
        span = self.scale_max - self.scale_min or 1.0
        return round(max(0.0, min(100.0, (value - self.scale_min) / span * 100)), 2)

    def width(self, low: float, high: float) -> float:
        """Width of a bar from ``low`` to ``high`` in percent; a single figure gets a visible sliver."""
        return max(round(self.pct(high) - self.pct(low), 2), 1.0)

    @property
    def hidden(self) -> int:
        """Paid postings left off the chart (beyond CHART_MAX)."""
        return self.paid - len(self.bars)


@dataclass
class SkillCount:
    name: str
    count: int
    covered: bool  # the profile has this skill or certification


@dataclass
class SourceHealth:
    """The latest crawl of one source, and whether a person should look at it."""

    source: str
    status: str  # succeeded | partial | failed | running | interrupted | died | never crawled
    fetched: int | None = None
    reported: int | None = None
    errors: int = 0
    last_run_at: datetime | None = None
    last_success_at: datetime | None = None
    message: str | None = None
    warning: str | None = None


@dataclass
class Summary:
    new: int
    strong: int
    closed_since_last: int | None  # None on a profile's first digest
    pay: PayChart
    skills: list[SkillCount]
    states: list[tuple[str, int]]
    health: list[SourceHealth]
    proposed_boards: int = 0  # boards `sources discover` proposes (discovered.toml) not yet in the registry


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _bar_label(p: Posting) -> str:
    return _cut(p.title if not p.employer else f"{p.title} — {p.employer}", 60)


def pay_chart(postings: Iterable[Posting], band: tuple[float, float] = GUIDE_PAY,
              limit: int = CHART_MAX) -> PayChart:
    """Bars for the first ``limit`` postings with annual pay; the scale covers the band and them."""
    band_min, band_max = band
    chart = PayChart(band_min=band_min, band_max=band_max)
    counts: Counter[str] = Counter()
    for p in postings:
        yearly = annual_range(p)
        if yearly is None:
            chart.unpaid += 1
            continue
        low, high = yearly
        where = position(low, high, band)
        counts[where] += 1
        chart.paid += 1
        if len(chart.bars) < limit:
            chart.bars.append(PayBar(_bar_label(p), _cut(p.title, 28), low, high, where,
                                     clipped=high > SCALE_CAP))
    chart.counts = {key: counts.get(key, 0) for key in POSITIONS}
    lows = [b.low for b in chart.bars] + [band_min]
    highs = [min(b.high, SCALE_CAP) for b in chart.bars] + [band_max]
    step = 10_000.0
    chart.scale_min = max(0.0, math.floor(min(lows) / step) * step - step)
    chart.scale_max = math.ceil(max(highs) / step) * step + step
    span = chart.scale_max - chart.scale_min
    tick = step if span <= 80_000 else 20_000.0 if span <= 160_000 else 50_000.0
    first = math.ceil(chart.scale_min / tick) * tick
    chart.ticks = [first + i * tick for i in range(int((chart.scale_max - first) // tick) + 1)]
    return chart


def _norm(name: str) -> str:
    return " ".join(name.lower().split())


def top_skills(postings: Iterable[Posting], covered: Iterable[str], limit: int = 12) -> list[SkillCount]:
    """The skills and certifications asked most, each marked covered or not by the profile."""
    have = {_norm(c) for c in covered}
    counts: Counter[str] = Counter()
    for p in postings:
        # a posting that lists a skill twice counts once
        counts.update({s for s in [*(p.skills or []), *(p.certifications or [])] if s})
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))[:limit]
    return [SkillCount(name, n, _norm(name) in have) for name, n in ranked]


def by_state(postings: Iterable[Posting]) -> list[tuple[str, int]]:
    """Counts by USPS state, remote postings without a state as "Remote", most first."""
    counts: Counter[str] = Counter()
    for p in postings:
        if p.state:
            counts[p.state] += 1
        elif p.workplace == "remote":
            counts["Remote"] += 1
        else:
            counts["Unknown"] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def source_health(session: Session, sources: Iterable[str], now: datetime) -> list[SourceHealth]:
    """The latest crawl of every configured source (and any other that ran), in two queries.

    A run still recorded ``running`` whose process is gone shows as ``died``, decided as
    ``pacsjobs status`` decides it (``Store.run_died``), so the two never disagree.
    """
    died = Store(session.get_bind()).run_died
    latest_ids = select(func.max(CrawlRun.id)).group_by(CrawlRun.source).scalar_subquery()
    latest = {run.source: run for run in session.scalars(select(CrawlRun).where(CrawlRun.id.in_(latest_ids)))}
    success = dict(session.execute(
        select(CrawlRun.source, func.max(CrawlRun.finished_at))
        .where(CrawlRun.status == "succeeded").group_by(CrawlRun.source)
    ).all())
    names = list(dict.fromkeys([*sources, *sorted(latest)]))
    out = []
    for name in names:
        run = latest.get(name)
        if run is None:
            out.append(SourceHealth(name, "never crawled", warning="never crawled"))
            continue
        h = SourceHealth(name, "died" if died(run) else run.status, fetched=run.fetched, reported=run.reported,
                         errors=run.errors or 0, last_run_at=run.finished_at or run.started_at,
                         last_success_at=success.get(name), message=run.message)
        h.warning = _health_warning(h, now)
        out.append(h)
    return out


def _health_warning(h: SourceHealth, now: datetime) -> str | None:
    """Why a person should look at this source, or None when it looks healthy."""
    if h.status in ("failed", "interrupted", "died"):
        return f"last crawl {h.status}"
    if h.reported is not None and h.fetched is not None and h.fetched < h.reported:
        return f"fetched {h.fetched} of {h.reported} reported"
    if h.status == "partial":
        if h.message and GUARD_PREFIX in h.message:  # a person should look before anything closes
            return next(part for part in h.message.split("; ") if GUARD_PREFIX in part) + "; closed none"
        return "last crawl incomplete"
    if h.errors:
        return f"{h.errors} error{'s' if h.errors != 1 else ''}"
    if h.last_success_at is None:
        return "no successful crawl yet"
    if now - h.last_success_at > STALE_AFTER:
        return f"no successful crawl for {(now - h.last_success_at).days} days"
    return None


def profile_band(profile: Any) -> tuple[float, float]:
    """The profile's salary range, else the guide's."""
    low = getattr(profile, "salary_min", None)
    high = getattr(profile, "salary_max", None)
    if low and high:
        return float(low), float(high)
    return GUIDE_PAY


def profile_covers(profile: Any) -> list[str]:
    """The skills and certifications the profile has."""
    return [*(getattr(profile, "skills", None) or []), *(getattr(profile, "certifications", None) or [])]
