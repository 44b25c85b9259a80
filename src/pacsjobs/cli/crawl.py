"""``pacsjobs crawl`` and ``pacsjobs run``: crawl sources (in a child process), then digest."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from pacsjobs.cli.app import AppContext, fail, main, pass_app
from pacsjobs.cli.terminal import clean, plain
from pacsjobs.crawl import CrawlResult, run_crawl
from pacsjobs.failures import group_by_cause

FAILED = ("failed", "interrupted")


# Up to this many sources the summary has a row each; past it, the totals and only the boards that
# did not succeed (a registry of hundreds must not print a screen per board).
ROWS_EACH = 20
ROWS_AT_MOST = 50
DONE = ("succeeded", "partial", "failed", "interrupted", "skipped")


def results_table(results: list[CrawlResult], title: str = "crawl") -> Table:
    """One row per source: requests, found, new, updated, unchanged, closed, errors, status."""
    table = Table(title=title, title_justify="left")
    table.add_column("source")
    for name in ("requests", "found", "new", "updated", "unchanged", "closed", "errors"):
        table.add_column(name, justify="right")
    table.add_column("status")
    colours = {"succeeded": "green", "partial": "yellow", "skipped": "dim", "failed": "red",
               "interrupted": "red"}
    for r in results:
        table.add_row(plain(r.source), str(r.requests), str(r.found), str(r.new), str(r.updated),
                      str(r.unchanged), str(r.closed), str(r.errors),
                      plain(r.status, colours.get(r.status, "white")))
    return table


def totals_line(results: list[CrawlResult]) -> str:
    """``537 boards: 530 succeeded, 5 partial, 2 failed; 84 found, 12 new, 3 closed, 2,100 requests``."""
    by_status: dict[str, int] = {}
    for r in results:
        by_status[r.status] = by_status.get(r.status, 0) + 1
    statuses = ", ".join(f"{n} {status}" for status, n in sorted(by_status.items(), key=lambda kv: -kv[1]))
    total = {k: sum(getattr(r, k) for r in results) for k in ("found", "new", "updated", "closed", "requests")}
    return (f"{len(results)} boards: {statuses}; {total['found']:,} found, {total['new']:,} new, "
            f"{total['updated']:,} updated, {total['closed']:,} closed, {total['requests']:,} requests")


def _progress_printer(console: Console, total: int):
    """One progress bar: boards finished of all, and postings found so far."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("crawling"), BarColumn(), MofNCompleteColumn(), TextColumn("boards"),
                   TextColumn("{task.fields[found]} found"), TimeElapsedColumn(), console=console,
                   transient=True)
    task = bar.add_task("crawl", total=total, found=0)
    bar.start()

    def show(results: list[CrawlResult]) -> None:
        bar.update(task, completed=sum(r.status in DONE for r in results), found=sum(r.found for r in results))

    return show, bar


def print_summary(out: Console, results: list[CrawlResult]) -> None:
    """The table (every board of a small crawl; the ones that failed or moved of a large one),
    their messages, the failures grouped by cause, and the log file."""
    failed = [r for r in results if r.status not in ("succeeded", "skipped")]
    shown = results if len(results) <= ROWS_EACH else failed
    if len(results) > ROWS_EACH:
        click.echo(totals_line(results))
    if shown:
        title = "crawl" if shown is results else "boards that failed or moved"
        out.print(results_table(shown[:ROWS_AT_MOST], title))
        if len(shown) > ROWS_AT_MOST:
            click.echo(f"(+{len(shown) - ROWS_AT_MOST} more: pacsjobs status)")
    for r in shown[:ROWS_AT_MOST]:
        if r.message and r.status != "succeeded":
            click.echo(clean(f"{r.source}: {r.status}: {r.message}"))
    for line in group_by_cause([(r.source, r.cause) for r in failed]):
        click.echo(clean(line))
    logs = sorted({r.log_path for r in failed if r.log_path})
    if logs:
        click.echo(f"log: {', '.join(logs)}")


