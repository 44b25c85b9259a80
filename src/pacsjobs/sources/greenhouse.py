"""Greenhouse Job Board API (developers.greenhouse.io/job-board.html): payload -> raw postings.

Listing: ``GET /v1/boards/{token}/jobs?content=true&pay_transparency=true`` answers the whole board
at once as ``{"jobs": [...], "meta": {"total": N}}``; one job: ``GET /v1/boards/{token}/jobs/{id}``
answers the job object alone. Quirks kept as the source gives them (the normalizer interprets):

- ``content`` is HTML *escaped into entities* (``&lt;p&gt;``), not HTML; sanitize_html unescapes it.
- ``location.name`` may hold several places: ``"Nashville, TN; Remote - US | Boston, MA"``.
- ``absolute_url`` may point at the employer's own career site (``?gh_jid=...``), not greenhouse.io.
- ``pay_input_ranges[]{min_cents, max_cents, currency_type, title}`` has no period: an hourly range
  is told from an annual one only by its size (4400 cents is $44, an hour), so ``unit`` stays None.
  Greenhouse documents ``pay_transparency`` on the one-job endpoint; a listing may omit the ranges,
  then pay comes from the description text.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting, RawSalary
from pacsjobs.sources.common import (
    Entries,
    fill_from_listing,
    items,
    load_json,
    read_entries,
    text_or_none,
    whole_board_options,
    whole_number,
)

DEFAULT_BASE_URL = "https://boards-api.greenhouse.io"
TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# Custom job-board fields ("metadata") that employers use for the employment type.
EMPLOYMENT_FIELD_RE = re.compile(r"employment|job type|time type|schedule|full.?time", re.I)
LOCATION_SPLIT_RE = re.compile(r"\s*[;|]\s*")


def listing_url(base_url: str, board: str) -> str:
    """The whole-board listing with descriptions and published pay ranges."""
    return f"{base_url.rstrip('/')}/v1/boards/{quote(board, safe='')}/jobs?content=true&pay_transparency=true"


def parse(payload: bytes | str | Any, url: str = "") -> Entries:
    """A board listing ``{"jobs": [...], "meta": {...}}`` -> raw postings (jobs without an id are skipped)."""
    data = load_json(payload, url)
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise ParseError(f"{url or 'payload'}: not a Greenhouse job board listing (no 'jobs' list)")
    return read_entries(data["jobs"], _posting)


def parse_detail(payload: bytes | str | Any, url: str = "", listing: RawPosting | None = None) -> RawPosting:
    """One job (``/jobs/{id}``) -> raw posting; fields it lacks are taken from ``listing``."""
    data = load_json(payload, url)
    if isinstance(data, dict) and isinstance(data.get("jobs"), list) and len(data["jobs"]) == 1:
        data = data["jobs"][0]  # a one-job listing saved by hand
    raw = _posting(data) if isinstance(data, dict) else None
    if raw is None:
        raise ParseError(f"{url or 'payload'}: not a Greenhouse job (needs 'id' and 'title')")
    return fill_from_listing(raw, listing)


def reported_total(payload: bytes | str | Any, url: str = "") -> int | None:
    """``meta.total``: how many jobs the board says it has."""
    try:
        data = load_json(payload, url)
    except ParseError:
        return None
    meta = data.get("meta") if isinstance(data, dict) else None
    total = meta.get("total") if isinstance(meta, dict) else None
    return whole_number(total)


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """sources.toml keys: ``board`` (the board token, as in boards.greenhouse.io/<token>)."""
    return whole_board_options(options, "board", TOKEN_RE, "the board token of boards.greenhouse.io/<token>",
                               "a Greenhouse", "a greenhouse")


def first_page_request(source_cfg: Any) -> tuple[str, str, dict[str, str], bytes | None]:
    """The request ``pacsjobs sources --check`` sends: the board's listing."""
    base = getattr(source_cfg, "base_url", None) or DEFAULT_BASE_URL
    return "GET", listing_url(base, source_cfg.options["board"]), {"Accept": "application/json"}, None


# -- one job ------------------------------------------------------------------------------
def _posting(job: Any) -> RawPosting | None:
    job_id = job.get("id") if isinstance(job, dict) else None
    if isinstance(job_id, bool) or not isinstance(job_id, int | str) or not str(job_id).strip():
        return None
    if not text_or_none(job.get("title")):
        return None
    location = job.get("location") if isinstance(job.get("location"), dict) else {}
    offices = [o for o in items(job.get("offices")) if isinstance(o, dict)]
    departments = [d for d in items(job.get("departments")) if isinstance(d, dict)]
    metadata = _metadata(job.get("metadata"))
    office_names = [n for o in offices if (n := text_or_none(o.get("name")))]
    return RawPosting(
        source_id=str(job_id).strip(),
        url=text_or_none(job.get("absolute_url")) or "",
        title=str(job["title"]),
        employer=text_or_none(job.get("company_name")),
        locations=_locations(location.get("name"), offices),
        employment_type=next((v for k, v in metadata.items() if EMPLOYMENT_FIELD_RE.search(k)), None),
        salary=_salary(job.get("pay_input_ranges")),
        date_posted=text_or_none(job.get("first_published")),
        description_html=text_or_none(job.get("content")),
        updated=text_or_none(job.get("updated_at")),
        department=text_or_none(departments[0].get("name")) if departments else None,
        extra={k: v for k, v in {
            "internal_job_id": job.get("internal_job_id"),
            "requisition_id": text_or_none(job.get("requisition_id")),
            "offices": office_names,
            "language": text_or_none(job.get("language")),
            "metadata": metadata,
            "pay_input_ranges": job.get("pay_input_ranges") or None,
        }.items() if v not in (None, [], {})},
    )


def _locations(name: Any, offices: list[dict]) -> list[str]:
    """``location.name`` split on ``;`` and ``|``; the offices' locations when it is empty."""
    text = text_or_none(name)
    if text:
        return [part for part in LOCATION_SPLIT_RE.split(text) if part]
    found = [text_or_none(o.get("location")) or text_or_none(o.get("name")) for o in offices]
    return [f for f in found if f]


def _metadata(items: Any) -> dict[str, str]:
    """Custom fields ``[{name, value}]`` -> {name: value as text} (lists joined with ", ")."""
    out: dict[str, str] = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not text_or_none(item.get("name")):
            continue
        value = item.get("value")
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v not in (None, ""))
        if (text := text_or_none(value)) is not None:
            out[str(item["name"]).strip()] = text
    return out


def _salary(ranges: Any) -> RawSalary | None:
    """Pay zones in one currency -> one range spanning them (every zone stays in ``extra``)."""
    zones = [r for r in ranges if isinstance(r, dict)] if isinstance(ranges, list) else []
    zones = [z for z in zones if _cents(z.get("min_cents")) is not None or _cents(z.get("max_cents")) is not None]
    if not zones:
        return None
    currency = text_or_none(zones[0].get("currency_type"))
    same = [z for z in zones if text_or_none(z.get("currency_type")) == currency]
    lows = [v for z in same if (v := _cents(z.get("min_cents"))) is not None]
    highs = [v for z in same if (v := _cents(z.get("max_cents"))) is not None]
    titles = [t for z in same if (t := text_or_none(z.get("title")))]
    return RawSalary(min=min(lows) if lows else None, max=max(highs) if highs else None,
                     currency=currency, unit=None, text="; ".join(dict.fromkeys(titles)) or None)


def _cents(value: Any) -> float | None:
    """Cents (int or numeric string) -> currency units; anything else None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value) / 100
    except (TypeError, ValueError):
        return None
