"""Per-board bookkeeping shared by the paginating API spiders (usajobs, workday, oracle)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from twisted.python.failure import Failure

from pacsjobs.record import RawPosting


@dataclass
class Tally:
    """One board (one search term of one source): outstanding requests and what was counted.

    The board's report is due when ``pending`` (listing pages and detail requests still in
    flight) falls to zero; ``ok`` turns False when any of them failed.
    """

    name: str
    reported: int | None = None
    fetched: int = 0
    pending: int = 0
    ok: bool = True

    def finish_one(self) -> bool:
        """One request of this board is done; True when it was the last."""
        self.pending -= 1
        return self.pending == 0


class DetailPaging:
    """Mixin of PlatformSpider subclasses whose listing pages lead to one detail request a posting.

    Requests carry ``cb_kwargs`` ``tally`` (and ``listing`` for a detail); ``employer_note`` names
    the ``extra`` key that keeps the source's own employer name when the config names it. A spider
    that uses ``details_of`` keeps ``self.emitted``, the ids it already handed on.
    """

    employer_note = "source_employer"

    def request_errback(self, failure: Failure) -> Iterator[Any]:
        self.request_failed(failure)  # type: ignore[attr-defined]
        kwargs = failure.request.cb_kwargs
        kwargs["tally"].ok = False
        if "listing" in kwargs:
            yield from self.listing_only(kwargs["listing"])
        yield from self.finish(kwargs["tally"])

    def parse_job(self, response: Any, tally: Tally, listing: RawPosting) -> Iterator[Any]:
        """A detail response: the full posting, or the listing's when the detail is unreadable."""
        raw = self.parse_safely(self.parser.parse_detail, response, listing)  # type: ignore[attr-defined]
        if raw is None:
            tally.ok = False
            yield from self.listing_only(listing)
        else:
            yield self.posting(self.prefer_configured_employer(raw))  # type: ignore[attr-defined]
        yield from self.finish(tally)

    def listing_only(self, listing: RawPosting) -> Iterator[Any]:
        """A detail that failed: keep a stored posting as seen, store a new one from its listing."""
        if listing.source_id in self.known:  # type: ignore[attr-defined]
            yield self.seen(listing.source_id)  # type: ignore[attr-defined]
        else:
            listing.updated = None  # no marker: the next crawl fetches the detail again
            yield self.posting(self.prefer_configured_employer(listing))  # type: ignore[attr-defined]

    def prefer_configured_employer(self, raw: RawPosting) -> RawPosting:
        # sources name a legal entity ("2100 Acme USA", "Providence Health & Services - Oregon");
        # the config's employer is the name people know
        employer = self.employer  # type: ignore[attr-defined]
        if employer and raw.employer and raw.employer != employer:
            raw.extra.setdefault(self.employer_note, raw.employer)
            raw.employer = employer
        return raw

    def later_pages(self, tally: Tally, pages: int, max_pages: int,
                    request_for: Callable[[int], Any]) -> Iterator[Any]:
        """Page 1 said how many pages there are: request pages 2.., at most ``max_pages`` in all
        (more is reported and leaves the run incomplete: nothing is closed on a partial read)."""
        if pages > max_pages:
            self.logger.error("%s: %d pages is more than %d: read only those",  # type: ignore[attr-defined]
                              self.source_name, pages, max_pages)  # type: ignore[attr-defined]
            self.mark_incomplete(f"more than {max_pages} pages")  # type: ignore[attr-defined]
        for page in range(2, min(pages, max_pages) + 1):
            tally.pending += 1
            yield request_for(page)

    def details_of(self, tally: Tally, postings: list[RawPosting],
                   detail_request: Callable[[RawPosting], Any]) -> Iterator[Any]:
        """A listing page's postings: each new or changed one's detail request, the unchanged ones
        seen as they are stored; one found already (by an earlier term or page) once only."""
        tally.fetched += len(postings)
        emitted: set[str] = self.emitted  # type: ignore[attr-defined]  # the spider's own set
        for raw in postings:
            if raw.source_id in emitted:
                continue
            emitted.add(raw.source_id)
            if self.unchanged(raw.source_id, raw.updated):  # type: ignore[attr-defined]
                yield self.seen(raw.source_id)  # type: ignore[attr-defined]
                continue
            tally.pending += 1
            yield detail_request(raw)

    def finish(self, tally: Tally) -> Iterator[Any]:
        if tally.finish_one():
            yield self.report(tally.name, tally.reported, tally.fetched, tally.ok)  # type: ignore[attr-defined]
