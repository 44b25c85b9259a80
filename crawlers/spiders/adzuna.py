"""Adzuna (US index): ``scrapy crawl adzuna -a source=adzuna``.

One board per keyword, paged one page after another (``/search/{page}``) while results come and
``count`` says there are more, up to ``max_pages`` a keyword. Every API call counts against the
run's budget ``max_requests`` (default 25; the free tier allows about 250 a day): when it is spent,
or the API answers 429 again after waiting once as its Retry-After asked, the spider stops asking
and the run is incomplete (nothing is closed), which the crawl summary says. Each result is
followed to its full posting (``crawlers.spiders.nationwide``). Keys only from the environment
(ADZUNA_APP_ID, ADZUNA_APP_KEY); they travel in the query string, so logged URLs are redacted.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.nationwide import NationwideSearchSpider
from crawlers.spiders.tally import Tally
from pacsjobs.sources import adzuna


class RedactFilter(logging.Filter):
    """Takes a secret out of every log line (Scrapy's own lines print request URLs)."""

    def __init__(self, secret: str):
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, "***"), ()
        return True


class AdzunaSpider(NationwideSearchSpider):
    name = "adzuna"
    key_names = f"{adzuna.APP_ID_ENV} and {adzuna.APP_KEY_ENV}"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.app_id, self.app_key = adzuna.credentials()  # SourceError when unset
        self.calls = 0
        self.redact = RedactFilter(self.app_key)
        for handler in logging.getLogger().handlers:
            handler.addFilter(self.redact)

    def closed(self, reason: str) -> None:
        for handler in logging.getLogger().handlers:
            handler.removeFilter(self.redact)

    async def start(self) -> AsyncIterator[Any]:
        for keyword in self.opts["keywords"]:
            tally = Tally(keyword, pending=1)
            request = self.page_request(tally, keyword, 1)
            if request is None:
                tally.ok = False
                for item in self.finish(tally):
                    yield item
            else:
                yield request

    def page_request(self, tally: Tally, keyword: str, page: int) -> scrapy.Request | None:
        """The next API call, or None when the API refused us or the budget is spent."""
        if self.stopped:
            return None
        if self.calls >= self.opts["max_requests"]:
            self.budget_spent()
            return None
        self.calls += 1
        url = adzuna.search_url(self.base_url, self.app_id, self.app_key, keyword, page, self.opts)
        # One retry of a 429 (after its Retry-After), then stop: a spent quota stays spent.
        return scrapy.Request(url, headers={"Accept": "application/json"}, callback=self.parse_page,
                              errback=self.api_failed, dont_filter=True, meta={"max_retry_times": 1},
                              cb_kwargs={"tally": tally, "keyword": keyword, "page": page})

    def budget_spent(self) -> None:
        if not self.stopped:
            self.stopped = True
            self.crawler.stats.inc_value("pacsjobs/budget_spent")
            why = (f"request budget spent ({self.opts['max_requests']} API calls, max_requests): "
                   "the rest waits for the next run")
            self.logger.warning("%s: %s", self.source_name, why)
            self.mark_incomplete(why)

    def public_url(self, url: str) -> str:
        return url.replace(self.app_key, "***")

    def parse_page(self, response: scrapy.http.Response, tally: Tally, keyword: str, page: int) -> Iterator[Any]:
        self.calls += response.meta.get("retry_times", 0)  # a retried call was a call too

        def read(body: bytes, url: str) -> tuple[list, int | None]:
            return adzuna.parse(body, url), adzuna.reported_total(body, url)

        result = self.parse_safely(read, response.replace(url=self.public_url(response.url)))
        if result is None:
            tally.ok = False
            yield from self.finish(tally)
            return
        postings, total = result
        if page == 1:
            tally.reported = total
        tally.fetched += len(postings)
        for raw in postings:
            yield from self.emit(raw, tally)
        if postings and page < adzuna.pages_for(total, self.opts["results_per_page"]):
            if page >= self.opts["max_pages"]:
                self.mark_incomplete(f"{keyword!r} has more than {page} pages of results (max_pages)")
                self.logger.warning("%s: %r: stopped after %d pages (max_pages)", self.source_name, keyword, page)
                tally.ok = False
            else:
                request = self.page_request(tally, keyword, page + 1)
                if request is None:
                    tally.ok = False
                else:
                    tally.pending += 1
                    yield request
        yield from self.finish(tally)
