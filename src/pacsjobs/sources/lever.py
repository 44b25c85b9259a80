"""Lever Postings API (github.com/lever/postings-api): payload -> raw postings.

Listing: ``GET /v0/postings/{site}?mode=json&skip=N&limit=M`` answers a bare JSON array (no
envelope, no total: a page shorter than ``limit`` is the last one); one posting:
``GET /v0/postings/{site}/{id}`` answers the posting object. An unknown site answers 404
``{"ok": false, "error": "Document not found"}``. EU boards live on ``api.eu.lever.co`` (set
``base_url``). Values are kept as given:

- ``createdAt`` is epoch *milliseconds* (``1730390400000``).
- ``salaryRange{currency, interval, min, max}`` is optional; ``interval`` is Lever's own word
  (``per-year-salary``, ``per-hour-wage``, ``per-month-salary``, ``bi-week-salary``); many boards
  give pay only as prose in ``salaryDescription``.
- ``workplaceType`` is ``on-site``, ``remote``, ``hybrid`` or ``unspecified`` (= not said: None).
- ``lists[]{text, content}``: ``content`` is bare ``<li>`` items, so they are wrapped in ``<ul>``.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting, RawSalary
from pacsjobs.sources.common import (
    Entries,
    items,
    load_json,
    read_entries,
    text_or_none,
)

DEFAULT_BASE_URL = "https://api.lever.co"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
SITE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def listing_url(base_url: str, site: str, skip: int = 0, limit: int = DEFAULT_PAGE_SIZE) -> str:
    """One page of the site's published postings."""
    return f"{base_url.rstrip('/')}/v0/postings/{quote(site, safe='')}?mode=json&skip={skip}&limit={limit}"


def parse(payload: bytes | str | Any, url: str = "") -> Entries:
    """A listing page (a JSON array of postings) -> raw postings (entries without an id are skipped)."""
    data = load_json(payload, url)
    if isinstance(data, dict) and data.get("ok") is False:
        raise ParseError(f"{url or 'payload'}: Lever answered an error: {data.get('error')!r}")
    if not isinstance(data, list):
        raise ParseError(f"{url or 'payload'}: not a Lever postings listing (expected a JSON array)")
    return read_entries(data, _posting)


def parse_detail(payload: bytes | str | Any, url: str = "", listing: RawPosting | None = None) -> RawPosting:
    """One posting (``/v0/postings/{site}/{id}``) -> raw posting."""
    data = load_json(payload, url)
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    raw = _posting(data)
    if raw is None:
        raise ParseError(f"{url or 'payload'}: not a Lever posting (needs 'id' and 'text')")
    if listing is not None and not raw.employer:
        raw.employer = listing.employer
    return raw


def reported_total(payload: bytes | str | Any, url: str = "") -> int | None:
    """Lever publishes no count of a site's postings: always None."""
    return None


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """sources.toml keys: ``site`` (as in jobs.lever.co/<site>), optional ``page_size`` (1-500)."""
    opts = dict(options)
    site = opts.pop("site", None)
    if not isinstance(site, str) or not SITE_RE.fullmatch(site):
        raise ValueError("site: required, the Lever site name of jobs.lever.co/<site> (letters, digits, - _ .)")
    page_size = opts.pop("page_size", DEFAULT_PAGE_SIZE)
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size: must be a whole number from 1 to {MAX_PAGE_SIZE}")
    if "keywords" in opts:
        raise ValueError("keywords: the Lever Postings API has no full-text search; the site is fetched "
                         "whole and the classifier keeps the PACS roles")
    for key in opts:
        raise ValueError(f"{key}: unknown key for a lever source (known: site, page_size)")
    return {"site": site, "page_size": page_size}


