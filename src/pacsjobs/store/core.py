"""The store: open the database, upsert postings in batches, keep crawl history, link duplicates."""

from __future__ import annotations

import hashlib
import json
import logging
import operator
import os
import socket
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Engine,
    Select,
    Update,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pacsjobs import dedupe
from pacsjobs.errors import PacsjobsError
from pacsjobs.record import Posting
from pacsjobs.store import locks, migrate
from pacsjobs.store import urls as db_urls
from pacsjobs.store.closing import close_refusal
from pacsjobs.store.models import CrawlRun, PostingRow, PostingSkill
from pacsjobs.timeutil import utcnow

log = logging.getLogger(__name__)

RUN_STATUSES = ("running", "succeeded", "partial", "failed", "interrupted")
ORPHANED_MESSAGE = "orphaned: the crawl process died"
_RUN_FIELDS = ("requests", "errors", "reported", "fetched", "requests_saved", "message", "stats",
               "found", "new", "updated", "unchanged", "closed", "log_path")
# Posting fields that are the store's bookkeeping, not content.
_BOOKKEEPING = set(Posting.BOOKKEEPING)
_POSTING_FIELDS = [f.name for f in fields(Posting)]
_CONTENT_FIELDS = [f for f in _POSTING_FIELDS if f not in _BOOKKEEPING]
# What the hash leaves out: the identity, the source's change marker (kept up to date separately)
# and relative date text ("Posted 3 Days Ago" reads differently every day for the same job).
_HASH_EXCLUDE = {"source", "source_id", "source_updated", "date_posted_raw", "description_html"}
_HASH_FIELDS = [f for f in _CONTENT_FIELDS if f not in _HASH_EXCLUDE]
_CONTENT_VALUES = operator.attrgetter(*_CONTENT_FIELDS)
_REQUIRED = ("source", "source_id", "url", "title")
_IN_CHUNK = 500  # ids per IN (...) list: well under every backend's bound-parameter limit
_UPSERT_ATTEMPTS = 3  # a batch that lost an insert race is done again (it then finds the rows)


class StoreError(PacsjobsError):
    """A store operation got arguments it cannot act on (unknown run, bad status)."""


class CloseRefused(StoreError):
    """A crawl would close too much of a source: it closed nothing (the message says why)."""


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


# Statements of the hot paths (every crawl chunk), built once on the Core table: no ORM compile
# step per execution, and SQLAlchemy's compiled cache is hit without rebuilding the statement.
_POSTINGS = PostingRow.__table__
_P = _POSTINGS.c
_SKILLS = PostingSkill.__table__
_LIGHT = (_P.id, _P.source, _P.source_id, _P.url, _P.title, _P.employer, _P.city, _P.state, _P.workplace,
          _P.location_text, _P.first_seen_at, _P.last_seen_at, _P.closed_at, _P.is_staffing_agency,
          _P.duplicate_of)
_IDS = bindparam("ids", expanding=True)
_BY_KEY = (_P.source == bindparam("source"), _P.source_id.in_(_IDS))
_SELECT_EXISTING = select(_P.id, _P.source, _P.source_id, _P.content_hash, _P.source_updated).where(*_BY_KEY)
# The ids of rows just inserted: answered from the unique index, without reading the (long) rows.
_SELECT_IDS = select(_P.id, _P.source, _P.source_id).where(*_BY_KEY)
_INSERT_POSTINGS = insert(_POSTINGS)
_INSERT_SKILLS = insert(_SKILLS)
_DELETE_SKILLS = delete(_SKILLS).where(_SKILLS.c.posting_id.in_(_IDS))
_TOUCH = update(_POSTINGS).where(_P.id.in_(_IDS)).values(last_seen_at=bindparam("now"), closed_at=None)
_SELECT_LIGHT = select(*_LIGHT)
_LIGHT_BY_ID = _SELECT_LIGHT.where(_P.id.in_(_IDS))
_FULL_BY_ID = select(*_LIGHT, _P.description_text).where(_P.id.in_(_IDS))
_GROUPS_OF = _SELECT_LIGHT.where(or_(_P.id.in_(_IDS), _P.duplicate_of.in_(_IDS)))  # heads and members
_OTHER_MEMBERS = select(_P.id).where(_P.duplicate_of == bindparam("head"), _P.id != bindparam("id"))
_POINT_AT = update(_POSTINGS).where(_P.id.in_(_IDS)).values(duplicate_of=bindparam("head"))
# Duplicate candidates of one employer block and time window, in the rows' states (or remote).
_IN_STATES = func.upper(func.coalesce(_P.state, "")).in_(bindparam("states", expanding=True))
_BLOCK = _SELECT_LIGHT.where(_P.employer_block == bindparam("block"),
                             _P.last_seen_at >= bindparam("earliest"),
                             _P.first_seen_at <= bindparam("latest"))
