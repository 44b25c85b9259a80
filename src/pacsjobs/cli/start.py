"""Getting started anywhere: ``pacsjobs init`` and ``pacsjobs where``."""

from __future__ import annotations

from pathlib import Path

import click

from pacsjobs.cli.app import AppContext, main, pass_app
from pacsjobs.starter import places_in_use, write_starter


@main.command("init")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--contact", metavar="EMAIL", help="Your email (or URL): it goes into every request's "
              "User-Agent so site owners can reach you. Asked for when not given.")
@click.option("--force", is_flag=True, help="Overwrite an existing pacsjobs.toml.")
def init_command(folder: Path | None, contact: str | None, force: bool) -> None:
    """Write a commented starter config folder (default: your user config folder).

    Every setting left out comes from the packaged defaults, so the folder holds only what you
    change.

    \b
    Example:
        pacsjobs init --contact me@example.org
    """
    if contact is None:
        contact = click.prompt("Your email, for the crawler's User-Agent")
    written = write_starter(folder, contact, force=force)
    click.echo(f"wrote {written / 'pacsjobs.toml'}")
    hint = "" if folder is None else f"--config {written} "
    click.echo(f"next: pacsjobs {hint}run")


@main.command("where")
@pass_app
def where_command(app: AppContext) -> None:
    """Every path pacsjobs uses with this config, and why it is that one.

    \b
    Example:
        pacsjobs where
    """
    rows = places_in_use(app.config)
    width = max(len(r.what) for r in rows)
    for row in rows:
        click.echo(f"{row.what:<{width}}  {row.path}  ({row.why})")
