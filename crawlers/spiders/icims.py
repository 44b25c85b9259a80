"""iCIMS portals: ``scrapy crawl icims -a source=icims:harbor-health``.

One board per search term: ``/jobs/search?ss=1&searchKeyword=TERM&in_iframe=1&pr=N``; the first
page's pager ("Page 1 of 3") says how many pages to ask for. Each new or changed card
(``icims.marker``) gets its job page (``/jobs/{id}/{slug}/job?in_iframe=1``, JSON-LD); unchanged
ones are only marked seen. With ``sitemap`` set, the portal's sitemap replaces the search and its
``<lastmod>`` is the marker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.redirects import moved_to, report_moved
from crawlers.spiders.sitemaps import SitemapReading
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.record import RawPosting
from pacsjobs.sources import icims


class IcimsSpider(SitemapReading, DetailPaging, PlatformSpider):
    name = "icims"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.portal = icims.portal(self.options["url"], self.source_cfg.base_url)
        self.site_url, self.fetch_root = self.portal.url, self.portal.fetch_root
        self.sitemap = self.options.get("sitemap")
        self.terms = [] if self.sitemap else icims.keywords(self.options)
        self.boards = ["sitemap"] if self.sitemap else [self.board_name(t) for t in self.terms]
        self.emitted: set[str] = set()

    @staticmethod
    def board_name(term: str) -> str:
        return f"searchKeyword={term}" if term else "all"

    async def start(self) -> AsyncIterator[Any]:
        if self.sitemap:
            yield self.sitemap_request(self.portal.sitemap_url(self.sitemap), Tally("sitemap", pending=1))
        for term in self.terms:
            yield self.page_request(Tally(self.board_name(term), pending=1), term, 0)

    def page_request(self, tally: Tally, term: str, page: int) -> scrapy.Request:
        return scrapy.Request(self.portal.search_url(term, page), callback=self.parse_page,
                              errback=self.request_errback, dont_filter=True,
                              cb_kwargs={"tally": tally, "term": term, "page": page})

    def parse_page(self, response: scrapy.http.Response, tally: Tally, term: str, page: int) -> Iterator[Any]:
        def read(body: bytes, url: str) -> tuple[list[RawPosting], int | None]:
            return icims.parse(body, url), icims.page_count(body, url)

        where = moved_to(response)
        result = None if where else self.parse_safely(read, response)
        if where:
            report_moved(self, response, where)
        if result is None:
            tally.ok = False
            yield from self.finish(tally)
            return
        postings, pages = result
        if page == 0 and pages:
            for later in range(1, pages):
                tally.pending += 1
                yield self.page_request(tally, term, later)
        tally.fetched += len(postings)
        for raw in postings:
            if raw.source_id in self.emitted:  # found by an earlier term
                continue
            self.emitted.add(raw.source_id)
            if self.unchanged(raw.source_id, raw.updated):
                yield self.seen(raw.source_id)
                continue
            tally.pending += 1
            yield scrapy.Request(self.portal.job_url(raw.url), callback=self.parse_job,
                                 errback=self.request_errback, cb_kwargs={"tally": tally, "listing": raw},
                                 dont_filter=True)
        yield from self.finish(tally)

    def job_page_url(self, loc: str) -> str:
        return self.portal.job_url(loc)

    def sitemap_entry(self, loc: str, lastmod: str | None, tally: Tally) -> Iterator[Any]:
        source_id = icims.job_id(loc)
        if source_id is None or source_id in self.emitted:
            return
        self.emitted.add(source_id)
        yield from self.sitemap_job(loc.split("?", 1)[0], source_id, lastmod, tally)
