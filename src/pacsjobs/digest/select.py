"""Which postings go into a digest: open, relevant, US, canonical, not yet sent to the profile.

Everything is one query for the postings plus one for their duplicates ("also posted on"),
whatever the number of postings, so a digest costs the same few round trips on any database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from pacsjobs.normalize.location import US_STATES as USPS_STATES
from pacsjobs.record import Posting
from pacsjobs.store.marks import not_ignored
from pacsjobs.store.models import DigestRun, DigestSent, PostingRow

# USPS codes of the states, DC and the territories: a posting with no country but one of these
# states is in the US (many career sites give a state and leave the country out).
US_STATES = frozenset(USPS_STATES)

# digest_runs statuses that mean the profile's reader got a digest (the reference of "since").
DELIVERED = ("sent", "built", "empty")


# The posting table's columns are the record's fields (store/models.py): a row is a record.
_RECORD_COLUMNS = [c for c in PostingRow.__table__.columns if c.name in {f.name for f in fields(Posting)}]


@dataclass
class AlsoPosted:
    """A duplicate of a digest posting on another source."""

    source: str
    url: str
    title: str
    employer: str | None = None


@dataclass
class Selection:
    """The selected postings (newest first) and, by posting id, where else each was posted."""

    postings: list[Posting] = field(default_factory=list)
    also_posted: dict[int, list[AlsoPosted]] = field(default_factory=dict)


def _in_us():
    """Country US, or no country but a US state."""
    return or_(PostingRow.country == "US",
               and_(PostingRow.country.is_(None), PostingRow.state.in_(sorted(US_STATES))))


def relevant_filter(min_relevance: float, include_non_us: bool, open_only: bool = True) -> list:
    """Conditions shared by the digest and its summary: open, PACS, relevant enough, canonical."""
    conds = [
        PostingRow.is_pacs_role.is_(True),
        PostingRow.relevance >= min_relevance,
        PostingRow.duplicate_of.is_(None),
    ]
    if open_only:
        conds.append(PostingRow.closed_at.is_(None))
    if not include_non_us:
        conds.append(_in_us())
    return conds


def selection_query(profile: str, min_relevance: float, include_non_us: bool = False,
                    since: date | datetime | None = None, limit: int | None = None) -> Select:
    """The SELECT of a digest's postings, newest first."""
    # a posting the profile ignored never comes back, nor do its copies on other boards
    query = select(PostingRow).where(*relevant_filter(min_relevance, include_non_us), not_ignored(profile))
    if since is not None:
        # --since re-sends: everything first seen since then, sent or not.
        start = since if isinstance(since, datetime) else datetime.combine(since, time.min)
        query = query.where(PostingRow.first_seen_at >= start)
    else:
        sent = exists().where(DigestSent.profile == profile, DigestSent.posting_id == PostingRow.id)
        query = query.where(~sent)
    query = query.order_by(PostingRow.first_seen_at.desc(), PostingRow.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return query


def select_postings(session: Session, profile: str, min_relevance: float,
                    include_non_us: bool = False, since: date | datetime | None = None,
                    limit: int | None = None) -> Selection:
    """Run the selection and fetch every selected posting's duplicates in one more query."""
    query = selection_query(profile, min_relevance, include_non_us, since, limit)
    # Plain rows, not ORM objects: the digest only reads them, and this is several times faster.
    rows = session.execute(query.with_only_columns(*_RECORD_COLUMNS)).all()
    postings = [Posting(**row._asdict()) for row in rows]
    ids = [p.id for p in postings if p.id is not None]
    also: dict[int, list[AlsoPosted]] = defaultdict(list)
    if ids:
        # Filter and order on duplicate_of alone so the planner takes its index: with statistics
        # (ANALYZE) SQLite sees the column as mostly NULL and would scan the table for any other
        # shape. Closed duplicates are dropped and sources sorted here instead.
        dup_rows = session.execute(
            select(PostingRow.duplicate_of, PostingRow.source, PostingRow.url, PostingRow.title,
                   PostingRow.employer, PostingRow.closed_at)
            .where(PostingRow.duplicate_of.in_(ids))
            .order_by(PostingRow.duplicate_of, PostingRow.id)
        ).all()
        for canonical, source, url, title, employer, closed_at in sorted(dup_rows, key=lambda r: r[1]):
            if closed_at is None:  # a closed duplicate's link is dead
                also[canonical].append(AlsoPosted(source=source, url=url, title=title, employer=employer))
    return Selection(postings=postings, also_posted=dict(also))


def last_digest_at(session: Session, profile: str) -> datetime | None:
    """When the profile last got a digest (page written or email accepted), or None."""
    return session.scalar(
        select(func.max(DigestRun.created_at))
        .where(DigestRun.profile == profile, DigestRun.status.in_(DELIVERED))
    )


def count_closed_since(session: Session, since: datetime, min_relevance: float,
                       include_non_us: bool = False) -> int:
    """How many relevant canonical postings closed since ``since``."""
    conds = relevant_filter(min_relevance, include_non_us, open_only=False)
    conds.append(PostingRow.closed_at >= since)
    return session.scalar(select(func.count()).select_from(PostingRow).where(*conds)) or 0
