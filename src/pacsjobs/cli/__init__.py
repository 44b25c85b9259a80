"""Command line interface: thin commands over the library. Each module adds its commands to ``main``."""

from pacsjobs.cli import cluster, crawl, digest, extract, query, schedule, sources, start  # noqa: F401  (registers commands)
from pacsjobs.cli.app import main

__all__ = ["main"]
