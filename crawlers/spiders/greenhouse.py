"""Greenhouse job boards: ``scrapy crawl greenhouse -a source=greenhouse:acme-imaging``.

One request answers the whole board with descriptions and published pay
(``/v1/boards/{board}/jobs?content=true&pay_transparency=true``); ``meta.total`` is the count to
check against. The API cannot search, so every job is stored and the classifier (``is_pacs_role``)
decides relevance downstream. Incremental crawling has nothing to save here: there are no detail
requests, and the one listing request is needed to see what closed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.record import RawPosting
from pacsjobs.sources import greenhouse

HEADERS = {"Accept": "application/json"}


class GreenhouseSpider(DetailPaging, PlatformSpider):
    name = "greenhouse"
    employer_note = "company_name"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.boards = [self.options["board"]]

    async def start(self) -> AsyncIterator[Any]:
        tally = Tally(self.options["board"], pending=1)
        yield scrapy.Request(greenhouse.listing_url(self.base_url, self.options["board"]), headers=HEADERS,
                             callback=self.parse_board, errback=self.request_errback,
                             cb_kwargs={"tally": tally}, dont_filter=True)

    def parse_board(self, response: scrapy.http.Response, tally: Tally) -> Iterator[Any]:
        def read(body: bytes, url: str) -> tuple[list[RawPosting], int | None]:
            return greenhouse.parse(body, url), greenhouse.reported_total(body)

        result = self.parse_safely(read, response)
        if result is None:
            tally.ok = False
        else:
            postings, tally.reported = result
            tally.fetched = len(postings)
            for raw in postings:
                yield self.posting(self.prefer_configured_employer(raw))
        yield from self.finish(tally)
