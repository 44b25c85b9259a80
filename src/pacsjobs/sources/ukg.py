"""UKG Pro Recruiting (UltiPro): the JSON behind ``https://recruitingN.ultipro.com/{TENANT}/JobBoard/{GUID}``.

Listing ``POST {board}/JobBoardView/LoadSearchResults`` with the board page's own body
``{"opportunitySearch": {"Top": 50, "Skip": N, "QueryString": "PACS", "OrderBy": [...],
"Filters": [...]}, "matchCriteria": {...}}`` returns ``{opportunities[], totalCount}`` (the count
on every page). Each opportunity: ``{Id (a GUID), Title, RequisitionNumber, FullTime,
JobCategoryName, JobLocationType, BriefDescription, PostedDate, Locations[{LocalizedDescription,
Address{City, State{Code, Name}, Country{Code, Name}, PostalCode}}]}``.

Detail ``GET {board}/OpportunityDetail?opportunityId={Id}`` is an HTML page whose script passes the
whole posting as a JSON literal: ``new US.Opportunity.CandidateOpportunityDetail({...})`` with
``Description`` (HTML), ``PostedDate``, ``UpdatedDate``, ``OpportunityIsClosed``, ``PayRange
{PayRangeMinimum, PayRangeMaximum}`` shown only when ``PayRangeVisible``, and the listing's fields.

Quirks: ``JobLocationType`` is an enum (0 hybrid, 1 on-site, 2 remote; the labels live in the
site's locale file). The listing's ``PostedDate`` is when the requisition was (re)published to the
board: it moves when the employer re-posts an edited job, so it is the change marker.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting, RawSalary
from pacsjobs.sources.common import Entries, load_json, read_entries, text_or_none, whole_number

if TYPE_CHECKING:
    from pacsjobs.config import SourceConfig

DEFAULT_BASE_URL = ""  # each board has its own host: derived from the option ``url``
PAGE_LIMIT = 50  # what the board page itself asks for
DEFAULT_KEYWORDS = ["PACS", "imaging informatics", "radiology informatics", "enterprise imaging"]
LOCATION_TYPES = {0: "Hybrid", 1: "On-site", 2: "Remote"}
DETAIL_MARK = "CandidateOpportunityDetail("

_BOARD_RE = re.compile(
    r"^https://(?P<host>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:ultipro\.com|ukg\.net))"
    r"/(?P<tenant>[A-Za-z0-9_]+)/JobBoard/(?P<guid>[0-9A-Fa-f]{8}-[0-9A-Fa-f-]{27})/?$"
)
_OPTION_KEYS = {"url", "keywords"}


@dataclass(frozen=True)
class Board:
    """One UKG job board: its public URL and where requests go (another host in tests)."""

    url: str  # https://recruiting2.ultipro.com/TENANT/JobBoard/GUID
    root: str  # the same path on the request host

    @property
    def search_url(self) -> str:
        return f"{self.root}/JobBoardView/LoadSearchResults"

    def detail_url(self, opportunity_id: str) -> str:
        return f"{self.root}/OpportunityDetail?opportunityId={quote(opportunity_id)}"

    def public_url(self, opportunity_id: str) -> str:
        return f"{self.url}/OpportunityDetail?opportunityId={quote(opportunity_id)}"

    @property
    def guid(self) -> str:
        return self.url.rsplit("/", 1)[-1]


def board(url: str, base_url: str | None = None) -> Board:
    """The board of a public URL; ``base_url`` (tests, mirrors) replaces only the host."""
    match = _BOARD_RE.match(url.strip())
    if not match:
        raise ValueError(
            f"url: {url!r} is not a UKG Pro job board URL "
            "(https://recruiting2.ultipro.com/TENANT/JobBoard/GUID)"
        )
    public = f"https://{match['host']}/{match['tenant']}/JobBoard/{match['guid']}"
    root = (base_url or f"https://{match['host']}").rstrip("/")
    return Board(url=public, root=f"{root}/{match['tenant']}/JobBoard/{match['guid']}")


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate a ukg entry: ``url`` (the public board URL, required) and ``keywords``."""
    out = dict(options)
    for key in out:
        if key not in _OPTION_KEYS:
            raise ValueError(f"{key}: unknown key (ukg takes url, keywords)")
    url = out.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ValueError(
            "url: is required: the board's public URL, e.g. "
            "https://recruiting2.ultipro.com/TENANT/JobBoard/GUID"
        )
    out["url"] = board(url).url
    if "keywords" in out:
        kw = out["keywords"]
        if not isinstance(kw, list) or not all(isinstance(k, str) for k in kw):
            raise ValueError('keywords: must be a list of strings ("" fetches the whole board)')
    return out


