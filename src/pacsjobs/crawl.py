"""Run crawls: the sources' spiders in one child process, then their results from ``crawl_runs``.

pacsjobs never imports the ``crawlers`` package: it starts ``python -m crawlers.run`` with the config
folder and database URL in the environment, with a time limit, and reads what the crawl recorded.
Only the runs its own child started (by pid and host) are its results: another ``pacsjobs crawl``
running at the same time has its own. The child holds each source's crawl lock while it crawls
it; a source locked by another crawl is skipped, naming the holder.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from pacsjobs.config import CONFIG_ENV, DATABASE_ENV, Config, SourceConfig
from pacsjobs.failures import main_cause
from pacsjobs.timeutil import utcnow

GRACE_SECONDS = 20.0  # after the time limit: how long a stopping crawl may take to record itself
POLL_SECONDS = 0.5

# Crawl children now running in this process, so a scheduler can stop them on SIGTERM.
_RUNNING: set[subprocess.Popen[bytes]] = set()
_RUNNING_LOCK = threading.Lock()


def stop_running_crawls() -> None:
    """Ask every running crawl child to stop (they record their runs as interrupted)."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for proc in running:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)


@dataclass
class CrawlResult:
    """How one source's crawl ended, with its counts (from its crawl_runs row)."""

    source: str
    run_id: int | None
    status: str  # succeeded | partial | failed | interrupted | skipped | running
    requests: int = 0
    found: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    errors: int = 0
    reported: int | None = None
    fetched: int | None = None
    requests_saved: int = 0
    message: str | None = None
    cause: str | None = None  # the most frequent reason its requests failed (pacsjobs.failures)
    log_path: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("succeeded", "skipped")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_run(cls, run: Any) -> CrawlResult:
        return cls(source=run.source, run_id=run.id, status=run.status, requests=run.requests or 0,
                   found=run.found or 0, new=run.new or 0, updated=run.updated or 0,
                   unchanged=run.unchanged or 0, closed=run.closed or 0, errors=run.errors or 0,
                   reported=run.reported, fetched=run.fetched, requests_saved=run.requests_saved or 0,
                   message=run.message, cause=main_cause(run.stats), log_path=run.log_path)


def process_name(pid: int | None = None) -> str:
    """How a crawl process describes itself to one that finds its lock taken."""
    return f"pid {pid or os.getpid()} on {socket.gethostname()}"


def locked_message(store: Any, holder: str | None, source: str) -> str:
    """The line of a source skipped because another crawl holds its lock: who, and which run."""
    run = next((r for r in store.runs(source, limit=10)
                if r.status == "running" and holder == process_name(r.pid) and r.host), None)
    which = f", run {run.id} started {run.started_at:%Y-%m-%d %H:%M} UTC" if run is not None else ""
    return f"another crawl of {source} is running ({holder or 'holder unknown'}{which}); not crawled again"


def select_sources(config: Config, sources: list[str] | None) -> list[SourceConfig]:
    """The named sources (unknown name -> SourceError), else every enabled one."""
    if sources:
        chosen = []
        for name in dict.fromkeys(sources):
            chosen.append(config.source(name))
        return chosen
    return config.enabled_sources()


def default_log_dir(config: Config) -> Path:
    """``logs/`` next to a SQLite database file, else ``logs/`` in the data folder."""
    try:
        url = make_url(config.database_url)
    except Exception:  # noqa: BLE001 - a bad URL is reported by the store, not here
        return config.home / "logs"
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).expanduser().resolve().parent / "logs"
    return config.home / "logs"


