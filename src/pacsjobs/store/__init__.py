"""The job database: ``open_store(url)`` gives a migrated ``Store``.

    with open_store("sqlite:///data/pacsjobs.db") as store:
        counts = store.upsert_postings(postings, run_id=run_id)
"""

from pacsjobs.store.core import (
    ORPHANED_MESSAGE,
    RUN_STATUSES,
    CloseRefused,
    Store,
    StoreError,
    UpsertCounts,
    content_hash,
    open_store,
)
from pacsjobs.store.migrate import SchemaError

__all__ = ["ORPHANED_MESSAGE", "RUN_STATUSES", "CloseRefused", "SchemaError", "Store", "StoreError", "UpsertCounts",
           "content_hash", "open_store"]
