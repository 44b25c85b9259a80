"""Search the posting database: full-text (SQLite FTS5 / PostgreSQL tsvector) plus filters.

One parameterized statement per search, built by ``search_statement`` and shared by the query,
export and benchmark code. User text never reaches FTS5 as syntax: it is parsed here into words,
"phrases", ``or`` and ``-exclusions`` (the same small language as PostgreSQL's
``websearch_to_tsquery``) and every word is quoted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, func, literal_column, or_, select, table, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from pacsjobs.errors import PacsjobsError
from pacsjobs.normalize.location import US_STATES
from pacsjobs.record import Posting
from pacsjobs.store.condition_filters import ConditionFilters, conditions_clause
from pacsjobs.store.models import PostingRow, PostingSkill
from pacsjobs.timeutil import utcnow

POSTINGS = PostingRow.__table__
SKILLS = PostingSkill.__table__
POSTING_FIELDS = tuple(f.name for f in fields(Posting))

# Exactly the expression of the GIN index ix_postings_fts (migration 0001): PostgreSQL uses an
# expression index only when the query repeats it verbatim, with the config as a constant.
PG_DOCUMENT = ("to_tsvector('english', coalesce(title,'') || ' ' || coalesce(employer,'') || ' ' || "
               "coalesce(description_text,''))")

# bm25 column weights for postings_fts(title, employer, description_text): a word in the title
# says more about a posting than the same word deep in its description.
BM25_WEIGHTS = (10.0, 4.0, 1.0)

_STATE_BY_NAME = {name.lower(): code for code, name in US_STATES.items()}


@dataclass
class SearchFilters:
    """What to look for; every field narrows the result, the defaults find open PACS roles."""

    text: str | None = None
    states: list[str] = field(default_factory=list)  # USPS codes, any of them
    city: str | None = None  # case-insensitive, exact
    remote: bool = False  # only workplace == remote
    employer: str | None = None  # case-insensitive substring
    source: str | None = None  # a source name, or a platform ("greenhouse" = "greenhouse:*")
    skills: list[str] = field(default_factory=list)  # every one of them (case-insensitive)
    min_salary: float | None = None  # annual USD: the top of the range reaches it
    posted_within: timedelta | None = None
    include_closed: bool = False
    relevant_only: bool = True  # only postings the classifier calls PACS roles
    status: str | None = None  # only postings marked so (applied | interested | ignored) ...
    status_profile: str = "guide"  # ... by this profile
    limit: int | None = 50
    conditions: ConditionFilters | None = None  # on-call, travel, shift (store/condition_filters.py)


_DURATION = re.compile(r"\s*(\d+)\s*([a-z]+)\s*")
_UNITS = {"h": "hours", "hour": "hours", "hours": "hours", "d": "days", "day": "days",
          "days": "days", "w": "weeks", "week": "weeks", "weeks": "weeks"}


def parse_duration(value: str) -> timedelta:
    """``"7d"``, ``"12h"``, ``"2w"`` (also ``"3 days"``) -> timedelta; PacsjobsError otherwise."""
    match = _DURATION.fullmatch(value.lower()) if isinstance(value, str) else None
    unit = _UNITS.get(match.group(2)) if match else None
    if not match or not unit or int(match.group(1)) == 0:
        raise PacsjobsError(f"invalid duration {value!r}: use a number and h, d or w, e.g. 12h, 7d, 2w")
    return timedelta(**{unit: int(match.group(1))})


def parse_state(value: str) -> str:
    """A USPS code or a state's name -> the USPS code; PacsjobsError for anything else."""
    cleaned = value.strip()
    if cleaned.upper() in US_STATES:
        return cleaned.upper()
    code = _STATE_BY_NAME.get(cleaned.lower())
    if code:
        return code
    raise PacsjobsError(f"unknown state {value!r}: use a two-letter USPS code such as OH or TX")


_MONEY = re.compile(r"\$?\s*(\d+(?:[.,]\d+)*)\s*([km]?)", re.IGNORECASE)


def parse_money(value: str) -> float:
    """``"80000"``, ``"80,000"``, ``"$80k"`` -> 80000.0; PacsjobsError otherwise."""
    match = _MONEY.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match:
        raise PacsjobsError(f"invalid amount {value!r}: use annual US dollars, e.g. 80000 or 80k")
    number = float(match.group(1).replace(",", ""))
    return number * {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]


# --- user text -> FTS5 ------------------------------------------------------------------------

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def _parse_text(query: str) -> list[list[tuple[bool, str]]]:
    """Split user text into OR-groups of (negated, phrase) the way websearch_to_tsquery reads it."""
    groups: list[list[tuple[bool, str]]] = [[]]
    pending_or = False
    for m in _TOKEN.finditer(query):
        if m.group(3) is not None:
            word = m.group(3)
            if word.lower() == "or":
                pending_or = bool(groups[-1])
                continue
            negated = word.startswith("-") and len(word) > 1
            phrase = word[1:] if negated else word
        else:
            negated, phrase = bool(m.group(1)), m.group(2)
        phrase = phrase.replace('"', " ")
        if not re.search(r"\w", phrase):
            continue  # punctuation only: nothing a tokenizer would index
        if pending_or and groups[-1]:
            groups.append([])
        pending_or = False
        groups[-1].append((negated, phrase.strip()))
    return [g for g in groups if g]


