"""NEOGOV / GovernmentJobs.com agency boards (county, state and university hospitals).

Every agency's career page ``https://www.governmentjobs.com/careers/{agency}`` has an RSS feed of
all its open jobs: ``GET /SearchEngine/JobsFeed?agency={agency}``. Standard RSS items (``title``,
``link`` = the job page ``/careers/{agency}/jobs/{id}/{slug}``, ``pubDate``, ``description``) carry
NEOGOV's own fields in the ``joblisting`` namespace (``http://www.neogov.com/namespaces/JobListing``):
``jobId, jobNumberSingle, location, state, department, division, jobType, minimumSalary,
maximumSalary, salaryCurrency, salaryInterval ("Hour", "Year", ...), advertiseFromDateUTC,
advertiseToDateTimeUTC, examplesofduties, qualifications, supplementalinformation`` — the whole
posting, so no job page is fetched.

The feed cannot be searched and states no count. Without ``keywords`` every job is stored and the
classifier decides; with ``keywords`` only jobs whose title or text names one are kept (as a
server-side search would). Change marker: ``pubDate``, which moves when the agency edits a job.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from lxml import etree

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting, RawSalary
from pacsjobs.sources.common import Entries, read_entries, text_or_none

if TYPE_CHECKING:
    from pacsjobs.config import SourceConfig

DEFAULT_BASE_URL = "https://www.governmentjobs.com"
NS = "http://www.neogov.com/namespaces/JobListing"
_AGENCY_RE = re.compile(r"^[A-Za-z0-9_-]{2,60}$")
_OPTION_KEYS = {"agency", "keywords"}
# entities are not expanded and nothing is fetched: a hostile feed cannot blow up or reach out
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
_SECTIONS = (
    ("examplesofduties", "Examples of duties"),
    ("qualifications", "Qualifications"),
    ("supplementalinformation", "Supplemental information"),
)


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate a neogov entry: ``agency`` (of governmentjobs.com/careers/AGENCY) and ``keywords``."""
    out = dict(options)
    for key in out:
        if key not in _OPTION_KEYS:
            raise ValueError(f"{key}: unknown key (neogov takes agency, keywords)")
    agency = out.get("agency")
    if not isinstance(agency, str) or not _AGENCY_RE.fullmatch(agency.strip()):
        raise ValueError("agency: required, the AGENCY of www.governmentjobs.com/careers/AGENCY "
                         "(letters, digits, - _)")
    out["agency"] = agency.strip()
    if "keywords" in out:
        kw = out["keywords"]
        if not isinstance(kw, list) or not all(isinstance(k, str) for k in kw):
            raise ValueError("keywords: must be a list of strings (jobs naming one are kept)")
    return out


def feed_url(base: str, agency: str) -> str:
    """The agency's RSS feed."""
    return f"{base.rstrip('/')}/SearchEngine/JobsFeed?agency={quote(agency)}"


HEADERS = {"Accept": "application/rss+xml, application/xml;q=0.9, */*;q=0.5"}


def first_page_request(source: SourceConfig) -> tuple[str, str, dict[str, str], bytes | None]:
    """(method, url, headers, body) of the agency's feed, for ``pacsjobs sources --check``."""
    return "GET", feed_url(source.base_url or DEFAULT_BASE_URL, source.options["agency"]), dict(HEADERS), None


# -- parsing ----------------------------------------------------------------------------------


def _channel(payload: bytes | str, url: str) -> Any:
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    head = data.lstrip()[:200].lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        raise ParseError(f"{url or 'payload'}: expected an RSS feed, got an HTML page")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"{url or 'payload'}: not an RSS feed ({exc})") from None
    channel = root.find("channel") if root.tag == "rss" else None
    if channel is None:
        raise ParseError(f"{url or 'payload'}: not an RSS feed (no rss/channel)")
    return channel


def _fields(item: Any) -> dict[str, str]:
    """An item's children by lower-cased local name (NEOGOV's casing varies: jobId, examplesofduties)."""
    out: dict[str, str] = {}
    for child in item:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname.lower()
        prefix = "jl:" if etree.QName(child).namespace == NS else ""
        text = text_or_none(child.text)
        if text and f"{prefix}{name}" not in out:
            out[f"{prefix}{name}"] = text
    return out


def agency_name(payload: bytes | str, url: str = "") -> str | None:
    """The channel title ("San Bernardino County, CA")."""
    return text_or_none(_channel(payload, url).findtext("title"))


def _id(fields: dict[str, str]) -> str | None:
    job_id = fields.get("jl:jobid")
    if job_id:
        return job_id
    match = re.search(r"/jobs/(\d+)", fields.get("link", ""))
    return match.group(1) if match else None


def parse_item(fields: dict[str, str]) -> RawPosting | None:
    """One feed item (its fields by name); None without an id or a title."""
    job_id, title = _id(fields), fields.get("title")
    if not job_id or not title:
        return None
    sections = [fields["description"]] if fields.get("description") else []
    for key, heading in _SECTIONS:
        if fields.get(f"jl:{key}"):
            sections.append(f"<h3>{heading}</h3>{fields[f'jl:{key}']}")
    low, high = fields.get("jl:minimumsalary"), fields.get("jl:maximumsalary")
    salary = (
        RawSalary(min=low, max=high, currency=fields.get("jl:salarycurrency"), unit=fields.get("jl:salaryinterval"))
        if low or high
        else None
    )
    place = fields.get("jl:location")
    state = fields.get("jl:state")
    if place and state and state.lower() not in place.lower():
        place = f"{place}, {state}"
    extra = {
        "job_number": fields.get("jl:jobnumbersingle"),
        "division": fields.get("jl:division"),
        "categories": fields.get("jl:categories"),
        "pub_date": fields.get("pubdate"),
    }
    return RawPosting(
        source_id=job_id,
        url=fields.get("link") or job_id,
        title=title,
        locations=[place] if place else ([state] if state else []),
        employment_type=fields.get("jl:jobtype"),
        salary=salary,
        date_posted=fields.get("jl:advertisefromdateutc") or fields.get("jl:advertisefromdate") or fields.get("pubdate"),
        valid_through=fields.get("jl:advertisetodatetimeutc") or fields.get("jl:advertisetodatetime"),
        description_html="".join(sections) or None,
        updated=fields.get("pubdate"),
        department=fields.get("jl:department"),
        extra={k: v for k, v in extra.items() if v},
    )


def parse(payload: bytes | str, url: str = "") -> Entries:
    """Every job of an agency's feed (items that cannot be read are counted: ``Entries.skipped``)."""
    channel = _channel(payload, url)
    agency = text_or_none(channel.findtext("title"))
    out = read_entries(channel.findall("item"), lambda item: parse_item(_fields(item)))
    for raw in out:
        if agency:
            raw.extra["agency_name"] = agency
    return out


def matches(raw: RawPosting, terms: list[str]) -> bool:
    """Does a job name one of the search terms (title or text, case-insensitive)?"""
    text = f"{raw.title} {raw.description_html or ''}".lower()
    return any(t.strip().lower() in text for t in terms if t.strip()) or not any(t.strip() for t in terms)
