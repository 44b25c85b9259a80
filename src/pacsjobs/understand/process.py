"""From a source's raw posting to the stored record: normalize, then classify.

``build_posting`` is a pure function of its inputs; ``Processor`` holds the vocabulary so the crawl
pipeline loads it once. ``init_worker`` / ``build_and_store`` run in the crawl's worker process,
which builds, stores and links a large crawl's postings beside the crawler.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pacsjobs.config import Config, CrawlerSettings
from pacsjobs.normalize.dates import parse_date
from pacsjobs.normalize.jobtype import parse_employment_type, parse_workplace
from pacsjobs.normalize.location import parse_locations
from pacsjobs.normalize.salary import normalize_salary
from pacsjobs.normalize.text import clean_text, html_to_text, sanitize_html
from pacsjobs.record import Posting, RawPosting, RawSalary
from pacsjobs.sources.nationwide import SNIPPET_ONLY, SNIPPET_REASON
from pacsjobs.timeutil import utcnow
from pacsjobs.understand.classify import classify_role, extract_requirements, is_staffing_agency
from pacsjobs.understand.conditions import extract_conditions, flags
from pacsjobs.understand.vocabulary import Vocabulary, load_vocabulary


def _raw_salary_words(salary: RawSalary | None) -> str | None:
    """The source's pay exactly as given, for ``salary_raw`` (so a wrong parse can be seen)."""
    if salary is None:
        return None
    if salary.text:
        return salary.text
    parts = []
    if salary.min is not None or salary.max is not None:
        low = "" if salary.min is None else str(salary.min)
        high = "" if salary.max is None else str(salary.max)
        parts.append(low if low == high else f"{low}-{high}")
    parts += [p for p in (salary.currency, salary.unit) if p]
    return " ".join(parts) or None


def _as_date(value: Any, now: datetime) -> date | None:
    if value is None or value == "":
        return None
    try:
        return parse_date(str(value), now)
    except (ValueError, TypeError, OverflowError):
        return None  # an unreadable date is kept raw (date_posted_raw), never fatal


_LOCATIONS: dict[tuple[Any, ...], tuple[dict[str, Any], ...]] = {}
_LOCATIONS_MAX = 4096  # a crawl's postings share a few hundred places; the cache stays small


def _locations(texts: Any, country: Any, workplace: str | None) -> list[dict[str, Any]]:
    """``parse_locations`` as dicts, cached by its inputs (a board repeats its places)."""
    try:
        key = (tuple(texts), country, workplace)
        cached = _LOCATIONS.get(key)
    except TypeError:  # something unhashable: parse without the cache
        key, cached = None, None
    if cached is None:
        parsed = parse_locations(list(texts), country, workplace)
        cached = tuple(loc.to_dict() if hasattr(loc, "to_dict") else dict(loc) for loc in parsed)
        if key is not None:
            if len(_LOCATIONS) >= _LOCATIONS_MAX:
                _LOCATIONS.clear()
            _LOCATIONS[key] = cached
    return [dict(loc) for loc in cached]  # fresh dicts: a posting may change its own


MAX_TEXT_CHARS = CrawlerSettings.max_text_chars  # config: crawler.max_text_chars
FIELD_MAX_CHARS = 2_000  # a title, employer, department or place is a line, not a page


def _capped(value: Any, limit: int, name: str, flags: list[str]) -> Any:
    """``value`` cut to ``limit`` characters, with a flag saying so; anything else as it is."""
    if not isinstance(value, str) or len(value) <= limit:
        return value
    flags.append(f"{name} truncated to its first {limit:,} of {len(value):,} characters (size cap)")
    return value[:limit]


def cap_text_fields(raw: RawPosting, max_text: int = MAX_TEXT_CHARS) -> tuple[RawPosting, list[str]]:
    """A copy of ``raw`` with oversized text fields cut, and flags saying what was cut.

    A hostile or broken page can send megabytes where a title or a description belongs: the
    posting is kept (never refused), classified on its first ``max_text`` characters.
    """
    flags: list[str] = []
    raw = replace(raw, salary=replace(raw.salary) if raw.salary is not None else None)
    raw.description_html = _capped(raw.description_html, max_text, "description", flags)
    raw.title = _capped(raw.title, FIELD_MAX_CHARS, "title", flags)
    for name in ("employer", "department", "employment_type", "workplace", "country"):
        setattr(raw, name, _capped(getattr(raw, name), FIELD_MAX_CHARS, name, flags))
    if isinstance(raw.locations, list):
        raw.locations = [_capped(t, FIELD_MAX_CHARS, "location", flags) for t in raw.locations]
    if raw.salary is not None:
        raw.salary.text = _capped(raw.salary.text, FIELD_MAX_CHARS, "salary", flags)
    return raw, flags


