"""CareerOneStop Jobs API v2 (US Department of Labor; postings from the National Labor Exchange).

``GET https://api.careeronestop.org/v2/jobsearch/{userId}/{keyword}/{location}/{radius}/{sortColumns}/{sortOrder}/{startRecord}/{pageSize}/{days}``
with ``Authorization: Bearer {token}`` (free registration). The response: ``Jobcount`` (the
search's total; a string in published v1 responses, so both are read) and ``Jobs[]{JvId,
JobTitle, Company, AcquisitionDate, URL, Location, Fc, DescriptionSnippet}``. The v1 path
answers 401 for new keys.

One job: ``GET /v2/jobsearch/{userId}/{JvId}`` ("Get job by ID V2", same bearer token). Its
published reference gives the path but no response sample; public clients read one object with
the list's field names and the whole text in ``Description`` (``JobTitle``, ``Company``,
``Location``, ``URL``, ``AcquisitionDate``, ``OnetCodes``). ``with_detail`` reads exactly that and
nothing else: any other answer is a ParseError, and the result keeps its snippet.

A result is a snippet and a link to where the job was found (often the employer's page); the
spider follows the link for the full posting (``pacsjobs.sources.nationwide``) and, when the link
gives none, asks the one-job endpoint for its ``Description`` before keeping the snippet.
"""

from __future__ import annotations

import math
import os
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from pacsjobs.errors import ParseError, SourceError
from pacsjobs.record import RawPosting
from pacsjobs.sources.common import Entries, load_json, read_entries, text_or_none
from pacsjobs.sources.nationwide import (
    FULL_POSTING_FROM,
    SNIPPET_ONLY,
    check_search_options,
    description_html,
    snippet_html,
)

if TYPE_CHECKING:
    from pacsjobs.config import SourceConfig

DEFAULT_BASE_URL = "https://api.careeronestop.org"
USER_ID_ENV = "CAREERONESTOP_USER_ID"
TOKEN_ENV = "CAREERONESTOP_TOKEN"
MISSING_KEY = (
    f"careeronestop: set {USER_ID_ENV} and {TOKEN_ENV} "
    "(free key: https://www.careeronestop.org/Developers/WebAPI/registration.aspx)"
)
DEFAULTS: dict[str, Any] = {
    "keywords": ["PACS administrator", "PACS analyst", "imaging informatics"],
    "location": "US",  # the whole country
    "radius": 25,  # miles; ignored for a nationwide location
    "days": 30,  # postings acquired in the last N days
    "page_size": 100,
    "max_pages": 10,  # per keyword: a search that never ends stops here (the run is incomplete)
    "follow_links": 25,  # full postings fetched behind result links, per run
    "max_details": 50,  # one-job API requests per run, for results whose link gave no full posting
}
_NUMBERS = {"radius": (0, 500), "days": (1, 60), "page_size": (1, 500), "max_pages": (1, 100),
            "follow_links": (0, 1000), "max_details": (0, 1000)}
DETAIL_FROM = "careeronestop job detail"  # extra[FULL_POSTING_FROM] of a result completed by it


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate a careeronestop entry (keywords, location, radius, days, page_size, max_pages,
    follow_links, max_details)."""
    return check_search_options(options, "careeronestop", _NUMBERS, texts=("location",))


def settings(options: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULTS, **options}


def credentials() -> tuple[str, str]:
    """(user id, token) from the environment; SourceError (one line, how to get a key) when unset."""
    user, token = os.environ.get(USER_ID_ENV, "").strip(), os.environ.get(TOKEN_ENV, "").strip()
    if not user or not token:
        raise SourceError(MISSING_KEY)
    return user, token


def auth_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json"}


def search_url(base_url: str, user_id: str, keyword: str, start: int, options: dict[str, Any]) -> str:
    """One page of a keyword's search; ``start`` is the 0-based first record."""
    opts = settings(options)
    parts = [user_id, keyword, opts["location"], opts["radius"], "0", "0", start, opts["page_size"],
             opts["days"]]
    path = "/".join(quote(str(p), safe="") for p in parts)
    query = urlencode({"enableJobDescriptionSnippet": "true", "showFilters": "false"})
    return f"{base_url.rstrip('/')}/v2/jobsearch/{path}?{query}"