_BLOCK_IN_STATES = _BLOCK.where(_IN_STATES).order_by(_P.last_seen_at, _P.id)
_BLOCK_IN_STATES_OR_REMOTE = (_BLOCK.where(or_(_IN_STATES, func.lower(_P.workplace) == "remote"))
                              .order_by(_P.last_seen_at, _P.id))


@lru_cache(maxsize=64)
def _add_counts_statement(names: tuple[str, ...]) -> Update:
    """UPDATE crawl_runs SET name = name + :delta_name, ... WHERE id = :run_id (one per name set)."""
    runs = CrawlRun.__table__
    return (update(runs).where(runs.c.id == bindparam("run_id"))
            .values({name: runs.c[name] + bindparam(f"delta_{name}") for name in names}))


def _light_record(row: Any) -> Posting:
    """A posting record with only what duplicate detection reads (no descriptions)."""
    return Posting(source=row.source, source_id=row.source_id, url=row.url, title=row.title,
                   employer=row.employer, city=row.city, state=row.state, workplace=row.workplace,
                   location_text=row.location_text, is_staffing_agency=row.is_staffing_agency,
                   id=row.id, first_seen_at=row.first_seen_at, last_seen_at=row.last_seen_at,
                   closed_at=row.closed_at, duplicate_of=row.duplicate_of)


