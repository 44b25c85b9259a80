"""Oracle Recruiting Cloud (Candidate Experience): the REST resources behind
``https://{host}/hcmUI/CandidateExperience/en/sites/{site}``.

Listing ``GET /hcmRestApi/resources/latest/recruitingCEJobRequisitions?onlyData=true&expand=...
&finder=findReqs;siteNumber=CX_1,limit=25,keyword="PACS",offset=0,sortBy=POSTING_DATES_DESC``
returns ``{items: [{TotalJobsCount, requisitionList[{Id, Title, PostedDate, PrimaryLocation,
PrimaryLocationCountry, WorkplaceType, ShortDescriptionStr, secondaryLocations[], ...}], facets...}],
count, hasMore, limit, offset, links}``. ``hasMore`` / ``count`` describe ``items`` (always one
search object), not the postings: pagination is by the finder's ``offset`` up to TotalJobsCount.

Detail ``GET .../recruitingCEJobRequisitionDetails?expand=all&onlyData=true
&finder=ById;Id="123",siteNumber=CX_1`` returns ``{items: [{Id, Title, ExternalDescriptionStr,
ExternalResponsibilitiesStr, ExternalQualificationsStr, workLocation[], ...}]}``.
Change marker: ``PostedDate`` (an employer re-posting an edited job gets a new date).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlsplit

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

DEFAULT_BASE_URL = ""  # each employer has its own host: the option ``host``
API_PATH = "/hcmRestApi/resources/latest"
PAGE_LIMIT = 25  # what the Candidate Experience site itself asks for
DEFAULT_SITE = "CX_1"
DEFAULT_KEYWORDS = ["PACS", "imaging informatics", "radiology informatics", "enterprise imaging"]
LIST_EXPAND = "requisitionList.secondaryLocations,flexFieldsFacet.values"
_OPTION_KEYS = {"host", "site", "keywords", "lang"}


def normalize_host(host: str) -> str:
    """``evac.fa.us2.oraclecloud.com`` or a full URL -> ``https://evac.fa.us2.oraclecloud.com``."""
    host = host.strip().rstrip("/")
    if "://" not in host:
        host = f"https://{host}"
    parts = urlsplit(host)
    return f"{parts.scheme}://{parts.netloc}"


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate an oracle entry: ``host`` (required), ``site`` (CX_1), ``keywords``, ``lang``."""
    out = dict(options)
    for key in out:
        if key not in _OPTION_KEYS:
            raise ValueError(f"{key}: unknown key (oracle takes {', '.join(sorted(_OPTION_KEYS))})")
    host = out.get("host")
    if not isinstance(host, str) or not host.strip():
        raise ValueError("host: is required, e.g. https://evac.fa.us2.oraclecloud.com")
    out["host"] = normalize_host(host)
    if not urlsplit(out["host"]).netloc or "." not in urlsplit(out["host"]).netloc:
        raise ValueError(f"host: {host!r} is not a host name")
    site = out.setdefault("site", DEFAULT_SITE)
    if not isinstance(site, str) or not site.strip() or any(c in site for c in ',;="/ '):
        raise ValueError(f"site: {site!r} is not a site number such as CX_1")
    lang = out.setdefault("lang", "en")
    if not isinstance(lang, str) or not lang.strip():
        raise ValueError("lang: must be a language code such as en")
    if "keywords" in out:
        kw = out["keywords"]
        if not isinstance(kw, list) or not all(isinstance(k, str) and '"' not in k for k in kw):
            raise ValueError("keywords: must be a list of strings without double quotes")
    return out


def keywords(options: dict[str, Any]) -> list[str]:
    """Search terms; an explicit empty string means the whole site."""
    kw = options.get("keywords")
    return list(DEFAULT_KEYWORDS if kw is None else kw) or [""]


def _query(params: list[tuple[str, str]]) -> str:
    # the finder's own separators (; , =) stay literal as the Candidate Experience UI sends them
    return "&".join(f"{k}={quote(v, safe=';,=.')}" for k, v in params)


def list_finder(site: str, keyword: str, offset: int = 0, limit: int = PAGE_LIMIT) -> str:
    """The ``findReqs`` finder of one page (the value of the ``finder`` query parameter)."""
    kw = f',keyword="{keyword}"' if keyword else ""
    return f"findReqs;siteNumber={site},limit={limit}{kw},offset={offset},sortBy=POSTING_DATES_DESC"


def list_url(base: str, site: str, keyword: str, offset: int = 0) -> str:
    """The listing URL of one page."""
    return f"{base.rstrip('/')}{API_PATH}/recruitingCEJobRequisitions?" + _query(
        [
            ("onlyData", "true"),
            ("expand", LIST_EXPAND),
            ("finder", list_finder(site, keyword, offset)),
        ]
    )


def detail_finder(site: str, job_id: str) -> str:
    return f'ById;Id="{job_id}",siteNumber={site}'


def detail_url(base: str, site: str, job_id: str) -> str:
    """The detail URL of one requisition."""
    return f"{base.rstrip('/')}{API_PATH}/recruitingCEJobRequisitionDetails?" + _query(
        [("expand", "all"), ("onlyData", "true"), ("finder", detail_finder(site, job_id))]
    )


def job_url_base(host: str, site: str, lang: str = "en") -> str:
    """Public job pages live under this: ``{base}/job/{Id}``."""
    return f"{normalize_host(host)}/hcmUI/CandidateExperience/{lang}/sites/{site}"


HEADERS = {"Accept": "application/json"}


def first_page_request(source: SourceConfig) -> tuple[str, str, dict[str, str], bytes | None]:
    """(method, url, headers, body) of the board's first page, for ``pacsjobs sources --check``."""
    opts = source.options
    base = source.base_url or opts["host"]
    return (
        "GET",
        list_url(base, opts.get("site", DEFAULT_SITE), keywords(opts)[0]),
        dict(HEADERS),
        None,
    )


