"""Ask the job database questions: ``query`` and ``stats`` here; ``show``, ``export`` and ``browse``
live in their own modules and are re-exported, so every name stays importable from here."""

from __future__ import annotations

# importlib and subprocess stay bound here: tests patch ``query.importlib.util`` and ``query.subprocess``.
import importlib.util  # noqa: F401
import json
import os
import subprocess  # noqa: F401
import sys
from collections.abc import Iterable
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from pacsjobs.cli.app import main, pass_app
from pacsjobs.cli.browse import CANNED_QUERIES as CANNED_QUERIES
from pacsjobs.cli.browse import browse as browse
from pacsjobs.cli.browse import datasette_command as datasette_command
from pacsjobs.cli.browse import datasette_metadata as datasette_metadata
from pacsjobs.cli.browse import sqlite_path as sqlite_path
from pacsjobs.cli.export import export as export
from pacsjobs.cli.filters import TEXT_COMMAND, build_filters, filter_options
from pacsjobs.cli.formatting import (
    _load_profile,
    _mark_text,
    _num,
    _scorer,
    location_text,
    money,
    pay_text,
)
from pacsjobs.cli.show import show as show
from pacsjobs.cli.terminal import plain
from pacsjobs.errors import PacsjobsError
from pacsjobs.export import posting_dict, write_records
from pacsjobs.record import Posting
from pacsjobs.store.marks import STATUSES, marks_for
from pacsjobs.store.search import POSTING_FIELDS, search_postings

PROFILE_CANDIDATES = 10_000  # with --profile every match is scored, up to this many


def _console() -> Console:
    # Piped output (no terminal) still gets a table wide enough to read.
    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS") or 160)
    return Console(width=width, highlight=False, soft_wrap=False)


# --- query ------------------------------------------------------------------------------------



@main.command(context_settings=TEXT_COMMAND)
@filter_options
@click.option("--profile", metavar="NAME", help="Score each posting against this profile; best fit first.")
@click.option("--status", metavar="|".join(STATUSES),
              help="Only postings you marked so (pacsjobs mark); with --profile, that profile's marks.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"]), default="table",
              show_default=True)
@pass_app
def query(app, profile: str | None, status: str | None, limit: int, fmt: str, **kw: Any) -> None:
    """Search the postings: full text over title, employer and description, plus filters.

    TEXT understands words (all must appear), "exact phrases", OR, and -word to exclude.
    By default only open PACS roles are listed, best match (or newest) first.

    Example: pacsjobs query dicom --state OH --min-salary 80k --profile guide
    """
    filters = build_filters(kw, None if profile else limit)
    mark_profile = profile or app.config.digest.profile
    if status is not None:
        if status not in STATUSES:
            raise PacsjobsError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
        filters.status, filters.status_profile = status, mark_profile
    if profile:
        prof = _load_profile(app, profile)
        score = _scorer()
    with app.store(create=False) as store:
        if profile:
            filters.limit = PROFILE_CANDIDATES
            postings = search_postings(store, filters)
            scored = [(p, score(p, prof)) for p in postings]
            scored.sort(key=lambda pm: -float(pm[1].score))  # stable: text rank breaks ties
            rows = scored[:limit]
        else:
            rows = [(p, None) for p in search_postings(store, filters)]
        with store.session() as session:
            marks = marks_for(session, mark_profile, [p.id for p, _ in rows if p.id is not None])
    if fmt == "table":
        _print_table(rows, with_score=bool(profile), marks=marks)
        return
    records = (posting_dict(p, **({"match_score": m.score, "match_reasons": list(m.reasons)} if m else {}),
                            **({"mark": _mark_text(marks.get(p.id))} if marks else {}))
               for p, m in rows)
    columns = (list(POSTING_FIELDS) + (["match_score", "match_reasons"] if profile else [])
               + (["mark"] if marks else []))
    write_records(records, sys.stdout, fmt, columns=columns)



