"""iCIMS career portals (``https://careers-{tenant}.icims.com``): server-rendered HTML, no JSON API.

Listing: ``GET /jobs/search?ss=1&searchKeyword=PACS&in_iframe=1&pr={n}`` (``pr`` counts pages
from 0; ``in_iframe=1`` asks for the portal's content without the employer's wrapper page, which
otherwise loads it into ``#icims_content_iframe``). A results page is
``<ul class="container-fluid iCIMS_JobsTable">`` of ``<li class="iCIMS_JobCardItem">`` cards::

    <div class="col-xs-6 header left"><span class="sr-only field-label">Location</span>
      <span > US-NY-West Islip</span></div>
    <div class="col-xs-12 title"><a href="https://careers-x.icims.com/jobs/74333/cna/job?in_iframe=1"
      class="iCIMS_Anchor" title="74333 - CNA"><h3 > CNA</h3></a></div>
    <dl class="iCIMS_JobHeaderGroup"><div class="iCIMS_JobHeaderTag">
      <dt class="iCIMS_JobHeaderField">Category</dt><dd class="iCIMS_JobHeaderData"><span>...</span></dd>

and the pager says "Search Results Page 1 of 3" (pages, never a count of postings). Job pages
``/jobs/{id}/{slug}/job?in_iframe=1`` carry JobPosting JSON-LD; without it, the iCIMS markup
(``h1.iCIMS_Header``, ``iCIMS_InfoMsg_Job`` sections) is read.

Change marker: a card has no modification date, so the marker is title + location + the card's
header fields; an unchanged card is not fetched again. The sitemap mode (``sitemap`` option) uses
the sitemap's ``<lastmod>`` instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting, RawSalary
from pacsjobs.sources.common import joined_url
from pacsjobs.sources.jobpage import (
    adopt,
    check_keywords,
    check_site_url,
    html_document,
    inner_html,
    jsonld_posting,
    text_of,
)

if TYPE_CHECKING:
    from pacsjobs.config import SourceConfig

DEFAULT_BASE_URL = ""  # each portal has its own host: the option ``url``
DEFAULT_KEYWORDS = ["PACS", "imaging informatics", "radiology informatics", "enterprise imaging"]
JOB_PATH_RE = re.compile(r"/jobs/(?P<id>\d+)/(?P<slug>[^/?#]*)/job")
_HOST_RE = re.compile(r"^[a-z0-9][a-z0-9-]*\.icims\.com$", re.IGNORECASE)
_PAGES_RE = re.compile(r"\bPage\s+(\d+)\s+of\s+(\d+)", re.IGNORECASE)
_PAGES_SR_RE = re.compile(r"\bof\s+(\d+)\s*,\s*Current Page", re.IGNORECASE)
# "US-NY-West Islip", "US-Remote", "CA-ON-Toronto"; several joined by " | "
_PLACE_RE = re.compile(r"^(?P<country>[A-Z]{2})-(?:(?P<region>[A-Z0-9]{1,3})-)?(?P<city>.+)$")
_OPTION_KEYS = ("url", "keywords", "sitemap")
# What a search without hits says (in div.iCIMS_Message.iCIMS_ErrorMessage): the only empty page
# taken for an empty result; any other page without cards (a login, an intro, a disabled portal)
# is an error, never a board that emptied.
_NO_HITS_RE = re.compile(r"no jobs were found that match your search", re.IGNORECASE)
# Some portals show a card's date as "3 weeks ago (1/5/2026 9:02 AM)": the words drift every day.
_RELATIVE_RE = re.compile(r"\b(?:\d+\+?\s+(?:minute|hour|day|week|month|year)s?\s+ago|today|yesterday)\b\s*",
                          re.IGNORECASE)


@dataclass(frozen=True)
class Portal:
    """One iCIMS portal: its public root and the root requests go to (``base_url`` in tests)."""

    url: str
    fetch_root: str

    def search_url(self, term: str, page: int) -> str:
        query = {"ss": "1", "searchKeyword": term, "in_iframe": "1", "pr": str(page)} if term \
            else {"ss": "1", "in_iframe": "1", "pr": str(page)}
        return f"{self.fetch_root}/jobs/search?{urlencode(query)}"

    def job_url(self, public_url: str) -> str:
        """Where to fetch a job page: its path on the fetch root, the iframe content."""
        return f"{self.fetch_root}{urlsplit(public_url).path}?in_iframe=1"

    def sitemap_url(self, sitemap: str) -> str:
        return sitemap if "://" in sitemap else f"{self.fetch_root}/{sitemap.lstrip('/')}"


def portal(url: str, base_url: str | None = None) -> Portal:
    return Portal(url=url.rstrip("/"), fetch_root=(base_url or url).rstrip("/"))


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate an icims entry: ``url`` (the portal root), ``keywords``, ``sitemap``."""
    opts = dict(options)
    for key in opts:
        if key not in _OPTION_KEYS:
            raise ValueError(f"{key}: unknown key for an icims source (known: {', '.join(_OPTION_KEYS)})")
    out: dict[str, Any] = {"url": check_site_url(opts.get("url"), "url", "https://careers-acme.icims.com")}
    if not _HOST_RE.match(urlsplit(out["url"]).netloc):
        raise ValueError(f"url: {out['url']!r} is not an iCIMS portal (https://TENANT.icims.com)")
    if "keywords" in opts:
        out["keywords"] = check_keywords(opts["keywords"])
    sitemap = opts.get("sitemap")
    if sitemap is not None:
        if not isinstance(sitemap, str) or not sitemap.strip():
            raise ValueError('sitemap: must be a path on the portal ("/sitemap.xml") or a URL')
        if "keywords" in opts:
            raise ValueError("sitemap: read either the sitemap or the keyword search, not both")
        out["sitemap"] = sitemap.strip()
    return out


