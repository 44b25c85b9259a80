"""``pacsjobs coverage``: open PACS openings and employers by state, and who finds them."""

from __future__ import annotations

import json

import click

from pacsjobs.cli.app import main, pass_app
from pacsjobs.store.coverage import Coverage, coverage


def coverage_of(app) -> Coverage:
    """The coverage of the configured database, with the config's platforms and employers."""
    config = app.config
    platforms = {s.name: s.platform for s in config.sources}
    employers = [s.employer for s in config.sources if s.employer]
    with app.store() as store, store.session() as session:
        return coverage(session, platforms, employers)


@main.command("coverage")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_app
def coverage_command(app, fmt: str) -> None:
    """How much of the US the open PACS openings cover: by state (50 states, DC, Puerto Rico),
    the states with none, the kinds of source that find them, and the employers found only
    through nationwide search (the boards to add).

    Example: pacsjobs coverage --format json
    """
    cov = coverage_of(app)
    if fmt == "json":
        click.echo(json.dumps(cov.to_dict(), indent=2))
        return
    echo = click.echo
    echo(f"Open PACS openings: {cov.total} ({len(cov.covered)} of 52 states and territories; "
         f"{cov.unplaced} without a state)")
    if cov.covered:
        echo("")
        echo(f"  {'state':<24} {'openings':>8} {'employers':>9}")
        for area in cov.covered:
            echo(f"  {area.code + ' ' + area.name:<24} {area.openings:>8} {area.employers:>9}")
    echo("")
    echo(f"No openings ({len(cov.empty)}): {', '.join(cov.empty) or 'none'}")
    echo("")
    echo("Found through (an opening found on several kinds of source counts for each):")
    for kind in cov.kinds:
        echo(f"  {kind.label:<20} {kind.openings:>5}  {kind.share:>4.0%}")
    echo("")
    if cov.nationwide_only:
        echo("Employers found only through nationwide search (boards to add):")
        for employer, n in cov.nationwide_only:
            echo(f"  {employer} ({n})")
    else:
        echo("Employers found only through nationwide search: none")
