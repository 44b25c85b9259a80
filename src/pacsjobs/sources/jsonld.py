"""schema.org JobPosting embedded in career pages: JSON-LD (``@graph``, arrays, nested) and microdata.

Pure functions. ``parse(payload, url)`` returns every JobPosting of an HTML page as a ``RawPosting``
with the source's own values. Career sites publish broken JSON-LD often enough (trailing commas,
raw newlines inside strings, unescaped quotes inside strings, the block wrapped in an HTML comment,
a BOM) that a lenient reader is worth it (``jsonld_lenient``); a block that still cannot be read is
skipped and counted (``parse_page``). Field reading lives in ``jsonld_fields``; every name stays
importable from here.

Options in sources.toml (``check_options``): ``urls`` (posting or listing pages), ``follow`` (a
regular expression of links to follow from listing pages, or of sitemap entries to keep),
``sitemap`` (a sitemap or sitemap index URL). At least one of ``urls`` / ``sitemap``.
"""

from __future__ import annotations

import html  # noqa: F401 - jsonld.html stays importable
import json  # noqa: F401
import re
import zlib
from typing import Any
from urllib.parse import urldefrag, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from pacsjobs.record import RawPosting, RawSalary  # noqa: F401 - re-exported
from pacsjobs.sources.common import joined_url
from pacsjobs.sources.jsonld_fields import (  # noqa: F401 - every name stays importable from jsonld
    _PLAIN_NUMBER_RE,
    _SCHEMA_PREFIX_RE,
    _address_text,
    _date,
    _description,
    _find_postings,
    _identifier,
    _index_ids,
    _keeps_markup,
    _locations,
    _may_have_ids,
    _microdata_item,
    _microdata_postings,
    _microdata_value,
    _number_or_raw,
    _posting,
    _resolve,
    _salary,
    _section_text,
    _text,
    _texts,
    _types,
)
from pacsjobs.sources.jsonld_lenient import (  # noqa: F401 - every name stays importable from jsonld
    _COMMON_ENTITIES,
    _SCRIPT_END_RE,
    _SCRIPT_TAG_RE,
    _STRING_OR_TRAILING_COMMA_RE,
    _WRAPPERS_RE,
    _decode,
    _decode_concatenated,
    _ld_json_blocks,
    _load_lenient,
    _strip_trailing_commas,
    _to_bytes,
    unescape,
)

DEFAULT_BASE_URL = ""

_MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
_SITEMAP_END_RE = re.compile(rb"</(?:[\w.-]+:)?(?:urlset|sitemapindex)\s*>\s*$")


# -- public API -------------------------------------------------------------------------------
def parse_page(payload: bytes | str, url: str = "") -> tuple[list[RawPosting], int]:
    """Every JobPosting of a page, and the number of JSON-LD blocks that could not be read."""
    data = _to_bytes(payload)
    nodes: list[dict[str, Any]] = []
    broken = 0
    for content in _ld_json_blocks(data):
        block = _decode(content)
        values = _load_lenient(block)
        if values is None:
            broken += 1
            continue
        for value in values:
            index: dict[str, dict[str, Any]] = {}
            if _may_have_ids(block):
                _index_ids(value, index)
            found: list[dict[str, Any]] = []
            _find_postings(value, found)
            # Without ids there is nothing to resolve (resolving would only copy the nodes).
            nodes += [_resolve(node, index) for node in found] if index else found
    if not nodes:
        # Microdata only when the page has no JSON-LD posting: pages with both carry the same job.
        for item in _microdata_postings(data):
            item["_format"] = "microdata"
            nodes.append(item)
    several = len(nodes) > 1
    postings: list[RawPosting] = []
    seen: set[str] = set()
    for position, node in enumerate(nodes):
        raw = _posting(node, url, position, several)
        if raw is None:
            broken += 1  # a JobPosting without a title cannot be stored: count it with the broken
            continue
        if raw.source_id in seen:  # the same posting twice on one page (e.g. in a comment too)
            continue
        seen.add(raw.source_id)
        postings.append(raw)
    return postings, broken


def parse(payload: bytes | str, url: str = "") -> list[RawPosting]:
    """Every JobPosting of an HTML page (JSON-LD, else microdata); unreadable blocks are skipped."""
    return parse_page(payload, url)[0]


def _without_tracking(url: str) -> str:
    """Drop ``utm_*`` campaign parameters so one posting linked twice is fetched once."""
    parts = urlsplit(url)
    if "utm_" not in parts.query:
        return url
    query = "&".join(p for p in parts.query.split("&") if not p.lower().startswith("utm_"))
    return urlunsplit(parts._replace(query=query))