def keywords(options: dict[str, Any]) -> list[str]:
    """Search terms of a portal; ``[]`` or ``[""]`` reads every posting of the portal."""
    kw = options.get("keywords")
    return [k for k in (DEFAULT_KEYWORDS if kw is None else kw) if k] or [""]


def first_page_request(source: SourceConfig) -> tuple[str, str, dict[str, str], bytes | None]:
    """(method, url, headers, body) of the first search page, for ``pacsjobs sources --check``."""
    p = portal(source.options["url"], source.base_url)
    if source.options.get("sitemap"):
        return "GET", p.sitemap_url(source.options["sitemap"]), {"Accept": "application/xml"}, None
    return "GET", p.search_url(keywords(source.options)[0], 0), {"Accept": "text/html"}, None


# -- places -----------------------------------------------------------------------------------
def place(code: str) -> tuple[str, str | None]:
    """``"US-NY-West Islip"`` -> ``("West Islip, NY", "US")``; other wording stays as it is."""
    m = _PLACE_RE.match(code.strip())
    if not m:
        return code.strip(), None
    city, region = m.group("city").strip(), m.group("region")
    return (f"{city}, {region}" if region else city), m.group("country")


def places(text: str | None) -> tuple[list[str], str | None]:
    out: list[str] = []
    country = None
    for piece in (text or "").split("|"):
        if not piece.strip():
            continue
        words, code = place(piece)
        if words not in out:
            out.append(words)
        country = country or code
    return out, country


# -- listing ----------------------------------------------------------------------------------
def _is_icims_page(doc: Any) -> bool:
    return bool(doc.xpath("//*[contains(@class, 'iCIMS_') or contains(@id, 'iCIMS_')]"))


def _header_fields(card: Any) -> dict[str, str]:
    """The labelled values of a card: its two header cells and its ``<dl>`` of fields."""
    fields: dict[str, str] = {}
    for cell in card.xpath(".//div[contains(concat(' ', normalize-space(@class), ' '), ' header ')]"):
        label = text_of(next(iter(cell.xpath(".//span[contains(@class, 'field-label')]")), None))
        values = [text_of(s) for s in cell.xpath("./span[not(contains(@class, 'field-label'))]")]
        value = " ".join(v for v in values if v)
        if label and value:
            fields[label.rstrip(": ")] = value
    for tag in card.xpath(".//*[contains(@class, 'iCIMS_JobHeaderTag')]"):
        dt = next(iter(tag.xpath(".//dt")), None)
        dd = next(iter(tag.xpath(".//dd")), None)
        label, value = text_of(dt), text_of(dd)
        if label and value:
            # a label can be spelled twice for screen readers ("Location : Location")
            fields[label.split(" : ")[0].rstrip(": ")] = value
    return fields


def _field(fields: dict[str, str], *names: str) -> str | None:
    lowered = {k.lower(): v for k, v in fields.items()}
    for name in names:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def marker(title: str, fields: dict[str, str]) -> str:
    """The listing's change marker: title and every labelled value of the card, without the
    relative dates that change with the passing of time only."""
    values = [f"{k}={_RELATIVE_RE.sub('', v).strip()}" for k, v in sorted(fields.items())]
    return " | ".join([title] + values)