class _UnionFind:
    """Groups of posting ids joined by matches (disjoint sets)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def __contains__(self, item: int) -> bool:
        return item in self.parent

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def _close_keys(key: str, keys: Iterable[str], match: Any) -> list[str]:
    """The keys equal or close to ``key`` (exact first; fuzzy only among distinct keys)."""
    return [k for k in keys if k == key or match(key, k)]


def _chunks(items: Sequence[Any], size: int = _IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _lost_a_race(exc: Exception) -> bool:
    """An error another writer caused: a unique key it took first, a deadlock, a serialization failure."""
    if isinstance(exc, IntegrityError):
        return True
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in ("40P01", "40001")


def _pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (a zombie counts as dead)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        # WAL lets readers (pacsjobs query) run while a crawl writes; the busy timeout makes a
        # second writer wait instead of failing at once.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def open_store(url: str, *, migrate_schema: bool = True, echo: bool = False, create: bool = True) -> Store:
    """Open (and create on first use, unless ``create`` is False) the database at ``url``.

    Every URL mistake and connection failure is one ``DatabaseURLError`` line naming the URL
    (password masked) and the fix.
    """
    parsed = db_urls.parse(url)
    shown = db_urls.mask_password(url)
    path = db_urls.sqlite_file(parsed)
    if not create:
        db_urls.require_existing(url)
    if parsed.get_backend_name() == "sqlite":
        if path is not None:
            db_urls.check_sqlite_file(path, shown)
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, echo=echo)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(parsed, echo=echo, pool_pre_ping=True)
    store = Store(engine)
    if migrate_schema:
        try:
            migrate.upgrade(engine, parsed.render_as_string(hide_password=True))
        except (OperationalError, InterfaceError) as exc:
            engine.dispose()
            raise db_urls.explain_connect_error(url, exc) from None
        except Exception:
            engine.dispose()
            raise
    return store


class Store:
    """The job database: postings, their skills, crawl runs. One instance per process."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.platforms: dict[str, str] = {}  # source name -> platform, for choosing canonicals

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- postings ------------------------------------------------------------------------------

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
        for name in ("is_pacs_role", "degree_or_experience", "is_staffing_agency", "on_call", "travel"):
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

    # -- duplicates ----------------------------------------------------------------------------

    def link_duplicates(self, ids: Sequence[int] | None = None, window_days: int = 60,
                        platforms: Mapping[str, str] | None = None,
                        max_candidates: int = 50) -> int:
        """Link the given postings (all when None) to duplicates seen within ``window_days``.

        Candidates are blocked in SQL by employer (``employer_block``) and time window, then by
        employer, title and place in memory, before descriptions are read and compared; so the
        cost follows the batch and its employers, not the table.
        Returns how many postings had their ``duplicate_of`` changed.
        """
        platforms = {**self.platforms, **(platforms or {})}
        window = timedelta(days=window_days)
        with self.session() as session, session.begin():
            if ids is None:
                targets = session.execute(_SELECT_LIGHT).all()
            else:
                targets = [r for chunk in _chunks(list(dict.fromkeys(ids)))
                           for r in session.execute(_LIGHT_BY_ID, {"ids": list(chunk)}).all()]
            if not targets:
                return 0
            light: dict[int, dedupe.Fingerprint] = {}

            def fp(row: Any) -> dedupe.Fingerprint:
                f = light.get(row.id)
                if f is None:
                    f = light[row.id] = dedupe.place_and_names(row.employer, row.title, row.workplace,
                                                               row.state, row.city, row.location_text)
                return f

            # Block by employer (first word of the normalized name) and time window, in SQL.
            blocks: dict[str, list[Any]] = defaultdict(list)
            for row in targets:
                block = dedupe.employer_block(row.employer)
                if block:
                    blocks[block].append(row)
            work: list[tuple[Any, list[Any]]] = []
            for name, rows in blocks.items():
                earliest = min(r.first_seen_at for r in rows) - window
                latest = max(r.last_seen_at for r in rows) + window
                # A candidate must match some row's place (places_match): the same state, or
                # both remote. Filtering on it in SQL keeps the read to the rows' states, not the
                # employer's whole history.
                states = sorted({fp(r).state for r in rows})
                block_query = (_BLOCK_IN_STATES_OR_REMOTE if any(fp(r).remote for r in rows)
                               else _BLOCK_IN_STATES)
                params = {"block": name, "earliest": earliest, "latest": latest, "states": states}
                # employer key -> title key -> candidates with their fingerprints
                index: dict[str, dict[str, list[tuple[Any, dedupe.Fingerprint]]]] = defaultdict(
                    lambda: defaultdict(list))
                for cand in session.execute(block_query, params).all():
                    f = fp(cand)
                    if f.title:
                        index[f.employer][f.title].append((cand, f))
                for row in rows:
                    f = fp(row)
                    low, high = row.first_seen_at - window, row.last_seen_at + window
                    cands = [cand
                             for employer in _close_keys(f.employer, index.keys(),
                                                         dedupe.employers_key_match)
                             for title in _close_keys(f.title, index[employer].keys(),
                                                      dedupe.titles_key_match)
                             for cand, fc in index[employer][title]
                             if cand.id != row.id and cand.last_seen_at >= low
                             and cand.first_seen_at <= high and dedupe.places_match(f, fc)]
                    if len(cands) > max_candidates:
                        # A board with hundreds of same-titled jobs in one city (nurses): a repost
                        # or a copy appears close in time, so the nearest in time are compared.
                        cands.sort(key=lambda c, r=row: abs((c.first_seen_at - r.first_seen_at)
                                                            .total_seconds()))
                        del cands[max_candidates:]
                    if cands:
                        work.append((row, cands))
            # Only now read descriptions, and only of postings that have a candidate.
            needed = {r.id for r, _ in work} | {c.id for _, cands in work for c in cands}
            full = self._full_fingerprints(session, needed)
            groups = _UnionFind()
            for row, cands in work:
                f = full[row.id]
                for cand in cands:
                    # Already joined through other matches: comparing cannot change the group.
                    if (groups.find(cand.id) != groups.find(row.id)
                            and dedupe.fingerprints_match(f, full[cand.id])):
                        groups.union(row.id, cand.id)
            changed = self._unlink_stale(session, targets, groups)
            changed += self._link_groups(session, groups, platforms)
        return changed

    @staticmethod
    def _full_fingerprints(session: Session, ids: set[int]) -> dict[int, dedupe.Fingerprint]:
        out: dict[int, dedupe.Fingerprint] = {}
        for chunk in _chunks(sorted(ids)):
            for row in session.execute(_FULL_BY_ID, {"ids": list(chunk)}).all():
                record = _light_record(row)
                record.description_text = row.description_text
                out[row.id] = dedupe.fingerprint(record)
        return out

    def _unlink_stale(self, session: Session, targets: Sequence[Any], groups: _UnionFind) -> int:
        """A changed posting that matches nobody of its group any more leaves the group."""
        changed = 0
        for row in targets:
            if row.duplicate_of is None:
                continue
            members = set(session.scalars(_OTHER_MEMBERS, {"head": row.duplicate_of, "id": row.id}))
            members.add(row.duplicate_of)
            mine = groups.find(row.id)
            if not any(groups.find(m) == mine for m in members if m in groups):
                session.execute(_POINT_AT, {"ids": [row.id], "head": None})
                changed += 1
        return changed

    def _link_groups(self, session: Session, groups: _UnionFind, platforms: Mapping[str, str]) -> int:
        """Merge matched postings and their existing groups; point all at one canonical."""
        if not groups.parent:
            return 0
        # Pull in the existing groups of every posting involved, so groups merge, never chain.
        rows = {r.id: r for chunk in _chunks(sorted(groups.parent))
                for r in session.execute(_LIGHT_BY_ID, {"ids": list(chunk)}).all()}
        heads = {r.duplicate_of or r.id for r in rows.values()}
        for chunk in _chunks(sorted(heads)):
            for r in session.execute(_GROUPS_OF, {"ids": list(chunk)}).all():
                rows.setdefault(r.id, r)
        for r in list(rows.values()):
            head = r.duplicate_of or r.id
            if head in rows:
                groups.union(r.id, head)
        by_root: dict[int, list[Any]] = defaultdict(list)
        for r in rows.values():
            by_root[groups.find(r.id)].append(r)
        return sum(self._point_at_canonical(session, group, platforms) for group in by_root.values())

    @staticmethod
    def _point_at_canonical(session: Session, group: Sequence[Any], platforms: Mapping[str, str]) -> int:
        """Make the best posting of the group its canonical and point the others at it."""
        if len(group) < 2:
            return 0
        canonical = min(group, key=lambda r: dedupe.canonical_key(_light_record(r), platforms))
        moves: dict[int | None, list[int]] = defaultdict(list)
        for r in group:
            want = None if r.id == canonical.id else canonical.id
            if r.duplicate_of != want:
                moves[want].append(r.id)
        for want, ids in moves.items():
            for chunk in _chunks(ids):
                session.execute(_POINT_AT, {"ids": list(chunk), "head": want})
        return sum(len(ids) for ids in moves.values())

    def _reelect(self, session: Session, closed_ids: Sequence[int]) -> None:
        """Groups whose canonical just closed get a new canonical (an open member, if any)."""
        for chunk in _chunks(list(closed_ids)):
            heads = list(session.scalars(select(PostingRow.duplicate_of).where(
                PostingRow.duplicate_of.in_(chunk)).distinct()))
            for head in heads:
                group = list(session.execute(_SELECT_LIGHT.where(
                    or_(_P.id == head, _P.duplicate_of == head))))
                self._point_at_canonical(session, group, self.platforms)

    # -- crawl runs ----------------------------------------------------------------------------

    def start_run(self, source: str, pid: int | None = None, log_path: str | None = None,
                  now: datetime | None = None, host: str | None = None) -> int:
        """Record that a crawl of ``source`` started (by ``pid`` on ``host``); returns the run's id."""
        with self.session() as session, session.begin():
            run = CrawlRun(source=source, started_at=now or utcnow(), status="running", complete=False,
                           pid=pid, host=host, log_path=log_path, requests=0, found=0, new=0, updated=0,
                           unchanged=0, closed=0, errors=0, requests_saved=0, stats={})
            session.add(run)
            session.flush()
            return run.id

    def adopt_run(self, run_id: int, source: str) -> bool:
        """A crawl takes over a run recorded for it beforehand (a cluster node's job): True when
        ``run_id`` is a running run of ``source``; a finished or unknown one is never written again."""
        with self.session() as session:
            run = session.get(CrawlRun, run_id)
            return run is not None and run.source == source and run.status == "running"

    def run(self, run_id: int) -> CrawlRun | None:
        with self.session() as session:
            return session.get(CrawlRun, run_id)

    def finish_run(self, run_id: int, status: str, complete: bool, now: datetime | None = None,
                   **counts: Any) -> None:
        """Record how a crawl ended: status, whether it was complete, and its counts."""
        if status not in RUN_STATUSES:
            raise StoreError(f"unknown run status {status!r} (one of: {', '.join(RUN_STATUSES)})")
        unknown = set(counts) - set(_RUN_FIELDS)
        if unknown:
            raise StoreError(f"unknown crawl run field(s): {', '.join(sorted(unknown))}")
        with self.session() as session, session.begin():
            run = session.get(CrawlRun, run_id)
            if run is None:
                raise StoreError(f"no crawl run with id {run_id}")
            run.status = status
            run.complete = bool(complete)
            run.finished_at = now or utcnow()
            for name, value in counts.items():
                setattr(run, name, dict(value) if name == "stats" and value is not None else value)
        self.optimize()

    def optimize(self) -> None:
        """Refresh SQLite's planner statistics after a crawl's writes (PostgreSQL's autovacuum does
        this itself). Without them SQLite may pick the open-postings index for newest-first digests
        and scan every open posting."""
        if self.dialect != "sqlite":
            return
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
        except Exception as exc:  # noqa: BLE001 - statistics are an optimization, never a failure
            log.warning("PRAGMA optimize failed: %s", exc)

    def fail_orphaned_runs(self, now: datetime | None = None, time_limit: float = 3600) -> int:
        """Mark runs left "running" by a crawl process that died (kill -9, power loss) as failed.

        A run with a pid is orphaned when no such process lives here; one without a pid when it
        started more than ``time_limit`` seconds ago.
        """
        now = now or utcnow()
        with self.session() as session, session.begin():
            running = session.scalars(select(CrawlRun).where(CrawlRun.status == "running")).all()
            orphans = [
                run for run in running
                if self.run_died(run)
                or (run.pid is None and run.started_at < now - timedelta(seconds=time_limit))
            ]
            for run in orphans:
                run.status = "failed"
                run.complete = False
                run.finished_at = now
                run.message = ORPHANED_MESSAGE
            return len(orphans)

    def run_died(self, run: CrawlRun) -> bool:
        """Whether a run recorded ``running`` lost its process: its pid is gone (on this machine),
        or (on another machine) nothing holds its source's crawl lock any more."""
        if run.status != "running" or run.pid is None:
            return False
        if run.host in (None, socket.gethostname()):
            return not _pid_alive(run.pid)
        return locks.is_free(self, locks.crawl_lock(run.source))

    def runs(self, source: str | None = None, limit: int = 20) -> list[CrawlRun]:
        """The latest crawl runs, newest first (of one source, or of all)."""
        with self.session() as session:
            query = select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(limit)
            if source is not None:
                query = query.where(CrawlRun.source == source)
            return list(session.scalars(query))

    def last_runs(self) -> dict[str, CrawlRun]:
        """The last crawl run of every source that has one."""
        with self.session() as session:
            latest = select(func.max(CrawlRun.id).label("id")).group_by(CrawlRun.source).subquery()
            rows = session.scalars(select(CrawlRun).join(latest, CrawlRun.id == latest.c.id)
                                   .order_by(CrawlRun.source))
            return {run.source: run for run in rows}

    @staticmethod
    def _add_counts(session: Session, run_id: int, **deltas: int) -> None:
        nonzero = {name: delta for name, delta in deltas.items() if delta}
        if not nonzero:
            return
        params = {f"delta_{name}": delta for name, delta in nonzero.items()}
        result = session.execute(_add_counts_statement(tuple(nonzero)), {**params, "run_id": run_id})
        if not result.rowcount:
            raise StoreError(f"no crawl run with id {run_id}")


__all__ = ["ORPHANED_MESSAGE", "RUN_STATUSES", "CloseRefused", "Store", "StoreError", "UpsertCounts",
           "content_hash", "open_store"]
