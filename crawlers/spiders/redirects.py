"""A board that moved: its listing request was redirected away from the listing.

Scrapy follows redirects, so a board that moved answers 200 with another page (the employer's
home page, a vendor's "invalid company" page). Read as a listing, that page would show an empty
board and close every posting; the spiders of HTML boards ask ``moved_to`` first.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import scrapy


def moved_to(response: scrapy.http.Response) -> str | None:
    """The URL a redirected request ended at when it left the requested host or path, else None."""
    chain = response.meta.get("redirect_urls") or []
    if not chain:
        return None
    asked, got = urlsplit(chain[0]), urlsplit(response.url)
    same = (asked.netloc.lower(), asked.path.rstrip("/")) == (got.netloc.lower(), got.path.rstrip("/"))
    return None if same else response.url


def report_moved(spider: scrapy.Spider, response: scrapy.http.Response, where: str) -> None:
    """Log one clear line, count it, and keep the run from closing anything."""
    first = (response.meta.get("redirect_urls") or [response.url])[0]
    spider.crawler.stats.inc_value("pacsjobs/board_moved")
    spider.crawler.stats.inc_value("pacsjobs/bad_payload")
    spider.logger.error("board moved: %s redirected to %s", first, where)
    spider.mark_incomplete(f"board moved: {first} -> {where}")  # type: ignore[attr-defined]
