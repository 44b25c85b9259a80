"""Oracle Recruiting Cloud: ``scrapy crawl oracle -a source=oracle:providence``.

One board per search term: the ``findReqs`` finder paged by ``offset`` (25 a page) up to
``items[0].TotalJobsCount`` from the first page. Each new or changed requisition (marker:
``PostedDate``) gets a ``recruitingCEJobRequisitionDetails`` request; unchanged ones are only seen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.record import RawPosting
from pacsjobs.sources import oracle


class OracleSpider(DetailPaging, PlatformSpider):
    name = "oracle"
    employer_note = "legal_employer"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.api_base = (self.source_cfg.base_url or self.options["host"]).rstrip("/")
        self.site = self.options.get("site", oracle.DEFAULT_SITE)
        self.job_base = oracle.job_url_base(
            self.options["host"], self.site, self.options.get("lang", "en")
        )
        self.emitted: set[str] = set()

    async def start(self) -> AsyncIterator[Any]:
        for term in oracle.keywords(self.options):
            tally = Tally(f"keyword={term}" if term else "all", pending=1)
            yield self.page_request(tally, term, 0)

    def page_request(self, tally: Tally, term: str, offset: int) -> scrapy.Request:
        return scrapy.Request(
            oracle.list_url(self.api_base, self.site, term, offset),
            headers=oracle.HEADERS,
            callback=self.parse_page,
            errback=self.request_errback,
            cb_kwargs={"tally": tally, "term": term, "offset": offset},
            dont_filter=True,
        )

    def parse_page(
        self, response: scrapy.http.Response, tally: Tally, term: str, offset: int
    ) -> Iterator[Any]:
        def read(body: bytes, url: str) -> tuple[list[RawPosting], int | None]:
            return oracle.parse(body, url, self.job_base), oracle.reported_total(body, url)

        result = self.parse_safely(read, response)
        if result is None:
            tally.ok = False
            yield from self.finish(tally)
            return
        postings, total = result
        if offset == 0:
            tally.reported = total
            if total is not None:
                for later in range(oracle.PAGE_LIMIT, total, oracle.PAGE_LIMIT):
                    tally.pending += 1
                    yield self.page_request(tally, term, later)
        tally.fetched += len(postings)
        for raw in postings:
            if raw.source_id in self.emitted:
                continue
            self.emitted.add(raw.source_id)
            if self.unchanged(raw.source_id, raw.updated):
                yield self.seen(raw.source_id)
                continue
            tally.pending += 1
            yield scrapy.Request(
                oracle.detail_url(self.api_base, self.site, raw.source_id),
                headers=oracle.HEADERS,
                callback=self.parse_job,
                errback=self.request_errback,
                cb_kwargs={"tally": tally, "listing": raw},
            )
        yield from self.finish(tally)

