"""Jobvite hosted career sites (``https://jobs.jobvite.com/{company}``): server-rendered HTML.

Listing ``GET /{company}/search?q=PACS&p={n}``: the site's server-rendered search (``q`` is
matched server-side, ``p`` counts pages from 0, 50 rows a page; without ``q`` every job). The
board's home and ``/jobs`` pages can leave jobs out, so they are not used. Rows::

    <table class="jv-job-list jv-search-list"><tr>
      <td class="jv-job-list-name"><a href="/harborvalley/job/oKq1wfwA">PACS Administrator</a></td>
      <td class="jv-job-list-location">Portland, Maine</td></tr>
    ...
    <div class="jv-pagination"><div class="jv-pagination-text"> 1-50 of 61 </div>
      <a href="/harborvalley/search/?q=PACS&p=1" class="jv-pagination-next">Next</a></div>

(newer themes: ``<ul class="jv-job-list jv-search-list"><li><a href="/{company}/job/{id}">
<div class="jv-job-list-name">``); a job in several places shows ``<div class="jv-meta">2
Locations</div>``. "of 61" is the count checked against what was fetched. Job pages
``/{company}/job/{id}`` carry one JobPosting JSON-LD (``identifier`` = the id), else the Jobvite
markup is read (``h2.jv-header``, ``p.jv-job-detail-meta`` "Category | Location | Location",
``div.jv-job-detail-description``). An unknown company is redirected away from the board (to
Jobvite's own site): the spider reports the board as moved.

Change marker: title + location of the row.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting
from pacsjobs.sources.common import joined_url
from pacsjobs.sources.jobpage import (
    adopt,
    check_keywords,
    html_document,
    inner_html,
    jsonld_posting,
    text_of,
)

if TYPE_CHECKING:
    from pacsjobs.config import SourceConfig

DEFAULT_BASE_URL = "https://jobs.jobvite.com"
DEFAULT_KEYWORDS = ["PACS", "imaging informatics", "radiology informatics", "enterprise imaging"]
_COMPANY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_JOB_PATH_RE = re.compile(r"/(?P<company>[^/]+)/job/(?P<id>[A-Za-z0-9]+)")
_ONCLICK_RE = re.compile(r"""location\.href\s*=\s*['"](?P<href>[^'"]+)['"]""")
_RANGE_RE = re.compile(r"(\d+)\s*-\s*(\d+)\s+of\s+(\d+)")
_MANY_PLACES_RE = re.compile(r"^\d+\s+Locations?$", re.IGNORECASE)


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate a jobvite entry: ``company`` (jobs.jobvite.com/<company>) and ``keywords``."""
    opts = dict(options)
    company = opts.pop("company", None)
    if not isinstance(company, str) or not _COMPANY_RE.fullmatch(company):
        raise ValueError("company: required, the name in https://jobs.jobvite.com/<company> "
                         "(letters, digits, - _ .)")
    out: dict[str, Any] = {"company": company}
    if "keywords" in opts:
        out["keywords"] = check_keywords(opts.pop("keywords"))
    for unknown in opts:
        raise ValueError(f"{unknown}: unknown key for a jobvite source (known: company, keywords)")
    return out


def keywords(options: dict[str, Any]) -> list[str]:
    """Search terms of a board; ``[]`` or ``[""]`` reads every job of the board."""
    kw = options.get("keywords")
    return [k for k in (DEFAULT_KEYWORDS if kw is None else kw) if k] or [""]


def search_url(base_url: str, company: str, term: str, page: int) -> str:
    query = urlencode({"q": term, "p": page} if term else {"p": page})
    return f"{base_url.rstrip('/')}/{company}/search?{query}"


def first_page_request(source: SourceConfig) -> tuple[str, str, dict[str, str], bytes | None]:
    """The board's first search page, for ``pacsjobs sources --check``."""
    url = search_url(source.base_url or DEFAULT_BASE_URL, source.options["company"],
                     keywords(source.options)[0], 0)
    return "GET", url, {"Accept": "text/html"}, None


def job_id(url: str) -> str | None:
    m = _JOB_PATH_RE.search(urlsplit(url).path)
    return m.group("id") if m else None


def marker(title: str, location: str | None) -> str:
    return f"{title} @ {location or ''}"


