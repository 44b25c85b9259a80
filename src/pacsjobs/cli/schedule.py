"""Run unattended: ``schedule`` (the scheduler, or ``--list`` its jobs) and ``status`` (crawl history)."""

from __future__ import annotations

import logging
import sys
from datetime import datetime

import click
from rich.console import Console
from rich.table import Table

from pacsjobs.cli.app import main, pass_app
from pacsjobs.cli.terminal import plain


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


@main.command()
@click.option("--list", "list_only", is_flag=True, help="Print each job with its next run time and exit.")
@pass_app
def schedule(app, list_only: bool) -> None:
    """Run the scheduler in the foreground: crawls and digests on the cron schedules of pacsjobs.toml.

    Jobs and their next run times are kept in the database; one scheduler per database. Ctrl-C or
    SIGTERM stops it cleanly (a running crawl is stopped and recorded as interrupted).

    Example: pacsjobs schedule --list
    """
    from pacsjobs.schedule import list_jobs, run_scheduler

    config = app.config
    if list_only:
        listing = list_jobs(config)
        if not listing:
            click.echo("no jobs: no enabled sources and no digest profile")
            return
        table = Table(show_edge=False, pad_edge=False)
        for name in ("job", "schedule", "next run", "what"):
            table.add_column(name, overflow="fold")
        for item in listing:
            nxt = _when(item.next_run_time) + (" (stored)" if item.stored else "")
            table.add_row(item.spec.id, f"{item.spec.cron} ({config.schedule.timezone})", nxt,
                          item.spec.description)
        Console(width=None if sys.stdout.isatty() else 200, highlight=False).print(table)
        return
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    sys.exit(run_scheduler(config))


@main.command()
@pass_app
def status(app) -> None:
    """The last run of every source and digest: started, finished, outcome and counts.

    Example: pacsjobs status
    """
    from pacsjobs.schedule import SchedulerLock
    from pacsjobs.store.stats import last_digest_runs

    config = app.config
    with app.store(create=False) as store:
        holder = SchedulerLock(store).running()
        crawls = store.last_runs()
        # "running" is what the run recorded; a run whose process is gone says so (died)
        died = {name for name, run in crawls.items() if store.run_died(run)}
        digests = last_digest_runs(store)
    console = Console(width=None if sys.stdout.isatty() else 200, highlight=False)
    console.print(f"scheduler: running ({holder})" if holder else "scheduler: not running")

    table = Table(title="crawls", title_justify="left", show_edge=False, pad_edge=False)
    for name, justify in (("source", "left"), ("started", "left"), ("finished", "left"),
                          ("outcome", "left"), ("requests", "right"), ("found", "right"), ("new", "right"),
                          ("updated", "right"), ("unchanged", "right"), ("closed", "right"),
                          ("errors", "right"), ("message", "left")):
        table.add_column(name, justify=justify, overflow="fold")
    names = list(dict.fromkeys([s.name for s in config.sources] + sorted(crawls)))
    for name in names:
        run = crawls.get(name)
        if run is None:
            table.add_row(name, "never", "", "", *[""] * 7, "")
            continue
        outcome = run.status + ("" if run.complete or run.status != "succeeded" else " (incomplete)")
        if name in died:
            outcome = "died"
        table.add_row(name, _when(run.started_at), _when(run.finished_at), outcome,
                      *(str(getattr(run, k) or 0) for k in ("requests", "found", "new", "updated",
                                                             "unchanged", "closed", "errors")),
                      plain(run.message))
    console.print(table)

    table = Table(title="digests", title_justify="left", show_edge=False, pad_edge=False)
    for name in ("profile", "built", "sent", "outcome", "postings", "message"):
        table.add_column(name, overflow="fold")
    profiles = list(dict.fromkeys([config.digest.profile, *config.schedule.digest_profiles, *sorted(digests)]))
    for name in profiles:
        run = digests.get(name)
        if run is None:
            table.add_row(name, "never", "", "", "", "")
        else:
            table.add_row(name, _when(run.created_at), _when(run.sent_at), run.status, str(run.count),
                          plain(run.message))
    console.print(table)