def build_posting(raw: RawPosting, source: str, now: datetime, vocab: Vocabulary,
                  max_text: int = MAX_TEXT_CHARS) -> Posting:
    """Normalize and classify one raw posting of ``source`` into the posting record."""
    raw, truncated = cap_text_fields(raw, max_text)
    title = clean_text(raw.title) or raw.title.strip()
    employer = clean_text(raw.employer) if raw.employer else None
    description_html = sanitize_html(raw.description_html) if raw.description_html else None
    text = html_to_text(description_html) if description_html else ""
    text = text or ""

    workplace = parse_workplace(raw.workplace, text)
    locations = _locations(raw.locations, raw.country, workplace)
    primary = locations[0] if locations else {}
    if workplace is None:
        workplace = primary.get("workplace")

    salary = normalize_salary(raw.salary, text)
    # The raw words the stored pay came from: the description's phrase when pay was read there.
    if salary is not None and salary.source == "description":
        salary_raw = salary.raw
    else:
        salary_raw = _raw_salary_words(raw.salary) or (salary.raw if salary else None)

    relevance = classify_role(title, text, vocab)
    needs = extract_requirements(text, vocab, title)
    conditions = extract_conditions(text, workplace)
    on_call, travel, shift = flags(conditions)

    posting = Posting(
        source=source,
        source_id=str(raw.source_id),
        url=raw.url,
        title=title,
        employer=employer,
        location_text="; ".join(t.strip() for t in raw.locations if t and t.strip()) or None,
        city=primary.get("city"),
        state=primary.get("state"),
        postal_code=primary.get("postal_code"),
        country=primary.get("country"),
        locations=locations,
        workplace=workplace,
        # The source's field first, then the title ("PACS Administrator - PRN"), then the text.
        employment_type=(parse_employment_type(raw.employment_type, title)
                         or parse_employment_type(None, text)),
        date_posted=_as_date(raw.date_posted, now),
        date_posted_raw=str(raw.date_posted) if raw.date_posted not in (None, "") else None,
        valid_through=_as_date(raw.valid_through, now),
        description_html=description_html,
        description_text=text or None,
        department=clean_text(raw.department) if raw.department else None,
        is_pacs_role=bool(relevance.is_pacs),
        relevance=float(relevance.score),
        relevance_reasons=list(relevance.reasons) + truncated,
        skills=list(needs.skills),
        certifications=list(needs.certifications),
        degree=needs.degree,
        degree_or_experience=bool(needs.degree_or_experience),
        years_experience_min=needs.years_min,
        is_staffing_agency=bool(is_staffing_agency(employer, text)),
        conditions=conditions,
        on_call=on_call,
        travel=travel,
        shift=shift,
        source_updated=str(raw.updated) if raw.updated not in (None, "") else None,
        salary_raw=salary_raw,
    )
    if salary is not None:
        posting.salary_min = salary.min
        posting.salary_max = salary.max
        posting.salary_currency = salary.currency
        posting.salary_period = salary.period
        posting.salary_annual_min = salary.annual_min
        posting.salary_annual_max = salary.annual_max
        posting.salary_source = salary.source
        posting.salary_flag = salary.flag
        posting.salary_ranges = list(salary.ranges or [])
    _nationwide_notes(raw, posting)
    return posting


def _nationwide_notes(raw: RawPosting, posting: Posting) -> None:
    """A search snippet marks the posting partial and says so in the classifier's reasons; a
    predicted salary is kept as an estimate, labelled as one, never as pay."""
    if raw.extra.get(SNIPPET_ONLY):
        posting.partial = True
        posting.relevance_reasons.append(SNIPPET_REASON)
    estimate = raw.extra.get("salary_estimate")
    no_pay = posting.salary_min is None and posting.salary_max is None
    if isinstance(estimate, dict) and no_pay and posting.salary_flag is None:
        low, high = estimate.get("min"), estimate.get("max")
        figures = " to ".join(f"${v:,.0f}" for v in dict.fromkeys((low, high)) if isinstance(v, int | float))
        posting.salary_flag = f"{estimate.get('label', 'estimate')}: {figures} a year"


