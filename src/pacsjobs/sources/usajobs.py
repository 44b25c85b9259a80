"""USAJOBS Search API (developer.usajobs.gov): federal postings, the VA's PACS jobs among them.

``GET https://data.usajobs.gov/api/Search?Keyword=PACS&Page=1&ResultsPerPage=500`` with the
headers ``Host``, ``User-Agent`` (the registered email) and ``Authorization-Key``. The listing
holds everything (no detail requests): ``SearchResult.SearchResultItems[].MatchedObjectDescriptor``.

Quirks seen in real responses: ``CountryCode`` holds a country *name* ("United States");
placeholder locations with stray whitespace and 0/0 coordinates; ranges are strings with or
without decimals ("97738.0", "41600"); ``RateIntervalCode`` is "PA" / "PH" (older captures:
"Per Year"); ``SearchResult.UserArea.NumberOfPages`` is a string.
"""

from __future__ import annotations

import html
import math
import os
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from pacsjobs.errors import ParseError, SourceError
from pacsjobs.record import RawPosting, RawSalary
from pacsjobs.sources.common import (
    Entries,
    fields,
    items,
    load_json,
    read_entries,
    text_or_none,
)

if TYPE_CHECKING:
    from pacsjobs.config import SourceConfig

DEFAULT_BASE_URL = "https://data.usajobs.gov"
SEARCH_PATH = "/api/Search"
RESULTS_PER_PAGE = 500  # the documented maximum
API_KEY_ENV = "USAJOBS_API_KEY"
EMAIL_ENV = "USAJOBS_EMAIL"
MISSING_KEY = (
    f"usajobs: set {API_KEY_ENV} and {EMAIL_ENV} "
    "(free key: https://developer.usajobs.gov/apirequest/)"
)

# The VA and other agencies post PACS work under several titles; "Keyword" searches the whole text.
DEFAULT_KEYWORDS = [
    "PACS",
    "Picture Archiving and Communication",
    "imaging informatics",
    "radiology informatics",
    "Diagnostic Radiologic Technologist PACS",
    "PACS Administrator",
]

_OPTION_KEYS = {"keywords", "titles", "results_per_page", "params"}


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate a usajobs entry: ``keywords``, ``titles``, ``results_per_page``, ``params``."""
    out = dict(options)
    for key in out:
        if key not in _OPTION_KEYS:
            raise ValueError(
                f"{key}: unknown key (usajobs takes {', '.join(sorted(_OPTION_KEYS))})"
            )
    for key in ("keywords", "titles"):
        if key in out:
            value = out[key]
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                raise ValueError(f"{key}: must be a list of non-empty strings")
    if "results_per_page" in out:
        rpp = out["results_per_page"]
        if isinstance(rpp, bool) or not isinstance(rpp, int) or not 1 <= rpp <= 500:
            raise ValueError("results_per_page: must be a whole number from 1 to 500")
    if "params" in out:
        params = out["params"]
        if not isinstance(params, dict) or not all(
            isinstance(v, str | int) for v in params.values()
        ):
            raise ValueError(
                "params: must be a table of extra query parameters (strings or numbers)"
            )
    return out


def searches(options: dict[str, Any]) -> list[tuple[str, str]]:
    """The (query parameter, term) pairs to search: ``Keyword`` terms, then ``PositionTitle``."""
    keywords = options.get("keywords")
    titles = options.get("titles") or []
    if keywords is None:
        keywords = [] if titles else DEFAULT_KEYWORDS
    return [("Keyword", k) for k in keywords] + [("PositionTitle", t) for t in titles]


def search_url(
    base_url: str, param: str, term: str, page: int = 1, options: dict[str, Any] | None = None
) -> str:
    """The Search URL of one term's page (1-based)."""
    options = options or {}
    query: dict[str, Any] = {
        param: term,
        "Page": page,
        "ResultsPerPage": options.get("results_per_page", RESULTS_PER_PAGE),
    }
    query.update(options.get("params") or {})
    return f"{base_url.rstrip('/')}{SEARCH_PATH}?{urlencode(query)}"


def auth_headers(base_url: str) -> dict[str, str]:
    """The three headers the API wants; SourceError (one line, how to get a key) when unset."""
    key, email = os.environ.get(API_KEY_ENV, "").strip(), os.environ.get(EMAIL_ENV, "").strip()
    if not key or not email:
        raise SourceError(MISSING_KEY)
    return {
        "Host": urlsplit(base_url).netloc,
        "User-Agent": email,
        "Authorization-Key": key,
        "Accept": "application/json",
    }