def _print_table(rows: list[tuple[Posting, Any]], with_score: bool, marks: dict[int, Any] | None = None) -> None:
    console = _console()
    if not rows:
        click.echo("no postings match", err=True)
        return
    table = Table(show_edge=False, pad_edge=False)
    for name, justify in (("id", "right"), ("title", "left"), ("employer", "left"),
                          ("location", "left"), ("pay / year", "right"), ("posted", "left")):
        table.add_column(name, justify=justify, overflow="fold")
    if with_score:
        table.add_column("score", justify="right")
    if marks:  # a column only once something is marked
        table.add_column("mark", overflow="fold")
    for p, m in rows:
        cells = [str(p.id), plain(p.title), plain(p.employer), plain(location_text(p)), pay_text(p),
                 p.date_posted.isoformat() if p.date_posted else ""]
        if with_score:
            cells.append(_num(m.score, 0))
        if marks:
            cells.append(_mark_text(marks.get(p.id or -1)))
        table.add_row(*cells)
    console.print(table)
    click.echo(f"{len(rows)} posting{'s' if len(rows) != 1 else ''}", err=True)


# --- stats ------------------------------------------------------------------------------------

@main.command()
@click.option("--all", "all_roles", is_flag=True, help="Count every posting, not only PACS roles.")
@click.option("--profile", metavar="NAME", help="Whose skills and pay range to compare with (default: the digest's).")
@click.option("--limit", default=15, show_default=True, type=click.IntRange(min=1),
              help="Rows of the employer and skill tables.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_app
def stats(app, all_roles: bool, profile: str | None, limit: int, fmt: str) -> None:
    """The market in numbers: open postings by state, employer and source, pay, skills, new per week.

    Example: pacsjobs stats --format json
    """
    from pacsjobs.store.stats import GUIDE_SALARY, market_stats

    skills, guide = None, GUIDE_SALARY
    try:
        prof = _load_profile(app, profile or app.config.digest.profile)
    except PacsjobsError:
        if profile:
            raise
        prof = None
    if prof is not None:
        skills = _profile_skills(prof)
        lo, hi = getattr(prof, "salary_min", None), getattr(prof, "salary_max", None)
        if isinstance(lo, int | float) and isinstance(hi, int | float):
            guide = (float(lo), float(hi))
    with app.store(create=False) as store:
        result = market_stats(store, relevant_only=not all_roles, profile_skills=skills, guide=guide,
                              limit=limit)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    _print_stats(result, all_roles)


def _profile_skills(profile: Any) -> set[str] | None:
    names: set[str] = set()
    for attr in ("skills", "certifications", "systems"):
        value = getattr(profile, attr, None)
        if isinstance(value, dict):
            value = list(value)
        if isinstance(value, list | tuple | set | frozenset):
            names.update(str(v) for v in value)
    return names or None


def _print_stats(s, all_roles: bool) -> None:
    console = _console()
    what = "open postings" if all_roles else "open PACS postings"
    console.print(f"{s.open_total} {what} (a job posted on several boards counts once)")

    def counts(title: str, rows: Iterable[tuple[Any, int]], label: str) -> None:
        table = Table(title=title, title_justify="left", show_edge=False)
        table.add_column(label)
        table.add_column("open", justify="right")
        for key, n in rows:
            table.add_row(plain(key) if key is not None else "(none)", str(n))
        console.print(table)

    counts("by state", s.by_state, "state")
    counts("by employer", s.by_employer, "employer")
    counts("by source", s.by_source, "source")

    pay = s.pay
    table = Table(title=f"pay a year ({pay.count} with pay)", title_justify="left", show_edge=False)
    for p in pay.percentiles or {}:
        table.add_column(f"p{p}", justify="right")
    if pay.percentiles:
        table.add_row(*(money(v) for v in pay.percentiles.values()))
        console.print(table)
        console.print(f"against the guide's {money(pay.guide_min)}–{money(pay.guide_max)}: "
                      f"{pay.below} below, {pay.within} within, {pay.above} above")
    else:
        console.print("pay: no open posting states its pay")

    table = Table(title="most requested skills", title_justify="left", show_edge=False)
    table.add_column("skill")
    table.add_column("kind")
    table.add_column("postings", justify="right")
    table.add_column("")
    for sk in s.skills:
        table.add_row(plain(sk.skill), plain(sk.kind), str(sk.count),
                      "not in the guide" if sk.in_profile is False else "")
    console.print(table)

    table = Table(title="new postings per week", title_justify="left", show_edge=False)
    table.add_column("week of")
    table.add_column("new", justify="right")
    table.add_column("")
    top = max((n for _, n in s.weekly_new), default=0) or 1
    for week, n in s.weekly_new:
        table.add_row(week.isoformat(), str(n), "█" * round(20 * n / top))
    console.print(table)