class Processor:
    """Builds posting records for the crawl pipeline; loads the vocabulary once."""

    def __init__(self, config: Config | Path | str):
        from pacsjobs.config import load_config

        cfg = config if isinstance(config, Config) else load_config(config)
        self.vocab: Vocabulary = load_vocabulary(cfg.dir)
        self.max_text = cfg.crawler.max_text_chars

    def build(self, raw: RawPosting, source: str, now: datetime | None = None) -> Posting:
        return build_posting(raw, source, now or utcnow(), self.vocab, self.max_text)


def source_platforms(config: Config | Path | str) -> dict[str, str]:
    """Source name -> platform, so duplicate linking knows which copy is the employer's own."""
    from pacsjobs.config import load_config

    cfg = config if isinstance(config, Config) else load_config(config)
    return {s.name: s.platform for s in cfg.sources}


# -- the worker process (a large crawl builds and stores records beside the crawler) -----------
@dataclass(frozen=True)
class Built:
    """What the crawl pipeline counts and logs of one built posting (the record stays where it is)."""

    source_id: str
    url: str
    is_pacs_role: bool
    salary_parsed: bool  # some amount was understood
    salary_raw: str | None
    salary_flag: str | None
    date_parsed: bool
    placed: bool  # a state or a country is known

    @classmethod
    def of(cls, posting: Posting) -> Built:
        return cls(source_id=posting.source_id, url=posting.url, is_pacs_role=bool(posting.is_pacs_role),
                   salary_parsed=posting.salary_min is not None or posting.salary_max is not None,
                   salary_raw=posting.salary_raw, salary_flag=posting.salary_flag,
                   date_parsed=posting.date_posted is not None,
                   placed=bool(posting.state or posting.country))


@dataclass
class ChunkResult:
    """A chunk built and stored by the worker: per raw posting a ``Built`` or why it failed."""

    built: list[Built | str] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    store_error: str | None = None  # the chunk's postings were not stored
    dedupe_error: str | None = None  # stored, but duplicates were not linked
    seconds: dict[str, float] = field(default_factory=dict)
    worker_pid: int = 0  # which process did it (one worker serves every crawler of a process)


_WORKER: tuple[Processor, Any] | None = None
WORKER_NICENESS = 19


def init_worker(config_dir: str, database_url: str) -> None:
    """Process-pool initializer: load the vocabulary and open the store once per worker process."""
    global _WORKER
    from multiprocessing.util import Finalize

    from pacsjobs.store import open_store

    # The crawler's own thread is what limits a crawl, and the worker has time to spare: when the
    # cores are busy the crawler goes first (the pending-chunk bound stops a starved worker from
    # falling far behind). No os.nice (Windows) or not allowed: normal priority.
    with contextlib.suppress(AttributeError, OSError):
        os.nice(WORKER_NICENESS)
    store = open_store(database_url, migrate_schema=False)  # the crawl's parent migrated already
    store.platforms = source_platforms(config_dir)
    # A pool worker ends with os._exit (no atexit): close the database connections on the way out.
    Finalize(store, store.close, exitpriority=10)
    _WORKER = (Processor(config_dir), store)


def worker_pid() -> int:
    """A call that does nothing: submitted first, it makes a pool start its worker now."""
    return os.getpid()


def build_and_store(raws: list[RawPosting], source: str, run_id: int | None) -> ChunkResult:
    """In the worker: build a chunk of raw postings, upsert them in one batch, link duplicates."""
    assert _WORKER is not None, "init_worker was not called"
    processor, store = _WORKER
    result = ChunkResult(worker_pid=os.getpid())
    postings: list[Posting] = []
    started = time.perf_counter()
    for raw in raws:
        try:
            posting = processor.build(raw, source)
        except Exception as exc:  # noqa: BLE001 - one bad record must not lose the chunk
            result.built.append(f"{type(exc).__name__}: {exc}")
            continue
        postings.append(posting)
        result.built.append(Built.of(posting))
    result.seconds["build"] = time.perf_counter() - started
    if not postings:
        return result
    started = time.perf_counter()
    try:
        counts = store.upsert_postings(postings, run_id=run_id, now=utcnow())
    except Exception as exc:  # noqa: BLE001 - reported to the crawler, which records the failure
        result.store_error = f"{type(exc).__name__}: {exc}"
        return result
    finally:
        result.seconds["store"] = time.perf_counter() - started
    result.new, result.updated, result.unchanged = counts.new, counts.updated, counts.unchanged
    if counts.changed_ids:
        started = time.perf_counter()
        try:
            store.link_duplicates(counts.changed_ids)
        except Exception as exc:  # noqa: BLE001 - duplicates are a convenience, postings are stored
            result.dedupe_error = f"{type(exc).__name__}: {exc}"
        finally:
            result.seconds["dedupe"] = time.perf_counter() - started
    return result
