"""SmartRecruiters Posting API (developers.smartrecruiters.com, Posting API): payload -> raw postings.

Listing: ``GET /v1/companies/{id}/postings?limit=100&offset=N[&q=...]`` answers
``{offset, limit, totalFound, content: [...]}`` (``limit`` at most 100). Listing entries carry no
description and no public URL; the detail ``GET /v1/companies/{id}/postings/{postingId}`` repeats
the entry's fields and adds ``postingUrl``, ``applyUrl``, ``active`` and
``jobAd.sections.{companyDescription, jobDescription, qualifications, additionalInformation}``
each ``{title, text}`` (``text`` is HTML). Observed and kept as given: lowercase country codes
(``"us"``), trailing spaces in ``name``, ``department: {}``, ``fullLocation`` with empty parts.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote, urlencode

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting
from pacsjobs.sources.common import (
    Entries,
    fill_from_listing,
    items,
    load_json,
    read_entries,
    text_or_none,
    whole_number,
)

DEFAULT_BASE_URL = "https://api.smartrecruiters.com"
PUBLIC_URL = "https://jobs.smartrecruiters.com"
MAX_PAGE_SIZE = 100  # the API's own ceiling for ``limit``
COMPANY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


def listing_url(base_url: str, company: str, offset: int = 0, limit: int = MAX_PAGE_SIZE,
                keyword: str | None = None) -> str:
    """One page of the company's postings, optionally searched with ``q``."""
    query: dict[str, Any] = {"limit": limit, "offset": offset}
    if keyword:
        query["q"] = keyword
    return f"{base_url.rstrip('/')}/v1/companies/{quote(company, safe='')}/postings?{urlencode(query)}"


def detail_url(base_url: str, company: str, posting_id: str) -> str:
    """The one-posting endpoint that holds the job ad."""
    return f"{base_url.rstrip('/')}/v1/companies/{quote(company, safe='')}/postings/{quote(posting_id, safe='')}"


def parse(payload: bytes | str | Any, url: str = "") -> Entries:
    """A listing page ``{totalFound, content: [...]}`` -> raw postings without descriptions."""
    data = load_json(payload, url)
    if not isinstance(data, dict) or not isinstance(data.get("content"), list):
        raise ParseError(f"{url or 'payload'}: not a SmartRecruiters postings listing (no 'content' list)")
    return read_entries(data["content"], _posting)


def parse_detail(payload: bytes | str | Any, url: str = "", listing: RawPosting | None = None) -> RawPosting:
    """A posting detail (with ``jobAd``) -> raw posting with description; ``listing`` fills gaps."""
    data = load_json(payload, url)
    raw = _posting(data) if isinstance(data, dict) else None
    if raw is None:
        raise ParseError(f"{url or 'payload'}: not a SmartRecruiters posting (needs 'id' and 'name')")
    if posting_url := text_or_none(data.get("postingUrl")):  # (a non-string has no .strip())
        raw.url = posting_url
    raw.description_html = _job_ad(data.get("jobAd"))
    if apply_url := text_or_none(data.get("applyUrl")):
        raw.extra["apply_url"] = apply_url
    if data.get("active") is False:
        raw.extra["active"] = False
    return fill_from_listing(raw, listing)


def reported_total(payload: bytes | str | Any, url: str = "") -> int | None:
    """``totalFound``: how many postings match (the whole board when there is no ``q``)."""
    try:
        data = load_json(payload, url)
    except ParseError:
        return None
    total = data.get("totalFound") if isinstance(data, dict) else None
    return whole_number(total)


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """sources.toml keys: ``company`` (the identifier), optional ``keywords`` and ``page_size``."""
    opts = dict(options)
    company = opts.pop("company", None)
    if not isinstance(company, str) or not COMPANY_RE.fullmatch(company):
        raise ValueError("company: required, the company identifier of jobs.smartrecruiters.com/<company>")
    keywords = opts.pop("keywords", [])
    if isinstance(keywords, str):
        keywords = [keywords]
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
        raise ValueError("keywords: must be a list of search terms (omit it to fetch the whole board)")
    page_size = opts.pop("page_size", MAX_PAGE_SIZE)
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size: must be a whole number from 1 to {MAX_PAGE_SIZE}")
    for key in opts:
        raise ValueError(f"{key}: unknown key for a smartrecruiters source (known: company, keywords, page_size)")
    return {"company": company, "keywords": [k.strip() for k in keywords], "page_size": page_size}


