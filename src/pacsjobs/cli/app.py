"""The ``pacsjobs`` command group and what every command shares."""

from __future__ import annotations

import sys
from functools import cached_property
from typing import Any

import click

from pacsjobs import __version__
from pacsjobs.cli.terminal import one_line
from pacsjobs.config import Config, load_config
from pacsjobs.errors import PacsjobsError


class AppContext:
    """Per-invocation state: the chosen config folder, loaded on first use."""

    def __init__(self, config_dir: str | None):
        self.config_dir = config_dir

    @cached_property
    def config(self) -> Config:
        return load_config(self.config_dir)

    def store(self, create: bool = True):
        """Open the configured database (migrated); reading commands pass ``create=False``."""
        from pacsjobs.store import open_store

        return open_store(self.config.database_url, create=create)


class Group(click.Group):
    """Turns every PacsjobsError into one line on stderr and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PacsjobsError as exc:
            click.echo(f"error: {one_line(exc)}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_dir", metavar="DIR", envvar="PACSJOBS_CONFIG",
              help="Config folder (default: $PACSJOBS_CONFIG, else ./config, else the user's; "
                   "see `pacsjobs where`).")
@click.version_option(__version__, prog_name="pacsjobs")
@click.pass_context
def main(ctx: click.Context, config_dir: str | None) -> None:
    """Find PACS Administrator jobs in the United States and rank them by fit to your guide."""
    ctx.obj = AppContext(config_dir)


pass_app = click.make_pass_decorator(AppContext)


def fail(message: str, code: int = 1) -> None:
    """Stop a command with one line on stderr."""
    click.echo(f"error: {one_line(message)}", err=True)
    sys.exit(code)