def fts5_query(user_text: str) -> str:
    """Turn user text into a safe FTS5 MATCH expression (every word quoted); PacsjobsError if empty."""
    parts = []
    for group in _parse_text(user_text):
        positive = [f'"{p}"' for neg, p in group if not neg]
        negative = [f'"{p}"' for neg, p in group if neg]
        if not positive:
            raise PacsjobsError(f"invalid search {user_text!r}: an excluded word (-word) needs a word to search for")
        expr = " AND ".join(positive) + "".join(f" NOT {n}" for n in negative)
        parts.append(f"({expr})")
    if not parts:
        raise PacsjobsError(f"invalid search {user_text!r}: no words to search for")
    return " OR ".join(parts)


# --- the statement ----------------------------------------------------------------------------

def _filters_clause(filters: SearchFilters, now=None) -> list[Any]:
    p = POSTINGS.c
    where: list[Any] = []
    if not filters.include_closed:
        where.append(p.closed_at.is_(None))
    if filters.relevant_only:
        where.append(p.is_pacs_role.is_(True))
    if filters.states:
        where.append(p.state.in_([parse_state(s) for s in filters.states]))
    if filters.city:
        where.append(func.lower(p.city) == filters.city.strip().lower())
    if filters.remote:
        where.append(p.workplace == "remote")
    if filters.employer:
        where.append(p.employer.icontains(filters.employer.strip(), autoescape=True))
    if filters.source:
        where.append(or_(p.source == filters.source,
                         p.source.startswith(filters.source + ":", autoescape=True)))
    for skill in filters.skills:
        where.append(exists().where(SKILLS.c.posting_id == p.id,
                                    func.lower(SKILLS.c.skill) == skill.strip().lower()))
    if filters.min_salary is not None:
        where.append(func.coalesce(p.salary_annual_max, p.salary_annual_min) >= filters.min_salary)
    if filters.status:
        from pacsjobs.store.marks import with_status

        where.append(with_status(filters.status_profile, filters.status))
    if filters.posted_within is not None:
        since = (now or utcnow()) - filters.posted_within
        # A posting without a date counts from when we first saw it.
        where.append(or_(p.date_posted >= since.date(),
                         and_(p.date_posted.is_(None), p.first_seen_at >= since)))
    where.extend(conditions_clause(filters.conditions))
    return where


def search_statement(filters: SearchFilters, dialect: str, columns: list[Any] | None = None,
                     now=None) -> Select:
    """The one SELECT for ``filters`` on ``dialect`` ("sqlite" | "postgresql"), best first."""
    p = POSTINGS.c
    stmt = select(*(columns if columns is not None else [POSTINGS])).where(*_filters_clause(filters, now))
    newest = (p.date_posted.desc().nulls_last(), p.first_seen_at.desc(), p.id.desc())
    text_query = (filters.text or "").strip()
    match = fts5_query(text_query) if text_query else None  # the same errors on both backends
    if match and dialect == "sqlite":
        fts = table("postings_fts", literal_column("rowid"))
        rank = func.bm25(literal_column("postings_fts"), *BM25_WEIGHTS)
        stmt = (stmt.join(fts, literal_column("postings_fts.rowid") == p.id)
                .where(literal_column("postings_fts").op("MATCH")(match))
                .order_by(rank, *newest))
        if filters.states:
            # Every text match costs a read of its whole row (descriptions included) to test the
            # filters. Testing the state on its index first (a semi-join SQLite runs once, on the
            # covering index) leaves only the matches in those states to read: ~4x faster at
            # 100,000 postings (bench/query.py).
            s = POSTINGS.alias("by_state")
            in_states = select(s.c.id).where(s.c.state.in_([parse_state(x) for x in filters.states]))
            # On the FTS rowid, so it is tested before the postings row is read; the unary + keeps
            # SQLite from handing it to FTS5 as a rowid lookup per id (slower than the scan).
            stmt = stmt.where(literal_column("+postings_fts.rowid").in_(in_states))
    elif match:
        document = literal_column(PG_DOCUMENT)
        tsquery = func.websearch_to_tsquery(text("'english'"), text_query)
        stmt = stmt.where(document.op("@@")(tsquery)).order_by(func.ts_rank(document, tsquery).desc(), *newest)
    else:
        stmt = stmt.order_by(*newest)
    if filters.limit is not None:
        stmt = stmt.limit(filters.limit)
    return stmt


def row_to_posting(row: Any) -> Posting:
    """A row of the postings table (Core row or mapping) -> Posting."""
    mapping = row._mapping if hasattr(row, "_mapping") else row
    values = {name: mapping[name] for name in POSTING_FIELDS if name in mapping}
    for name in ("locations", "relevance_reasons", "skills", "certifications"):
        if values.get(name) is None:
            values[name] = []
    return Posting(**values)


def _run(store, stmt) -> Iterator[Any]:
    """Execute, streaming rows; a text-search error in the database becomes one clear line."""
    try:
        with store.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=500).execute(stmt)
            yield from result
    except (OperationalError, ProgrammingError) as exc:
        message = str(exc.orig) if getattr(exc, "orig", None) else str(exc)
        if "fts5" in message or "tsquery" in message:
            raise PacsjobsError(f"invalid search text: {message.splitlines()[0]}") from None
        raise


def iter_postings(store, filters: SearchFilters, now=None) -> Iterator[Posting]:
    """Stream the postings matching ``filters`` (for exports: never all in memory)."""
    for row in _run(store, search_statement(filters, store.dialect, now=now)):
        yield row_to_posting(row)


def search_postings(store, filters: SearchFilters) -> list[Posting]:
    """The postings matching ``filters``, best match first (newest first without text)."""
    return list(iter_postings(store, filters))
