"""Lever sites: ``scrapy crawl lever -a source=lever:acme``.

Pages of ``/v0/postings/{site}?mode=json&skip=N&limit=M`` one after another until a page holds
fewer than M postings. Lever publishes no count, so the board reports ``reported=None`` and only
the pagination itself says the site was read to the end. The listing carries whole postings (no
detail requests) and the API cannot search: every posting is stored and classified downstream.
A page that is not a postings array is counted and skipped; two such pages in a row end the board.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.sources import lever

HEADERS = {"Accept": "application/json"}
MAX_BAD_PAGES_IN_A_ROW = 2


class LeverSpider(DetailPaging, PlatformSpider):
    name = "lever"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.site = self.options["site"]
        self.page_size = self.options.get("page_size", lever.DEFAULT_PAGE_SIZE)
        self.boards = [self.site]
        self.emitted: set[str] = set()

    async def start(self) -> AsyncIterator[Any]:
        yield self.page_request(Tally(self.site, pending=1), 0, 0)

    def page_request(self, tally: Tally, skip: int, bad_before: int) -> scrapy.Request:
        return scrapy.Request(lever.listing_url(self.base_url, self.site, skip, self.page_size), headers=HEADERS,
                              callback=self.parse_page, errback=self.request_errback, dont_filter=True,
                              cb_kwargs={"tally": tally, "skip": skip, "bad_before": bad_before})

    def parse_page(self, response: scrapy.http.Response, tally: Tally, skip: int, bad_before: int) -> Iterator[Any]:
        postings = self.parse_safely(lever.parse, response)
        if postings is None:
            tally.ok = False
            if bad_before + 1 < MAX_BAD_PAGES_IN_A_ROW:  # its length is unknown: try the next page
                tally.pending += 1
                yield self.page_request(tally, skip + self.page_size, bad_before + 1)
            yield from self.finish(tally)
            return
        if postings.entries >= self.page_size:  # a full page, unreadable entries included
            tally.pending += 1
            yield self.page_request(tally, skip + self.page_size, 0)
        tally.fetched += len(postings)
        for raw in postings:
            # postings published while we page shift the skip window: store each once
            if raw.source_id not in self.emitted:
                self.emitted.add(raw.source_id)
                yield self.posting(raw)
        yield from self.finish(tally)