# -- parsing ----------------------------------------------------------------------------------


def _search(payload: Any, url: str) -> dict[str, Any]:
    data = load_json(payload, url)
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ParseError(
            f"{url or 'payload'}: not an Oracle recruitingCEJobRequisitions response (no items list)"
        )
    if not items:
        return {}
    if not isinstance(items[0], dict):
        raise ParseError(f"{url or 'payload'}: items[0] is not an object")
    return items[0]


def reported_total(payload: Any, url: str = "") -> int | None:
    """``items[0].TotalJobsCount``: how many requisitions the search has."""
    total = _search(payload, url).get("TotalJobsCount")
    if isinstance(total, bool):
        return None
    try:
        return int(total)
    except (TypeError, ValueError):
        return None


def _base_from_url(url: str) -> str:
    """The public job base from an API URL (host + the finder's siteNumber), else ""."""
    parts = urlsplit(url)
    if "/hcmRestApi/" not in parts.path:
        return ""
    finder = (parse_qs(parts.query).get("finder") or [""])[0]
    site = next(
        (
            p.split("=", 1)[1]
            for p in finder.replace(";", ",").split(",")
            if p.startswith("siteNumber=")
        ),
        DEFAULT_SITE,
    )
    return job_url_base(f"{parts.scheme}://{parts.netloc}", site)


