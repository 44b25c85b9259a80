"""Jobvite boards: ``scrapy crawl jobvite -a source=jobvite:harbor-valley``.

One request reads the whole listing (``/{company}/jobs``, no count stated, no search); each new
or changed row (``jobvite.marker``) gets its job page, unchanged ones are only marked seen. A
listing redirected away (an unknown company goes to Jobvite's own site) is a moved board.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.redirects import moved_to, report_moved
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.sources import jobvite


class JobviteSpider(DetailPaging, PlatformSpider):
    name = "jobvite"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.company = self.options["company"]
        self.boards = [self.company]

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(jobvite.listing_url(self.base_url, self.company), callback=self.parse_listing,
                             errback=self.request_errback, dont_filter=True,
                             cb_kwargs={"tally": Tally(self.company, pending=1)})

    def parse_listing(self, response: scrapy.http.Response, tally: Tally) -> Iterator[Any]:
        where = moved_to(response)
        if where:
            report_moved(self, response, where)
        postings = None if where else self.parse_safely(jobvite.parse, response)
        if postings is None:
            tally.ok = False
            yield from self.finish(tally)
            return
        tally.fetched = len(postings)
        for raw in postings:
            if self.unchanged(raw.source_id, raw.updated):
                yield self.seen(raw.source_id)
                continue
            tally.pending += 1
            yield scrapy.Request(raw.url, callback=self.parse_job, errback=self.request_errback,
                                 cb_kwargs={"tally": tally, "listing": raw})
        yield from self.finish(tally)
