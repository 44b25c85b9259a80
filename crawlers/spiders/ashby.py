"""Ashby job boards: ``scrapy crawl ashby -a source=ashby:acme``.

One request answers the whole board (``/posting-api/job-board/{org}?includeCompensation=true``)
with descriptions and pay; there is no paging, no count and no search, so every listed job is
stored and the classifier decides relevance. Nothing to save incrementally: no detail requests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.sources import ashby

HEADERS = {"Accept": "application/json"}


class AshbySpider(DetailPaging, PlatformSpider):
    name = "ashby"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.boards = [self.options["org"]]

    async def start(self) -> AsyncIterator[Any]:
        tally = Tally(self.options["org"], pending=1)
        yield scrapy.Request(ashby.listing_url(self.base_url, self.options["org"]), headers=HEADERS,
                             callback=self.parse_board, errback=self.request_errback,
                             cb_kwargs={"tally": tally}, dont_filter=True)

    def parse_board(self, response: scrapy.http.Response, tally: Tally) -> Iterator[Any]:
        postings = self.parse_safely(ashby.parse, response)
        if postings is None:
            tally.ok = False
        else:
            tally.fetched = len(postings)
            for raw in postings:
                yield self.posting(raw)
        yield from self.finish(tally)
