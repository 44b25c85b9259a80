"""The ``export`` command: the postings a search finds, as CSV, JSON or JSON Lines."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from pacsjobs.cli.app import main, pass_app
from pacsjobs.cli.filters import TEXT_COMMAND, build_filters, filter_options
from pacsjobs.export import FORMATS, export_postings


@main.command(context_settings=TEXT_COMMAND)
@filter_options
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="File (default: stdout).")
@pass_app
def export(app, fmt: str, output: str | None, **kw: Any) -> None:
    """Export postings: the whole database (closed and non-PACS too), or those a query finds.

    With no filters every posting is exported; with any filter the query's rules apply.

    Example: pacsjobs export --format csv --output jobs.csv --state OH
    """
    filtered = any(v for v in kw.values()) or any(kw.get(k) is not None for k in ("on_call", "travel", "partial"))
    filters = build_filters(kw, None) if filtered else None
    with app.store(create=False) as store:
        if output is None:
            export_postings(store, sys.stdout, fmt, filters)
            return
        target = Path(output)
        # Written beside the target, then renamed: a failed export never leaves half a file.
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                count = export_postings(store, out, fmt, filters)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    click.echo(f"exported {count} posting{'s' if count != 1 else ''} to {target}", err=True)
