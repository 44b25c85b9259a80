"""Crawl-run bookkeeping in the store: start, adopt, finish, find orphans, count."""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Update,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session

from pacsjobs.store import locks
from pacsjobs.store.errors import StoreError
from pacsjobs.store.models import CrawlRun
from pacsjobs.timeutil import utcnow

log = logging.getLogger(__name__)

RUN_STATUSES = ("running", "succeeded", "partial", "failed", "interrupted")
ORPHANED_MESSAGE = "orphaned: the crawl process died"
_RUN_FIELDS = ("requests", "errors", "reported", "fetched", "requests_saved", "message", "stats",
               "found", "new", "updated", "unchanged", "closed", "log_path")


@lru_cache(maxsize=64)
def _add_counts_statement(names: tuple[str, ...]) -> Update:
    """UPDATE crawl_runs SET name = name + :delta_name, ... WHERE id = :run_id (one per name set)."""
    runs = CrawlRun.__table__
    return (update(runs).where(runs.c.id == bindparam("run_id"))
            .values({name: runs.c[name] + bindparam(f"delta_{name}") for name in names}))



def _pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (a zombie counts as dead)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True



class RunsMixin:
    """``Store`` methods that keep the history of crawl runs."""

    def start_run(self, source: str, pid: int | None = None, log_path: str | None = None,
                  now: datetime | None = None, host: str | None = None) -> int:
        """Record that a crawl of ``source`` started (by ``pid`` on ``host``); returns the run's id."""
        with self.session() as session, session.begin():
            run = CrawlRun(source=source, started_at=now or utcnow(), status="running", complete=False,
                           pid=pid, host=host, log_path=log_path, requests=0, found=0, new=0, updated=0,
                           unchanged=0, closed=0, errors=0, requests_saved=0, stats={})
            session.add(run)
            session.flush()
            return run.id

    def adopt_run(self, run_id: int, source: str) -> bool:
        """A crawl takes over a run recorded for it beforehand (a cluster node's job): True when
        ``run_id`` is a running run of ``source``; a finished or unknown one is never written again."""
        with self.session() as session:
            run = session.get(CrawlRun, run_id)
            return run is not None and run.source == source and run.status == "running"

    def run(self, run_id: int) -> CrawlRun | None:
        with self.session() as session:
            return session.get(CrawlRun, run_id)

    def finish_run(self, run_id: int, status: str, complete: bool, now: datetime | None = None,
                   **counts: Any) -> None:
        """Record how a crawl ended: status, whether it was complete, and its counts."""
        if status not in RUN_STATUSES:
            raise StoreError(f"unknown run status {status!r} (one of: {', '.join(RUN_STATUSES)})")
        unknown = set(counts) - set(_RUN_FIELDS)
        if unknown:
            raise StoreError(f"unknown crawl run field(s): {', '.join(sorted(unknown))}")
        with self.session() as session, session.begin():
            run = session.get(CrawlRun, run_id)
            if run is None:
                raise StoreError(f"no crawl run with id {run_id}")
            run.status = status
            run.complete = bool(complete)
            run.finished_at = now or utcnow()
            for name, value in counts.items():
                setattr(run, name, dict(value) if name == "stats" and value is not None else value)
        self.optimize()

    def optimize(self) -> None:
        """Refresh SQLite's planner statistics after a crawl's writes (PostgreSQL's autovacuum does
        this itself). Without them SQLite may pick the open-postings index for newest-first digests
        and scan every open posting."""
        if self.dialect != "sqlite":
            return
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
        except Exception as exc:  # noqa: BLE001 - statistics are an optimization, never a failure
            log.warning("PRAGMA optimize failed: %s", exc)

    def fail_orphaned_runs(self, now: datetime | None = None, time_limit: float = 3600) -> int:
        """Mark runs left "running" by a crawl process that died (kill -9, power loss) as failed.

        A run with a pid is orphaned when no such process lives here; one without a pid when it
        started more than ``time_limit`` seconds ago.
        """
        now = now or utcnow()
        with self.session() as session, session.begin():
            running = session.scalars(select(CrawlRun).where(CrawlRun.status == "running")).all()
            orphans = [
                run for run in running
                if self.run_died(run)
                or (run.pid is None and run.started_at < now - timedelta(seconds=time_limit))
            ]
            for run in orphans:
                run.status = "failed"
                run.complete = False
                run.finished_at = now
                run.message = ORPHANED_MESSAGE
            return len(orphans)

    def run_died(self, run: CrawlRun) -> bool:
        """Whether a run recorded ``running`` lost its process: its pid is gone (on this machine),
        or (on another machine) nothing holds its source's crawl lock any more."""
        if run.status != "running" or run.pid is None:
            return False
        if run.host in (None, socket.gethostname()):
            return not _pid_alive(run.pid)
        return locks.is_free(self, locks.crawl_lock(run.source))

    def runs(self, source: str | None = None, limit: int = 20) -> list[CrawlRun]:
        """The latest crawl runs, newest first (of one source, or of all)."""
        with self.session() as session:
            query = select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(limit)
            if source is not None:
                query = query.where(CrawlRun.source == source)
            return list(session.scalars(query))

    def last_runs(self) -> dict[str, CrawlRun]:
        """The last crawl run of every source that has one."""
        with self.session() as session:
            latest = select(func.max(CrawlRun.id).label("id")).group_by(CrawlRun.source).subquery()
            rows = session.scalars(select(CrawlRun).join(latest, CrawlRun.id == latest.c.id)
                                   .order_by(CrawlRun.source))
            return {run.source: run for run in rows}

    @staticmethod
    def _add_counts(session: Session, run_id: int, **deltas: int) -> None:
        nonzero = {name: delta for name, delta in deltas.items() if delta}
        if not nonzero:
            return
        params = {f"delta_{name}": delta for name, delta in nonzero.items()}
        result = session.execute(_add_counts_statement(tuple(nonzero)), {**params, "run_id": run_id})
        if not result.rowcount:
            raise StoreError(f"no crawl run with id {run_id}")
