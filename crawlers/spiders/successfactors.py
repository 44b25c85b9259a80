"""SAP SuccessFactors career sites: ``scrapy crawl successfactors -a source=successfactors:lakeshore``.

One request reads the whole ``/googlefeed.xml`` (every job with its description; no count, no
search). Items come straight from the feed; only an item with an empty description gets its job
page, unless it is stored with the same marker (``successfactors.marker``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.redirects import moved_to, report_moved
from crawlers.spiders.sitemaps import rebase
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.sources import successfactors


class SuccessfactorsSpider(DetailPaging, PlatformSpider):
    name = "successfactors"
    employer_note = "feed_employer"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.site_url = self.options["url"]
        self.fetch_root = (self.source_cfg.base_url or self.site_url).rstrip("/")
        self.boards = ["googlefeed"]

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(successfactors.feed_url(self.fetch_root), callback=self.parse_feed,
                             errback=self.request_errback, dont_filter=True,
                             cb_kwargs={"tally": Tally("googlefeed", pending=1)})

    def parse_feed(self, response: scrapy.http.Response, tally: Tally) -> Iterator[Any]:
        where = moved_to(response)
        if where:
            report_moved(self, response, where)
        items = None if where else self.parse_safely(successfactors.parse, response)
        if items is None:
            tally.ok = False
            yield from self.finish(tally)
            return
        tally.fetched = len(items)
        for raw in items:
            if raw.description_html:
                yield self.posting(self.prefer_configured_employer(raw))
            elif self.unchanged(raw.source_id, raw.updated):
                yield self.seen(raw.source_id)
            else:
                tally.pending += 1
                yield scrapy.Request(rebase(raw.url, self.site_url, self.fetch_root), callback=self.parse_job,
                                     errback=self.request_errback, cb_kwargs={"tally": tally, "listing": raw},
                                     dont_filter=True)
        yield from self.finish(tally)
