"""Market statistics over the posting database, aggregated in SQL.

Counts exclude cross-source duplicates (a job posted on two boards is one job), except the count
by source, where each source's own copy belongs to it. Only pay percentiles fetch a column: one
float per posting with pay.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, bindparam, cast, func, literal_column, select

from pacsjobs.store.models import CrawlRun, DigestRun, PostingRow, PostingSkill
from pacsjobs.timeutil import utcnow

P = PostingRow.__table__.c
GUIDE_SALARY = (80_615.0, 100_189.0)  # the guide's range, USD a year
PERCENTILES = (10, 25, 50, 75, 90)


@dataclass
class PayStats:
    """Annual pay of open postings (the midpoint of each posted range) against the guide's range."""

    count: int = 0
    percentiles: dict[int, float] = field(default_factory=dict)
    guide_min: float = GUIDE_SALARY[0]
    guide_max: float = GUIDE_SALARY[1]
    below: int = 0  # postings paying under the guide's minimum
    within: int = 0
    above: int = 0


@dataclass
class SkillCount:
    skill: str
    kind: str  # skill | certification
    count: int
    in_profile: bool | None = None  # None when no profile was given


@dataclass
class MarketStats:
    open_total: int
    by_state: list[tuple[str | None, int]]
    by_employer: list[tuple[str | None, int]]
    by_source: list[tuple[str, int]]
    pay: PayStats
    skills: list[SkillCount]
    weekly_new: list[tuple[date, int]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        pay = asdict(self.pay)
        pay["percentiles"] = {f"p{k}": v for k, v in self.pay.percentiles.items()}
        return {
            "open_total": self.open_total,
            "by_state": [{"state": k, "count": n} for k, n in self.by_state],
            "by_employer": [{"employer": k, "count": n} for k, n in self.by_employer],
            "by_source": [{"source": k, "count": n} for k, n in self.by_source],
            "pay": pay,
            "skills": [asdict(s) for s in self.skills],
            "weekly_new": [{"week": w.isoformat(), "count": n} for w, n in self.weekly_new],
        }


def _open(relevant_only: bool, distinct_jobs: bool = True) -> list[Any]:
    where = [P.closed_at.is_(None)]
    if relevant_only:
        where.append(P.is_pacs_role.is_(True))
    if distinct_jobs:
        where.append(P.duplicate_of.is_(None))
    return where


def open_counts(store, column: str, relevant_only: bool = True, limit: int | None = 20) -> list[tuple[Any, int]]:
    """Open postings grouped by ``column`` (state, employer, source), most first."""
    col = P[column]
    n = func.count().label("n")
    stmt = (select(col, n).where(*_open(relevant_only, distinct_jobs=column != "source"))
            .group_by(col).order_by(n.desc(), col))
    if limit:
        stmt = stmt.limit(limit)
    with store.engine.connect() as conn:
        return [(row[0], row[1]) for row in conn.execute(stmt)]


def _percentile(sorted_values: list[float], pct: int) -> float:
    """Linear-interpolated percentile (numpy's default), for any non-empty list."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    return statistics.quantiles(sorted_values, n=100, method="inclusive")[pct - 1]


def pay_stats(store, relevant_only: bool = True, guide: tuple[float, float] = GUIDE_SALARY) -> PayStats:
    """Percentiles of open postings' annual pay, and how many fall below / within / above ``guide``."""
    lo, hi = P.salary_annual_min, P.salary_annual_max
    mid = func.coalesce((lo + hi) / 2.0, lo, hi)
    stmt = select(mid).where(*_open(relevant_only), mid.is_not(None)).order_by(mid)
    with store.engine.connect() as conn:
        values = [float(v) for v in conn.scalars(stmt)]
    out = PayStats(count=len(values), guide_min=guide[0], guide_max=guide[1])
    if values:
        out.percentiles = {p: round(_percentile(values, p), 2) for p in PERCENTILES}
        out.below = sum(1 for v in values if v < guide[0])
        out.above = sum(1 for v in values if v > guide[1])
        out.within = len(values) - out.below - out.above
    return out


def top_skills(store, limit: int = 20, relevant_only: bool = True,
               profile_skills: set[str] | None = None) -> list[SkillCount]:
    """The skills and certifications open postings ask for most; marks those ``profile_skills`` lacks."""
    s = PostingSkill.__table__.c
    n = func.count().label("n")
    stmt = (select(s.skill, s.kind, n).join(PostingRow.__table__, P.id == s.posting_id)
            .where(*_open(relevant_only)).group_by(s.skill, s.kind).order_by(n.desc(), s.skill).limit(limit))
    known = {k.lower() for k in profile_skills} if profile_skills is not None else None
    with store.engine.connect() as conn:
        return [SkillCount(skill, kind, count, None if known is None else skill.lower() in known)
                for skill, kind, count in conn.execute(stmt)]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_new(store, weeks: int = 12, now: datetime | None = None,
               relevant_only: bool = True) -> list[tuple[date, int]]:
    """New postings (first seen) per week, Monday-based, the last ``weeks`` weeks including this one."""
    start = datetime.combine(_monday((now or utcnow()).date()) - timedelta(weeks=weeks - 1), datetime.min.time())
    since = bindparam("since", start)
    if store.dialect == "sqlite":
        bucket = cast((func.julianday(P.first_seen_at) - func.julianday(since)) / 7, Integer)
    else:
        bucket = func.floor(func.extract("epoch", P.first_seen_at - since) / 604800)
    bucket = bucket.label("week")
    where = [P.first_seen_at >= since, P.duplicate_of.is_(None)]
    if relevant_only:
        where.append(P.is_pacs_role.is_(True))
    stmt = select(bucket, func.count()).where(*where).group_by(literal_column("week"))
    with store.engine.connect() as conn:
        counts = {int(week): n for week, n in conn.execute(stmt)}
    return [((start + timedelta(weeks=i)).date(), counts.get(i, 0)) for i in range(weeks)]


def market_stats(store, relevant_only: bool = True, profile_skills: set[str] | None = None,
                 guide: tuple[float, float] = GUIDE_SALARY, now: datetime | None = None,
                 limit: int = 15) -> MarketStats:
    """Everything ``pacsjobs stats`` shows."""
    with store.engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(PostingRow.__table__).where(*_open(relevant_only)))
    return MarketStats(
        open_total=int(total or 0),
        by_state=open_counts(store, "state", relevant_only, limit=None),
        by_employer=open_counts(store, "employer", relevant_only, limit=limit),
        by_source=open_counts(store, "source", relevant_only, limit=None),
        pay=pay_stats(store, relevant_only, guide),
        skills=top_skills(store, limit=limit, relevant_only=relevant_only, profile_skills=profile_skills),
        weekly_new=weekly_new(store, now=now, relevant_only=relevant_only),
    )


def last_digest_runs(store) -> dict[str, DigestRun]:
    """The last digest run of every profile that has one."""
    latest = select(func.max(DigestRun.id).label("id")).group_by(DigestRun.profile).subquery()
    with store.session() as session:
        rows = session.scalars(select(DigestRun).join(latest, DigestRun.id == latest.c.id)
                               .order_by(DigestRun.profile))
        return {run.profile: run for run in rows}


def last_crawl_runs(store) -> dict[str, CrawlRun]:
    """The last crawl run of every source (the store's own query)."""
    return store.last_runs()
