"""Postings in the store: upsert in batches, mark seen, close the missing, read back."""

from __future__ import annotations

import hashlib
import json
import logging
import operator
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Select,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from pacsjobs.record import Posting
from pacsjobs.store.closing import close_refusal
from pacsjobs.store.errors import CloseRefused, StoreError
from pacsjobs.store.models import CrawlRun, PostingRow
from pacsjobs.store.statements import (
    _DELETE_SKILLS,
    _INSERT_POSTINGS,
    _INSERT_SKILLS,
    _SELECT_EXISTING,
    _SELECT_IDS,
    _TOUCH,
    _chunks,
)
from pacsjobs.timeutil import utcnow
from pacsjobs.understand import dedupe

log = logging.getLogger(__name__)

# Posting fields that are the store's bookkeeping, not content.
_BOOKKEEPING = set(Posting.BOOKKEEPING)
_POSTING_FIELDS = [f.name for f in fields(Posting)]
_CONTENT_FIELDS = [f for f in _POSTING_FIELDS if f not in _BOOKKEEPING]
# What the hash leaves out: the identity, the source's change marker (kept up to date separately)
# and relative date text ("Posted 3 Days Ago" reads differently every day for the same job).
# ``partial`` moves only with the snippet reason in relevance_reasons, which the hash already
# reads: leaving it out keeps every stored hash valid across migration 0006.
_HASH_EXCLUDE = {"source", "source_id", "source_updated", "date_posted_raw", "description_html", "partial"}
_HASH_FIELDS = [f for f in _CONTENT_FIELDS if f not in _HASH_EXCLUDE]
_CONTENT_VALUES = operator.attrgetter(*_CONTENT_FIELDS)
_REQUIRED = ("source", "source_id", "url", "title")
_UPSERT_ATTEMPTS = 3  # a batch that lost an insert race is done again (it then finds the rows)


