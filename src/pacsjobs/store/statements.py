"""SQL statements of the store's hot paths, and the helpers that run them in chunks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from pacsjobs.record import Posting
from pacsjobs.store.models import PostingRow, PostingSkill

_IN_CHUNK = 500  # ids per IN (...) list: well under every backend's bound-parameter limit

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



def _light_record(row: Any) -> Posting:
    """A posting record with only what duplicate detection reads (no descriptions)."""
    return Posting(source=row.source, source_id=row.source_id, url=row.url, title=row.title,
                   employer=row.employer, city=row.city, state=row.state, workplace=row.workplace,
                   location_text=row.location_text, is_staffing_agency=row.is_staffing_agency,
                   id=row.id, first_seen_at=row.first_seen_at, last_seen_at=row.last_seen_at,
                   closed_at=row.closed_at, duplicate_of=row.duplicate_of)



def _chunks(items: Sequence[Any], size: int = _IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