def crawl_and_report(app: AppContext, sources: list[str] | None, log_dir: Path | None,
                     quiet: bool, cluster: bool = False) -> list[CrawlResult]:
    """Run the crawl with progress on stderr, then print the table and the messages."""
    config = app.config
    if config.crawler.placeholder_contact:
        click.echo(f"warning: [crawler] contact is still the placeholder {config.crawler.contact}: "
                   "set your email in pacsjobs.toml (`pacsjobs init`) so site owners can reach you",
                   err=True)
    out = Console(file=sys.stdout)
    if not out.is_terminal:
        out.width = 120  # piped or captured: wide enough that no cell is cut
    err = Console(file=sys.stderr)
    progress, status = (None, None)
    if not quiet and err.is_terminal:
        from pacsjobs.crawl import select_sources

        progress, status = _progress_printer(err, len(select_sources(config, sources)))
    try:
        if cluster:
            from pacsjobs.cluster.dispatch import dispatch

            results = dispatch(config, sources, progress=progress)
        else:
            results = run_crawl(config, sources, log_dir=log_dir, progress=progress)
    finally:
        if status is not None:
            status.stop()
    print_summary(out, results)
    return results


@main.command("crawl")
@click.argument("sources", nargs=-1, metavar="[SOURCE]...")
@click.option("--log-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the crawl's log file goes (default: logs/ next to the SQLite database).")
@click.option("-q", "--quiet", is_flag=True, help="No progress line, only the final table.")
@click.option("--cluster", is_flag=True, help="Crawl on the Scrapyd nodes of [cluster] nodes (shared PostgreSQL).")
@pass_app
def crawl_command(app: AppContext, sources: tuple[str, ...], log_dir: Path | None, quiet: bool,
                  cluster: bool) -> None:
    """Crawl every enabled source, or the SOURCEs named, and store what they publish.

    Exits 1 when a source failed or was interrupted.

    \b
    Example:
        pacsjobs crawl
        pacsjobs crawl harbor-valley usajobs
    """
    if cluster:
        from pacsjobs.cluster.deploy import require_cluster

        require_cluster(app.config)
    if not sources and not app.config.enabled_sources():
        click.echo(f"error: no enabled sources in {app.config.path('sources.toml')}", err=True)
        sys.exit(1)
    results = crawl_and_report(app, list(sources) or None, log_dir, quiet, cluster=cluster)
    if any(r.status in FAILED for r in results):
        sys.exit(1)


@main.command("run")
@click.option("--log-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the crawl's log file goes.")
@click.option("--email", is_flag=True, help="Also send the digest by email ([mail] settings).")
@click.option("-q", "--quiet", is_flag=True, help="No progress line.")
@pass_app
def run_command(app: AppContext, log_dir: Path | None, email: bool, quiet: bool) -> None:
    """Crawl every enabled source, then write the HTML digest and print where it is.

    Exits 1 when a source failed (the digest is still written), or when the mail server refused
    some of the digest's recipients (the line names them).

    \b
    Example:
        pacsjobs run
    """
    from pacsjobs.digest import run_digest

    results: list[CrawlResult] = []
    if app.config.enabled_sources():
        results = crawl_and_report(app, None, log_dir, quiet)
    else:
        click.echo(f"no enabled sources in {app.config.path('sources.toml')}: nothing crawled")
    digest = run_digest(app.config, profile=None, html_path=None, email=email, since=None, dry_run=False)
    if digest.html_path:
        click.echo(f"digest: {digest.count} posting{'s' if digest.count != 1 else ''} -> {digest.html_path}")
    else:
        click.echo(f"digest: {digest.message}")
    if digest.refused:  # the server took the email for some recipients only: who, and what now
        fail(digest.message)
    if any(r.status in FAILED for r in results):
        sys.exit(1)