def detail_url(base_url: str, user_id: str, jv_id: str) -> str:
    """The one-job request of a result (its ``JvId``)."""
    return f"{base_url.rstrip('/')}/v2/jobsearch/{quote(user_id, safe='')}/{quote(jv_id, safe='')}"


def first_page_request(source: SourceConfig) -> tuple[str, str, dict[str, str], bytes | None]:
    """(method, url, headers, body) of the first page, for ``pacsjobs sources --check``."""
    user, token = credentials()
    opts = settings(source.options)
    base = source.base_url or DEFAULT_BASE_URL
    return "GET", search_url(base, user, opts["keywords"][0], 0, opts), auth_headers(token), None


# -- parsing ----------------------------------------------------------------------------------


def _envelope(payload: Any, url: str) -> dict[str, Any]:
    data = load_json(payload, url)
    if not isinstance(data, dict) or not ("Jobs" in data or "Jobcount" in data):
        raise ParseError(f"{url or 'payload'}: not a CareerOneStop job search response (no Jobs, no Jobcount)")
    return data


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def reported_total(payload: Any, url: str = "") -> int | None:
    """``Jobcount``: postings of the whole search."""
    return _count(_envelope(payload, url).get("Jobcount"))


def pages_for(total: int | None, page_size: int) -> int:
    """How many pages of ``page_size`` results hold ``total`` (at least one)."""
    return max(math.ceil((total or 0) / page_size), 1)


def parse_job(job: dict[str, Any]) -> RawPosting | None:
    """One ``Jobs`` entry; None without an id or a title."""
    source_id, title = text_or_none(job.get("JvId")), text_or_none(job.get("JobTitle"))
    if not source_id or not title:
        return None
    location = text_or_none(job.get("Location"))
    posted = text_or_none(job.get("AcquisitionDate"))
    extra: dict[str, Any] = {SNIPPET_ONLY: True}
    if job.get("Fc") not in (None, "", False, "False", "false"):
        extra["federal_contractor"] = True
    return RawPosting(
        source_id=source_id,
        url=text_or_none(job.get("URL")) or "",
        title=title,
        employer=text_or_none(job.get("Company")),
        locations=[location] if location else [],
        country="US",  # the National Labor Exchange is the US job bank
        date_posted=posted,
        description_html=snippet_html(text_or_none(job.get("DescriptionSnippet"))),
        updated=posted,
        extra=extra,
    )


def parse(payload: bytes | str | Any, url: str = "") -> list[RawPosting] | Entries:
    """Every posting of one search response (the whole envelope, as the API returns it)."""
    jobs = _envelope(payload, url).get("Jobs")
    if jobs is None:
        return []
    if not isinstance(jobs, list):
        raise ParseError(f"{url or 'payload'}: Jobs is not a list")
    return read_entries(jobs, lambda job: parse_job(job) if isinstance(job, dict) else None)


def with_detail(listing: RawPosting, payload: bytes | str | Any, url: str = "") -> RawPosting:
    """The search result completed with its one-job record: the whole ``Description`` (it must
    be there, else ParseError), and the company and place where the result had none."""
    job = load_json(payload, url)
    if not isinstance(job, dict):
        raise ParseError(f"{url or 'payload'}: not a CareerOneStop job record")
    text = text_or_none(job.get("Description"))
    if not text:
        raise ParseError(f"{url or 'payload'}: the job record has no Description")
    location = text_or_none(job.get("Location"))
    extra = {k: v for k, v in listing.extra.items() if k != SNIPPET_ONLY}
    extra[FULL_POSTING_FROM] = DETAIL_FROM
    return replace(
        listing,
        employer=listing.employer or text_or_none(job.get("Company")),
        locations=listing.locations or ([location] if location else []),
        description_html=description_html(text),
        extra=extra,
    )
