"""Career sites that embed schema.org JobPosting (JSON-LD or microdata).

Configure in sources.toml (``platform = "jsonld"``):

- ``urls``: posting pages and/or listing pages. Every fetched page is read for postings; when
  ``follow`` is set, its links matching ``follow`` are fetched too (pagination included, up to
  ``MAX_DEPTH`` links deep).
- ``sitemap`` (+ ``follow`` to keep only job pages): a sitemap or sitemap index.

Each start URL and the sitemap is one *board*; its report says how many postings were fetched
(sites state no total, so ``reported`` stays empty).

A page answered ``200`` that is not readable (binary bytes, an HTML document cut off, a JSON-LD
block that does not parse) fails its board, and so does a page that should hold something and
holds neither a posting nor a job link (a maintenance page): a start or followed page always,
a sitemap page when ``follow`` picks job pages or when postings were stored from it before.
The crawl then closes nothing: those postings were not seen, which is not the same as gone.

Incremental: a sitemap entry's ``<lastmod>`` is stored as the posting's change marker. On the
next crawl a page whose lastmod equals the marker of every posting stored from that URL is not
fetched again (counted in ``pacsjobs/requests_saved``) and its postings are marked seen. Listing
pages give no such marker, so pages reached from them are always fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from twisted.python.failure import Failure

from crawlers.spiders.base import PlatformSpider
from pacsjobs.sources.pagecheck import page_problem

MAX_DEPTH = 5  # links followed from a start URL: enough for listing pagination, bounded
# The start of an <a> or <area> element, the only ones the parser takes links from.
_LINK_TAG = re.compile(rb"<(?:a|area)[\s/>]", re.IGNORECASE)


def _may_have_links(body: bytes) -> bool:
    """False when the page surely has no <a>/<area> element (most posting pages): the parse of
    the whole page for links is skipped. A NUL byte (UTF-16/32) keeps the full parse."""
    return b"\x00" in body or _LINK_TAG.search(body) is not None


class JsonldSpider(PlatformSpider):
    """Reads JobPosting markup from posting pages, listing pages and sitemaps."""

    name = "jsonld"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.follow: str | None = self.options.get("follow")
        self.boards: list[str] = list(self.options.get("urls") or [])
        if self.options.get("sitemap"):
            self.boards.append(self.options["sitemap"])
        self._scheduled: set[str] = set()
        self._pending: dict[str, int] = {}
        self._fetched: dict[str, int] = {}
        self._failed: set[str] = set()
        self._pages: dict[str, list[tuple[str, str | None]]] | None = None
        self._emitted: set[str] = set()

    # -- requests ------------------------------------------------------------------------
    async def start(self) -> Any:
        for request in self._start_requests():
            yield request

    def _start_requests(self) -> Iterator[scrapy.Request]:
        for url in self.options.get("urls") or []:
            request = self._request(url, board=url, callback=self.parse_page, depth=0)
            if request is not None:
                yield request
        sitemap = self.options.get("sitemap")
        if sitemap:
            request = self._request(sitemap, board=sitemap, callback=self.parse_sitemap, depth=0)
            if request is not None:
                yield request

    def _request(self, url: str, board: str, callback: Any, depth: int,
                 lastmod: str | None = None) -> scrapy.Request | None:
        # Our own duplicate filter (per spider): a board's pending count must see every request end.
        if url in self._scheduled:
            return None
        self._scheduled.add(url)
        self._pending[board] = self._pending.get(board, 0) + 1
        return scrapy.Request(url, callback=callback, errback=self.failed, dont_filter=True,
                              meta={"board": board, "depth": depth, "lastmod": lastmod})

    def _done(self, board: str) -> Iterator[Any]:
        """One request of ``board`` ended; when it was the last, report the board."""
        self._pending[board] -= 1
        if self._pending[board] == 0:
            yield self.report(board, None, self._fetched.get(board, 0), board not in self._failed)

    # -- callbacks -----------------------------------------------------------------------
    def parse_page(self, response: scrapy.http.Response) -> Iterator[Any]:
        board = response.meta["board"]
        depth = response.meta.get("depth", 0)
        if self._readable(response, board):
            items, found = self._postings(response, board)
            yield from items
            links: list[str] = []
            if self.follow and depth < MAX_DEPTH and _may_have_links(response.body):
                links = self.parse_safely(self.parser.links, response, self.follow) or []
                for url in links:
                    request = self._request(url, board, self.parse_page, depth + 1)
                    if request is not None:
                        yield request
            if not found and not links and board not in self._failed:
                self._page_failed(response.url, board, "no posting and no job link on the page")
        yield from self._done(board)

    def _readable(self, response: scrapy.http.Response, board: str) -> bool:
        """False (and the board failed) when a 200 page is not a readable page at all."""
        problem = page_problem(response.body)
        if problem is None and not isinstance(response, scrapy.http.TextResponse):
            problem = "not an HTML page"
        if problem is None:
            return True
        self.crawler.stats.inc_value("pacsjobs/not_html")
        self._page_failed(response.url, board, problem)
        return False

    def _page_failed(self, url: str, board: str, why: str) -> None:
        self.crawler.stats.inc_value("pacsjobs/bad_page")
        self.logger.error("unreadable page %s: %s", url, why)
        self.mark_incomplete(f"{why}: {url}")
        self._failed.add(board)

    def _postings(self, response: scrapy.http.Response, board: str) -> tuple[list[Any], int]:
        """The items of a page's postings not yielded before, and how many postings it holds."""
        result = self.parse_safely(self.parser.parse_page, response)
        if result is None:
            self._failed.add(board)
            return [], 0
        postings, broken = result
        if broken:
            # A block we cannot read may hold a posting: this crawl must not close anything.
            self.crawler.stats.inc_value("pacsjobs/bad_payload", broken)
            self.crawler.stats.inc_value("pacsjobs/broken_jsonld", broken)
            self.logger.error("unreadable JSON-LD (%d block(s)) in %s", broken, response.url)
            self.mark_incomplete(f"unreadable JSON-LD: {response.url}")
            self._failed.add(board)
        marker = response.meta.get("lastmod")
        if marker is None and response.headers.get(b"Last-Modified"):
            marker = response.headers.get(b"Last-Modified").decode("latin-1")
        items = []
        for raw in postings:
            if raw.source_id in self._emitted:  # the same posting under a second URL (?utm=...)
                continue
            self._emitted.add(raw.source_id)
            if response.meta.get("lastmod"):
                raw.updated = response.meta["lastmod"]  # comparable before fetching (sitemap)
            elif raw.updated is None:
                raw.updated = marker
            self._fetched[board] = self._fetched.get(board, 0) + 1
            items.append(self.posting(raw))
        return items, len(postings)

    def parse_sitemap(self, response: scrapy.http.Response) -> Iterator[Any]:
        board = response.meta["board"]
        kind, entries = self.parser.sitemap_entries(response.body)
        if kind == "invalid":
            self.crawler.stats.inc_value("pacsjobs/bad_payload")
            self.logger.error("bad payload from %s: not a sitemap", response.url)
            self.mark_incomplete(f"bad sitemap: {response.url}")
            self._failed.add(board)
        elif kind == "index":
            for loc, _ in entries:
                request = self._request(loc, board, self.parse_sitemap, response.meta["depth"] + 1)
                if request is not None:
                    yield request
        else:
            keep = set(self.parser.sitemap_urls(response.body, self.follow))
            for loc, lastmod in entries:
                if loc not in keep:
                    continue
                saved = self._unchanged_page(loc, lastmod)
                if saved is not None:
                    self._scheduled.add(loc)
                    self._fetched[board] = self._fetched.get(board, 0) + len(saved)
                    for source_id in saved:
                        yield self.seen(source_id)
                    continue
                request = self._request(loc, board, self.parse_posting_page, 1, lastmod=lastmod)
                if request is not None:
                    yield request
        yield from self._done(board)

    def parse_posting_page(self, response: scrapy.http.Response) -> Iterator[Any]:
        """A page listed in the sitemap: read its postings, follow nothing."""
        board = response.meta["board"]
        if self._readable(response, board):
            items, found = self._postings(response, board)
            yield from items
            should_hold = self.follow or response.url in self.stored_pages()
            if not found and should_hold and board not in self._failed:
                self._page_failed(response.url, board, "no posting on a job page")
        yield from self._done(board)

    def failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        board = request.meta.get("board", request.url)
        if failure.check(IgnoreRequest) and "robots" in failure.getErrorMessage().lower():
            # Disallowed by robots.txt: we chose not to fetch it; the site wants it unread.
            self.crawler.stats.inc_value("pacsjobs/robots_disallowed")
            self.logger.info("robots.txt forbids %s", request.url)
        else:
            self._failed.add(board)
            self.request_failed(failure)
        yield from self._done(board)

    # -- incremental ---------------------------------------------------------------------
    def _unchanged_page(self, url: str, lastmod: str | None) -> list[str] | None:
        """The source_ids stored from ``url`` when its sitemap lastmod is their marker, else None."""
        if not lastmod:
            return None
        stored = self.stored_pages().get(url)
        if not stored or any(marker != lastmod for _, marker in stored):
            return None
        self.crawler.stats.inc_value("pacsjobs/requests_saved")
        return [source_id for source_id, _ in stored]

    def stored_pages(self) -> dict[str, list[tuple[str, str | None]]]:
        """url -> [(source_id, marker)] of this source's open postings (read once per crawl)."""
        if self._pages is None:
            from sqlalchemy import select

            from pacsjobs.store import open_store
            from pacsjobs.store.models import PostingRow

            pages: dict[str, list[tuple[str, str | None]]] = {}
            with open_store(self.config.database_url, migrate_schema=False) as store, store.session() as session:
                rows = session.execute(
                    select(PostingRow.url, PostingRow.source_id, PostingRow.source_updated)
                    .where(PostingRow.source == self.source_name, PostingRow.closed_at.is_(None)))
                for url, source_id, marker in rows:
                    pages.setdefault(url, []).append((source_id, marker))
            self._pages = pages
        return self._pages
