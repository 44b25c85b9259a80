"""Taleo Enterprise career sections: ``https://{tenant}.taleo.net/careersection/{section}``.

The section's search page ``{section}/jobsearch.ftl?lang=en`` declares its portal number in a
script (``FacetedSearchSettings ... portalNo: '101430233'``); a reserved but unpublished section
answers a "Career Section Unavailable" page instead. The job list is the JSON the page itself asks
for: ``POST /careersection/rest/jobboard/searchjobs?lang=en&portal={portal}`` (a ``tz`` header is
required, else 500) with ``{"multilineEnabled": false, "sortingSelection": {...}, "fieldData":
{"fields": {"KEYWORD": "PACS", "LOCATION": ""}, "valid": true}, ..., "pageNo": N}`` returns
``{requisitionList[{jobId, contestNo, hotJob, column[], linkedColumn, locationsColumns[]}],
pagingData{currentPageNo, pageSize, totalCount}}``. Which column is which is per section: the
title is ``column[linkedColumn]``, the locations ``column[locationsColumns[i]]`` (a JSON list
inside a string: ``'["US-Maryland-Hunt Valley"]'``), the posting date any column that reads as a
date. A page past the last is answered with the last page again: pages are counted from
``totalCount`` / ``pageSize`` of the first page, never walked until an empty one.

Detail ``GET {section}/jobdetail.ftl?job={contestNo}`` is HTML whose hidden ``initialHistory``
input carries the description: ``!|!``-separated page state where each rich-text field follows a
``!*!`` marker, percent-encoded, ``:`` escaped as ``\\:``, and every field given twice
(description, description, qualifications, qualifications).

Change marker: the listing's columns (title, locations, posting date); a re-posted or edited
requisition shows a new date.
"""

from __future__ import annotations

import html as html_lib
import json
import math
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting
from pacsjobs.sources.common import Entries, load_json, read_entries, text_or_none, whole_number

if TYPE_CHECKING:
    from pacsjobs.config import SourceConfig

DEFAULT_BASE_URL = ""  # each tenant has its own host: derived from the option ``url``
DEFAULT_KEYWORDS = ["PACS", "imaging informatics", "radiology informatics", "enterprise imaging"]
MAX_PAGES = 200  # 5,000 requisitions of 25: a runaway count is cut here, and the run is partial

_SECTION_RE = re.compile(
    r"^https://(?P<tenant>[A-Za-z0-9-]+)\.taleo\.net/careersection/(?P<section>[A-Za-z0-9_.-]+)"
    r"(?:/(?:jobsearch|moresearch|jobdetail)\.ftl(?:\?.*)?)?/?$"
)
_PORTAL_RE = re.compile(r"""portalNo\s*[:=]\s*['"]?(\d{3,})""")
_UNAVAILABLE_RE = re.compile(r"<title>\s*Career Section Unavailable\s*</title>", re.I)
_HISTORY_RE = re.compile(
    r"""<input\b[^>]*\bid=["']initialHistory["'][^>]*>""", re.I | re.S
)
_VALUE_RE = re.compile(r"""\bvalue=(?:"([^"]*)"|'([^']*)')""", re.S)
_RICH_RE = re.compile(r"!\*!(.*?)(?=!\*!|!\|!|!\$!|!%24!|$)", re.S)
_DATE_RE = re.compile(
    r"^(?:[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})$"
)
_OPTION_KEYS = {"url", "keywords"}


@dataclass(frozen=True)
class Section:
    """One Taleo career section: its public URL and where requests go (another host in tests)."""

    url: str  # https://TENANT.taleo.net/careersection/SECTION
    root: str  # scheme://host of requests
    section: str

    @property
    def search_page_url(self) -> str:
        return f"{self.root}/careersection/{self.section}/jobsearch.ftl?lang=en"

    def search_url(self, portal: str) -> str:
        return f"{self.root}/careersection/rest/jobboard/searchjobs?lang=en&portal={portal}"

    def detail_url(self, job: str) -> str:
        return f"{self.root}/careersection/{self.section}/jobdetail.ftl?job={quote(job)}&lang=en"

    def public_url(self, job: str) -> str:
        return f"{self.url}/jobdetail.ftl?job={quote(job)}"