def first_page_request(source: SourceConfig) -> tuple[str, str, dict[str, str], bytes | None]:
    """(method, url, headers, body) of the board's first page, for ``pacsjobs sources --check``."""
    base = (source.base_url or DEFAULT_BASE_URL).rstrip("/")
    param, term = searches(source.options)[0]
    return "GET", search_url(base, param, term, 1, source.options), auth_headers(base), None


# -- parsing ----------------------------------------------------------------------------------


def _result(payload: Any, url: str) -> dict[str, Any]:
    data = load_json(payload, url)
    result = data.get("SearchResult") if isinstance(data, dict) else None
    if not isinstance(result, dict):
        raise ParseError(
            f"{url or 'payload'}: not a USAJOBS Search response (no SearchResult object)"
        )
    return result


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def reported_total(payload: Any, url: str = "") -> int | None:
    """``SearchResultCountAll``: how many postings the search has across all pages."""
    return _int(_result(payload, url).get("SearchResultCountAll"))


def number_of_pages(payload: Any, url: str = "", per_page: int = RESULTS_PER_PAGE) -> int:
    """Pages of this search: ``UserArea.NumberOfPages``, else computed from the total."""
    result = _result(payload, url)
    pages = _int(fields(result.get("UserArea")).get("NumberOfPages"))
    if pages is not None:
        return max(pages, 1)
    total = _int(result.get("SearchResultCountAll")) or 0
    return max(math.ceil(total / per_page), 1)