def _repo_root() -> Path | None:
    """The checkout holding ``crawlers/`` when pacsjobs runs from source (not installed)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "crawlers" / "run.py").exists() else None


def child_env(config: Config) -> dict[str, str]:
    env = dict(os.environ)
    env[CONFIG_ENV] = str(Path(config.dir).resolve())
    env[DATABASE_ENV] = config.database_url
    env.setdefault("SCRAPY_SETTINGS_MODULE", "crawlers.settings")
    env["PYTHONUNBUFFERED"] = "1"
    env["PACSJOBS_SCHEMA_READY"] = "1"  # run_crawl migrates before it starts the child
    root = _repo_root()
    if root is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH")) if p)
    return env


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Ask the crawl to stop (Scrapy closes spiders with reason "shutdown"), then insist."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT if os.name == "nt" else signal.SIGTERM)
    try:
        proc.wait(timeout=GRACE_SECONDS)
        return
    except subprocess.TimeoutExpired:
        pass
    proc.send_signal(signal.SIGTERM)  # Scrapy's second signal: stop without finishing
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_crawl(config: Config, sources: list[str] | None = None, log_dir: Path | None = None,
              progress: Callable[[list[CrawlResult]], None] | None = None,
              time_limit: float | None = None) -> list[CrawlResult]:
    """Crawl the enabled (or named) sources in one child process; one result per source."""
    from pacsjobs.store import open_store

    chosen = select_sources(config, sources)
    if not chosen:
        return []
    names = [s.name for s in chosen]
    limit = float(time_limit if time_limit is not None else config.crawler.time_limit)
    log_dir = Path(log_dir) if log_dir is not None else default_log_dir(config)
    log_dir.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    log_path = log_dir / f"crawl-{stamp}-{os.getpid()}.log"
    results_path = log_dir / f".crawl-{stamp}-{os.getpid()}.json"

    # One store for the whole crawl: it creates / migrates the database before the child starts,
    # then serves the progress polls and the final read (SQLite in WAL mode reads while it writes).
    with open_store(config.database_url) as store:
        store.fail_orphaned_runs(time_limit=limit + GRACE_SECONDS)
        before = max((r.id for r in store.runs(limit=1)), default=0)
        cmd = [sys.executable, "-m", "crawlers.run", "--config", str(Path(config.dir).resolve()),
               "--results", str(results_path), "--log-file", str(log_path)]
        for name in names:
            cmd += ["--source", name]
        started = time.monotonic()
        timed_out = False
        with open(log_path, "ab") as log:
            # A session of its own: a terminal's Ctrl-C reaches only us, and we stop the child once
            # (a second signal would make Scrapy quit without recording its run).
            proc = subprocess.Popen(cmd, env=child_env(config), stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
            with _RUNNING_LOCK:
                _RUNNING.add(proc)
            try:
                while proc.poll() is None:
                    if time.monotonic() - started > limit:
                        timed_out = True
                        _stop(proc)
                        break
                    if progress is not None:
                        progress(_current(store, names, before, proc.pid))
                    time.sleep(POLL_SECONDS)
            except BaseException:
                _stop(proc)  # Ctrl-C in the parent: stop the child so its runs are recorded
                raise
            finally:
                with _RUNNING_LOCK:
                    _RUNNING.discard(proc)
        outcome: dict[str, dict[str, str]] = {"skipped": {}, "failed": {}}
        if results_path.exists():
            with contextlib.suppress(ValueError):
                outcome = json.loads(results_path.read_text())
            results_path.unlink(missing_ok=True)
        results = _collect(store, names, before, proc.pid, outcome, proc.returncode, timed_out, log_path)
    if progress is not None:
        progress(results)
    return results


def _runs_since(store: Any, names: list[str], before: int, pid: int) -> dict[str, Any]:
    """The run of each source that our child (``pid`` on this host) started after ``before``."""
    host = socket.gethostname()
    latest: dict[str, Any] = {}
    for name in names:
        for run in store.runs(name, limit=20):
            if run.id > before and run.pid == pid and run.host in (None, host):
                latest.setdefault(name, run)
    return latest


def _current(store: Any, names: list[str], before: int, pid: int) -> list[CrawlResult]:
    runs = _runs_since(store, names, before, pid)
    return [CrawlResult.from_run(runs[n]) if n in runs else CrawlResult(n, None, "waiting") for n in names]


def _collect(store: Any, names: list[str], before: int, pid: int, outcome: dict[str, dict[str, str]],
             returncode: int | None, timed_out: bool, log_path: Path) -> list[CrawlResult]:
    runs = _runs_since(store, names, before, pid)
    results = []
    for name in names:
        run = runs.get(name)
        if run is not None and run.status == "running":
            # The child was stopped before it could record the end of this run.
            status = "interrupted" if timed_out else "failed"
            why = "time limit reached" if timed_out else f"crawl process ended ({returncode})"
            store.finish_run(run.id, status, False, message=why)
            run = _runs_since(store, [name], before, pid)[name]
        if run is not None:
            result = CrawlResult.from_run(run)
            if timed_out and result.status == "interrupted" and not result.message:
                result.message = "time limit reached"
        elif name in outcome.get("skipped", {}):
            result = CrawlResult(name, None, "skipped", message=outcome["skipped"][name])
        elif name in outcome.get("failed", {}):
            result = CrawlResult(name, None, "failed", message=outcome["failed"][name])
        elif timed_out:
            result = CrawlResult(name, None, "interrupted", message="time limit reached before it started")
        else:
            result = CrawlResult(name, None, "failed",
                                 message=f"the crawl did not start; see {log_path}")
        results.append(result)
    return results