def links(payload: bytes | str, url: str, follow: str | None) -> list[str]:
    """Links of a listing page whose absolute URL matches ``follow`` (all http(s) links when empty)."""
    data = _to_bytes(payload)
    if not data.strip():
        return []
    try:
        doc = lxml_html.fromstring(data)
    except (etree.ParserError, ValueError):
        return []
    pattern = re.compile(follow) if follow else None
    base = doc.xpath("string(//base/@href)") or url
    out: list[str] = []
    seen: set[str] = set()
    for href in doc.xpath("//a/@href | //area/@href"):
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        joined = joined_url(base, href)
        if joined is None:  # a link that is no URL: the others are still read
            continue
        absolute = _without_tracking(urldefrag(joined)[0])
        if urlsplit(absolute).scheme not in ("http", "https"):
            continue
        if pattern is not None and not pattern.search(absolute):
            continue
        if absolute not in seen:
            seen.add(absolute)
            out.append(absolute)
    return out


def sitemap_xml(payload: bytes | str) -> bytes | None:
    """The XML of a sitemap file: a ``.xml.gz`` served without Content-Encoding is unzipped (up to
    the protocol's 50 MB); None when it is a broken or oversized gzip file."""
    from scrapy.utils.gz import gunzip

    data = _to_bytes(payload).strip()
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        return gunzip(data, max_size=_MAX_SITEMAP_BYTES).strip()
    except (OSError, EOFError, ValueError, zlib.error):  # not gzip after all, corrupt, or too large
        return None


def sitemap_ends(xml: bytes) -> bool:
    """Whether a sitemap ends with its root's end tag. The reader recovers from a cut file silently
    (and a cut .xml.gz gunzips to what it holds), so one without it was not read to its end."""
    return _SITEMAP_END_RE.search(xml[-256:]) is not None


def sitemap_entries(payload: bytes | str) -> tuple[str, list[tuple[str, str | None]]]:
    """``("index" | "urlset" | "invalid", [(loc, lastmod)])`` of a sitemap or sitemap index (gzip
    or not, ``sitemap_xml``), read with Scrapy's own streaming sitemap reader."""
    from scrapy.utils.sitemap import Sitemap

    data = sitemap_xml(payload)
    if data is None:
        return "invalid", []
    entries: list[tuple[str, str | None]] = []
    try:
        sitemap = Sitemap(data)
        kind = (sitemap.type or "").lower()
        if kind not in ("sitemapindex", "urlset"):
            return "invalid", []
        for item in sitemap:
            loc = (item.get("loc") or "").strip()
            if loc:
                entries.append((loc, (item.get("lastmod") or "").strip() or None))
    except (etree.XMLSyntaxError, StopIteration, ValueError, TypeError):
        return "invalid", []
    return ("index" if kind == "sitemapindex" else "urlset"), entries


def sitemap_urls(payload: bytes | str, follow: str | None) -> list[str]:
    """The URLs of a sitemap matching ``follow``, or the child sitemaps of a sitemap index."""
    kind, entries = sitemap_entries(payload)
    if kind == "index":
        return [loc for loc, _ in entries]
    pattern = re.compile(follow) if follow else None
    return [loc for loc, _ in entries if pattern is None or pattern.search(loc)]


def _check_url(value: Any, key: str) -> str:
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https") \
            or not urlsplit(value).netloc:
        raise ValueError(f"{key}: must be an http(s) URL, got {value!r}")
    return value


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate the jsonld keys of a sources.toml entry: ``urls``, ``follow``, ``sitemap``."""
    options = dict(options)
    out: dict[str, Any] = {}
    urls = options.pop("urls", [])
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list):
        raise ValueError(f"urls: must be a list of http(s) URLs, got {urls!r}")
    out["urls"] = [_check_url(u, "urls") for u in urls]
    follow = options.pop("follow", None)
    if follow is not None:
        if not isinstance(follow, str):
            raise ValueError(f"follow: must be a regular expression (a string), got {follow!r}")
        try:
            re.compile(follow)
        except re.error as exc:
            raise ValueError(f"follow: invalid regular expression {follow!r}: {exc}") from None
    out["follow"] = follow
    sitemap = options.pop("sitemap", None)
    out["sitemap"] = _check_url(sitemap, "sitemap") if sitemap is not None else None
    for key in options:
        raise ValueError(f"{key}: unknown key for a jsonld source (known: urls, follow, sitemap)")
    if not out["urls"] and not out["sitemap"]:
        raise ValueError("urls: a jsonld source needs urls or a sitemap")
    return out


def first_page_request(source_cfg: Any) -> tuple[str, str, dict[str, str], bytes | None]:
    """The request ``pacsjobs sources --check`` sends: the first configured page, else the sitemap.

    Its count is the postings on that page itself (a listing page or sitemap shows 0).
    """
    options = source_cfg.options
    url = (options.get("urls") or [None])[0] or options["sitemap"]
    return "GET", url, {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9"}, None