def first_page_request(source_cfg: Any) -> tuple[str, str, dict[str, str], bytes | None]:
    """The request ``pacsjobs sources --check`` sends: the first page (first keyword, if any)."""
    base = getattr(source_cfg, "base_url", None) or DEFAULT_BASE_URL
    opts = source_cfg.options
    keywords = opts.get("keywords") or [None]
    url = listing_url(base, opts["company"], 0, opts.get("page_size", MAX_PAGE_SIZE), keywords[0])
    return "GET", url, {"Accept": "application/json"}, None


def public_url(company: str, posting_id: str) -> str:
    """The page a person opens; the listing's ``ref`` is an API address, not this."""
    return f"{PUBLIC_URL}/{quote(company, safe='')}/{quote(posting_id, safe='')}"


# -- one posting ----------------------------------------------------------------------------
def _label(value: Any) -> str | None:
    return text_or_none(value.get("label")) if isinstance(value, dict) else text_or_none(value)


def _posting(item: Any) -> RawPosting | None:
    if not isinstance(item, dict) or not text_or_none(item.get("id")) or not text_or_none(item.get("name")):
        return None
    posting_id = str(item["id"]).strip()
    company = item.get("company") if isinstance(item.get("company"), dict) else {}
    loc = item.get("location") if isinstance(item.get("location"), dict) else {}
    identifier = text_or_none(company.get("identifier"))
    custom = {label: value for f in items(item.get("customField")) if isinstance(f, dict)
              and (label := text_or_none(f.get("fieldLabel"))) and (value := text_or_none(f.get("valueLabel")))}
    return RawPosting(
        source_id=posting_id,
        url=public_url(identifier, posting_id) if identifier else "",
        title=str(item["name"]),
        employer=text_or_none(company.get("name")),
        locations=_locations(loc),
        country=text_or_none(loc.get("country")),
        workplace=_workplace(loc),
        employment_type=_label(item.get("typeOfEmployment")),
        date_posted=text_or_none(item.get("releasedDate")),
        # The listing has no update time; a re-released posting gets a new releasedDate.
        updated=text_or_none(item.get("releasedDate")),
        department=_label(item.get("department")),
        extra={k: v for k, v in {
            "company_identifier": identifier,
            "ref_number": text_or_none(item.get("refNumber")),
            "experience_level": _label(item.get("experienceLevel")),
            "function": _label(item.get("function")),
            "industry": _label(item.get("industry")),
            "custom_fields": custom,
            "api_ref": text_or_none(item.get("ref")),
        }.items() if v not in (None, {})},
    )


def _locations(loc: dict) -> list[str]:
    """``fullLocation`` unless it has empty parts (``"Dublin, , Ireland"``), else city/region/country."""
    full = text_or_none(loc.get("fullLocation"))
    if full and not re.search(r",\s*,", full):
        return [full]
    parts = [p for key in ("city", "region", "country") if (p := text_or_none(loc.get(key)))]
    if parts:
        return [", ".join(parts)]
    return [re.sub(r"(,\s*)+", ", ", full)] if full else []


def _workplace(loc: dict) -> str | None:
    """``remote`` / ``hybrid`` flags -> the words remote, hybrid, onsite (None when neither is given)."""
    if loc.get("remote") is True:
        return "remote"
    if loc.get("hybrid") is True:
        return "hybrid"
    if loc.get("remote") is False and loc.get("hybrid") in (False, None) and "remote" in loc:
        return "onsite"
    return None


def _job_ad(job_ad: Any) -> str | None:
    """The job ad's sections in reading order, each under its own title."""
    sections = job_ad.get("sections") if isinstance(job_ad, dict) else None
    if not isinstance(sections, dict):
        return None
    parts: list[str] = []
    for key in SECTIONS:
        section = sections.get(key)
        if not isinstance(section, dict) or not (text := text_or_none(section.get("text"))):
            continue
        if title := text_or_none(section.get("title")):
            parts.append(f"<h3>{html.escape(title)}</h3>")
        parts.append(text)
    return "\n".join(parts) or None
