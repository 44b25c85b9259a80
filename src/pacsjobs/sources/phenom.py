"""Phenom career sites (``https://careers.{employer}.org``), read from what they publish for search
engines: the sitemap, and each job page's schema.org JobPosting.

The sites' search API (``/widgets``, ``refineSearch``) sits behind bot protection; it is not used.
The sitemap (often an index of per-locale sitemaps, sometimes gzipped) lists job pages as
``/{country}/{lang}/job/{jobId}/{Title-Slug}`` with a ``<lastmod>``, beside category and content
pages. A job page carries JobPosting JSON-LD (the description HTML-escaped once more) and the
page data ``phApp.ddo = {"jobDetail": {"status": 200, "data": {"job": {jobId, title, description,
location, cityStateCountry, multi_location, postedDate, type, category, companyName, ...}}}}``.
The JSON-LD is read; the page data fills in a description the JSON-LD shortens to a teaser, and
replaces the JSON-LD only on pages that have none.

Options (``check_options``): ``url`` (the site root), ``sitemap`` (default ``/sitemap.xml``),
``url_pattern`` (a regular expression picking job pages, default ``/job/``; a group ``id`` names
the job id), ``slug_keywords`` (when set, only job pages whose URL slug holds one of them are
fetched). Change marker: the sitemap's ``<lastmod>``.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting
from pacsjobs.sources.common import text_or_none
from pacsjobs.sources.jobpage import adopt, check_site_url, is_html, jsonld_posting, rebase
from pacsjobs.sources.jsonld import sitemap_ends, sitemap_entries, sitemap_xml

DEFAULT_BASE_URL = ""  # each site has its own host: the option ``url``
DEFAULT_SITEMAP = "/sitemap.xml"
DEFAULT_URL_PATTERN = r"/job/"
_JOB_ID_RE = re.compile(r"/job/(?P<id>[^/?#]+)")
_DDO_RE = re.compile(rb"phApp\.ddo\s*=\s*")
_OPTION_KEYS = ("url", "sitemap", "url_pattern", "slug_keywords")
CHECK_EXPECTS = "a sitemap"  # what ``sources --check`` names when the site answers HTML instead


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate a phenom entry: ``url``, ``sitemap``, ``url_pattern``, ``slug_keywords``."""
    opts = dict(options)
    for key in opts:
        if key not in _OPTION_KEYS:
            raise ValueError(f"{key}: unknown key for a phenom source (known: {', '.join(_OPTION_KEYS)})")
    out: dict[str, Any] = {"url": check_site_url(opts.get("url"), "url", "https://careers.example-health.org")}
    sitemap = opts.get("sitemap", DEFAULT_SITEMAP)
    if not isinstance(sitemap, str) or not sitemap.strip():
        raise ValueError('sitemap: must be a path on the site ("/sitemap.xml") or a URL')
    out["sitemap"] = sitemap.strip()
    pattern = opts.get("url_pattern", DEFAULT_URL_PATTERN)
    if not isinstance(pattern, str) or not pattern:
        raise ValueError("url_pattern: must be a regular expression (a string)")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"url_pattern: invalid regular expression {pattern!r}: {exc}") from None
    out["url_pattern"] = pattern
    words = opts.get("slug_keywords")
    if words is not None:
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise ValueError('slug_keywords: must be a non-empty list of words, e.g. ["pacs", "imaging"]')
        out["slug_keywords"] = [w.strip() for w in words]
    return out


def sitemap_url(source_options: dict[str, Any], root: str) -> str:
    sitemap = source_options.get("sitemap") or DEFAULT_SITEMAP
    return sitemap if "://" in sitemap else f"{root.rstrip('/')}/{sitemap.lstrip('/')}"


def first_page_request(source: Any) -> tuple[str, str, dict[str, str], bytes | None]:
    """The request ``pacsjobs sources --check`` sends: the sitemap, where the crawl starts."""
    site = source.options["url"].rstrip("/")
    url = rebase(sitemap_url(source.options, site), site, (source.base_url or site).rstrip("/"))
    return "GET", url, {"Accept": "application/xml,text/xml;q=0.9,*/*;q=0.1"}, None


def check_page(payload: bytes | str, url: str = "", options: dict[str, Any] | None = None) -> int | None:
    """``sources --check``: the answer must be a sitemap (gzip or not) that ends; returns the job
    pages a sitemap of pages lists, picked as the crawl picks them, or None for a sitemap index."""
    xml = sitemap_xml(payload)
    if xml is None:
        raise ParseError(f"{url or 'payload'}: expected a sitemap, got a broken or oversized gzip file")
    kind, entries = sitemap_entries(xml)
    if kind == "invalid":
        got = "an HTML page" if is_html(xml) else ("an empty answer" if not xml else "no sitemap XML")
        raise ParseError(f"{url or 'payload'}: expected a sitemap, got {got}")
    if not sitemap_ends(xml):
        raise ParseError(f"{url or 'payload'}: the sitemap is cut short (it does not end with its closing tag)")
    if kind == "index":
        return None
    return len(listed_jobs([loc for loc, _ in entries], options or {}))


