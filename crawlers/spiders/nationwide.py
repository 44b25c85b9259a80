"""The base of the nationwide search spiders (careeronestop, adzuna): not a spider itself.

A search result is a snippet and a link. ``emit`` follows the link (up to ``follow_links`` a run,
through the crawler's politeness settings and robots.txt) and reads schema.org JobPosting data
from the page it lands on; found, the result is stored with the full posting, else ``fallback``
stores its snippet, marked ``snippet_only`` (CareerOneStop first asks its one-job endpoint). A link that cannot be read does not make the run incomplete:
the search result itself was read. A result without a company or a location does (``check_fields``).

``api_failed`` turns the API's refusals into one clear line each and stops the search:
401 / 403 (the key is wrong), 429 (the quota is spent). Either way the run is incomplete, so
nothing is closed, and the other sources go on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.tally import Tally
from pacsjobs.record import RawPosting
from pacsjobs.sources import jsonld
from pacsjobs.sources.nationwide import SNIPPET_ONLY, best_match, followable, with_full_posting


class NationwideSearchSpider(PlatformSpider):
    name = ""  # abstract
    key_names = ""  # the environment variables of the key, for the rejected-key line

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.opts: dict[str, Any] = self.parser.settings(self.options)
        self.follow_left: int = self.opts["follow_links"]
        self.emitted: set[str] = set()
        self.stopped = False  # the API refused us: ask it nothing more this run
        self.api_host = urlsplit(self.base_url).hostname

    # -- results -----------------------------------------------------------------------------
    def emit(self, raw: RawPosting, tally: Tally) -> Iterator[Any]:
        """One search result: seen, followed to its full posting, or stored as a snippet."""
        if raw.source_id in self.emitted:  # found by another keyword
            return
        self.emitted.add(raw.source_id)
        self.check_fields(raw)
        if self.unchanged(raw.source_id, raw.updated):
            yield self.seen(raw.source_id)
            return
        if not followable(raw.url, self.api_host):
            if raw.url:
                self.crawler.stats.inc_value("pacsjobs/full_posting/not_followed")
                self.logger.warning("%s: result %s links to %r: not followed", self.source_name,
                                    raw.source_id, raw.url[:200])
            yield from self.fallback(raw, tally)
            return
        if self.follow_left > 0:
            self.follow_left -= 1
            tally.pending += 1
            yield scrapy.Request(raw.url, callback=self.parse_linked, errback=self.linked_failed,
                                 cb_kwargs={"tally": tally, "listing": raw}, dont_filter=True,
                                 meta={"max_retry_times": 1})
            return
        self.crawler.stats.inc_value("pacsjobs/full_posting/over_cap")
        yield from self.fallback(raw, tally)

    def check_fields(self, raw: RawPosting) -> None:
        """A result without company or place is stored all the same, with one line saying what it
        lacks, and the run is incomplete: nothing of this source is closed (issue 13, bad input).
        A source whose results often lack a company therefore never closes its postings."""
        missing = [what for what, value in (("company", raw.employer), ("location", raw.locations))
                   if not value]
        if missing:
            why = f"result {raw.source_id} ({raw.title!r}) has no {' and no '.join(missing)}"
            self.crawler.stats.inc_value("pacsjobs/result_incomplete")
            self.logger.warning("%s: %s", self.source_name, why)
            self.mark_incomplete(why)

    def fallback(self, raw: RawPosting, tally: Tally) -> Iterator[Any]:
        """The result's link gave no full posting: store its snippet (a platform with a one-job
        endpoint asks it first)."""
        yield self.snippet(raw)

    def snippet(self, raw: RawPosting) -> Any:
        """The result with only its snippet: partial, and no change marker, so the next crawl
        tries its link again."""
        self.crawler.stats.inc_value("pacsjobs/full_posting/snippet_only")
        raw.extra[SNIPPET_ONLY] = True
        raw.updated = None
        return self.posting(raw)

    def parse_linked(self, response: scrapy.http.Response, tally: Tally, listing: RawPosting) -> Iterator[Any]:
        page = None
        # a redirect may have ended somewhere no result may send us: read nothing from there
        if isinstance(response, scrapy.http.TextResponse) and followable(response.url, self.api_host):
            try:
                page = best_match(listing, jsonld.parse_page(response.body, response.url)[0])
            except Exception as exc:  # noqa: BLE001 - a page we cannot read leaves the snippet
                self.logger.info("no posting read from %s: %s", response.url, exc)
        if page is None:
            self.logger.info("%s: no JobPosting behind %s", self.source_name, response.url)
            yield from self.fallback(listing, tally)
        else:
            self.crawler.stats.inc_value("pacsjobs/full_posting/read")
            yield self.posting(with_full_posting(listing, page, response.url))
        yield from self.finish(tally)

    def linked_failed(self, failure: Failure) -> Iterator[Any]:
        kwargs = failure.request.cb_kwargs
        self.crawler.stats.inc_value("pacsjobs/full_posting/unreachable")
        self.logger.info("%s: full posting not fetched from %s: %s", self.source_name,
                         failure.request.url, failure.getErrorMessage())
        yield from self.fallback(kwargs["listing"], kwargs["tally"])
        yield from self.finish(kwargs["tally"])

    # -- the API -----------------------------------------------------------------------------
    def api_failed(self, failure: Failure) -> Iterator[Any]:
        """A search request failed: a refusal stops the search with one line; the run is incomplete."""
        tally: Tally = failure.request.cb_kwargs["tally"]
        tally.ok = False
        status = failure.value.response.status if failure.check(HttpError) else None
        if status in (401, 403):
            self.stop(f"the key was rejected (HTTP {status}): check {self.key_names}")
        elif status == 429:
            self.stop("quota exhausted (HTTP 429, after waiting once as asked): the rest waits for the next run")
        else:
            self.crawler.stats.inc_value("pacsjobs/request_failed")
            self.logger.error("%s: request failed: %s: %s", self.source_name,
                              self.public_url(failure.request.url), failure.getErrorMessage())
            self.mark_incomplete(f"request failed: {self.public_url(failure.request.url)}")
        yield from self.finish(tally)

    def stop(self, why: str) -> None:
        """Ask the API nothing more this run; say why once."""
        if not self.stopped:
            self.stopped = True
            self.crawler.stats.inc_value("pacsjobs/api_refused")
            self.logger.error("%s: %s", self.source_name, why)
            self.mark_incomplete(why)

    def public_url(self, url: str) -> str:
        """A request URL fit for logs (platforms with a key in the query redact it)."""
        return url

    def finish(self, tally: Tally) -> Iterator[Any]:
        if tally.finish_one():
            yield self.report(tally.name, tally.reported, tally.fetched, tally.ok)
