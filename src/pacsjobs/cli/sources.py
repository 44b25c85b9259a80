"""``pacsjobs sources``: the configured sources, how their last crawls went, and ``--check``.

``--check`` asks every enabled board for its first page, the way its spider would: each platform
module's ``first_page_request(source) -> (method, url, headers, body)`` builds the request
(headers it returns win over the crawler's User-Agent; it may raise ``SourceError`` when the
source cannot be asked, e.g. a missing API key), and ``reported_total`` / ``parse`` read the answer
(or ``check_page``, where the first page is no listing: Taleo, HealthcareSource, Phenom's sitemap).
Every failed or moved board gets a cause (moved, 404, redirect to home page, HTML instead of JSON
or of a sitemap, HTTP NNN, or the crawl summary's network causes: dns, refused, timeout, tls, ...)
so a registry of hundreds of boards ends with a short summary.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import click
from sqlalchemy import func, select

from pacsjobs.cli.app import AppContext, main
from pacsjobs.cli.terminal import clean
from pacsjobs.config import Config, SourceConfig
from pacsjobs.errors import PacsjobsError
from pacsjobs.failures import cause_of
from pacsjobs.sources import platform_module

CHECK_WORKERS = 8  # boards are on different hosts: a few at a time keeps --check short and polite


@dataclass
class CheckResult:
    """What a board's first page said: ok (with a count), moved, failed, or skipped."""

    source: str
    verdict: str  # ok | moved | failed | skipped
    detail: str
    count: int | None = None
    cause: str | None = None  # for moved / failed: the summary's category


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer here ("moved"), not something to follow."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _count(module: Any, body: bytes, url: str, options: dict[str, Any]) -> int | None:
    if hasattr(module, "check_page"):  # the first page is no listing: HTML naming the API, a sitemap
        return module.check_page(body, url, options)
    total = module.reported_total(body, url) if hasattr(module, "reported_total") else None
    return total if total is not None else len(module.parse(body, url))


def _redirect_cause(url: str, location: str) -> str:
    """A redirect to a site's front page means the board is gone; elsewhere, that it moved."""
    target = urlsplit(urljoin(url, location))
    return "redirect to home page" if target.path in ("", "/") and not target.query else "moved"


def _looks_like_html(payload: bytes) -> bool:
    head = payload.lstrip()[:200].lower()
    if head.startswith(b"<?xml"):  # XHTML opens with a declaration too; other XML is no page
        head = head.split(b"?>", 1)[-1].lstrip()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head


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
        shown = getattr(module, "redact", str)(url)  # a key in the query string (Adzuna) stays secret
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
            return CheckResult(src.name, "moved", f"HTTP {exc.code} -> {where}",
                               cause=_redirect_cause(url, where))
        if exc.code in (404, 410):
            return CheckResult(src.name, "moved", f"HTTP {exc.code} (gone): {shown}", cause=str(exc.code))
        return CheckResult(src.name, "failed", f"HTTP {exc.code}: {shown}", cause=f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        # the crawl summary's words (dns, refused, timeout, tls, ...), so both name a failure alike
        return CheckResult(src.name, "failed", f"{reason}: {shown}",
                           cause=cause_of(type(reason).__name__, str(reason)))
    try:
        count = _count(module, payload, url, src.options)
    except (PacsjobsError, ValueError, KeyError, TypeError, AttributeError) as exc:
        expects = getattr(module, "CHECK_EXPECTS", "JSON")
        cause = f"HTML instead of {expects}" if _looks_like_html(payload) else f"not a {src.platform} answer"
        return CheckResult(
            src.name, "failed", f"HTTP {status} but not a {src.platform} answer: {exc}", cause=cause
        )
    if count is None:
        return CheckResult(src.name, "ok", "board page answered (postings are counted when crawled)")
    return CheckResult(src.name, "ok", f"{count} posting{'s' if count != 1 else ''}", count)


def check_sources(
    sources: Sequence[SourceConfig], config: Config, workers: int = CHECK_WORKERS
) -> list[CheckResult]:
    """Check several boards at once (a bounded pool); results in the order of ``sources``."""
    if not sources:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(sources)))) as pool:
        return list(pool.map(lambda s: check_source(s, config), sources))


def cause_summary(results: Iterable[CheckResult]) -> str | None:
    """"by cause: 404 2, timeout 1" for the boards that moved or failed, most first; None if none."""
    causes = Counter(r.cause or r.verdict for r in results if r.verdict in ("moved", "failed"))
    if not causes:
        return None
    ranked = sorted(causes.items(), key=lambda kv: (-kv[1], kv[0]))
    return "by cause: " + ", ".join(f"{cause} {n}" for cause, n in ranked)


