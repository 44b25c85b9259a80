"""The ``browse`` command: the database in Datasette, with canned queries."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from pacsjobs.cli.app import main, pass_app
from pacsjobs.errors import PacsjobsError

CANNED_QUERIES: dict[str, dict[str, str]] = {
    "open_pacs_roles_by_state": {
        "title": "Open PACS roles in a state",
        "sql": ("select id, title, employer, city, state, workplace, salary_annual_min, salary_annual_max, "
                "date_posted, url from postings where closed_at is null and is_pacs_role = 1 "
                "and duplicate_of is null and state = upper(:state) "
                "order by date_posted desc, first_seen_at desc"),
    },
    "open_pacs_roles_per_state": {
        "title": "How many open PACS roles each state has",
        "sql": ("select coalesce(state, '(none)') as state, count(*) as open_roles from postings "
                "where closed_at is null and is_pacs_role = 1 and duplicate_of is null "
                "group by state order by open_roles desc"),
    },
    "best_paid": {
        "title": "Best paid open PACS roles",
        "sql": ("select id, title, employer, state, salary_annual_min, salary_annual_max, salary_raw, url "
                "from postings where closed_at is null and is_pacs_role = 1 and duplicate_of is null "
                "and coalesce(salary_annual_max, salary_annual_min) is not null "
                "order by coalesce(salary_annual_max, salary_annual_min) desc limit 100"),
    },
    "new_this_week": {
        "title": "PACS roles first seen in the last 7 days",
        "sql": ("select id, title, employer, city, state, first_seen_at, url from postings "
                "where is_pacs_role = 1 and duplicate_of is null "
                "and first_seen_at >= datetime('now', '-7 days') order by first_seen_at desc"),
    },
}


def datasette_metadata(database_name: str) -> dict[str, Any]:
    """Datasette metadata for the job database: a title and the canned queries."""
    return {"title": "pacsjobs", "description": "PACS Administrator job postings (read-only).",
            "databases": {database_name: {"queries": CANNED_QUERIES}}}


def datasette_command(db_path: Path, metadata_path: Path, port: int, open_browser: bool,
                      datasette_version: str | None = None) -> list[str]:
    """The command that serves ``db_path`` read-only on 127.0.0.1 with the canned queries."""
    # Datasette 1.x reads canned queries from its configuration file, 0.x from metadata.
    major = int((datasette_version or "0").split(".")[0] or 0)
    cmd = [sys.executable, "-m", "datasette", "serve", str(db_path),
           "--config" if major >= 1 else "--metadata", str(metadata_path),
           "--host", "127.0.0.1", "--port", str(port)]
    if open_browser:
        cmd.append("--open")
    return cmd


def sqlite_path(database_url: str) -> Path:
    """The file of a SQLite database URL; PacsjobsError for other databases."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise PacsjobsError(f"browse works with SQLite databases only; this one is {url.get_backend_name()} "
                            "(use `pacsjobs query` or a PostgreSQL client)")
    if not url.database or url.database == ":memory:":
        raise PacsjobsError("browse needs a SQLite database file, not an in-memory database")
    path = Path(url.database).expanduser()
    if not path.exists():
        raise PacsjobsError(f"no database at {path} yet (run `pacsjobs crawl` first)")
    return path


@main.command()
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-open", is_flag=True, help="Do not open a browser.")
@pass_app
def browse(app, port: int, no_open: bool) -> None:
    """Open the job database read-only in Datasette, with saved queries (needs pacsjobs[browse]).

    Example: pacsjobs browse --port 8001
    """
    db_path = sqlite_path(app.config.database_url)
    if importlib.util.find_spec("datasette") is None:
        raise PacsjobsError("browse needs Datasette: pip install 'pacsjobs[browse]'")
    from importlib.metadata import version

    with tempfile.TemporaryDirectory(prefix="pacsjobs-browse-") as tmp:
        meta = Path(tmp) / "datasette.json"
        meta.write_text(json.dumps(datasette_metadata(db_path.stem), indent=2))
        cmd = datasette_command(db_path.resolve(), meta, port, not no_open, version("datasette"))
        click.echo(f"serving {db_path} read-only at http://127.0.0.1:{port}/ (Ctrl-C stops)", err=True)
        try:
            code = subprocess.call(cmd)
        except KeyboardInterrupt:
            code = 0
    if code:
        raise PacsjobsError(f"datasette exited with status {code}")