def section(url: str, base_url: str | None = None) -> Section:
    """The career section of a public URL; ``base_url`` (tests, mirrors) replaces only the host."""
    match = _SECTION_RE.match(url.strip())
    if not match:
        raise ValueError(
            f"url: {url!r} is not a Taleo career section URL "
            "(https://TENANT.taleo.net/careersection/SECTION)"
        )
    host = f"https://{match['tenant']}.taleo.net"
    return Section(
        url=f"{host}/careersection/{match['section']}",
        root=(base_url or host).rstrip("/"),
        section=match["section"],
    )


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate a taleo entry: ``url`` (the career section, required) and ``keywords``."""
    out = dict(options)
    for key in out:
        if key not in _OPTION_KEYS:
            raise ValueError(f"{key}: unknown key (taleo takes url, keywords)")
    url = out.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ValueError("url: is required, e.g. https://TENANT.taleo.net/careersection/SECTION")
    out["url"] = section(url).url
    if "keywords" in out:
        kw = out["keywords"]
        if not isinstance(kw, list) or not all(isinstance(k, str) for k in kw):
            raise ValueError('keywords: must be a list of strings ("" fetches the whole section)')
    return out


def keywords(options: dict[str, Any]) -> list[str]:
    """Search terms of a section; an explicit empty string means the whole section."""
    kw = options.get("keywords")
    return list(DEFAULT_KEYWORDS if kw is None else kw) or [""]


def search_body(term: str, page_no: int = 1) -> dict[str, Any]:
    """The JSON body of one listing page, as the section's search page sends it."""
    return {
        "multilineEnabled": False,
        "sortingSelection": {"sortBySelectionParam": "3", "ascendingSortingOrder": "false"},
        "fieldData": {"fields": {"KEYWORD": term, "LOCATION": ""}, "valid": True},
        "filterSelectionParam": {"searchFilterSelections": [
            {"id": f, "selectedValues": []} for f in ("POSTING_DATE", "LOCATION", "JOB_FIELD", "JOB_TYPE")
        ]},
        "advancedSearchFiltersSelectionParam": {"searchFilterSelections": []},
        "pageNo": page_no,
    }


HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json, text/javascript, */*; q=0.01",
    "X-Requested-With": "XMLHttpRequest",
    "tz": "GMT-05:00",  # without it the endpoint answers 500
    "tzname": "America/New_York",
}


def first_page_request(source: SourceConfig) -> tuple[str, str, dict[str, str], bytes | None]:
    """The section's search page (the portal number comes from it), for ``sources --check``."""
    return "GET", section(source.options["url"], source.base_url).search_page_url, {}, None



def check_page(payload: bytes | str, url: str = "", options: dict[str, Any] | None = None) -> None:
    """``sources --check``: the first page must name the API (portal_number); postings are not counted."""
    portal_number(payload, url)


# -- parsing ----------------------------------------------------------------------------------


def _text(payload: Any) -> str:
    return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)


def portal_number(payload: bytes | str, url: str = "") -> str:
    """The portal number a section's ``jobsearch.ftl`` page declares."""
    page = _text(payload)
    if _UNAVAILABLE_RE.search(page):
        raise ParseError(f"{url or 'payload'}: Career Section Unavailable (the section is not published)")
    match = _PORTAL_RE.search(page)
    if not match:
        raise ParseError(
            f"{url or 'payload'}: no portalNo on the page (not a Taleo career section search page; "
            "has the section moved?)"
        )
    return match.group(1)


def _search(payload: Any, url: str) -> dict[str, Any]:
    data = load_json(payload, url)
    if not isinstance(data, dict):
        raise ParseError(f"{url or 'payload'}: not a Taleo searchjobs response")
    if data.get("careerSectionUnAvailable") is True:
        raise ParseError(f"{url or 'payload'}: careerSectionUnAvailable (wrong portal number?)")
    if not isinstance(data.get("requisitionList"), list) or not isinstance(data.get("pagingData"), dict):
        raise ParseError(f"{url or 'payload'}: not a Taleo searchjobs response (no requisitionList / pagingData)")
    return data


def reported_total(payload: Any, url: str = "") -> int | None:
    """``pagingData.totalCount``: how many requisitions the search has."""
    return whole_number(_search(payload, url)["pagingData"].get("totalCount"))


def page_count(payload: Any, url: str = "") -> int:
    """How many pages the search has, from the first page's count and page size."""
    paging = _search(payload, url)["pagingData"]
    total, size = whole_number(paging.get("totalCount")), whole_number(paging.get("pageSize"))
    if not total or not size or size < 1:
        return 1
    return math.ceil(total / size)


def location_text(code: str) -> str:
    """``US-Maryland-Hunt Valley`` -> ``Hunt Valley, Maryland, US`` (country-first codes read backwards)."""
    parts = [p.strip() for p in code.split("-")]
    if len(parts) >= 3:
        return ", ".join(["-".join(parts[2:]), parts[1], parts[0]])
    if len(parts) == 2:
        return f"{parts[1]}, {parts[0]}"
    return code.strip()


def _cell_locations(cell: str) -> list[str]:
    values: list[Any] = [cell]
    if cell.startswith("["):
        try:
            decoded = json.loads(cell)
        except ValueError:
            decoded = None
        if isinstance(decoded, list):
            values = decoded
    return [location_text(v) for v in values if isinstance(v, str) and v.strip()]


def _columns(req: dict[str, Any]) -> list[str]:
    cols = req.get("column")
    return [c if isinstance(c, str) else "" for c in cols] if isinstance(cols, list) else []


def _indexes(value: Any, size: int) -> list[int]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        return []
    return [i for i in value if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < size]


def parse_requisition(req: dict[str, Any], sec: Section | None = None) -> RawPosting | None:
    """One ``requisitionList`` entry; None without a job number or a title."""
    cols = _columns(req)
    job = text_or_none(req.get("contestNo")) or text_or_none(req.get("jobId"))
    linked = _indexes(req.get("linkedColumn"), len(cols)) or ([0] if cols else [])
    title = text_or_none(html_lib.unescape(cols[linked[0]])) if linked else None
    if not job or not title:
        return None
    loc_cols = _indexes(req.get("locationsColumns"), len(cols))
    locations: list[str] = []
    for i in loc_cols:
        for loc in _cell_locations(cols[i]):
            if loc not in locations:
                locations.append(loc)
    others = [c.strip() for i, c in enumerate(cols) if i not in linked and i not in loc_cols]
    posted = next((c for c in others if _DATE_RE.match(c)), None)
    return RawPosting(
        source_id=job,
        url=sec.public_url(job) if sec else job,
        title=title,
        locations=locations,
        date_posted=posted,
        updated="|".join(cols),
        extra={
            k: v
            for k, v in {
                "job_id": text_or_none(req.get("jobId")),
                "hot_job": req.get("hotJob") if isinstance(req.get("hotJob"), bool) else None,
                "columns": cols,
            }.items()
            if v is not None
        },
    )


def _section_from_url(url: str) -> Section | None:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0] != "careersection" or segments[1] == "rest":
        return None
    root = f"{parts.scheme}://{parts.netloc}"
    return Section(url=f"{root}/careersection/{segments[1]}", root=root, section=segments[1])


def parse(payload: bytes | str | Any, url: str = "", section_url: str = "") -> Entries:
    """Requisitions of one searchjobs page; ``section_url`` makes the public links. Requisitions
    that cannot be read are counted (``Entries.skipped``): the crawl must not close them."""
    data = _search(payload, url)
    sec = section(section_url) if section_url else None
    return read_entries(data["requisitionList"], lambda r: parse_requisition(r, sec) if isinstance(r, dict) else None)


def rich_fields(page: str) -> list[str]:
    """The rich-text fields of a ``jobdetail.ftl`` page's ``initialHistory``, once each, in order."""
    tag = _HISTORY_RE.search(page)
    value = _VALUE_RE.search(tag.group(0)) if tag else None
    if value is None:
        return []
    state = html_lib.unescape(value.group(1) if value.group(1) is not None else value.group(2))
    fields: list[str] = []
    for chunk in _RICH_RE.findall(state):
        text = re.sub(r"\\(.)", r"\1", unquote(chunk)).strip()
        if text and (not fields or fields[-1] != text):
            fields.append(text)
    return fields


def parse_detail(
    payload: bytes | str | Any, url: str = "", listing: RawPosting | None = None
) -> RawPosting:
    """A ``jobdetail.ftl`` page: its description and qualifications, merged into its listing."""
    page = _text(payload)
    if not _HISTORY_RE.search(page):
        raise ParseError(f"{url or 'payload'}: not a Taleo job page (no initialHistory state)")
    fields = rich_fields(page)
    if not fields:
        raise ParseError(f"{url or 'payload'}: Taleo job page without a description")
    raw = replace(listing, extra=dict(listing.extra)) if listing else _standalone(page, url)
    raw.description_html = fields[0] + (
        f"<h3>Qualifications</h3>{fields[1]}" if len(fields) > 1 else ""
    )
    return raw


_TITLE_RE = re.compile(r"<title>\s*(?:Job Description\s*-\s*)?(.*?)\s*(?:\(([^()]+)\))?\s*</title>", re.S | re.I)


def _standalone(page: str, url: str) -> RawPosting:
    """A job page read without its listing (``pacsjobs extract``): title and job number from the page."""
    title = _TITLE_RE.search(page)
    job = re.search(r"[?&]job=([^&#]+)", url)
    number = unquote(job.group(1)) if job else (title.group(2) if title and title.group(2) else None)
    name = text_or_none(html_lib.unescape(title.group(1))) if title else None
    if not number or not name:
        raise ParseError(f"{url or 'payload'}: a Taleo job page without a job number or title")
    sec = _section_from_url(url)
    return RawPosting(source_id=number, url=sec.public_url(number) if sec else url or number, title=name)
