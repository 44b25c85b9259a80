"""Helpers shared by the platforms whose job pages carry schema.org JobPosting (iCIMS, Jobvite,
Phenom): read the page with the jsonld parser, then give the posting the platform's own id and
the change marker of its listing (or sitemap entry), so the next crawl compares like with like.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting
from pacsjobs.sources import jsonld
from pacsjobs.sources.common import fill_from_listing

_HTML_START_RE = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body)", re.IGNORECASE)


def jsonld_posting(payload: bytes | str, url: str) -> RawPosting | None:
    """The page's JobPosting (the first, when a page shows several), or None when it has none."""
    postings, _broken = jsonld.parse_page(payload, url)
    return postings[0] if postings else None


def adopt(raw: RawPosting, source_id: str, url: str, listing: RawPosting | None) -> RawPosting:
    """Give a page's posting the platform's id and public URL, fill gaps from its listing, and
    keep the listing's change marker (the JSON-LD ``dateModified`` is not what the next listing shows)."""
    if raw.source_id not in (url, source_id):
        raw.extra.setdefault("jsonld_identifier", raw.source_id)
    raw.source_id = source_id
    raw.url = (listing.url if listing else None) or url
    fill_from_listing(raw, listing)
    if listing is not None:
        raw.updated = listing.updated
    return raw


def html_document(payload: bytes | str, url: str, what: str) -> Any:
    """An lxml document of an HTML page; ParseError when the payload is not HTML at all."""
    data = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
    if not data.strip():
        raise ParseError(f"{url or 'payload'}: empty answer where {what} was expected")
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        raise ParseError(f"{url or 'payload'}: expected {what}, got JSON")
    try:
        return lxml_html.fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"{url or 'payload'}: expected {what}, got unreadable HTML ({exc})") from None


def rebase(url: str, site_url: str, fetch_root: str) -> str:
    """A URL of the public site, moved onto ``base_url`` when one is configured (tests, mirrors)."""
    parts = urlsplit(url)
    if parts.netloc.lower() != urlsplit(site_url).netloc.lower() or fetch_root == site_url:
        return url
    return fetch_root + parts.path + (f"?{parts.query}" if parts.query else "")


def is_html(payload: bytes | str) -> bool:
    """Whether a payload starts like an HTML page (an error page where XML was expected)."""
    data = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
    return bool(_HTML_START_RE.match(data[:512].lstrip(b"\xef\xbb\xbf")))


def text_of(el: Any) -> str | None:
    """An element's text with whitespace folded; None when empty."""
    if el is None:
        return None
    text = " ".join(el.text_content().split())
    return text or None


def inner_html(el: Any) -> str:
    """The markup inside an element (the normalizer sanitizes it before anything is stored)."""
    return ((el.text or "") + "".join(lxml_html.tostring(c, encoding="unicode") for c in el)).strip()


def check_site_url(value: Any, key: str, example: str) -> str:
    """An https site root (scheme + host, no path, query or fragment), without a trailing slash."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key}: is required: the site's root URL, e.g. {example}")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path.strip("/") \
            or parts.query or parts.fragment:
        raise ValueError(f"{key}: {value!r} is not a site root URL (like {example})")
    return f"{parts.scheme}://{parts.netloc}"


def check_keywords(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise ValueError('keywords: must be a list of strings ([] or [""] reads the whole board)')
    return [k.strip() for k in value]
