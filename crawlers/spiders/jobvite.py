"""Jobvite boards: ``scrapy crawl jobvite -a source=jobvite:harbor-valley``.

One board per search term: ``/{company}/search?q=TERM&p=N``. The first page's pager ("1-50 of
61") gives the count to check and how many pages to ask for. Each new or changed row
(``jobvite.marker``) gets its job page, unchanged ones are only marked seen. A search redirected
away (an unknown company goes to Jobvite's own site) is a moved board.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.redirects import moved_to, report_moved
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.record import RawPosting
from pacsjobs.sources import jobvite


class JobviteSpider(DetailPaging, PlatformSpider):
    name = "jobvite"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.company = self.options["company"]
        self.terms = jobvite.keywords(self.options)
        self.boards = [self.board_name(t) for t in self.terms]
        self.emitted: set[str] = set()

    @staticmethod
    def board_name(term: str) -> str:
        return f"q={term}" if term else "all"

    async def start(self) -> AsyncIterator[Any]:
        for term in self.terms:
            yield self.page_request(Tally(self.board_name(term), pending=1), term, 0)

    def page_request(self, tally: Tally, term: str, page: int) -> scrapy.Request:
        return scrapy.Request(jobvite.search_url(self.base_url, self.company, term, page), callback=self.parse_page,
                              errback=self.request_errback, dont_filter=True,
                              cb_kwargs={"tally": tally, "term": term, "page": page})

    def parse_page(self, response: scrapy.http.Response, tally: Tally, term: str, page: int) -> Iterator[Any]:
        def read(body: bytes, url: str) -> tuple[list[RawPosting], tuple[int, int, int] | None]:
            return jobvite.parse(body, url), jobvite.page_range(body, url)

        where = moved_to(response)
        if where:
            report_moved(self, response, where)
        result = None if where else self.parse_safely(read, response)
        if result is None:
            tally.ok = False
            yield from self.finish(tally)
            return
        postings, shown = result
        if page == 0 and shown is not None:
            first, last, tally.reported = shown
            for later in range(1, math.ceil(tally.reported / max(last - first + 1, 1))):
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
            yield scrapy.Request(raw.url, callback=self.parse_job, errback=self.request_errback,
                                 cb_kwargs={"tally": tally, "listing": raw}, dont_filter=True)
        yield from self.finish(tally)
