"""When a complete crawl may close what it did not see (pure: counts in, a refusal or None out).

A crawl that suddenly misses most of a source (a board that returned a fraction of itself and a
count to match, a site redesign that moved every posting) is far more often a bad day than a
hiring freeze. Such a crawl closes nothing and says why; a person looks, or the next crawl settles it.
"""

from __future__ import annotations

GUARD_PREFIX = "close guard"
FEW_OPEN = 3  # a source with at most this many open postings may lose all of them in one crawl


def close_refusal(open_count: int, missing: int, max_share: float) -> str | None:
    """Why closing ``missing`` of a source's ``open_count`` open postings is refused, or None.

    Refused: all of them when there are more than ``FEW_OPEN``, or more than ``max_share`` of them.
    """
    if missing <= 0 or open_count <= FEW_OPEN:
        return None
    if missing >= open_count:
        return f"{GUARD_PREFIX}: would close all {open_count} open postings; closed none"
    if missing > max_share * open_count:
        return (f"{GUARD_PREFIX}: would close {missing} of {open_count} open postings (more than "
                f"max_close_share {max_share:g}); closed none")
    return None
