"""Workday CXS: the JSON behind ``https://{tenant}.wd{N}.myworkdayjobs.com/{site}`` career boards.

Listing ``POST /wday/cxs/{tenant}/{site}/jobs`` with ``{"appliedFacets": {}, "limit": 20,
"offset": N, "searchText": "PACS"}`` (a limit above 20 is answered 400) returns
``{total, jobPostings[], facets[], userAuthenticated}``. Real boards give ``total`` only on the
first page (later pages say 0). Each posting is only
``{title, externalPath, locationsText, postedOn, bulletFields}``; ``postedOn`` is prose
("Posted 3 Days Ago") and ``locationsText`` may be "2 Locations".

Detail ``GET /wday/cxs/{tenant}/{site}{externalPath}`` returns ``{jobPostingInfo{title,
jobDescription, location, additionalLocations, startDate, timeType, remoteType, jobReqId,
externalUrl, country, ...}, hiringOrganization{name}, similarJobs[]}``. No structured pay.

Change marker: ``postedOn`` drifts every day, so it cannot tell an edit from the passing of time.
The marker is title + location text of the listing; a posting whose id (from ``externalPath``),
title and locations are unchanged is not fetched again. An edit that keeps all three is missed
until the employer re-posts it (which gives a new ``externalPath``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting
from pacsjobs.sources.common import (
    Entries,
    items,
    load_json,
    read_entries,
    text_or_none,
)

if TYPE_CHECKING:
    from pacsjobs.config import SourceConfig

DEFAULT_BASE_URL = ""  # each board has its own host: derived from the option ``url``
PAGE_LIMIT = 20  # Workday refuses more
DEFAULT_KEYWORDS = ["PACS", "imaging informatics", "radiology informatics", "enterprise imaging"]

_BOARD_RE = re.compile(
    r"^https://(?P<tenant>[A-Za-z0-9_-]+)\.(?P<pod>wd\d+)\.myworkdayjobs\.com"
    r"(?:/[a-z]{2}-[A-Z]{2})?/(?P<site>[A-Za-z0-9_.-]+)/?$"
)
_LOCALE_RE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
_MULTI_LOCATIONS_RE = re.compile(r"^\d+\s+Locations?$", re.I)
_OPTION_KEYS = {"url", "keywords"}


@dataclass(frozen=True)
class Board:
    """Where one Workday board lives: its public URL and its CXS API root."""

    url: str  # public board URL without trailing slash
    tenant: str
    site: str
    api: str  # {base}/wday/cxs/{tenant}/{site}

    @property
    def jobs_url(self) -> str:
        return f"{self.api}/jobs"

    def detail_url(self, external_path: str) -> str:
        return f"{self.api}{external_path}"


def board(url: str, base_url: str | None = None) -> Board:
    """The board of a public URL; ``base_url`` (tests, mirrors) replaces only the API host."""
    parts = urlsplit(url.strip())
    segments = [s for s in parts.path.split("/") if s]
    if segments and _LOCALE_RE.match(segments[0]):
        segments = segments[1:]
    tenant = parts.netloc.split(".")[0]
    if not tenant or not segments:
        raise ValueError(
            f"url: {url!r} is not a Workday board URL (https://TENANT.wdN.myworkdayjobs.com/SITE)"
        )
    site = segments[0]
    public = f"{parts.scheme}://{parts.netloc}/{site}"
    root = (base_url or f"{parts.scheme}://{parts.netloc}").rstrip("/")
    return Board(url=public, tenant=tenant, site=site, api=f"{root}/wday/cxs/{tenant}/{site}")


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate a workday entry: ``url`` (the public board URL, required) and ``keywords``."""
    out = dict(options)
    for key in out:
        if key not in _OPTION_KEYS:
            raise ValueError(f"{key}: unknown key (workday takes url, keywords)")
    url = out.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ValueError(
            "url: is required: the board's public URL, e.g. https://ccf.wd1.myworkdayjobs.com/ClevelandClinicCareers"
        )
    if not _BOARD_RE.match(url.strip()):
        raise ValueError(
            f"url: {url!r} is not a Workday board URL (https://TENANT.wdN.myworkdayjobs.com/SITE)"
        )
    out["url"] = url.strip().rstrip("/")
    if "keywords" in out:
        kw = out["keywords"]
        if not isinstance(kw, list) or not all(isinstance(k, str) for k in kw):
            raise ValueError('keywords: must be a list of strings ("" fetches the whole board)')
    return out


def keywords(options: dict[str, Any]) -> list[str]:
    """Search terms of a board; an explicit empty string means the whole board."""
    kw = options.get("keywords")
    return list(DEFAULT_KEYWORDS if kw is None else kw) or [""]


def search_body(term: str, offset: int = 0) -> dict[str, Any]:
    """The JSON body of one listing page."""
    return {"appliedFacets": {}, "limit": PAGE_LIMIT, "offset": offset, "searchText": term}


HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json",
    "Accept-Language": "en-US",
}


def first_page_request(source: SourceConfig) -> tuple[str, str, dict[str, str], bytes | None]:
    """(method, url, headers, body) of the board's first page, for ``pacsjobs sources --check``."""
    b = board(source.options["url"], source.base_url)
    body = json.dumps(search_body(keywords(source.options)[0])).encode()
    return "POST", b.jobs_url, dict(HEADERS), body


# -- parsing ----------------------------------------------------------------------------------