def _locations(job: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for name in [job.get("PrimaryLocation")] + [
        loc.get("Name") for loc in items(job.get("secondaryLocations")) if isinstance(loc, dict)
    ]:
        text = text_or_none(name)
        if text and text not in out:
            out.append(text)
    return out


def _paragraph(text: Any) -> str | None:
    value = text_or_none(text)
    return f"<p>{html.escape(value)}</p>" if value else None


def _flex(job: dict[str, Any]) -> dict[str, Any]:
    fields = {}
    for f in items(job.get("requisitionFlexFields")):
        if isinstance(f, dict) and text_or_none(f.get("Prompt")) and text_or_none(f.get("Value")):
            fields[str(f["Prompt"]).strip()] = str(f["Value"]).strip()
    return fields


def _common(job: dict[str, Any]) -> dict[str, Any]:
    extra = {
        "requisition_number": text_or_none(job.get("RequisitionNumber")),
        "job_family": text_or_none(job.get("JobFamily")),
        "job_function": text_or_none(job.get("JobFunction")),
        "worker_type": text_or_none(job.get("WorkerType")),
        "job_shift": text_or_none(job.get("JobShift")),
        "business_unit": text_or_none(job.get("BusinessUnit")),
        "legal_employer": text_or_none(job.get("LegalEmployer")),
        "workplace_type_code": text_or_none(job.get("WorkplaceTypeCode")),
        "flex_fields": _flex(job),
    }
    return {k: v for k, v in extra.items() if v}


def parse_requisition(job: dict[str, Any], base: str = "") -> RawPosting | None:
    """One ``requisitionList`` entry; None without an Id or a Title."""
    job_id, title = text_or_none(job.get("Id")), text_or_none(job.get("Title"))
    if not job_id or not title:
        return None
    posted = text_or_none(job.get("PostedDate"))
    return RawPosting(
        source_id=job_id,
        url=f"{base}/job/{job_id}" if base else job_id,
        title=title,
        locations=_locations(job),
        country=text_or_none(job.get("PrimaryLocationCountry")),
        workplace=text_or_none(job.get("WorkplaceType"))
        or text_or_none(job.get("WorkplaceTypeCode")),
        employment_type=text_or_none(job.get("JobSchedule")) or text_or_none(job.get("JobType")),
        date_posted=posted,
        valid_through=text_or_none(job.get("PostingEndDate")),
        description_html=_paragraph(job.get("ShortDescriptionStr")),
        updated=posted,
        department=text_or_none(job.get("Department")) or text_or_none(job.get("Organization")),
        extra=_common(job),
    )


def parse(payload: bytes | str | Any, url: str = "", job_base: str = "") -> Entries:
    """Requisitions of one listing page; ``job_base`` (``job_url_base``) makes the public links."""
    search = _search(payload, url)
    if search and "requisitionList" not in search and "TotalJobsCount" not in search:
        raise ParseError(
            f"{url or 'payload'}: not a requisition list (a recruitingCEJobRequisitionDetails "
            "response? read it with parse_detail)"
        )
    reqs = search.get("requisitionList") or []
    if not isinstance(reqs, list):
        raise ParseError(f"{url or 'payload'}: requisitionList is not a list")
    base = job_base or _base_from_url(url)
    return read_entries(reqs, lambda j: parse_requisition(j, base) if isinstance(j, dict) else None)


def parse_detail(
    payload: bytes | str | Any, url: str = "", listing: RawPosting | None = None
) -> RawPosting:
    """A ``recruitingCEJobRequisitionDetails`` response, merged into its listing entry."""
    job = _search(payload, url)
    if not job:
        raise ParseError(f"{url or 'payload'}: requisition not found (empty items)")
    base = _base_from_url(url)
    raw = parse_requisition(job, base) or (listing if listing else None)
    if raw is None:
        raise ParseError(f"{url or 'payload'}: Oracle requisition detail without Id or Title")
    sections = []
    for heading, key in (
        ("", "ExternalDescriptionStr"),
        ("Responsibilities", "ExternalResponsibilitiesStr"),
        ("Qualifications", "ExternalQualificationsStr"),
        ("About the organization", "OrganizationDescriptionStr"),
        ("About us", "CorporateDescriptionStr"),
    ):
        value = text_or_none(job.get(key))
        if value:  # these fields are HTML already
            sections.append(f"<h3>{heading}</h3>{value}" if heading else value)
    posted = text_or_none(job.get("ExternalPostedStartDate"))
    work = [w for w in items(job.get("workLocation")) if isinstance(w, dict)]
    extra = dict(listing.extra) if listing else {}
    extra.update(_common(job))
    if work:
        extra["work_locations"] = [
            {
                k: w.get(k)
                for k in (
                    "LocationName",
                    "AddressLine1",
                    "TownOrCity",
                    "Region2",
                    "PostalCode",
                    "Country",
                )
                if w.get(k)
            }
            for w in work
        ]
    if listing:
        raw.source_id, raw.url, raw.updated = listing.source_id, listing.url, listing.updated
        raw.locations = raw.locations or list(listing.locations)
        raw.date_posted = raw.date_posted or listing.date_posted
    raw.date_posted = raw.date_posted or posted
    raw.valid_through = text_or_none(job.get("ExternalPostedEndDate")) or raw.valid_through
    raw.description_html = (
        "".join(sections) or raw.description_html or (listing.description_html if listing else None)
    )
    raw.employer = text_or_none(job.get("LegalEmployer")) or (listing.employer if listing else None)
    raw.extra = extra
    return raw
