"""CareerOneStop (National Labor Exchange): ``scrapy crawl careeronestop -a source=careeronestop``.

One board per keyword, paged by ``startRecord`` / ``pageSize`` up to ``Jobcount`` (at most
``max_pages`` pages: a search that never ends stops there and the run is incomplete). Each result
is followed to its full posting (``crawlers.spiders.nationwide``). The user id and token come only
from the environment (CAREERONESTOP_USER_ID, CAREERONESTOP_TOKEN); without them the spider refuses
to start with one line saying where to get a free key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.nationwide import NationwideSearchSpider
from crawlers.spiders.tally import Tally
from pacsjobs.sources import careeronestop


class CareeronestopSpider(NationwideSearchSpider):
    name = "careeronestop"
    key_names = f"{careeronestop.USER_ID_ENV} and {careeronestop.TOKEN_ENV}"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user_id, token = careeronestop.credentials()  # SourceError when unset
        self.api_headers = careeronestop.auth_headers(token)

    async def start(self) -> AsyncIterator[Any]:
        for keyword in self.opts["keywords"]:
            yield self.page_request(Tally(keyword, pending=1), keyword, 0)

    def page_request(self, tally: Tally, keyword: str, start: int) -> scrapy.Request:
        url = careeronestop.search_url(self.base_url, self.user_id, keyword, start, self.opts)
        return scrapy.Request(url, headers=self.api_headers, callback=self.parse_page,
                              errback=self.api_failed, dont_filter=True,
                              cb_kwargs={"tally": tally, "keyword": keyword, "start": start})

    def parse_page(self, response: scrapy.http.Response, tally: Tally, keyword: str, start: int) -> Iterator[Any]:
        def read(body: bytes, url: str) -> tuple[list, int | None]:
            return careeronestop.parse(body, url), careeronestop.reported_total(body, url)

        result = self.parse_safely(read, response)
        if result is None:
            tally.ok = False
            yield from self.finish(tally)
            return
        postings, total = result
        size = self.opts["page_size"]
        if start == 0 and not self.stopped:
            tally.reported = total
            pages = careeronestop.pages_for(total, size)
            if pages > self.opts["max_pages"]:
                self.mark_incomplete(f"{keyword!r} has {pages} pages of results; read the first "
                                     f"{self.opts['max_pages']} (max_pages)")
                self.logger.warning("%s: %r reports %s results; reading %d pages (max_pages)",
                                    self.source_name, keyword, total, self.opts["max_pages"])
                tally.ok = False
                pages = self.opts["max_pages"]
            for page in range(1, pages):  # all at once: one bad page does not hide the rest
                tally.pending += 1
                yield self.page_request(tally, keyword, page * size)
        tally.fetched += len(postings)
        for raw in postings:
            yield from self.emit(raw, tally)
        yield from self.finish(tally)
