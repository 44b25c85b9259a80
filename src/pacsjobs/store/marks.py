"""A person's marks on postings (applied / interested / ignored, and a note), per profile, with dates.

Ignored postings and every posting of their duplicate group stay out of that profile's digests
(``not_ignored``). Applied ones are followed: ``application_changes`` lists what changed since the
last digest reported them (closed, pay changed, reposted), and ``record_reported`` remembers what
was reported once a digest is delivered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, aliased

from pacsjobs.errors import PacsjobsError
from pacsjobs.pay import annual_range, money_range
from pacsjobs.store.models import PostingMark, PostingRow

STATUSES = ("applied", "interested", "ignored")


@dataclass
class Mark:
    """A profile's mark on one posting."""

    posting_id: int
    profile: str
    status: str | None = None
    status_at: datetime | None = None
    note: str | None = None
    noted_at: datetime | None = None

    def describe(self) -> str:
        """"applied on 2026-12-01; note: called back" (empty when nothing is marked)."""
        parts = []
        if self.status:
            parts.append(f"{self.status} on {self.status_at:%Y-%m-%d}" if self.status_at else self.status)
        if self.note:
            parts.append(f"note ({self.noted_at:%Y-%m-%d}): {self.note}" if self.noted_at else f"note: {self.note}")
        return "; ".join(parts)

    @classmethod
    def of(cls, row: PostingMark) -> Mark:
        return cls(row.posting_id, row.profile, row.status, row.status_at, row.note, row.noted_at)


@dataclass
class ApplicationChange:
    """An applied posting and what changed about it since the last digest reported it."""

    posting_id: int
    title: str
    employer: str | None
    url: str | None
    applied_at: datetime | None
    changes: list[str] = field(default_factory=list)


def _row(session: Session, posting_id: int, profile: str) -> PostingMark:
    if session.get(PostingRow, posting_id) is None:
        raise PacsjobsError(f"no posting with id {posting_id}")
    row = session.get(PostingMark, (profile, posting_id))
    if row is None:
        row = PostingMark(profile=profile, posting_id=posting_id)
        session.add(row)
    return row


def set_status(store: Any, posting_id: int, profile: str, status: str | None, now: datetime) -> Mark:
    """Mark a posting applied / interested / ignored (None clears the status); PacsjobsError if unknown."""
    if status is not None and status not in STATUSES:
        raise PacsjobsError(f"unknown mark {status!r} (use {', '.join(STATUSES)})")
    with store.session() as session, session.begin():
        row = _row(session, posting_id, profile)
        row.status, row.status_at = status, (now if status else None)
        if status == "applied":  # what the person saw when applying: the reference for "pay changed"
            posting = session.get(PostingRow, posting_id)
            row.pay_min, row.pay_max = annual_range(posting) or (None, None)
            row.reported_at = None
        return Mark.of(row)


def set_note(store: Any, posting_id: int, profile: str, note: str, now: datetime) -> Mark:
    """Keep a note on a posting (an empty note removes it)."""
    note = " ".join(note.split())
    with store.session() as session, session.begin():
        row = _row(session, posting_id, profile)
        row.note, row.noted_at = (note, now) if note else (None, None)
        return Mark.of(row)


def get_mark(store: Any, posting_id: int, profile: str) -> Mark | None:
    with store.session() as session:
        row = session.get(PostingMark, (profile, posting_id))
        return Mark.of(row) if row is not None and (row.status or row.note) else None


def marks_for(session: Session, profile: str, ids: Iterable[int]) -> dict[int, Mark]:
    """The profile's marks on these postings, by posting id (one query)."""
    ids = list(ids)
    if not ids:
        return {}
    rows = session.scalars(select(PostingMark).where(PostingMark.profile == profile,
                                                     PostingMark.posting_id.in_(ids)))
    return {r.posting_id: Mark.of(r) for r in rows if r.status or r.note}


def with_status(profile: str, status: str) -> Any:
    """SQL condition: the posting carries this status for the profile (for ``query --status``)."""
    return exists().where(PostingMark.profile == profile, PostingMark.posting_id == PostingRow.id,
                          PostingMark.status == status)


def not_ignored(profile: str) -> Any:
    """SQL condition: neither the posting nor any posting of its duplicate group is ignored."""
    ignored = select(PostingMark.posting_id).where(PostingMark.profile == profile,
                                                   PostingMark.status == "ignored")
    dup = aliased(PostingRow)
    return ~or_(PostingRow.id.in_(ignored),
                exists().where(dup.duplicate_of == PostingRow.id, dup.id.in_(ignored)))


def _pay(pay: tuple[float, float] | None) -> str:
    return money_range(*pay) + " a year" if pay else "not stated"


def application_changes(session: Session, profile: str) -> list[ApplicationChange]:
    """Applied postings that closed, changed pay or were reposted since the last digest reported them."""
    pairs = session.execute(select(PostingMark, PostingRow)
                            .join(PostingRow, PostingRow.id == PostingMark.posting_id)
                            .where(PostingMark.profile == profile, PostingMark.status == "applied")
                            .order_by(PostingMark.status_at, PostingRow.id)).all()
    if not pairs:
        return []
    heads = {row.duplicate_of or row.id for _, row in pairs}
    oldest = min((m.reported_at or m.status_at or datetime.min) for m, _ in pairs)
    # every posting of the applied postings' groups first seen since the oldest reference (one query)
    members = session.execute(select(PostingRow.id, PostingRow.duplicate_of, PostingRow.source,
                                     PostingRow.first_seen_at)
                              .where(or_(PostingRow.id.in_(heads), PostingRow.duplicate_of.in_(heads)),
                                     PostingRow.first_seen_at >= oldest)).all()
    out = []
    for mark, row in pairs:
        since = mark.reported_at or mark.status_at or datetime.min
        changes = []
        if row.closed_at is not None and row.closed_at >= since:
            changes.append(f"closed on {row.closed_at:%b} {row.closed_at.day}, {row.closed_at.year}")
        was = (mark.pay_min, mark.pay_max) if mark.pay_min is not None or mark.pay_max is not None else None
        now_pay = annual_range(row)
        if _differs(was, now_pay):
            changes.append(f"pay changed from {_pay(was)} to {_pay(now_pay)}")
        head = row.duplicate_of or row.id
        for mid, dup_of, source, first_seen in members:
            if mid != row.id and (dup_of or mid) == head and first_seen >= since:
                changes.append(f"reposted on {source} (first seen {first_seen:%b} {first_seen.day})")
        if changes:
            out.append(ApplicationChange(row.id, row.title, row.employer, row.url, mark.status_at, changes))
    return out


def _differs(a: tuple[Any, Any] | None, b: tuple[float, float] | None) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return any(x is None or abs(float(x) - y) >= 1.0 for x, y in zip(a, b, strict=True))


def record_reported(session: Session, profile: str, changes: Iterable[ApplicationChange], now: datetime) -> None:
    """Remember that a delivered digest reported these changes (the next one starts from here)."""
    for change in changes:
        row = session.get(PostingMark, (profile, change.posting_id))
        posting = session.get(PostingRow, change.posting_id)
        if row is None or posting is None:
            continue
        row.reported_at = now
        row.pay_min, row.pay_max = annual_range(posting) or (None, None)


__all__ = ["STATUSES", "ApplicationChange", "Mark", "application_changes", "get_mark", "marks_for",
           "not_ignored", "record_reported", "set_note", "set_status", "with_status"]
