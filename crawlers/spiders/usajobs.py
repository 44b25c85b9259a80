"""USAJOBS: ``scrapy crawl usajobs -a source=usajobs``.

One board per search term (``keywords`` -> ``Keyword=``, ``titles`` -> ``PositionTitle=``); each is
paged with ``Page`` / ``ResultsPerPage`` up to ``UserArea.NumberOfPages``. The listing carries the
whole posting, so there are no detail requests. A posting found by several terms is stored once.
Key and email only from the environment (USAJOBS_API_KEY, USAJOBS_EMAIL); without them the spider
refuses to start with one line saying where to get a free key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.sources import usajobs


class UsajobsSpider(DetailPaging, PlatformSpider):
    name = "usajobs"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.api_headers = usajobs.auth_headers(self.base_url)  # SourceError when the key is unset
        self.per_page = self.options.get("results_per_page", usajobs.RESULTS_PER_PAGE)
        self.emitted: set[str] = set()

    async def start(self) -> AsyncIterator[Any]:
        for param, term in usajobs.searches(self.options):
            tally = Tally(f"{param}={term}", pending=1)
            yield self.page_request(tally, param, term, 1)

    def page_request(self, tally: Tally, param: str, term: str, page: int) -> scrapy.Request:
        url = usajobs.search_url(self.base_url, param, term, page, self.options)
        return scrapy.Request(
            url,
            headers=self.api_headers,
            callback=self.parse_page,
            errback=self.request_errback,
            cb_kwargs={"tally": tally, "param": param, "term": term, "page": page},
            dont_filter=True,
        )

    def parse_page(
        self, response: scrapy.http.Response, tally: Tally, param: str, term: str, page: int
    ) -> Iterator[Any]:
        def read(body: bytes, url: str) -> tuple[list, int | None, int]:
            return (
                usajobs.parse(body, url),
                usajobs.reported_total(body, url),
                usajobs.number_of_pages(body, url, self.per_page),
            )

        result = self.parse_safely(read, response)
        if result is None:
            tally.ok = False
            yield from self.finish(tally)
            return
        postings, reported, pages = result
        if page == 1:
            tally.reported = reported
            for later in range(2, pages + 1):  # all at once: one bad page does not hide the rest
                tally.pending += 1
                yield self.page_request(tally, param, term, later)
        tally.fetched += len(postings)
        for raw in postings:
            if raw.source_id not in self.emitted:
                self.emitted.add(raw.source_id)
                yield self.posting(raw)
        yield from self.finish(tally)
