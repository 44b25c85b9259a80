"""``pacsjobs sources``: the configured sources, how their last crawls went, and ``--check``.

``--check`` asks every enabled board for its first page, the way its spider would: each platform
module's ``first_page_request(source) -> (method, url, headers, body)`` builds the request
(headers it returns win over the crawler's User-Agent; it may raise ``SourceError`` when the
source cannot be asked, e.g. a missing API key), and ``reported_total`` / ``parse`` read the answer.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import click
from sqlalchemy import func, select

from pacsjobs.cli.app import AppContext, main, pass_app
from pacsjobs.cli.terminal import clean
from pacsjobs.config import Config, SourceConfig
from pacsjobs.errors import PacsjobsError
from pacsjobs.sources import platform_module

CHECK_WORKERS = 8  # boards are on different hosts: a few at a time keeps --check short and polite


@dataclass
class CheckResult:
    """What a board's first page said: ok (with a count), moved, failed, or skipped."""

    source: str
    verdict: str  # ok | moved | failed | skipped
    detail: str
    count: int | None = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer here ("moved"), not something to follow."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _count(module: Any, body: bytes, url: str) -> int:
    total = module.reported_total(body, url) if hasattr(module, "reported_total") else None
    return total if total is not None else len(module.parse(body, url))


def check_source(src: SourceConfig, config: Config) -> CheckResult:
    """Fetch one board's first page (no retries, no redirects) and say what it answered."""
    try:
        module = platform_module(src.platform)
        build = getattr(module, "first_page_request", None)
        if build is None:
            return CheckResult(
                src.name, "skipped", f"no first-page check for platform {src.platform}"
            )
        method, url, headers, body = build(src)
    except PacsjobsError as exc:
        return CheckResult(src.name, "skipped", str(exc))
    except (KeyError, ValueError) as exc:
        return CheckResult(src.name, "failed", f"cannot build the request: {exc}")
    sent = {"User-Agent": config.crawler.agent(), **headers}
    request = urllib.request.Request(url, data=body, headers=sent, method=method)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=config.crawler.timeout) as resp:
            payload = resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            where = exc.headers.get("Location") or "?"
            return CheckResult(src.name, "moved", f"HTTP {exc.code} -> {where}")
        if exc.code in (404, 410):
            return CheckResult(src.name, "moved", f"HTTP {exc.code} (gone): {url}")
        return CheckResult(src.name, "failed", f"HTTP {exc.code}: {url}")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return CheckResult(src.name, "failed", f"{reason}: {url}")
    try:
        count = _count(module, payload, url)
    except (PacsjobsError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return CheckResult(
            src.name, "failed", f"HTTP {status} but not a {src.platform} answer: {exc}"
        )
    return CheckResult(src.name, "ok", f"{count} posting{'s' if count != 1 else ''}", count)


def check_sources(sources: Sequence[SourceConfig], config: Config) -> list[CheckResult]:
    """Check several boards at once; results in the order of ``sources``."""
    if not sources:
        return []
    with ThreadPoolExecutor(max_workers=min(CHECK_WORKERS, len(sources))) as pool:
        return list(pool.map(lambda s: check_source(s, config), sources))


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "never"


def source_rows(app: AppContext) -> list[list[str]]:
    """One row per configured source: name, platform, employer, enabled, last crawl, counts."""
    from pacsjobs.store.models import PostingRow

    config = app.config
    with app.store() as store:
        runs = store.last_runs()
        with store.session() as session:
            counts: dict[tuple[str, bool], int] = {}
            query = select(
                PostingRow.source, PostingRow.closed_at.is_(None), func.count()
            ).group_by(PostingRow.source, PostingRow.closed_at.is_(None))
            for source, is_open, n in session.execute(query):
                counts[(source, bool(is_open))] = n
    rows = []
    for src in config.sources:
        run = runs.get(src.name)
        fetched = "-"
        if run is not None and (run.fetched is not None or run.reported is not None):
            got = "-" if run.fetched is None else run.fetched
            said = "?" if run.reported is None else run.reported
            fetched = f"{got}/{said}"
        rows.append(
            [
                src.name,
                src.platform,
                src.employer or "",
                "yes" if src.enabled else "no",
                _when(run.finished_at or run.started_at) if run else "never",
                run.status if run else "-",
                str(counts.get((src.name, True), 0)),
                str(counts.get((src.name, False), 0)),
                fetched,
            ]
        )
    return rows


def _columns(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]


@main.command("sources")
@click.option(
    "--check",
    is_flag=True,
    help="Fetch every enabled board's first page and report which answer, moved or fail.",
)
@pass_app
def sources_command(app: AppContext, check: bool) -> None:
    """List the configured sources with their last crawl and postings open / closed.

    FETCHED is what the last crawl fetched against what the source reported it has.
    With --check, exits 1 when a board moved or failed.

    \b
    Example:
        pacsjobs sources
        pacsjobs sources --check
    """
    config = app.config
    if not config.sources:
        click.echo(f"no sources configured in {config.path('sources.toml')}")
        return
    header = [
        "SOURCE",
        "PLATFORM",
        "EMPLOYER",
        "ENABLED",
        "LAST CRAWL",
        "STATUS",
        "OPEN",
        "CLOSED",
        "FETCHED/REPORTED",
    ]
    for line in _columns(header, source_rows(app)):
        click.echo(line)
    if not check:
        return
    enabled = config.enabled_sources()
    click.echo("")
    click.echo(f"checking {len(enabled)} enabled source{'s' if len(enabled) != 1 else ''}...")
    results = check_sources(enabled, config)
    for line in _columns(
        ["SOURCE", "CHECK", "ANSWER"], [[r.source, r.verdict.upper(), r.detail] for r in results]
    ):
        click.echo(clean(line))  # the answer quotes what a server sent
    tally = {v: sum(r.verdict == v for r in results) for v in ("ok", "moved", "failed", "skipped")}
    click.echo(", ".join(f"{n} {v}" for v, n in tally.items()))
    if tally["moved"] or tally["failed"]:
        sys.exit(1)