def _paragraphs(text: str) -> str:
    """Plain source text as escaped HTML paragraphs (USAJOBS text fields are not HTML)."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n")]
    return "".join(f"<p>{html.escape(p)}</p>" for p in parts if p)


def _description(descriptor: dict[str, Any]) -> str | None:
    details = fields(fields(descriptor.get("UserArea")).get("Details"))
    sections: list[str] = []

    def add(heading: str, value: Any) -> None:
        if isinstance(value, list):
            items = [str(v).strip() for v in value if text_or_none(v)]
            if items:
                if len(items) == 1:
                    sections.append(f"<h3>{heading}</h3>{_paragraphs(items[0])}")
                else:
                    lis = "".join(f"<li>{html.escape(i)}</li>" for i in items)
                    sections.append(f"<h3>{heading}</h3><ul>{lis}</ul>")
        elif text_or_none(value):
            sections.append(f"<h3>{heading}</h3>{_paragraphs(str(value))}")

    add("Summary", details.get("JobSummary"))
    add("Duties", details.get("MajorDuties"))
    add("Qualifications", descriptor.get("QualificationSummary"))
    add("Requirements", details.get("Requirements"))
    add("Key requirements", details.get("KeyRequirements"))
    add("Education", details.get("Education"))
    return "".join(sections) or None


def _locations(descriptor: dict[str, Any]) -> tuple[list[str], str | None]:
    names: list[str] = []
    country = None
    for loc in items(descriptor.get("PositionLocation")):
        if not isinstance(loc, dict):
            continue
        name = text_or_none(loc.get("LocationName")) or text_or_none(loc.get("CityName"))
        if not name:  # placeholder entries: whitespace name, 0/0 coordinates
            continue
        if name not in names:
            names.append(name)
        country = country or text_or_none(loc.get("CountryCode"))
    if not names and text_or_none(descriptor.get("PositionLocationDisplay")):
        names.append(str(descriptor["PositionLocationDisplay"]).strip())
    return names, country


def _salary(descriptor: dict[str, Any]) -> RawSalary | None:
    for pay in items(descriptor.get("PositionRemuneration")):
        if not isinstance(pay, dict):
            continue
        low, high = text_or_none(pay.get("MinimumRange")), text_or_none(pay.get("MaximumRange"))
        if low is None and high is None:
            continue
        return RawSalary(
            min=low,
            max=high,
            currency="USD",
            unit=text_or_none(pay.get("RateIntervalCode")),
            text=text_or_none(pay.get("Description")),
        )
    return None


def _workplace(details: dict[str, Any]) -> str | None:
    def yes(value: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        return None

    remote, telework = yes(details.get("RemoteIndicator")), yes(details.get("TeleworkEligible"))
    if remote:
        return "remote"
    if telework:
        return "hybrid"  # telework-eligible federal jobs are on site part of the time
    if remote is False and telework is False:
        return "onsite"
    return None


def _names(values: Any, key: str = "Name") -> list[str]:
    return [
        str(v[key]).strip()
        for v in items(values)
        if isinstance(v, dict) and text_or_none(v.get(key))
    ]


# PositionSchedule codes whose meaning captured responses confirm: a 2016 response names code 1
# "Career/Career Conditional" and a 2024 one leaves its Name empty, while 2018 ones say "Full-Time".
_SCHEDULE_CODES = {"1": "Full-Time"}
_SCHEDULE_WORD = re.compile(r"time|shift|intermittent|shar|schedule|seasonal", re.I)


def _schedule(values: Any) -> str | None:
    """The work schedule: an entry's Name, or its code's meaning when the Name is not a schedule."""
    for value in items(values):
        if not isinstance(value, dict):
            continue
        name, code = text_or_none(value.get("Name")), text_or_none(value.get("Code"))
        if name and (code not in _SCHEDULE_CODES or _SCHEDULE_WORD.search(name)):
            return name
        if code in _SCHEDULE_CODES:
            return _SCHEDULE_CODES[code]
    return None


def parse_item(item: dict[str, Any]) -> RawPosting | None:
    """One ``SearchResultItems`` entry; None when it lacks an id or a title."""
    descriptor = item.get("MatchedObjectDescriptor")
    if not isinstance(descriptor, dict):
        return None
    source_id = text_or_none(item.get("MatchedObjectId")) or text_or_none(
        descriptor.get("PositionID")
    )
    title = text_or_none(descriptor.get("PositionTitle"))
    if not source_id or not title:
        return None
    details = fields(fields(descriptor.get("UserArea")).get("Details"))
    locations, country = _locations(descriptor)
    apply = [u for u in items(descriptor.get("ApplyURI")) if text_or_none(u)]
    url = text_or_none(descriptor.get("PositionURI")) or (apply[0] if apply else "")
    posted = text_or_none(descriptor.get("PublicationStartDate"))
    closes = text_or_none(descriptor.get("ApplicationCloseDate"))
    extra: dict[str, Any] = {
        "position_id": text_or_none(descriptor.get("PositionID")),
        "job_grade": [
            g["Code"]
            for g in items(descriptor.get("JobGrade"))
            if isinstance(g, dict) and g.get("Code")
        ],
        "low_grade": text_or_none(details.get("LowGrade")),
        "high_grade": text_or_none(details.get("HighGrade")),
        "job_category": _names(descriptor.get("JobCategory"), "Code"),
        "offering_type": _names(descriptor.get("PositionOfferingType")),
        "hiring_path": details.get("HiringPath") or [],
        "total_openings": text_or_none(details.get("TotalOpenings")),
        "security_clearance": text_or_none(details.get("SecurityClearance")),
        "telework_eligible": details.get("TeleworkEligible"),
        "remote_indicator": details.get("RemoteIndicator"),
        "apply_url": apply[0] if apply else None,
    }
    return RawPosting(
        source_id=source_id,
        url=url,
        title=title,
        employer=text_or_none(descriptor.get("OrganizationName")),
        locations=locations,
        country=country,
        workplace=_workplace(details),
        employment_type=_schedule(descriptor.get("PositionSchedule")),
        salary=_salary(descriptor),
        date_posted=posted,
        valid_through=closes,
        description_html=_description(descriptor),
        # no detail requests: the marker only tells a re-crawl what changed (re-posted, extended)
        updated=f"{posted}|{closes}" if posted or closes else None,
        department=text_or_none(descriptor.get("DepartmentName")),
        extra={k: v for k, v in extra.items() if v not in (None, [], "")},
    )


def parse(payload: bytes | str | Any, url: str = "") -> Entries:
    """Every posting of one Search response (the whole envelope, as the API returns it)."""
    items = _result(payload, url).get("SearchResultItems")
    if items is None:
        return Entries()
    if not isinstance(items, list):
        raise ParseError(f"{url or 'payload'}: SearchResultItems is not a list")
    return read_entries(items, lambda item: parse_item(item) if isinstance(item, dict) else None)
