"""CareerOneStop (National Labor Exchange): ``scrapy crawl careeronestop -a source=careeronestop``.

One board per keyword, paged by ``startRecord`` / ``pageSize`` up to ``Jobcount`` (at most
``max_pages`` pages: a search that never ends stops there and the run is incomplete). Each result
is followed to its full posting (``crawlers.spiders.nationwide``); when its link gives none, the
one-job endpoint is asked for the whole description (up to ``max_details`` requests a run), and
only when that fails too is the result stored as a snippet, partial. A refused one-job request
(401 / 403 / 429) stops them for the run; the search itself goes on. The user id and token come only
from the environment (CAREERONESTOP_USER_ID, CAREERONESTOP_TOKEN); without them the spider refuses
to start with one line saying where to get a free key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.spiders.nationwide import NationwideSearchSpider
from crawlers.spiders.tally import Tally
from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting
from pacsjobs.sources import careeronestop


class CareeronestopSpider(NationwideSearchSpider):
    name = "careeronestop"
    key_names = f"{careeronestop.USER_ID_ENV} and {careeronestop.TOKEN_ENV}"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user_id, token = careeronestop.credentials()  # SourceError when unset
        self.api_headers = careeronestop.auth_headers(token)
        self.details_left: int = self.opts["max_details"]
        self.details_refused = False

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

    # -- one job, when its link gave no full posting -------------------------------------------
    def fallback(self, raw: RawPosting, tally: Tally) -> Iterator[Any]:
        if self.stopped or self.details_refused or self.details_left <= 0:
            if self.details_left <= 0:
                self.crawler.stats.inc_value("pacsjobs/job_detail/over_cap")
            yield from super().fallback(raw, tally)
            return
        self.details_left -= 1
        tally.pending += 1
        yield scrapy.Request(careeronestop.detail_url(self.base_url, self.user_id, raw.source_id),
                             headers=self.api_headers, callback=self.parse_detail,
                             errback=self.detail_failed, dont_filter=True, meta={"max_retry_times": 1},
                             cb_kwargs={"tally": tally, "listing": raw})

    def parse_detail(self, response: scrapy.http.Response, tally: Tally, listing: RawPosting) -> Iterator[Any]:
        try:
            raw = careeronestop.with_detail(listing, response.body, response.url)
        except ParseError as exc:  # the result itself was read: it keeps its snippet
            self.crawler.stats.inc_value("pacsjobs/job_detail/unreadable")
            self.logger.info("%s: job %s: %s; keeping the snippet", self.source_name, listing.source_id, exc)
            yield self.snippet(listing)
        else:
            self.crawler.stats.inc_value("pacsjobs/job_detail/read")
            yield self.posting(raw)
        yield from self.finish(tally)

    def detail_failed(self, failure: Failure) -> Iterator[Any]:
        kwargs = failure.request.cb_kwargs
        listing: RawPosting = kwargs["listing"]
        status = failure.value.response.status if failure.check(HttpError) else None
        self.crawler.stats.inc_value("pacsjobs/job_detail/failed")
        if status in (401, 403, 429) and not self.details_refused:
            self.details_refused = True
            self.logger.warning("%s: the one-job endpoint refused us (HTTP %s): the other results keep "
                                "their snippets", self.source_name, status)
        else:
            self.logger.info("%s: job %s not fetched: %s; keeping the snippet", self.source_name,
                             listing.source_id, failure.getErrorMessage())
        yield self.snippet(listing)
        yield from self.finish(kwargs["tally"])
