"""Command line interface: thin commands over the library. Each module adds its commands to ``main``."""

from pacsjobs.cli import (  # noqa: F401  (registers commands)
    cluster,
    coverage,
    crawl,
    digest,
    discover,
    extract,
    mark,
    query,
    schedule,
    sources,
    start,
)
from pacsjobs.cli.app import main

__all__ = ["main"]
