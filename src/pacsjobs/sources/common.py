"""Small helpers shared by the platform parsers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urljoin

from pacsjobs.errors import ParseError


def load_json(payload: bytes | str | Any, url: str = "") -> Any:
    """Decode a JSON payload; an HTML error page or broken JSON becomes a ParseError naming the URL.

    Bytes in UTF-8 (with or without a byte-order mark), UTF-16 or UTF-32 are read, as RFC 8259
    readers do; JSON nested deeper than Python can read is one ParseError, not a RecursionError.
    """
    if not isinstance(payload, bytes | str):
        return payload  # already decoded
    if isinstance(payload, bytes):
        text = payload.decode(json.detect_encoding(payload), "replace")
    else:
        text = payload
    text = text.removeprefix("\ufeff")
    try:
        return json.loads(text)
    except RecursionError:
        raise ParseError(f"{url or 'payload'}: JSON nested too deeply to read") from None
    except ValueError as exc:
        head = text.lstrip()[:60].replace("\n", " ")
        kind = "an HTML page" if head.startswith("<") else "invalid JSON"
        raise ParseError(f"{url or 'payload'}: expected JSON, got {kind} ({exc.__class__.__name__}: {head!r})") from None


def joined_url(base: str, href: str) -> str | None:
    """``href`` made absolute on ``base``; None when either is no URL (a bracket in a host makes
    urllib raise ValueError): one bad link costs its own entry, never the page."""
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def text_or_none(value: Any) -> str | None:
    """A stripped string, or None for empty / non-scalar values."""
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def fill_from_listing(raw: Any, listing: Any | None) -> Any:
    """Fill a detail's empty fields from its listing's (the listing may know what the detail omits)."""
    if listing is not None:
        for key, value in vars(listing).items():
            if getattr(raw, key) in (None, [], {}, ""):
                setattr(raw, key, value)
    return raw


def items(value: Any) -> list[Any]:
    """An array field of a payload, or [] when absent or of another type (``true``, a number, a
    string, an object): iterating those would fail or walk characters and keys."""
    return value if isinstance(value, list) else []


def fields(value: Any) -> dict[str, Any]:
    """An object field of a payload, or {} when absent or of another type."""
    return value if isinstance(value, dict) else {}


def whole_number(value: Any) -> int | None:
    """An int field of a payload (a count), or None when absent or of another type."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def whole_board_options(options: dict[str, Any], key: str, pattern: Any, what: str,
                        board: str, source: str) -> dict[str, Any]:
    """sources.toml keys of a board fetched whole: one required name, no ``keywords``, nothing else.

    ``what`` describes the name ("the board token of boards.greenhouse.io/<token>"); ``board`` and
    ``source`` name the platform in messages ("a Greenhouse", "a greenhouse").
    """
    opts = dict(options)
    value = opts.pop(key, None)
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"{key}: required, {what} (letters, digits, - _ .)")
    if "keywords" in opts:
        raise ValueError(f"keywords: {board} board cannot be searched; it is fetched whole and the "
                         "classifier keeps the PACS roles")
    for unknown in opts:
        raise ValueError(f"{unknown}: unknown key for {source} source (known: {key})")
    return {key: value}


class Entries(list):
    """A listing's readable postings, and ``skipped``: how many of its entries could not be read.

    A list, so callers that only want the postings need not know; a spider checks ``skipped``
    (an entry it cannot read may be a posting that is still open: the crawl must not close it).
    """

    def __init__(self, postings: Iterable[Any] = (), skipped: int = 0):
        super().__init__(postings)
        self.skipped = skipped

    @property
    def entries(self) -> int:
        """Every entry the listing held, readable or not (what its page size counts)."""
        return len(self) + self.skipped


def read_entries(entries: Iterable[Any], read: Callable[[Any], Any]) -> Entries:
    """``read`` each listing entry (None: unreadable); the postings, counting the unreadable ones."""
    out = Entries()
    for entry in entries:
        raw = read(entry)
        if raw is None:
            out.skipped += 1
        else:
            out.append(raw)
    return out