# -- sitemap entries --------------------------------------------------------------------------
def job_id(url: str, pattern: str = DEFAULT_URL_PATTERN) -> str | None:
    """The job id of a job page URL (the pattern's ``id`` group, else the segment after /job/)."""
    m = re.search(pattern, url)
    if not m:
        return None
    if "id" in m.re.groupindex and m.group("id"):
        return m.group("id")
    found = _JOB_ID_RE.search(urlsplit(url).path)
    return unquote(found.group("id")) if found else urlsplit(url).path


def slug_matches(url: str, keywords: list[str]) -> bool:
    """Whether the URL's slug holds one of the keywords as whole words ("pacs" in "Senior-PACS-Analyst")."""
    words = re.sub(r"[^a-z0-9]+", " ", unquote(urlsplit(url).path).lower())
    padded = f" {words} "
    return any(f" {' '.join(re.sub(r'[^a-z0-9]+', ' ', k.lower()).split())} " in padded for k in keywords)


def listed_jobs(locs: list[str], options: dict[str, Any]) -> set[str]:
    """The ids of the job pages among sitemap URLs that a crawl fetches (``url_pattern``, then
    ``slug_keywords`` when set)."""
    pattern = options.get("url_pattern") or DEFAULT_URL_PATTERN
    keywords = options.get("slug_keywords")
    matcher = re.compile(pattern)
    ids = (job_id(loc, pattern) for loc in locs
           if matcher.search(loc) and (not keywords or slug_matches(loc, keywords)))
    return {i for i in ids if i}


# -- job pages --------------------------------------------------------------------------------
def page_data(payload: bytes | str) -> dict[str, Any] | None:
    """The ``phApp.ddo`` object of a page, or None when it has none (or it cannot be read)."""
    data = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
    m = _DDO_RE.search(data)
    if not m:
        return None
    text = data[m.end():].decode("utf-8", "replace")
    try:
        value, _ = json.JSONDecoder(strict=False).raw_decode(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def ddo_job(payload: bytes | str) -> dict[str, Any] | None:
    """``jobDetail.data.job`` of the page data (Phenom's own record of the posting)."""
    ddo = page_data(payload)
    detail = ddo.get("jobDetail") if ddo else None
    data = detail.get("data") if isinstance(detail, dict) else None
    job = data.get("job") if isinstance(data, dict) else None
    return job if isinstance(job, dict) and text_or_none(job.get("title")) else None


def _ddo_locations(job: dict[str, Any]) -> list[str]:
    out: list[str] = []
    many = job.get("multi_location")
    for value in (many if isinstance(many, list) else []) or [job.get("cityStateCountry") or job.get("location")]:
        text = text_or_none(value)
        if text and text not in out:
            out.append(text)
    return out


def _ddo_posting(job: dict[str, Any], url: str) -> RawPosting:
    return RawPosting(
        source_id=text_or_none(job.get("jobId")) or text_or_none(job.get("jobSeqNo")) or url,
        url=url,
        title=" ".join(str(job["title"]).split()),
        employer=text_or_none(job.get("companyName")),
        locations=_ddo_locations(job),
        country=text_or_none(job.get("country")),
        employment_type=text_or_none(job.get("type")),
        date_posted=text_or_none(job.get("postedDate")) or text_or_none(job.get("dateCreated")),
        description_html=text_or_none(job.get("description")),
        department=text_or_none(job.get("category")),
        extra={"format": "phenom-ddo", "req_id": text_or_none(job.get("reqId"))},
    )


def _plain_length(html: str | None) -> int:
    return len(re.sub(r"<[^>]+>", "", html or ""))


def parse_detail(payload: bytes | str, url: str = "", listing: RawPosting | None = None) -> RawPosting:
    """A job page: its JSON-LD posting, completed (or, without JSON-LD, replaced) by the page data."""
    raw = jsonld_posting(payload, url)
    job = ddo_job(payload)
    if raw is None and job is None:
        raise ParseError(f"{url or 'payload'}: no JobPosting data on the page (neither JSON-LD nor "
                         "phApp.ddo jobDetail)")
    if raw is None:
        raw = _ddo_posting(job, url)  # type: ignore[arg-type]
    elif job is not None:
        full = text_or_none(job.get("description"))
        if full and _plain_length(full) > _plain_length(raw.description_html):
            raw.description_html = full  # the JSON-LD carried a teaser
            raw.extra["description_from"] = "phApp.ddo"
    public = url.split("?", 1)[0]
    source_id = (listing.source_id if listing else None) or job_id(public) or raw.source_id
    return adopt(raw, source_id, public, listing)


def parse(payload: bytes | str, url: str = "") -> list[RawPosting]:
    """The posting of one job page (``pacsjobs extract --source phenom PAGE.html``)."""
    return [parse_detail(payload, url)]
