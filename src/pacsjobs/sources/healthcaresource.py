"""HealthcareSource (Symplr) hospital boards: ``https://{tenant}.hcshiring.com/jobs``.

The board page is an app shell whose script names the current release of its API:
``var V = { version: 'f0f02cc6' };``. The listing is that release's JSON:
``GET /{version}/api/jobs?category=&distance=-1&filters=&internal=false&job=PACS&jobSelected=false
&location=&openOnly=false&orgId=&page=N`` (``job`` searches the titles; 10 a page) returns
``{jobs[{id, title, organization, street, city, state, zip, isInternalOnly, hasOpening, ...}],
meta{page, perPage, totalJobs, totalPages}}``. The description comes from
``GET /{version}/api/jobDescriptions?id={id}&preview=false&ref=&title=`` →
``{jobDescriptions{description (HTML), ...}}``; people read the job at ``/jobs/{id}``.

A new release changes the token and the old one answers 404: the spider reads the board page
again once, then reports. Change marker: the listing's title, organization and place (the listing
has no date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting
from pacsjobs.sources.common import Entries, load_json, read_entries, text_or_none, whole_number

if TYPE_CHECKING:
    from pacsjobs.config import SourceConfig

DEFAULT_BASE_URL = ""  # each tenant has its own host: derived from the option ``url``
DEFAULT_KEYWORDS = ["PACS", "imaging informatics", "radiology informatics", "enterprise imaging"]
MAX_PAGES = 200  # 2,000 jobs of 10 a page; past that the run is partial

_BOARD_RE = re.compile(r"^https://(?P<tenant>[A-Za-z0-9-]+)\.hcshiring\.com(?:/jobs)?/?$")
_VERSION_RE = re.compile(r"""var\s+V\s*=\s*\{\s*version\s*:\s*['"]([0-9A-Za-z]{4,40})['"]""")
_OPTION_KEYS = {"url", "keywords"}


@dataclass(frozen=True)
class Board:
    """One HealthcareSource board: its public root and where requests go (another host in tests)."""

    url: str  # https://TENANT.hcshiring.com
    root: str

    @property
    def jobs_page_url(self) -> str:
        return f"{self.root}/jobs"

    def list_url(self, version: str, term: str, page: int = 1) -> str:
        query = {
            "category": "", "distance": "-1", "filters": "", "internal": "false", "job": term,
            "jobSelected": "false", "location": "", "openOnly": "false", "orgId": "", "page": str(page),
        }
        return f"{self.root}/{quote(version)}/api/jobs?{urlencode(query)}"

    def detail_url(self, version: str, job_id: str) -> str:
        query = urlencode({"id": job_id, "preview": "false", "ref": "", "title": ""})
        return f"{self.root}/{quote(version)}/api/jobDescriptions?{query}"

    def public_url(self, job_id: str) -> str:
        return f"{self.url}/jobs/{quote(job_id)}"


def board(url: str, base_url: str | None = None) -> Board:
    """The board of a public URL; ``base_url`` (tests, mirrors) replaces only the host."""
    match = _BOARD_RE.match(url.strip())
    if not match:
        raise ValueError(f"url: {url!r} is not a HealthcareSource board URL (https://TENANT.hcshiring.com)")
    public = f"https://{match['tenant']}.hcshiring.com"
    return Board(url=public, root=(base_url or public).rstrip("/"))


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate a healthcaresource entry: ``url`` (the board, required) and ``keywords``."""
    out = dict(options)
    for key in out:
        if key not in _OPTION_KEYS:
            raise ValueError(f"{key}: unknown key (healthcaresource takes url, keywords)")
    url = out.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ValueError("url: is required, e.g. https://TENANT.hcshiring.com")
    out["url"] = board(url).url
    if "keywords" in out:
        kw = out["keywords"]
        if not isinstance(kw, list) or not all(isinstance(k, str) for k in kw):
            raise ValueError('keywords: must be a list of strings ("" fetches the whole board)')
    return out


def keywords(options: dict[str, Any]) -> list[str]:
    """Title search terms; an explicit empty string means the whole board."""
    kw = options.get("keywords")
    return list(DEFAULT_KEYWORDS if kw is None else kw) or [""]


HEADERS = {"Accept": "application/json, text/plain, */*"}


def first_page_request(source: SourceConfig) -> tuple[str, str, dict[str, str], bytes | None]:
    """The board page (the version token comes from it), for ``pacsjobs sources --check``."""
    return "GET", board(source.options["url"], source.base_url).jobs_page_url, {}, None



def check_page(payload: bytes | str, url: str = "", options: dict[str, Any] | None = None) -> None:
    """``sources --check``: the first page must name the API (version_token); postings are not counted."""
    version_token(payload, url)


# -- parsing ----------------------------------------------------------------------------------


def version_token(payload: bytes | str, url: str = "") -> str:
    """The API release a board page names (``var V = { version: '...' }``)."""
    page = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
    match = _VERSION_RE.search(page)
    if not match:
        raise ParseError(
            f"{url or 'payload'}: no version token (var V = {{version: ...}}) on the page: "
            "not a HealthcareSource board page (moved, or no such tenant?)"
        )
    return match.group(1)


def _listing(payload: Any, url: str) -> dict[str, Any]:
    data = load_json(payload, url)
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list) or not isinstance(data.get("meta"), dict):
        raise ParseError(f"{url or 'payload'}: not a HealthcareSource jobs response (no jobs list / meta)")
    return data


def reported_total(payload: Any, url: str = "") -> int | None:
    """``meta.totalJobs``: how many jobs the search has."""
    return whole_number(_listing(payload, url)["meta"].get("totalJobs"))


def page_count(payload: Any, url: str = "") -> int:
    """``meta.totalPages`` (at least 1)."""
    pages = whole_number(_listing(payload, url)["meta"].get("totalPages"))
    return max(pages or 1, 1)


def marker(job: dict[str, Any]) -> str:
    """The listing's change marker (see the module docstring)."""
    keys = ("title", "organization", "city", "state", "zip")
    return "|".join(text_or_none(job.get(k)) or "" for k in keys)


def parse_job(job: dict[str, Any], b: Board | None = None) -> RawPosting | None:
    """One ``jobs`` entry; None without an id or a title."""
    job_id = text_or_none(job.get("id"))
    title = text_or_none(job.get("title")) or text_or_none(job.get("job_title"))
    if not job_id or not title:
        return None
    city, state, postal = (text_or_none(job.get(k)) for k in ("city", "state", "zip"))
    place = ", ".join(p for p in (city, state) if p)
    if place and postal:
        place = f"{place} {postal}"
    summary = text_or_none(job.get("summary"))
    extra = {
        "organization": text_or_none(job.get("organization")),
        "street": text_or_none(job.get("street")),
        "is_internal_only": job.get("isInternalOnly") if isinstance(job.get("isInternalOnly"), bool) else None,
        "has_opening": job.get("hasOpening") if isinstance(job.get("hasOpening"), bool) else None,
    }
    return RawPosting(
        source_id=job_id,
        url=b.public_url(job_id) if b else job_id,
        title=title,
        locations=[place] if place else [],
        country="US" if state else None,  # hcshiring boards are US hospitals' boards
        description_html=f"<p>{summary}</p>" if summary and "<" not in summary else summary,
        updated=marker(job),
        department=text_or_none(job.get("organization")),
        extra={k: v for k, v in extra.items() if v is not None},
    )


def _board_from_url(url: str) -> Board | None:
    parts = urlsplit(url)
    if not parts.netloc:
        return None
    root = f"{parts.scheme}://{parts.netloc}"
    return Board(url=root, root=root)


def parse(payload: bytes | str | Any, url: str = "", board_url: str = "") -> Entries:
    """Jobs of one listing page; ``board_url`` makes the public links (else from ``url``). Jobs
    that cannot be read are counted (``Entries.skipped``): the crawl must not close them."""
    data = _listing(payload, url)
    b = board(board_url) if board_url else _board_from_url(url)
    return read_entries(data["jobs"], lambda j: parse_job(j, b) if isinstance(j, dict) else None)


def parse_detail(
    payload: bytes | str | Any, url: str = "", listing: RawPosting | None = None
) -> RawPosting:
    """A ``jobDescriptions`` response, merged into its listing entry."""
    data = load_json(payload, url)
    desc = data.get("jobDescriptions") if isinstance(data, dict) else None
    if not isinstance(desc, dict):
        raise ParseError(f"{url or 'payload'}: not a HealthcareSource jobDescriptions response")
    html = text_or_none(desc.get("description"))
    if not html:
        raise ParseError(f"{url or 'payload'}: HealthcareSource job without a description")
    if listing is None:
        job_id = text_or_none(desc.get("id")) or (re.findall(r"[?&]id=([^&]+)", url) or [None])[0]
        title = text_or_none(desc.get("title"))
        if not job_id or not title:
            raise ParseError(f"{url or 'payload'}: a job description without its listing needs an id and title")
        b = _board_from_url(url)
        listing = RawPosting(source_id=job_id, url=b.public_url(job_id) if b else job_id, title=title)
    return replace(listing, description_html=html, extra=dict(listing.extra))
