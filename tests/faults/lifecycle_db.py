"""What every lifecycle fault test asserts about the database afterwards."""

from __future__ import annotations

from sqlalchemy import func, select, text

from pacsjobs.store import RUN_STATUSES, open_store
from pacsjobs.store.models import CrawlRun, PostingRow


def open_postings(url: str) -> dict[str, set[str]]:
    """source -> source_ids of its open postings."""
    out: dict[str, set[str]] = {}
    with open_store(url) as store, store.session() as session:
        for source, source_id in session.execute(
                select(PostingRow.source, PostingRow.source_id).where(PostingRow.closed_at.is_(None))):
            out.setdefault(source, set()).add(source_id)
    return out


def assert_sound(url: str, still_open: dict[str, set[str]] | None = None) -> list[CrawlRun]:
    """Integrity, nothing stored twice, every run ended with a known status, nothing open closed.

    Returns the runs (oldest first) for further checks.
    """
    with open_store(url) as store, store.session() as session:
        if store.dialect == "sqlite":
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        twice = session.execute(
            select(PostingRow.source, PostingRow.source_id, func.count())
            .group_by(PostingRow.source, PostingRow.source_id).having(func.count() > 1)).all()
        assert twice == [], f"stored twice: {twice}"
        runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
        for run in runs:
            session.expunge(run)
    for run in runs:
        assert run.status in RUN_STATUSES and run.status != "running", (run.id, run.status, run.message)
        assert run.finished_at is not None
        assert run.complete == (run.status == "succeeded"), (run.id, run.status, run.complete)
    if still_open is not None:
        now_open = open_postings(url)
        for source, ids in still_open.items():
            closed = ids - now_open.get(source, set())
            assert not closed, f"{source}: closed {sorted(closed)} that were open"
    return runs