def keywords(options: dict[str, Any]) -> list[str]:
    """Search terms of a board; an explicit empty string means the whole board."""
    kw = options.get("keywords")
    return list(DEFAULT_KEYWORDS if kw is None else kw) or [""]


def search_body(term: str, skip: int = 0) -> dict[str, Any]:
    """The JSON body of one listing page, as the board page sends it (newest first)."""
    return {
        "opportunitySearch": {
            "Top": PAGE_LIMIT,
            "Skip": skip,
            "QueryString": term,
            "OrderBy": [{"Value": "postedDateDesc", "PropertyName": "PostedDate", "Ascending": False}],
            "Filters": [
                {"t": "TermsSearchFilterDto", "fieldName": field, "extra": None, "values": []}
                for field in (4, 5, 6)
            ],
        },
        "matchCriteria": {
            "PreferredJobs": [],
            "Educations": [],
            "LicenseAndCertifications": [],
            "Skills": [],
            "hasNoLicenses": False,
            "SkippedSkills": [],
        },
    }


HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "Accept": "application/json, text/javascript, */*; q=0.01",
    "X-Requested-With": "XMLHttpRequest",
}


def first_page_request(source: SourceConfig) -> tuple[str, str, dict[str, str], bytes | None]:
    """(method, url, headers, body) of the board's first page, for ``pacsjobs sources --check``."""
    b = board(source.options["url"], source.base_url)
    body = json.dumps(search_body(keywords(source.options)[0])).encode()
    return "POST", b.search_url, dict(HEADERS), body


# -- parsing ----------------------------------------------------------------------------------


def _listing(payload: Any, url: str) -> dict[str, Any]:
    data = load_json(payload, url)
    if not isinstance(data, dict) or not isinstance(data.get("opportunities"), list):
        raise ParseError(f"{url or 'payload'}: not a UKG LoadSearchResults response (no opportunities list)")
    return data


def reported_total(payload: Any, url: str = "") -> int | None:
    """``totalCount``: how many opportunities the search has."""
    return whole_number(_listing(payload, url).get("totalCount"))


def _place(loc: dict[str, Any]) -> str | None:
    address = loc.get("Address") if isinstance(loc.get("Address"), dict) else {}
    state = address.get("State") if isinstance(address.get("State"), dict) else {}
    country = address.get("Country") if isinstance(address.get("Country"), dict) else {}
    us = (text_or_none(country.get("Code")) or "").upper() in ("USA", "US")
    # a state code is only a USPS code in the US ("WA" is also Western Australia)
    region = (text_or_none(state.get("Code")) if us else None) or text_or_none(state.get("Name"))
    parts = [text_or_none(address.get("City")), region]
    if not us:
        parts.append(text_or_none(country.get("Name")) or text_or_none(country.get("Code")))
    text = ", ".join(p for p in parts if p)
    postal = text_or_none(address.get("PostalCode"))
    if text and postal and us:
        text = f"{text} {postal}"
    return text or text_or_none(loc.get("LocalizedDescription")) or text_or_none(loc.get("LocalizedName"))


def _locations(job: dict[str, Any]) -> tuple[list[str], str | None]:
    out: list[str] = []
    country = None
    locs = job.get("Locations")
    for loc in locs if isinstance(locs, list) else []:
        if not isinstance(loc, dict):
            continue
        text = _place(loc)
        if text and text not in out:
            out.append(text)
        address = loc.get("Address") if isinstance(loc.get("Address"), dict) else {}
        code = address.get("Country", {}).get("Code") if isinstance(address.get("Country"), dict) else None
        country = country or text_or_none(code)
    return out, country


def _full_time(value: Any) -> str | None:
    if isinstance(value, bool):
        return "Full time" if value else "Part time"
    return None