def _card_posting(card: Any, page_url: str) -> RawPosting | None:
    anchor = next(iter(card.xpath(".//a[contains(@class, 'iCIMS_Anchor')][@href]")), None)
    if anchor is None:
        anchor = next((a for a in card.xpath(".//a[@href]") if JOB_PATH_RE.search(a.get("href"))), None)
    if anchor is None:
        return None
    href = anchor.get("href").strip()
    m = JOB_PATH_RE.search(href)
    if not m:
        return None
    title = text_of(next(iter(anchor.xpath(".//h3 | .//h2")), None))
    if not title:
        anchor_title = anchor.get("title") or ""
        title = anchor_title.split(" - ", 1)[-1].strip() or text_of(anchor)
    if not title:
        return None
    fields = _header_fields(card)
    locations, country = places(_field(fields, "Location", "Job Locations", "Locations", "Job Location"))
    link = joined_url(page_url or href, href)  # some portals link relatively
    if link is None:  # not a URL (a bracket in its host): no card to read
        return None
    parts = urlsplit(link)
    public = f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else href.split("?", 1)[0]
    low, high = _field(fields, "Posted Min Pay Rate", "Min Pay Rate"), _field(fields, "Posted Max Pay Rate",
                                                                               "Max Pay Rate")
    teaser = text_of(next(iter(card.xpath(".//div[contains(@class, 'description')]")), None))
    return RawPosting(
        source_id=m.group("id"),
        url=public,
        title=title,
        locations=locations,
        country=country,
        workplace=_field(fields, "Remote", "Work Arrangement", "Workplace Type"),
        employment_type=_field(fields, "Position Type", "Type", "Employment Type", "Shift Type"),
        salary=RawSalary(text=" - ".join(v for v in (low, high) if v)) if low or high else None,
        date_posted=_field(fields, "Posted Date", "Date Posted", "Posting Date"),
        description_html=f"<p>{teaser}</p>" if teaser else None,
        department=_field(fields, "Category", "Department", "Job Category"),
        updated=marker(title, fields),
        extra={"fields": fields, "requisition": _field(fields, "ID", "Requisition ID", "Job ID")},
    )


def parse(payload: bytes | str, url: str = "") -> list[RawPosting]:
    """The postings of one search results page (``iCIMS_JobsTable`` cards)."""
    doc = html_document(payload, url, "an iCIMS search page")
    if not _is_icims_page(doc):
        raise ParseError(f"{url or 'payload'}: not an iCIMS page (no iCIMS_ markup): the portal moved "
                         "or answered another site")
    out: list[RawPosting] = []
    seen: set[str] = set()
    cards = doc.xpath("//*[contains(@class, 'iCIMS_JobsTable')]//*[contains(@class, 'iCIMS_JobCardItem')]") \
        or doc.xpath("//*[contains(@class, 'iCIMS_JobsTable')]//div[contains(concat(' ', @class, ' '), ' row ')]")
    for card in cards:
        raw = _card_posting(card, url)
        if raw is not None and raw.source_id not in seen:
            seen.add(raw.source_id)
            out.append(raw)
    if not out and not _NO_HITS_RE.search(" ".join(doc.text_content().split())):
        raise ParseError(f"{url or 'payload'}: an iCIMS page without job cards or a 'no jobs were found' "
                         "message: not a search results page")
    return out


def page_count(payload: bytes | str, url: str = "") -> int | None:
    """The number of result pages the pager announces ("Page 1 of 3"), or None."""
    doc = html_document(payload, url, "an iCIMS search page")
    text = " ".join(doc.text_content().split())
    m = _PAGES_RE.search(text)
    if m:
        return int(m.group(2))
    m = _PAGES_SR_RE.search(text)
    return int(m.group(1)) if m else None


# -- job pages --------------------------------------------------------------------------------
def job_id(url: str) -> str | None:
    m = JOB_PATH_RE.search(urlsplit(url).path)
    return m.group("id") if m else None


def _markup_posting(doc: Any, url: str) -> RawPosting | None:
    """A job page without JSON-LD: the iCIMS markup (header, fields, description sections)."""
    title = text_of(next(iter(doc.xpath("//h1[contains(@class, 'iCIMS_Header')]")), None))
    if not title:
        return None
    fields = _header_fields(doc)
    locations, country = places(_field(fields, "Location", "Job Locations", "Locations", "Job Location"))
    sections = []
    for el in doc.xpath("//*[contains(@class, 'iCIMS_InfoMsg_Job')]"):
        heading = el.getprevious()
        if heading is not None and "iCIMS_InfoField_Job" in (heading.get("class") or ""):
            sections.append(f"<h2>{text_of(heading) or ''}</h2>")
        sections.append(inner_html(el))
    return RawPosting(
        source_id=job_id(url) or url, url=url, title=title, locations=locations, country=country,
        employment_type=_field(fields, "Position Type", "Type", "Employment Type"),
        date_posted=_field(fields, "Posted Date", "Date Posted"),
        department=_field(fields, "Category", "Department"),
        description_html="".join(sections) or None, extra={"format": "icims-html", "fields": fields},
    )


def parse_detail(payload: bytes | str, url: str = "", listing: RawPosting | None = None) -> RawPosting:
    """A job page: its JobPosting JSON-LD, else the iCIMS markup; merged into its listing card."""
    source_id = (listing.source_id if listing else None) or job_id(url)
    raw = jsonld_posting(payload, url)
    if raw is None:
        doc = html_document(payload, url, "an iCIMS job page")
        raw = _markup_posting(doc, url)
    if raw is None:
        raise ParseError(f"{url or 'payload'}: no JobPosting data and no iCIMS job markup on the page")
    public = url.split("?", 1)[0]
    return adopt(raw, source_id or public, public, listing)
