"""NEOGOV / GovernmentJobs.com agencies: ``scrapy crawl neogov -a source=neogov:san-bernardino-county``.

One request: the agency's RSS feed carries every open job whole (no job page is fetched). Jobs
whose marker (``pubDate``) is unchanged are only marked seen. The feed states no count; an empty
feed for an agency with open postings stored is not believed (an agency renamed or gone answers
an empty channel): the run is not complete and nothing is closed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.base import PlatformSpider
from pacsjobs.record import RawPosting
from pacsjobs.sources import neogov


class NeogovSpider(PlatformSpider):
    name = "neogov"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.boards = [f"agency={self.options['agency']}"]

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(
            neogov.feed_url(self.base_url, self.options["agency"]),
            headers=neogov.HEADERS,
            callback=self.parse_feed,
            errback=self.request_failed,
            dont_filter=True,
        )

    def parse_feed(self, response: scrapy.http.Response) -> Iterator[Any]:
        board = self.boards[0]
        postings: list[RawPosting] | None = self.parse_safely(neogov.parse, response)
        if postings is None:
            yield self.report(board, None, 0, complete=False)
            return
        if not postings and self.known:
            self.logger.error("%s: the feed of agency %s is empty but %d postings are open: not closing them",
                              self.source_name, self.options["agency"], len(self.known))
            self.mark_incomplete("empty feed")
        terms = self.options.get("keywords") or []
        kept = [raw for raw in postings if neogov.matches(raw, terms)]
        emitted: set[str] = set()
        for raw in kept:
            if raw.source_id in emitted:
                continue
            emitted.add(raw.source_id)
            yield self.seen(raw.source_id) if self.unchanged(raw.source_id, raw.updated) else self.posting(raw)
        yield self.report(board, None, len(emitted))
