"""``pacsjobs crawl`` and ``pacsjobs run``: crawl sources (in a child process), then digest."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from pacsjobs.cli.app import AppContext, main, pass_app
from pacsjobs.cli.terminal import clean, plain
from pacsjobs.crawl import CrawlResult, run_crawl

FAILED = ("failed", "interrupted")


def results_table(results: list[CrawlResult]) -> Table:
    """One row per source: requests, found, new, updated, unchanged, closed, errors, status."""
    table = Table(title="crawl", title_justify="left")
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


def _progress_printer(console: Console):
    """A progress callback showing each source's status and postings found so far."""
    status = console.status("starting the crawl…")
    status.start()

    def show(results: list[CrawlResult]) -> None:
        parts = [f"{r.source}: {r.status}, {r.found} found, {r.requests} requests" for r in results]
        status.update(plain("crawling — " + " | ".join(parts)))

    return show, status


def crawl_and_report(app: AppContext, sources: list[str] | None, log_dir: Path | None,
                     quiet: bool) -> list[CrawlResult]:
    """Run the crawl with progress on stderr, then print the table and the messages."""
    config = app.config
    out = Console(file=sys.stdout)
    if not out.is_terminal:
        out.width = 120  # piped or captured: wide enough that no cell is cut
    err = Console(file=sys.stderr)
    progress, status = (None, None)
    if not quiet and err.is_terminal:
        progress, status = _progress_printer(err)
    try:
        results = run_crawl(config, sources, log_dir=log_dir, progress=progress)
    finally:
        if status is not None:
            status.stop()
    out.print(results_table(results))
    for r in results:
        if r.message and r.status != "succeeded":
            click.echo(clean(f"{r.source}: {r.status}: {r.message}"))
    return results


@main.command("crawl")
@click.argument("sources", nargs=-1, metavar="[SOURCE]...")
@click.option("--log-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the crawl's log file goes (default: logs/ next to the SQLite database).")
@click.option("-q", "--quiet", is_flag=True, help="No progress line, only the final table.")
@pass_app
def crawl_command(app: AppContext, sources: tuple[str, ...], log_dir: Path | None, quiet: bool) -> None:
    """Crawl every enabled source, or the SOURCEs named, and store what they publish.

    Exits 1 when a source failed or was interrupted.

    \b
    Example:
        pacsjobs crawl
        pacsjobs crawl harbor-valley usajobs
    """
    if not sources and not app.config.enabled_sources():
        click.echo(f"error: no enabled sources in {app.config.path('sources.toml')}", err=True)
        sys.exit(1)
    results = crawl_and_report(app, list(sources) or None, log_dir, quiet)
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

    Exits 1 when a source failed (the digest is still written).

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
    if any(r.status in FAILED for r in results):
        sys.exit(1)