def parse_opportunity(job: dict[str, Any], b: Board | None = None) -> RawPosting | None:
    """One opportunity (listing entry or detail object); None without an Id or a Title."""
    job_id, title = text_or_none(job.get("Id")), text_or_none(job.get("Title"))
    if not job_id or not title:
        return None
    locations, country = _locations(job)
    brief = text_or_none(job.get("BriefDescription"))
    kind = job.get("JobLocationType")
    extra = {
        "requisition_number": text_or_none(job.get("RequisitionNumber")),
        "job_category": text_or_none(job.get("JobCategoryName")),
        "job_location_type": job.get("JobLocationType"),
    }
    return RawPosting(
        source_id=job_id,
        url=b.public_url(job_id) if b else job_id,
        title=title,
        locations=locations,
        country=country,
        workplace=LOCATION_TYPES.get(kind) if isinstance(kind, int) else None,
        employment_type=_full_time(job.get("FullTime")),
        date_posted=text_or_none(job.get("PostedDate")),
        description_html=f"<p>{brief}</p>" if brief and "<" not in brief else brief,
        updated=text_or_none(job.get("PostedDate")),
        department=text_or_none(job.get("JobCategoryName")),
        extra={k: v for k, v in extra.items() if v is not None},
    )


def _board_from_url(url: str) -> Board | None:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if "JobBoard" not in segments:
        return None
    i = segments.index("JobBoard")
    if i < 1 or len(segments) <= i + 1:
        return None
    root = f"{parts.scheme}://{parts.netloc}/{segments[i - 1]}/JobBoard/{segments[i + 1]}"
    return Board(url=root, root=root)


def parse(payload: bytes | str | Any, url: str = "", board_url: str = "") -> Entries:
    """Opportunities of one listing page; ``board_url`` makes the public links (else from ``url``).
    Entries that cannot be read are counted (``Entries.skipped``): the crawl must not close them."""
    data = _listing(payload, url)
    b = board(board_url) if board_url else _board_from_url(url)
    return read_entries(data["opportunities"], lambda j: parse_opportunity(j, b) if isinstance(j, dict) else None)


def opportunity_json(page: str, url: str = "") -> dict[str, Any]:
    """The object literal a detail page passes to ``CandidateOpportunityDetail(...)``."""
    start = page.find(DETAIL_MARK)
    if start < 0:
        raise ParseError(
            f"{url or 'payload'}: not a UKG opportunity page (no CandidateOpportunityDetail data; "
            "the opportunity may be closed or the board moved)"
        )
    try:
        data, _ = json.JSONDecoder().raw_decode(page, start + len(DETAIL_MARK))
    except ValueError as exc:
        raise ParseError(f"{url or 'payload'}: unreadable CandidateOpportunityDetail data ({exc})") from None
    if not isinstance(data, dict):
        raise ParseError(f"{url or 'payload'}: CandidateOpportunityDetail data is not an object")
    return data


def _pay(job: dict[str, Any]) -> RawSalary | None:
    # PayRange is filled on many requisitions but shown only when PayRangeVisible; a hidden
    # figure is not a published range
    pay = job.get("PayRange")
    if job.get("PayRangeVisible") is not True or not isinstance(pay, dict):
        return None
    low, high = pay.get("PayRangeMinimum"), pay.get("PayRangeMaximum")
    if not low and not high:
        return None
    return RawSalary(min=low, max=high, currency=text_or_none(job.get("PayRangeCurrencyCode")) or "USD")


def parse_detail(
    payload: bytes | str | Any, url: str = "", listing: RawPosting | None = None
) -> RawPosting:
    """An OpportunityDetail page, merged into its listing entry."""
    page = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
    job = opportunity_json(page, url)
    raw = parse_opportunity(job, _board_from_url(url))
    if raw is None:
        raise ParseError(f"{url or 'payload'}: UKG opportunity without Id or Title")
    if listing is not None:
        if raw.source_id != listing.source_id:
            raise ParseError(f"{url}: the page shows opportunity {raw.source_id}, not {listing.source_id}")
        raw.url, raw.updated = listing.url, listing.updated  # keep the listing's marker
        raw.locations = raw.locations or list(listing.locations)
        raw.extra = {**listing.extra, **raw.extra}
    raw.description_html = text_or_none(job.get("Description")) or raw.description_html
    raw.salary = _pay(job)
    extra = {
        "updated_date": text_or_none(job.get("UpdatedDate")),
        "opportunity_is_closed": job.get("OpportunityIsClosed"),
    }
    raw.extra.update({k: v for k, v in extra.items() if v is not None})
    return raw
