"""Is a page answered ``200`` really the page? Pure checks for HTML career pages.

A site on a bad day answers ``200`` with a body that is not what it serves on a good one: bytes
that are no text at all, or a document cut off in the middle (a proxy or a CDN gave up). Such a
page says nothing about the postings it should hold, so a crawl must not take their absence from
it. (A maintenance page that is complete HTML is caught by the spider: it holds no posting and no
job link where one was expected.)
"""

from __future__ import annotations

import re

_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
                         re.IGNORECASE | re.DOTALL)
_HTML_END = re.compile(rb"</html\s*>", re.IGNORECASE)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
SAMPLE = 8192
# Share of a text sample that may be undecodable bytes or control characters. Real pages in a
# legacy encoding misread as UTF-8 stay far below it (a few accented letters); random bytes
# (an image, a compressed body served as text/html) are around half.
MAX_NOISE = 0.1


def _sample_text(body: bytes) -> str:
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):SAMPLE].decode(encoding, "replace")
    return body[:SAMPLE].decode("utf-8", "replace")


def looks_binary(body: bytes) -> bool:
    """True when the body is not text: too many undecodable bytes or control characters."""
    text = _sample_text(body)
    if not text:
        return False
    noise = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f"))
    return noise / len(text) > MAX_NOISE


def looks_truncated(body: bytes) -> bool:
    """True when an HTML document (it opens with ``<!doctype html>`` / ``<html>``) never closes."""
    if any(body.startswith(bom) for bom, encoding in _BOMS if encoding != "utf-8"):
        return False  # UTF-16: the byte patterns below do not apply
    start = body[3:] if body.startswith(b"\xef\xbb\xbf") else body
    return _HTML_START.match(start[:SAMPLE]) is not None and _HTML_END.search(body) is None


def page_problem(body: bytes) -> str | None:
    """Why a ``200`` page cannot be read as the page it should be, or None when it can."""
    if not body.strip():
        return "empty page"
    if looks_binary(body):
        return "not text (binary content)"
    if looks_truncated(body):
        return "cut off (the HTML document does not end)"
    return None