def first_page_request(source_cfg: Any) -> tuple[str, str, dict[str, str], bytes | None]:
    """The request ``pacsjobs sources --check`` sends: the first page of the site."""
    base = getattr(source_cfg, "base_url", None) or DEFAULT_BASE_URL
    opts = source_cfg.options
    url = listing_url(base, opts["site"], 0, opts.get("page_size", DEFAULT_PAGE_SIZE))
    return "GET", url, {"Accept": "application/json"}, None


# -- one posting ----------------------------------------------------------------------------
def _posting(item: Any) -> RawPosting | None:
    if not isinstance(item, dict) or not text_or_none(item.get("id")) or not text_or_none(item.get("text")):
        return None
    cats = item.get("categories") if isinstance(item.get("categories"), dict) else {}
    workplace = text_or_none(item.get("workplaceType"))
    created = item.get("createdAt")
    updated = item.get("updatedAt", created)  # the Postings API has no update time; createdAt stands in
    return RawPosting(
        source_id=str(item["id"]).strip(),
        url=text_or_none(item.get("hostedUrl")) or "",
        title=str(item["text"]),
        locations=_locations(cats),
        country=text_or_none(item.get("country")),
        workplace=None if workplace and workplace.lower() == "unspecified" else workplace,
        employment_type=text_or_none(cats.get("commitment")),
        salary=_salary(item),
        date_posted=_stamp(created),
        description_html=_description(item),
        updated=_stamp(updated),
        department=text_or_none(cats.get("department")) or text_or_none(cats.get("team")),
        extra={k: v for k, v in {
            "team": text_or_none(cats.get("team")),
            "level": text_or_none(cats.get("level")),
            "apply_url": text_or_none(item.get("applyUrl")),
        }.items() if v is not None},
    )


def _locations(cats: dict) -> list[str]:
    """``allLocations`` (strings, or ``{"text": ...}`` objects), else ``location``."""
    found: list[str] = []
    all_locations = cats.get("allLocations")
    for loc in all_locations if isinstance(all_locations, list) else [all_locations]:
        text = text_or_none(loc.get("text")) if isinstance(loc, dict) else text_or_none(loc)
        if text and text not in found:
            found.append(text)
    primary = text_or_none(cats.get("location"))
    if primary and primary not in found:
        found.insert(0, primary)
    return found


def _salary(item: dict) -> RawSalary | None:
    rng = item.get("salaryRange") if isinstance(item.get("salaryRange"), dict) else {}
    if "salaryDescriptionPlain" in item:
        text = text_or_none(item.get("salaryDescriptionPlain"))
    else:  # only the styled HTML: drop the tags, keep the words
        text = text_or_none(html.unescape(re.sub(r"<[^>]+>", " ", str(item.get("salaryDescription") or ""))))
        text = re.sub(r"\s+", " ", text) if text else None
    if not rng and not text:
        return None
    return RawSalary(min=rng.get("min"), max=rng.get("max"), currency=text_or_none(rng.get("currency")),
                     unit=text_or_none(rng.get("interval")), text=text)


def _stamp(value: Any) -> str | None:
    """Epoch milliseconds stay a string of digits; anything else as text."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return text_or_none(value)


def _description(item: dict) -> str | None:
    """``description`` (opening + body), then each of ``lists`` as a heading and a list, then ``additional``."""
    parts: list[str] = []
    desc = text_or_none(item.get("description"))
    if desc is None and (plain := text_or_none(item.get("descriptionPlain"))):
        desc = "".join(f"<p>{html.escape(p.strip())}</p>" for p in plain.split("\n\n") if p.strip())
    if desc:
        parts.append(desc)
    for block in items(item.get("lists")):
        if not isinstance(block, dict):
            continue
        heading, content = text_or_none(block.get("text")), text_or_none(block.get("content"))
        if heading:
            parts.append(f"<h3>{html.escape(heading)}</h3>")
        if content:
            parts.append(content if content.lstrip().lower().startswith(("<ul", "<ol")) else f"<ul>{content}</ul>")
    if additional := text_or_none(item.get("additional")):
        parts.append(additional)
    return "\n".join(parts) or None
