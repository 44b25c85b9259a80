"""``pacsjobs crawl --cluster``: send sources to Scrapyd nodes, follow them, survive a node's death.

Each source's run is recorded in the shared database before its job is scheduled; the node's
pipeline takes that run over (``run_id`` spider argument) and finishes it exactly as a local crawl
does, so ``status``, the digest's source-health footer and the lifecycle rules (close only after a
complete crawl) work the same. A job that ends without finishing its run, or whose node stops
answering for ``[cluster] node_timeout`` seconds, has its run marked failed (nothing closed) and
its source dispatched again to another node, at most ``[cluster] retries`` times.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from pacsjobs.cluster.client import NodeError, ScrapydNode
from pacsjobs.cluster.deploy import check_node, nodes_of, require_cluster
from pacsjobs.cluster.egg import egg_version
from pacsjobs.config import Config, SourceConfig, source_entry
from pacsjobs.crawl import CrawlResult, select_sources
from pacsjobs.errors import PacsjobsError
from pacsjobs.scrapy_settings import crawler_settings

log = logging.getLogger(__name__)

LOST_MESSAGE = "its Scrapyd node stopped answering"
ENDED_MESSAGE = "its Scrapyd job ended without recording the end of the run"


@dataclass
class Task:
    source: SourceConfig
    attempts: int = 0
    node: ScrapydNode | None = None
    job: str | None = None
    run_id: int | None = None


def node_settings(config: Config) -> dict[str, object]:
    """The crawl's settings as a node's job gets them: politeness, identity, the shared database."""
    settings = crawler_settings(config)
    settings.pop("PACSJOBS_CONFIG", None)  # the node's own folder (or its packaged defaults)
    settings["PACSJOBS_CONFIG_APPLIED"] = True  # these, not the node's [crawler] table
    return settings


def dispatch(config: Config, sources: list[str] | None = None,
             progress: Callable[[list[CrawlResult]], None] | None = None,
             time_limit: float | None = None, sleep: Callable[[float], None] = time.sleep) -> list[CrawlResult]:
    """Crawl the enabled (or named) sources on the cluster's nodes; one result per source."""
    from pacsjobs.store import open_store

    require_cluster(config)
    chosen = select_sources(config, sources)
    if not chosen:
        return []
    cluster, version = config.cluster, egg_version()
    limit = float(time_limit if time_limit is not None else config.crawler.time_limit)
    with open_store(config.database_url) as store:  # the shared schema is migrated here, once
        live, refused = _ready_nodes(nodes_of(config), cluster.project, version)
        if not live:
            raise PacsjobsError("no Scrapyd node can crawl: " + "; ".join(refused))
        for line in refused:
            log.warning("left out: %s", line)
        run = _Dispatch(config, store, live, version)
        results = run.until_done(deque(Task(s) for s in chosen), limit, progress, sleep)
    return [results[s.name] for s in chosen]


def _ready_nodes(nodes: list[ScrapydNode], project: str, version: str) -> tuple[list[ScrapydNode], list[str]]:
    live, refused = [], []
    for node in nodes:
        report = check_node(node, project, version)
        if report.ok:
            live.append(node)
        else:
            refused.append(f"{node.url}: {report.message}")
    return live, refused


