"""What the nationwide search sources (``careeronestop``, ``adzuna``) share.

Both return a *snippet* of each posting and a link. The spider follows the link and, when the
page behind it carries schema.org JobPosting data (the employer's own career page, or an ATS
page), completes the result with that full posting (``with_full_posting``). A result whose full
text could not be read stays marked ``snippet_only``: the stored posting is ``partial`` and the
classifier and the matcher say that they decided on a snippet (``SNIPPET_REASON``), so a reader
knows to open the link.

Pure functions; no Scrapy imports.
"""

from __future__ import annotations

import html
import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from pacsjobs.record import Posting, RawPosting
from pacsjobs.understand.dedupe import NATIONWIDE_PLATFORMS

__all__ = ["NATIONWIDE_PLATFORMS", "SNIPPET_ONLY", "SNIPPET_REASON", "is_partial", "with_full_posting"]
SNIPPET_ONLY = "snippet_only"  # RawPosting.extra key: only the search result's snippet was read
FULL_POSTING_URL = "full_posting_url"  # RawPosting.extra key: the page the full text came from
FULL_POSTING_FROM = "full_posting_from"  # RawPosting.extra key: the API record it came from instead
# The classifier's reason line on a partial posting (Posting.partial): it decided on a snippet.
SNIPPET_REASON = "partial: decided on the search result's snippet (the full posting could not be read)"
MATCH_SNIPPET_REASON = "decided on a snippet only: open the posting to check what it asks for"
# Credits a platform's terms require wherever its listings are shown: (text, link).
CREDITS: dict[str, tuple[str, str]] = {"adzuna": ("Jobs by Adzuna", "https://www.adzuna.com")}


def credits_for(sources: Iterable[str], platforms: Mapping[str, str] | None) -> list[tuple[str, str]]:
    """The credits owed for showing copies from ``sources`` (each once)."""
    owed = [CREDITS[p] for p in (platform_of(s, platforms) for s in sources) if p in CREDITS]
    return list(dict.fromkeys(owed))


def is_partial(posting: Posting) -> bool:
    """True when the stored posting holds only a search snippet, not the full posting."""
    return bool(posting.partial)


def snippet_html(text: str | None) -> str | None:
    """A snippet as HTML: kept as markup when it has tags (sanitized later), else escaped."""
    if not text or not text.strip():
        return None
    text = text.strip()
    if "<" in text and ">" in text:
        return text
    return f"<p>{html.escape(text)}</p>"


def description_html(text: str) -> str:
    """A full description as HTML: kept as markup when it has tags (sanitized later); plain text
    becomes escaped paragraphs (blank lines) and line breaks, so its layout survives."""
    text = text.strip()
    if "<" in text and ">" in text:
        return text
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join("<p>" + "<br>".join(html.escape(line.strip()) for line in p.split("\n")) + "</p>"
                   for p in paragraphs)


def with_full_posting(listing: RawPosting, page: RawPosting, page_url: str) -> RawPosting:
    """The search result completed with the full posting read from the page behind its link.

    The result keeps its own identity (source_id, link, change marker); the page gives what it
    states (title, employer, place, pay, dates, description); the result fills the rest.
    """
    extra = {k: v for k, v in listing.extra.items() if k != SNIPPET_ONLY}
    extra[FULL_POSTING_URL] = page_url
    return RawPosting(
        source_id=listing.source_id,
        url=listing.url,
        title=page.title or listing.title,
        employer=page.employer or listing.employer,
        locations=page.locations or listing.locations,
        country=page.country or listing.country,
        workplace=page.workplace or listing.workplace,
        employment_type=page.employment_type or listing.employment_type,
        salary=page.salary or listing.salary,
        date_posted=page.date_posted or listing.date_posted,
        valid_through=page.valid_through or listing.valid_through,
        description_html=page.description_html or listing.description_html,
        updated=listing.updated,
        department=page.department or listing.department,
        extra=extra,
    )


def followable(url: str, api_host: str | None = None) -> bool:
    """True for an http(s) link to a public host: a search result must not send the crawler to
    this machine or its network (the API's own host, e.g. a test server, is allowed)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    if api_host and host == api_host.lower():
        return True
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True  # a name: public as far as we can tell without resolving it
    return address.is_global


def best_match(listing: RawPosting, candidates: Iterable[RawPosting]) -> RawPosting | None:
    """The page's JobPosting that is this result: the one with the same title, else the only one."""
    found = list(candidates)
    if not found:
        return None
    want = " ".join(listing.title.lower().split())
    for raw in found:
        if " ".join((raw.title or "").lower().split()) == want:
            return raw
    return found[0] if len(found) == 1 else None


def source_kind(platform: str) -> str:
    """``federal`` (USAJOBS), ``nationwide`` (search APIs) or ``employer`` (everyone's own board)."""
    if platform == "usajobs":
        return "federal"
    if platform in NATIONWIDE_PLATFORMS or platform == "aggregator":
        return "nationwide"
    return "employer"


def platform_of(source: str, platforms: Mapping[str, str] | None) -> str:
    """The platform of a source name: from the config's mapping, else "platform:board" / the name."""
    if platforms and source in platforms:
        return platforms[source]
    return source.split(":", 1)[0].strip().lower()


def check_search_options(options: dict[str, Any], platform: str, numbers: dict[str, tuple[int, int]],
                         texts: tuple[str, ...] = ()) -> dict[str, Any]:
    """Validate a nationwide source's keys: ``keywords`` (a list of terms), whole numbers in
    ``numbers`` (key -> (lowest, highest)) and strings in ``texts``; ValueError("key: problem")."""
    known = {"keywords", *numbers, *texts}
    for key in options:
        if key not in known:
            raise ValueError(f"{key}: unknown key ({platform} takes {', '.join(sorted(known))})")
    if "keywords" in options:
        value = options["keywords"]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError("keywords: must be a list of non-empty strings")
    for key, (low, high) in numbers.items():
        if key in options:
            value = options[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"{key}: must be a whole number from {low} to {high}")
    for key in texts:
        if key in options and (not isinstance(options[key], str) or not options[key].strip()):
            raise ValueError(f"{key}: must be a non-empty string")
    return dict(options)