@dataclass
class UpsertCounts:
    """What one ``upsert_postings`` call did, and the ids of every posting it was given."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: list[int] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)  # new and updated: what link_duplicates needs


def content_hash(posting: Posting) -> str:
    """sha256 of the fields a person sees (and the classifier's verdict on them)."""
    data: dict[str, Any] = {}
    for name in _HASH_FIELDS:
        value = getattr(posting, name)
        if isinstance(value, float):
            value = round(value, 4)
        elif isinstance(value, str):
            value = " ".join(value.split())
        elif name in ("skills", "certifications") and isinstance(value, list):
            value = sorted(str(v) for v in value)
        data[name] = value
    blob = json.dumps(data, sort_keys=True, default=_json_default, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _lost_a_race(exc: Exception) -> bool:
    """An error another writer caused: a unique key it took first, a deadlock, a serialization failure."""
    if isinstance(exc, IntegrityError):
        return True
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in ("40P01", "40001")



class PostingsMixin:
    """``Store`` methods that write and read postings."""

    def upsert_postings(self, postings: Sequence[Posting], run_id: int | None = None,
                        now: datetime | None = None) -> UpsertCounts:
        """Insert new postings, update changed ones, mark the rest seen: one transaction.

        Another process that inserted some of the same postings first (two crawls of one source,
        a crawl and ``scrapy crawl`` by hand) makes the insert fail on the unique key (or, writing
        the same rows, PostgreSQL ends one of two deadlocked transactions); the batch is then done
        again, finding those rows stored: a race never drops a batch.
        """
        for attempt in range(1, _UPSERT_ATTEMPTS + 1):
            try:
                return self._upsert(postings, run_id, now or utcnow())
            except (IntegrityError, OperationalError) as exc:
                if attempt == _UPSERT_ATTEMPTS or not _lost_a_race(exc):
                    raise
                log.warning("postings of this batch were stored by another process meanwhile: "
                            "doing the batch again (attempt %d)", attempt + 1)
        raise AssertionError("unreachable")  # pragma: no cover

    def _upsert(self, postings: Sequence[Posting], run_id: int | None, now: datetime) -> UpsertCounts:
        counts = UpsertCounts()
        # The same posting twice in one batch: the later copy wins.
        batch: dict[tuple[str, str], Posting] = {}
        for posting in postings:
            missing = [name for name in _REQUIRED if not getattr(posting, name)]
            if missing:
                raise StoreError(f"posting {posting.source!r}/{posting.source_id!r} has no "
                                 f"{', '.join(missing)}: nothing of this batch was stored")
            batch[(posting.source, str(posting.source_id))] = posting
        if not batch:
            return counts
        hashes = {key: content_hash(p) for key, p in batch.items()}
        with self.session() as session, session.begin():
            existing = self._existing(session, batch.keys())
            new_rows, changed_rows, marker_rows, same_ids = [], [], [], []
            for key, posting in batch.items():
                row = existing.get(key)
                if row is None:
                    values = self._values(posting)
                    values.update(first_seen_at=now, last_seen_at=now, closed_at=None,
                                  content_hash=hashes[key], duplicate_of=None)
                    new_rows.append(values)
                elif row.content_hash != hashes[key]:
                    values = self._values(posting)
                    values.update(id=row.id, last_seen_at=now, closed_at=None, content_hash=hashes[key])
                    changed_rows.append(values)
                elif row.source_updated != posting.source_updated:
                    marker_rows.append({"id": row.id, "source_updated": posting.source_updated,
                                        "last_seen_at": now, "closed_at": None})
                else:
                    same_ids.append(row.id)
            id_of: dict[tuple[str, str], int] = {k: r.id for k, r in existing.items()}
            if new_rows:
                # A plain executemany and one SELECT for the new ids: SQLite cannot batch an
                # INSERT ... RETURNING that keeps the rows' order, it would send one per row.
                session.execute(_INSERT_POSTINGS, new_rows)
                for key, row in self._existing(session, [(r["source"], r["source_id"]) for r in new_rows],
                                               _SELECT_IDS).items():
                    id_of[key] = row.id
            if changed_rows:
                session.execute(update(PostingRow), changed_rows)
            if marker_rows:
                session.execute(update(PostingRow), marker_rows)
            for ids in _chunks(same_ids):
                session.execute(_TOUCH, {"ids": list(ids), "now": now})
            new_keys = [(r["source"], r["source_id"]) for r in new_rows]
            changed_ids = [r["id"] for r in changed_rows]
            self._sync_skills(session, changed_ids, [(id_of[k], batch[k]) for k in new_keys]
                              + [(r["id"], batch[(r["source"], r["source_id"])]) for r in changed_rows])
            counts.new = len(new_rows)
            counts.updated = len(changed_rows)
            counts.unchanged = len(marker_rows) + len(same_ids)
            counts.ids = [id_of[k] for k in batch]
            counts.changed_ids = [id_of[k] for k in new_keys] + changed_ids
            if run_id is not None:
                self._add_counts(session, run_id, found=len(batch), new=counts.new,
                                 updated=counts.updated, unchanged=counts.unchanged)
        return counts

    @staticmethod
    def _values(posting: Posting) -> dict[str, Any]:
        values = dict(zip(_CONTENT_FIELDS, _CONTENT_VALUES(posting), strict=True))
        values["source_id"] = str(posting.source_id)
        for name in ("locations", "relevance_reasons", "skills", "certifications"):
            if values[name] is None:
                values[name] = []
        if values["conditions"] is None:
            values["conditions"] = {}
        if values["salary_ranges"] is None:
            values["salary_ranges"] = []
        for name in ("is_pacs_role", "degree_or_experience", "is_staffing_agency", "on_call", "travel",
                     "partial"):
            values[name] = bool(values[name])
        values["relevance"] = float(values["relevance"] or 0.0)
        values["employer_block"] = dedupe.employer_block(posting.employer)
        return values

    @staticmethod
    def _existing(session: Session, keys: Iterable[tuple[str, str]],
                  statement: Select[Any] = _SELECT_EXISTING) -> dict[tuple[str, str], Any]:
        by_source: dict[str, list[str]] = defaultdict(list)
        for source, source_id in keys:
            by_source[source].append(source_id)
        found: dict[tuple[str, str], Any] = {}
        for source, ids in by_source.items():
            for chunk in _chunks(ids):
                for row in session.execute(statement, {"source": source, "ids": list(chunk)}).all():
                    found[(row.source, row.source_id)] = row
        return found

    @staticmethod
    def _sync_skills(session: Session, replaced_ids: Sequence[int],
                     rows: Sequence[tuple[int, Posting]]) -> None:
        for ids in _chunks(list(replaced_ids)):
            session.execute(_DELETE_SKILLS, {"ids": list(ids)})
        values = []
        for posting_id, posting in rows:
            seen: set[str] = set()
            for kind, names in (("certification", posting.certifications or []),
                                ("skill", posting.skills or [])):
                for name in names:
                    name = str(name)[:100]
                    # A name listed as both keeps one row (primary key); certification wins.
                    if name and name not in seen:
                        seen.add(name)
                        values.append({"posting_id": posting_id, "skill": name, "kind": kind})
        if values:
            session.execute(_INSERT_SKILLS, values)

    def touch_seen(self, source: str, source_ids: Sequence[str], run_id: int | None = None,
                   now: datetime | None = None) -> int:
        """Mark postings the listing still shows (unchanged, details not fetched) as seen now."""
        now = now or utcnow()
        ids = [str(s) for s in dict.fromkeys(source_ids)]
        touched = 0
        with self.session() as session, session.begin():
            for chunk in _chunks(ids):
                result = session.execute(
                    update(PostingRow)
                    .where(PostingRow.source == source, PostingRow.source_id.in_(chunk))
                    .values(last_seen_at=now, closed_at=None)
                    .execution_options(synchronize_session=False)
                )
                touched += result.rowcount or 0
            if run_id is not None and touched:
                self._add_counts(session, run_id, found=touched, unchanged=touched)
        return touched

    def known_markers(self, source: str) -> dict[str, str | None]:
        """source_id -> the source's change marker, for every stored posting of the source."""
        with self.session() as session:
            rows = session.execute(select(PostingRow.source_id, PostingRow.source_updated)
                                   .where(PostingRow.source == source))
            return {source_id: marker for source_id, marker in rows}

    def close_missing(self, source: str, seen_ids: Collection[str], run_id: int | None = None,
                      now: datetime | None = None, max_share: float = 1.0, after_missing: int = 1) -> int:
        """Close the open postings of ``source`` not in ``seen_ids`` (after a complete crawl only).

        ``CloseRefused`` (nothing closed) when that is more than ``max_share`` of them (``closing``).
        With ``after_missing`` > 1 a posting closes only when the complete crawls before this one
        (``after_missing - 1`` of them, partial ones not counted) did not see it either.
        """
        now = now or utcnow()
        seen = {str(s) for s in seen_ids}
        with self.session() as session, session.begin():
            open_rows = session.execute(
                select(PostingRow.id, PostingRow.source_id, PostingRow.last_seen_at)
                .where(PostingRow.source == source, PostingRow.closed_at.is_(None))
            ).all()
            missing = [row for row in open_rows if row.source_id not in seen]
            refusal = close_refusal(len(open_rows), len(missing), max_share)
            if refusal:
                raise CloseRefused(refusal)
            cutoff = self._missed_since(session, source, run_id, after_missing)
            to_close = [row.id for row in missing if cutoff is not None and row.last_seen_at < cutoff]
            for chunk in _chunks(to_close):
                session.execute(update(PostingRow).where(PostingRow.id.in_(chunk))
                                .values(closed_at=now).execution_options(synchronize_session=False))
            if to_close:
                # A closed canonical hands its group to an open duplicate, if it has one.
                self._reelect(session, to_close)
            if run_id is not None:
                self._add_counts(session, run_id, closed=len(to_close))
        return len(to_close)

    @staticmethod
    def _missed_since(session: Session, source: str, run_id: int | None, after_missing: int) -> datetime | None:
        """The start of the earliest of the last ``after_missing - 1`` complete crawls before
        ``run_id``: a posting last seen before it was missed by all of them (None: too few yet)."""
        if after_missing <= 1:
            return datetime.max
        starts = list(session.scalars(
            select(CrawlRun.started_at)
            .where(CrawlRun.source == source, CrawlRun.complete.is_(True), CrawlRun.id != (run_id or 0))
            .order_by(CrawlRun.id.desc()).limit(after_missing - 1)))
        return min(starts) if len(starts) == after_missing - 1 else None

    def get_posting(self, posting_id: int) -> Posting | None:
        with self.session() as session:
            row = session.get(PostingRow, posting_id)
            return self.to_record(row) if row is not None else None

    @staticmethod
    def to_record(row: PostingRow) -> Posting:
        """The posting record of a row (every column of the record, bookkeeping included)."""
        return Posting(**{name: getattr(row, name) for name in _POSTING_FIELDS})

    def duplicates_of(self, posting_id: int) -> list[Posting]:
        """The posting's group: its canonical first, then the others; empty when it has none."""
        with self.session() as session:
            row = session.get(PostingRow, posting_id)
            if row is None:
                return []
            canonical_id = row.duplicate_of or row.id
            canonical = session.get(PostingRow, canonical_id)
            others = session.scalars(select(PostingRow).where(PostingRow.duplicate_of == canonical_id)
                                     .order_by(PostingRow.id)).all()
            if not others or canonical is None:
                return []
            return [self.to_record(canonical)] + [self.to_record(r) for r in others]