class _Dispatch:
    def __init__(self, config: Config, store, live: list[ScrapydNode], version: str):
        self.config, self.store, self.live, self.version = config, store, live, version
        self.project = config.cluster.project
        self.settings = node_settings(config)
        self.active: dict[str, Task] = {}  # job id -> task
        self.results: dict[str, CrawlResult] = {}
        self.last_answer: dict[str, float] = {n.url: time.monotonic() for n in live}

    def until_done(self, queue: deque[Task], limit: float, progress, sleep) -> dict[str, CrawlResult]:
        started = time.monotonic()
        while queue or self.active:
            self._send(queue)
            if not self.live and queue:
                for task in queue:
                    self._give_up(task, "no Scrapyd node left to crawl it")
                queue.clear()
            if time.monotonic() - started > limit:
                self._stop_all()
                break
            sleep(self.config.cluster.poll_seconds)
            self._follow(queue)
            if progress is not None:
                progress(list(self.results.values()))
        return self.results

    # -- sending -----------------------------------------------------------------------------
    def _loads(self) -> list[tuple[int, int, ScrapydNode]]:
        loads = []
        for i, node in enumerate(self.live):
            try:
                loads.append((node.load(), i, node))
                self.last_answer[node.url] = time.monotonic()
            except NodeError:
                pass  # followed (and dropped after node_timeout) in _follow
        return sorted(loads)

    def _send(self, queue: deque[Task]) -> None:
        if not queue:
            return
        loads = self._loads()
        while queue and loads:
            # the least busy node (pending + running jobs, counting those just sent to it)
            load, i, node = min(loads, key=lambda x: (x[0], x[1]))
            task = queue.popleft()
            task.attempts += 1
            task.run_id = self.store.start_run(task.source.name, pid=None)
            try:
                task.job = node.schedule(self.project, task.source.platform, self.version, settings=self.settings,
                                         source=task.source.name, run_id=str(task.run_id),
                                         source_json=json.dumps(source_entry(task.source)))
            except NodeError as exc:
                self.store.finish_run(task.run_id, "failed", False, message=f"not dispatched: {exc}")
                if exc.unreachable:
                    loads = [x for x in loads if x[2] is not node]
                task.attempts -= 1  # never ran: not an attempt
                queue.appendleft(task)
                if not loads:
                    return
                continue
            task.node = node
            self.active[task.job] = task
            log.info("%s: run %s sent to %s as job %s", task.source.name, task.run_id, node.url, task.job)
            loads = [(ld + 1 if n is node else ld, j, n) for ld, j, n in loads]

    # -- following ---------------------------------------------------------------------------
    def _follow(self, queue: deque[Task]) -> None:
        by_node: dict[str, list[Task]] = {}
        for task in self.active.values():
            by_node.setdefault(task.node.url, []).append(task)
        for url, tasks in by_node.items():
            node = tasks[0].node
            try:
                jobs = {job.id: job for job in node.listjobs(self.project)}
            except NodeError as exc:
                if time.monotonic() - self.last_answer.get(url, 0) > self.config.cluster.node_timeout:
                    log.warning("%s: %s; dispatching its %d source(s) again", url, exc.problem, len(tasks))
                    self.live = [n for n in self.live if n.url != url]
                    for task in tasks:
                        self._lost(task, queue, LOST_MESSAGE)
                continue
            self.last_answer[url] = time.monotonic()
            for task in tasks:
                job = jobs.get(task.job)
                if job is not None and job.state != "finished":
                    continue
                run = self.store.run(task.run_id)
                if run is not None and run.status != "running":
                    del self.active[task.job]
                    self.results[task.source.name] = CrawlResult.from_run(run)
                else:
                    self._lost(task, queue, ENDED_MESSAGE)

    def _lost(self, task: Task, queue: deque[Task], why: str) -> None:
        self.active.pop(task.job, None)
        run = self.store.run(task.run_id)
        if run is not None and run.status == "running":
            self.store.finish_run(task.run_id, "failed", False, message=f"{why} (node {task.node.url})")
        if task.attempts <= self.config.cluster.retries and self.live:
            queue.append(task)
        else:
            self._give_up(task, f"{why}; gave up after {task.attempts} attempt(s)")

    def _give_up(self, task: Task, why: str) -> None:
        run = self.store.run(task.run_id) if task.run_id else None
        if run is not None:
            self.results[task.source.name] = CrawlResult.from_run(run)
            self.results[task.source.name].message = why
        else:
            self.results[task.source.name] = CrawlResult(task.source.name, None, "failed", message=why)

    def _stop_all(self) -> None:
        for task in list(self.active.values()):
            with contextlib.suppress(NodeError):  # a node that does not answer cannot cancel either
                task.node.cancel(self.project, task.job)
            self.store.finish_run(task.run_id, "interrupted", False, message="time limit reached")
            self._give_up(task, "time limit reached")
        self.active.clear()
