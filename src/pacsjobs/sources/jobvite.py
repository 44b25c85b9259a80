"""Jobvite hosted career sites (``https://jobs.jobvite.com/{company}``): server-rendered HTML.

Listing ``GET /{company}/jobs``: every open job on one page, grouped under a department heading,
one ``<table class="jv-job-list">`` per department::

    <h3 class="jv-job-list-heading">Information Technology</h3>
    <table class="jv-job-list"><tr>
      <td class="jv-job-list-name"><a href="/harborvalley/job/oKq1wfwA">PACS Administrator</a></td>
      <td class="jv-job-list-location">Portland, Maine</td></tr></table>

The listing states no count and cannot be searched reliably, so the whole board is read and the
classifier keeps the PACS roles. Job pages ``/{company}/job/{id}`` are read for their JobPosting
JSON-LD when they have it, else for the Jobvite markup (``h2.jv-header``, ``p.jv-job-detail-meta``
"Department | Location", ``div.jv-job-detail-description``). An unknown company is redirected
away from the board (to Jobvite's own site): the spider reports the board as moved.

Change marker: title + location + department of the listing row.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting
from pacsjobs.sources.jobpage import adopt, html_document, inner_html, jsonld_posting, text_of

if TYPE_CHECKING:
    from pacsjobs.config import SourceConfig

DEFAULT_BASE_URL = "https://jobs.jobvite.com"
_COMPANY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_JOB_PATH_RE = re.compile(r"/(?P<company>[^/]+)/job/(?P<id>[A-Za-z0-9]+)")
_ONCLICK_RE = re.compile(r"""location\.href\s*=\s*['"](?P<href>[^'"]+)['"]""")


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate a jobvite entry: ``company``, the name in jobs.jobvite.com/<company>."""
    opts = dict(options)
    company = opts.pop("company", None)
    if not isinstance(company, str) or not _COMPANY_RE.fullmatch(company):
        raise ValueError("company: required, the name in https://jobs.jobvite.com/<company> "
                         "(letters, digits, - _ .)")
    if "keywords" in opts:
        raise ValueError("keywords: a Jobvite board is read whole; the classifier keeps the PACS roles")
    for unknown in opts:
        raise ValueError(f"{unknown}: unknown key for a jobvite source (known: company)")
    return {"company": company}


def listing_url(base_url: str, company: str) -> str:
    return f"{base_url.rstrip('/')}/{company}/jobs"


def first_page_request(source: SourceConfig) -> tuple[str, str, dict[str, str], bytes | None]:
    """The board's listing page, for ``pacsjobs sources --check``."""
    url = listing_url(source.base_url or DEFAULT_BASE_URL, source.options["company"])
    return "GET", url, {"Accept": "text/html"}, None


def job_id(url: str) -> str | None:
    m = _JOB_PATH_RE.search(urlsplit(url).path)
    return m.group("id") if m else None


def marker(title: str, location: str | None, department: str | None) -> str:
    return f"{title} @ {location or ''} / {department or ''}"


def _department(table: Any) -> str | None:
    """The heading just before a department's table."""
    el = table.getprevious()
    while el is not None:
        if isinstance(el.tag, str) and el.tag.lower() in ("h2", "h3", "h4"):
            return text_of(el)
        if isinstance(el.tag, str) and el.tag.lower() == "table":
            return None
        el = el.getprevious()
    return None


def parse(payload: bytes | str, url: str = "") -> list[RawPosting]:
    """Every job row of a board's listing page (all departments)."""
    doc = html_document(payload, url, "a Jobvite listing page")
    if not doc.xpath("//*[contains(@class, 'jv-')]"):
        raise ParseError(f"{url or 'payload'}: not a Jobvite board (no jv- markup): the board moved "
                         "or answered another site")
    base = url or DEFAULT_BASE_URL
    out: list[RawPosting] = []
    seen: set[str] = set()
    for table in doc.xpath("//table[contains(@class, 'jv-job-list')]"):
        department = _department(table)
        for row in table.xpath(".//tr"):
            anchor = next(iter(row.xpath(".//td[contains(@class, 'jv-job-list-name')]//a[@href]")), None)
            href = anchor.get("href") if anchor is not None else None
            if href is None:  # rows that open the job by a click handler
                m = _ONCLICK_RE.search(row.get("onclick") or "")
                href = m.group("href") if m else None
            if not href or not _JOB_PATH_RE.search(href):
                continue
            absolute = urljoin(base, href.strip()).split("?", 1)[0]
            source_id = job_id(absolute)
            title = text_of(anchor) if anchor is not None else \
                text_of(next(iter(row.xpath(".//td[contains(@class, 'jv-job-list-name')]")), None))
            if not source_id or not title or source_id in seen:
                continue
            seen.add(source_id)
            location = text_of(next(iter(row.xpath(".//td[contains(@class, 'jv-job-list-location')]")), None))
            out.append(RawPosting(source_id=source_id, url=absolute, title=title,
                                  locations=[location] if location else [], department=department,
                                  updated=marker(title, location, department)))
    return out


def _markup_posting(doc: Any, url: str) -> RawPosting | None:
    title = text_of(next(iter(doc.xpath("//*[contains(@class, 'jv-header')]")), None))
    body = next(iter(doc.xpath("//div[contains(@class, 'jv-job-detail-description')]")), None)
    if not title or body is None:
        return None
    meta = next(iter(doc.xpath("//*[contains(@class, 'jv-job-detail-meta')]")), None)
    parts: list[str] = []
    if meta is not None:
        # "Department<span class="jv-inline-separator"></span>City, State": the span splits the two
        pieces = [meta.text or ""] + [(child.tail or "") for child in meta]
        parts = [" ".join(p.split()) for p in pieces if p and p.strip()]
    department, location = (parts[0], parts[-1]) if len(parts) > 1 else (None, parts[0] if parts else None)
    return RawPosting(source_id=job_id(url) or url, url=url, title=title,
                      locations=[location] if location else [], department=department,
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
