"""The store's own errors."""

from __future__ import annotations

from pacsjobs.errors import PacsjobsError


class StoreError(PacsjobsError):
    """A store operation got arguments it cannot act on (unknown run, bad status)."""


class CloseRefused(StoreError):
    """A crawl would close too much of a source: it closed nothing (the message says why)."""