def _document(payload: bytes | str, url: str) -> Any:
    doc = html_document(payload, url, "a Jobvite search page")
    if not doc.xpath("//*[contains(@class, 'jv-')]"):
        raise ParseError(f"{url or 'payload'}: not a Jobvite board (no jv- markup): the board moved "
                         "or answered another site")
    return doc


def _first(el: Any, xpath: str) -> Any:
    return next(iter(el.xpath(xpath)), None)


def _job_url(page_url: str, href: str) -> str:
    """A row's job page, on the board root of the page it was found on (a board served under a
    path prefix, as a mirror or the test server does, keeps it)."""
    m = _JOB_PATH_RE.search(href)
    at = page_url.find(f"/{m.group('company')}/") if m else -1
    if m and at >= 0:
        return f"{page_url[:at]}/{m.group('company')}/job/{m.group('id')}"
    return (joined_url(page_url, href) or href).split("?", 1)[0]


def parse(payload: bytes | str, url: str = "") -> list[RawPosting]:
    """Every job row of a search page (table rows, or list items of newer themes)."""
    doc = _document(payload, url)
    base = url or DEFAULT_BASE_URL
    out: list[RawPosting] = []
    seen: set[str] = set()
    for row in doc.xpath("//*[contains(@class, 'jv-job-list')]//*[self::tr or self::li]"):
        name = _first(row, ".//*[contains(@class, 'jv-job-list-name')]")
        anchor = _first(row, ".//a[@href]")
        href = anchor.get("href") if anchor is not None else None
        if href is None:  # rows that open the job by a click handler
            m = _ONCLICK_RE.search(row.get("onclick") or "")
            href = m.group("href") if m else None
        if name is None or not href or not _JOB_PATH_RE.search(href):
            continue
        absolute = _job_url(base, href.strip())
        source_id, title = job_id(absolute), text_of(name)
        if not source_id or not title or source_id in seen:
            continue
        seen.add(source_id)
        shown = text_of(_first(row, ".//*[contains(@class, 'jv-job-list-location')]"))
        # "2 Locations" names none: the job page does
        location = None if shown and _MANY_PLACES_RE.match(shown) else shown
        out.append(RawPosting(source_id=source_id, url=absolute, title=title,
                              locations=[location] if location else [], updated=marker(title, shown)))
    return out


def page_range(payload: bytes | str, url: str = "") -> tuple[int, int, int] | None:
    """``(first, last, total)`` of the pager's "1-50 of 61", or None when the page has none."""
    doc = _document(payload, url)
    m = _RANGE_RE.search(text_of(_first(doc, "//*[contains(@class, 'jv-pagination-text')]")) or "")
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def reported_total(payload: bytes | str, url: str = "") -> int | None:
    """The number of jobs the search found ("of 61"); None without a pager."""
    found = page_range(payload, url)
    return found[2] if found else None


def _markup_posting(doc: Any, url: str) -> RawPosting | None:
    title = text_of(next(iter(doc.xpath("//*[contains(@class, 'jv-header')]")), None))
    body = next(iter(doc.xpath("//div[contains(@class, 'jv-job-detail-description')]")), None)
    if not title or body is None:
        return None
    meta = next(iter(doc.xpath("//*[contains(@class, 'jv-job-detail-meta')]")), None)
    parts: list[str] = []
    if meta is not None:
        # "Category<span class="jv-inline-separator"></span>City, State<span ...></span>City, State"
        pieces = [meta.text or ""] + [(child.tail or "") for child in meta]
        parts = [" ".join(p.split()) for p in pieces if p and p.strip()]
    department, locations = (parts[0], parts[1:]) if len(parts) > 1 else (None, parts)
    return RawPosting(source_id=job_id(url) or url, url=url, title=title,
                      locations=locations, department=department,
                      description_html=inner_html(body) or None, extra={"format": "jobvite-html"})


def parse_detail(payload: bytes | str, url: str = "", listing: RawPosting | None = None) -> RawPosting:
    """A job page: its JobPosting JSON-LD, else the Jobvite markup; merged into its listing row."""
    raw = jsonld_posting(payload, url)
    if raw is None:
        raw = _markup_posting(html_document(payload, url, "a Jobvite job page"), url)
    if raw is None:
        raise ParseError(f"{url or 'payload'}: no JobPosting data and no Jobvite job markup on the page")
    public = url.split("?", 1)[0]
    source_id = (listing.source_id if listing else None) or job_id(public) or raw.source_id
    return adopt(raw, source_id, public, listing)