def _listing(payload: Any, url: str) -> dict[str, Any]:
    data = load_json(payload, url)
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("jobPostings", []), list)
        or ("jobPostings" not in data and "total" not in data)
    ):
        raise ParseError(f"{url or 'payload'}: not a Workday jobs response (no jobPostings list)")
    return data


def reported_total(payload: Any, url: str = "") -> int | None:
    """``total`` of a listing page; None on later pages, where Workday answers 0."""
    data = _listing(payload, url)
    total = data.get("total")
    if isinstance(total, bool) or not isinstance(total, int):
        return None
    if total == 0 and data.get("jobPostings"):
        return None  # a later page: the count is only on the first one
    return total


def req_id(external_path: str, bullet_fields: list[Any] | None = None) -> str:
    """The job's id: the req number ending ``externalPath`` ("..._R123456"), else a bullet field."""
    last = external_path.rstrip("/").rsplit("/", 1)[-1]
    if "_" in last:
        tail = last.rsplit("_", 1)[1]
        if tail:
            return tail
    for field in items(bullet_fields):
        text = text_or_none(field)
        if text and text.lower() in last.lower():
            return text
    return external_path


def marker(title: str, locations_text: str | None) -> str:
    """The listing's change marker (see the module docstring for why not ``postedOn``)."""
    return f"{title} @ {locations_text or ''}".strip()


def parse(payload: bytes | str | Any, url: str = "", board_url: str = "") -> Entries:
    """Postings of one listing page; ``board_url`` makes the public links (else from ``url``)."""
    data = _listing(payload, url)
    if not board_url and "/wday/cxs/" in url:
        # the API URL names the board: {host}/wday/cxs/{tenant}/{site}/jobs -> {host}/{site}
        root, _, rest = url.partition("/wday/cxs/")
        parts = rest.split("/")
        board_url = f"{root}/{parts[1]}" if len(parts) > 1 else ""
    return read_entries(items(data.get("jobPostings")), lambda post: _listing_posting(post, board_url))


def _listing_posting(post: Any, board_url: str) -> RawPosting | None:
    """One ``jobPostings`` entry, or None when it has no path or title."""
    if not isinstance(post, dict):
        return None
    path, title = text_or_none(post.get("externalPath")), text_or_none(post.get("title"))
    if not path or not title:
        return None
    loc_text = text_or_none(post.get("locationsText"))
    bullets = post.get("bulletFields") if isinstance(post.get("bulletFields"), list) else []
    return RawPosting(
        source_id=req_id(path, bullets),
        url=f"{board_url.rstrip('/')}{path}" if board_url else path,
        title=title,
        # "2 Locations" names none; the detail lists them
        locations=[loc_text] if loc_text and not _MULTI_LOCATIONS_RE.match(loc_text) else [],
        date_posted=text_or_none(post.get("postedOn")),
        updated=marker(title, loc_text),
        extra={"external_path": path, "bullet_fields": bullets, "locations_text": loc_text},
    )


def _descriptor(value: Any) -> str | None:
    if isinstance(value, dict):
        return text_or_none(value.get("descriptor"))
    return text_or_none(value)


def parse_detail(
    payload: bytes | str | Any, url: str = "", listing: RawPosting | None = None
) -> RawPosting:
    """A detail response (``jobPostingInfo`` + ``hiringOrganization``), merged into its listing."""
    data = load_json(payload, url)
    info = data.get("jobPostingInfo") if isinstance(data, dict) else None
    if not isinstance(info, dict):
        raise ParseError(f"{url or 'payload'}: not a Workday job detail (no jobPostingInfo object)")
    title = text_or_none(info.get("title")) or (listing.title if listing else None)
    if not title:
        raise ParseError(f"{url or 'payload'}: Workday job detail without a title")
    locations = [loc for loc in [text_or_none(info.get("location"))] if loc]
    for extra_loc in items(info.get("additionalLocations")):
        text = text_or_none(extra_loc)
        if text and text not in locations:
            locations.append(text)
    if not locations and listing:
        locations = list(listing.locations)
    org = data.get("hiringOrganization") if isinstance(data.get("hiringOrganization"), dict) else {}
    external_url = text_or_none(info.get("externalUrl"))
    extra = dict(listing.extra) if listing else {}
    extra.update(
        {
            k: v
            for k, v in {
                "job_req_id": text_or_none(info.get("jobReqId")),
                "job_posting_id": text_or_none(info.get("jobPostingId")),
                "external_url": external_url,
                "time_left_to_apply": text_or_none(info.get("timeLeftToApply")),
                "posted_on": text_or_none(info.get("postedOn")),
                "hiring_organization": text_or_none(org.get("name")),
            }.items()
            if v
        }
    )
    source_id = (
        listing.source_id
        if listing
        else (text_or_none(info.get("jobReqId")) or req_id(urlsplit(external_url or url).path))
    )
    return RawPosting(
        source_id=source_id,
        url=(listing.url if listing else None) or external_url or url,
        title=title,
        employer=text_or_none(org.get("name")),
        locations=locations,
        country=_descriptor(info.get("country")),
        workplace=_descriptor(info.get("remoteType")),
        employment_type=_descriptor(info.get("timeType")),
        date_posted=text_or_none(info.get("startDate"))
        or text_or_none(info.get("postedOn"))
        or (listing.date_posted if listing else None),
        valid_through=text_or_none(info.get("endDate")),
        description_html=text_or_none(info.get("jobDescription")),
        # keep the listing's marker: the next listing is compared with it
        updated=listing.updated if listing else marker(title, ", ".join(locations) or None),
        extra=extra,
    )