def select_sources(
    sources: Iterable[SourceConfig],
    platforms: Sequence[str] = (),
    groups: Sequence[str] = (),
    states: Sequence[str] = (),
    enabled: bool | None = None,
) -> list[SourceConfig]:
    """The sources passing every given filter (each filter: any of its values, case-blind)."""
    want_p = {p.lower() for p in platforms}
    want_g = {g.lower() for g in groups}
    want_s = {s.upper() for s in states}
    return [
        src for src in sources
        if (not want_p or src.platform.lower() in want_p)
        and (not want_g or (src.group or "").lower() in want_g)
        and (not want_s or (src.state or "") in want_s)
        and (enabled is None or src.enabled == enabled)
    ]


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "never"


def source_rows(app: AppContext, sources: Sequence[SourceConfig]) -> list[list[str]]:
    """One row per source: name, platform, employer, state, group, enabled, last crawl, counts."""
    from pacsjobs.store.models import PostingRow
    from pacsjobs.store.urls import DatabaseURLError, require_existing

    runs: dict[str, Any] = {}
    counts: dict[tuple[str, bool], int] = {}
    try:
        require_existing(app.config.database_url)
    except DatabaseURLError:
        return _rows(sources, runs, counts)  # nothing crawled yet: listing never creates a database
    with app.store(create=False) as store:
        runs = store.last_runs()
        with store.session() as session:
            query = select(
                PostingRow.source, PostingRow.closed_at.is_(None), func.count()
            ).group_by(PostingRow.source, PostingRow.closed_at.is_(None))
            for source, is_open, n in session.execute(query):
                counts[(source, bool(is_open))] = n
    return _rows(sources, runs, counts)


def _rows(sources: Sequence[SourceConfig], runs: dict[str, Any], counts: dict[tuple[str, bool], int]
          ) -> list[list[str]]:
    rows = []
    for src in sources:
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
                src.state or "-",
                src.group or "-",
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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


@main.group("sources", invoke_without_command=True)
@click.option("--check", is_flag=True,
              help="Fetch each listed enabled board's first page; report which answer, moved or fail.")
@click.option("--platform", "platforms", multiple=True, metavar="NAME", help="Only this platform (repeatable).")
@click.option("--group", "groups", multiple=True, metavar="NAME", help="Only this group (repeatable).")
@click.option("--state", "states", multiple=True, metavar="XX", help="Only employers based in this state (repeatable).")
@click.option("--enabled/--disabled", "enabled", default=None, help="Only enabled, or only disabled, sources.")
@click.option("--workers", type=click.IntRange(1, 64), default=CHECK_WORKERS, show_default=True,
              help="Boards --check asks at once.")
@click.pass_context
def sources_command(ctx: click.Context, check: bool, platforms: tuple[str, ...], groups: tuple[str, ...],
                    states: tuple[str, ...], enabled: bool | None, workers: int) -> None:
    """List the configured sources with their last crawl and postings open / closed.

    FETCHED is what the last crawl fetched against what the source reported it has.
    Filters narrow the list (and --check); a count line ends it. With --check, exits 1
    when a board moved or failed, after a summary of the causes.

    \b
    Example:
        pacsjobs sources
        pacsjobs sources --check
        pacsjobs sources --group imaging --state OH
        pacsjobs sources --platform workday --check --workers 16
        pacsjobs sources discover https://boards.greenhouse.io/vizai/jobs/4001
    """
    if ctx.invoked_subcommand is not None:
        return
    app: AppContext = ctx.obj
    config = app.config
    if not config.sources:
        click.echo(f"no sources configured in {config.path('sources.toml')}")
        return
    shown = select_sources(config.sources, platforms, groups, states, enabled)
    if not shown:
        click.echo(f"no source matches the filters (of {_plural(len(config.sources), 'source')})")
        return
    header = ["SOURCE", "PLATFORM", "EMPLOYER", "STATE", "GROUP", "ENABLED",
              "LAST CRAWL", "STATUS", "OPEN", "CLOSED", "FETCHED/REPORTED"]
    for line in _columns(header, source_rows(app, shown)):
        click.echo(line)
    n_enabled = sum(s.enabled for s in shown)
    of_all = "" if len(shown) == len(config.sources) else f" of {len(config.sources)}"
    click.echo(f"{len(shown)}{of_all} sources, {n_enabled} enabled")
    if not check:
        return
    targets = shown if enabled is False else [s for s in shown if s.enabled]
    click.echo("")
    click.echo(f"checking {_plural(len(targets), 'enabled source' if enabled is not False else 'source')}...")
    results = check_sources(targets, config, workers)
    for line in _columns(
        ["SOURCE", "CHECK", "ANSWER"], [[r.source, r.verdict.upper(), r.detail] for r in results]
    ):
        click.echo(clean(line))  # the answer quotes what a server sent
    if summary := cause_summary(results):
        click.echo(summary)
    tally = {v: sum(r.verdict == v for r in results) for v in ("ok", "moved", "failed", "skipped")}
    click.echo(", ".join(f"{n} {v}" for v, n in tally.items()))
    if tally["moved"] or tally["failed"]:
        sys.exit(1)
