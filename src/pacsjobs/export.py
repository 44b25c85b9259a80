"""Write postings as CSV, a JSON array or JSON Lines, streaming (one posting in memory at a time)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any, TextIO

from pacsjobs.errors import PacsjobsError
from pacsjobs.record import Posting
from pacsjobs.store.search import POSTING_FIELDS, SearchFilters, iter_postings

FORMATS = ("csv", "json", "jsonl")
# Spreadsheet programs run a cell that starts with one of these as a formula; titles and
# descriptions come from the web, so such cells get a leading apostrophe in CSV (OWASP advice).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def posting_dict(posting: Posting, **extra: Any) -> dict[str, Any]:
    """A posting as a JSON-ready dict (every record field), plus ``extra`` keys."""
    out = posting.to_dict()
    out.update(extra)
    return out


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def csv_cell(value: Any) -> Any:
    """One CSV cell: lists and tables as JSON, None empty, formula-looking text defused."""
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_records(records: Iterable[dict[str, Any]], out: TextIO, fmt: str,
                  columns: list[str] | None = None) -> int:
    """Write ``records`` to ``out`` in ``fmt``; returns how many. CSV columns: ``columns`` or the first record's keys."""
    if fmt not in FORMATS:
        raise PacsjobsError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
    count = 0
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")
            count += 1
    elif fmt == "json":
        out.write("[")
        for record in records:
            out.write(("\n" if count == 0 else ",\n") + json.dumps(record, ensure_ascii=False, default=_json_default))
            count += 1
        out.write("\n]\n" if count else "]\n")
    else:
        writer = None
        for record in records:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=columns or list(record), extrasaction="ignore")
                writer.writeheader()
            writer.writerow({key: csv_cell(value) for key, value in record.items()})
            count += 1
        if writer is None:  # no rows: still a header, so the file is a valid, empty table
            csv.writer(out).writerow(columns or list(POSTING_FIELDS))
    return count


def everything() -> SearchFilters:
    """Filters that select the whole database: closed and non-PACS postings too, no limit."""
    return SearchFilters(include_closed=True, relevant_only=False, limit=None)


def export_postings(store, out: TextIO, fmt: str, filters: SearchFilters | None = None) -> int:
    """Stream the postings of ``filters`` (default: the whole database) to ``out``; returns the count."""
    records: Iterator[dict[str, Any]] = (posting_dict(p) for p in iter_postings(store, filters or everything()))
    return write_records(records, out, fmt, columns=list(POSTING_FIELDS))
