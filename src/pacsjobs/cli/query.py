"""Ask the job database questions: ``query``, ``show``, ``stats``, ``export``, ``browse``."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from pacsjobs.cli.app import main, pass_app
from pacsjobs.cli.query_conditions import condition_options, pop_condition_filters
from pacsjobs.cli.terminal import clean, plain
from pacsjobs.conditions import condition_lines
from pacsjobs.errors import PacsjobsError
from pacsjobs.export import FORMATS, export_postings, posting_dict, write_records
from pacsjobs.pay import money as pay_money
from pacsjobs.record import Posting
from pacsjobs.sources.nationwide import credits_for
from pacsjobs.store.marks import STATUSES, get_mark, marks_for
from pacsjobs.store.search import (
    POSTING_FIELDS,
    SearchFilters,
    parse_duration,
    parse_money,
    parse_state,
    search_postings,
)

PROFILE_CANDIDATES = 10_000  # with --profile every match is scored, up to this many


# --- shared pieces ----------------------------------------------------------------------------

# Callbacks raise PacsjobsError (not click.BadParameter): bad input gets one "error: ..." line.
def _states(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[str]:
    return [parse_state(v) for v in values]


def _duration(ctx: click.Context, param: click.Parameter, value: str | None):
    return parse_duration(value) if value else None


def _money(ctx: click.Context, param: click.Parameter, value: str | None):
    return parse_money(value) if value else None


def filter_options(func: Callable) -> Callable:
    """The search filters shared by ``query`` and ``export``."""
    options = [
        click.argument("text", nargs=-1),
        click.option("--state", "states", multiple=True, callback=_states, metavar="XX",
                     help="USPS state code (repeatable: any of them)."),
        click.option("--city", help="City (case-insensitive)."),
        click.option("--remote", is_flag=True, help="Remote postings only."),
        click.option("--employer", help="Employer name contains this (case-insensitive)."),
        click.option("--source", help="A source name, or a platform such as greenhouse."),
        click.option("--skill", "skills", multiple=True, metavar="SKILL",
                     help="Asks for this skill or certification (repeatable: all of them)."),
        click.option("--min-salary", callback=_money, metavar="USD",
                     help="Annual pay reaches this (80000, 80k)."),
        click.option("--posted-within", callback=_duration, metavar="AGE",
                     help="Posted (or first seen) within 12h, 7d, 2w."),
        click.option("--include-closed", is_flag=True, help="Also postings no longer online."),
        click.option("--all", "all_roles", is_flag=True,
                     help="Also postings the classifier does not call PACS roles."),
    ]
    for option in reversed(options):
        func = option(func)
    return condition_options(func)


def build_filters(kw: dict[str, Any], limit: int | None) -> SearchFilters:
    """SearchFilters from the shared options (popped from ``kw``)."""
    words = kw.pop("text") or ()
    for word in words:
        if word.startswith("--") and len(word) > 2:
            raise PacsjobsError(f"no such option: {word.split('=')[0]} (see --help)")
    text = " ".join(words).strip() or None
    return SearchFilters(
        text=text, states=kw.pop("states"), city=kw.pop("city"), remote=kw.pop("remote"),
        employer=kw.pop("employer"), source=kw.pop("source"), skills=list(kw.pop("skills")),
        min_salary=kw.pop("min_salary"), posted_within=kw.pop("posted_within"),
        include_closed=kw.pop("include_closed"), relevant_only=not kw.pop("all_roles"), limit=limit,
        conditions=pop_condition_filters(kw))


def _load_profile(app, name: str):
    """The named profile, via the profile module (PacsjobsError when it is unknown)."""
    try:
        from pacsjobs.profile import load_profile
    except ImportError as exc:
        raise PacsjobsError(f"profiles are not available in this installation ({exc})") from None
    return load_profile(app.config.dir, name)


def _scorer():
    try:
        from pacsjobs.match import score_posting
    except ImportError as exc:
        raise PacsjobsError(f"match scoring is not available in this installation ({exc})") from None
    return score_posting


def money(value: float | None) -> str:
    """Whole dollars (annual figures)."""
    return pay_money(value, cents=False)


def pay_text(p: Posting) -> str:
    """The annual pay range in a few characters: "$85,000–$100,000", "$80,000+", "≤ $95,000"."""
    lo, hi = p.salary_annual_min, p.salary_annual_max
    if lo is not None and hi is not None:
        return money(lo) if lo == hi else f"{money(lo)}–{money(hi)}"
    if lo is not None:
        return f"{money(lo)}+"
    if hi is not None:
        return f"≤ {money(hi)}"
    return ""


def location_text(p: Posting) -> str:
    place = ", ".join(x for x in (p.city, p.state) if x) or (p.location_text or "")
    if p.workplace == "remote":
        return f"{place} (remote)" if place else "remote"
    return place


def _console() -> Console:
    # Piped output (no terminal) still gets a table wide enough to read.
    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS") or 160)
    return Console(width=width, highlight=False, soft_wrap=False)


def _component_rows(components: Any) -> list[tuple[str, Any, Any, str]]:
    """(name, score, weight, reason) of a Match's components, whatever container holds them."""
    items = components.items() if isinstance(components, dict) else ((None, c) for c in components or ())
    rows = []
    for key, comp in items:
        if isinstance(comp, dict):
            get = comp.get
        else:
            def get(attr: str, comp: Any = comp) -> Any:
                return getattr(comp, attr, None)
        name = key or get("name") or "?"
        reason = get("reason") or "; ".join(get("reasons") or [])
        rows.append((str(name), get("score"), get("weight"), str(reason or "")))
    return rows


def _num(value: Any, digits: int = 2) -> str:
    return f"{value:.{digits}f}" if isinstance(value, int | float) else ("" if value is None else str(value))


# --- query ------------------------------------------------------------------------------------

# Unknown options are kept as text so that "pacsjobs query pacs -senior" excludes a word.
TEXT_COMMAND = {"ignore_unknown_options": True}


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


def _mark_text(mark: Any) -> str:
    return mark.describe() if mark is not None else ""


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


# --- show -------------------------------------------------------------------------------------

@main.command()
@click.argument("posting_id", metavar="ID", type=int)
@click.option("--profile", metavar="NAME", help="Profile for the match breakdown (default: the digest's).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_app
def show(app, posting_id: int, profile: str | None, fmt: str) -> None:
    """Everything about one posting: its fields, description, history, duplicates and match.

    Example: pacsjobs show 42 --profile guide
    """
    with app.store(create=False) as store:
        posting = store.get_posting(posting_id)
        if posting is None:
            raise PacsjobsError(f"no posting with id {posting_id}")
        group = [d for d in store.duplicates_of(posting_id) if d.id != posting_id]
        name = profile or app.config.digest.profile
        mark = get_mark(store, posting_id, name)
    match, match_note = None, None
    try:
        match = _scorer()(posting, _load_profile(app, name))
    except PacsjobsError as exc:
        if profile:  # asked for by name: its problem is the user's to fix
            raise
        match_note = str(exc)
    # a source's terms may require a credit wherever its listings are shown (Adzuna's)
    credits = credits_for([posting.source, *(d.source for d in group)],
                          {s.name: s.platform for s in app.config.sources})
    if fmt == "json":
        out = {"posting": posting_dict(posting),
               "mark": None if mark is None else {
                   "profile": name, "status": mark.status, "note": mark.note,
                   "status_at": mark.status_at.isoformat() if mark.status_at else None,
                   "noted_at": mark.noted_at.isoformat() if mark.noted_at else None},
               "duplicates": [{"id": d.id, "source": d.source, "url": d.url,
                               "closed_at": d.closed_at.isoformat() if d.closed_at else None} for d in group],
               "match": None if match is None else {
                   "profile": name, "score": match.score, "reasons": list(match.reasons),
                   "components": [{"name": n, "score": s, "weight": w, "reason": r}
                                  for n, s, w, r in _component_rows(match.components)]}}
        out["credits"] = [{"text": t, "url": u} for t, u in credits]
        click.echo(json.dumps(out, indent=2, ensure_ascii=False, default=str))
        return
    _print_posting(posting, group, name, match, match_note, mark)
    for text, link in credits:
        click.echo(f"{text} <{link}>")


def _print_posting(p: Posting, group: list[Posting], profile: str, match: Any, note: str | None,
                   mark: Any = None) -> None:
    def echo(line: str) -> None:  # every line holds scraped text
        click.echo(clean(line))

    echo(f"#{p.id}  {p.title}")
    echo(f"{p.employer or '(employer not given)'} · {location_text(p) or 'location not given'}")
    echo(p.url)
    if mark is not None:
        echo(f"your mark ({profile}): {mark.describe()}")
    echo("")
    skip = {"id", "title", "description_html", "description_text", "first_seen_at", "last_seen_at",
            "closed_at", "duplicate_of", "content_hash", "conditions"}
    width = max(len(f) for f in POSTING_FIELDS)
    for field_name in POSTING_FIELDS:
        if field_name in skip:
            continue
        value = getattr(p, field_name)
        if isinstance(value, list):
            value = ", ".join(json.dumps(v) if isinstance(v, dict) else str(v) for v in value)
        echo(f"{field_name:<{width}}  {'' if value is None else value}")
    echo("")
    echo("conditions")  # each with the sentence it came from
    for line in condition_lines(p.conditions) or ["(none stated)"]:
        echo(f"  {line}")
    echo("")
    echo("description")
    for line in (p.description_text or "(none)").splitlines():
        echo(f"  {line}" if line.strip() else "")
    echo("")
    echo("history")
    echo(f"  first seen   {p.first_seen_at}")
    echo(f"  last seen    {p.last_seen_at}")
    echo(f"  closed       {p.closed_at or 'no, still open'}")
    echo(f"  content hash {p.content_hash}")
    if p.duplicate_of:
        echo(f"  duplicate of #{p.duplicate_of}")
    if group:
        echo("  also posted as")
        for d in group:
            closed = f" (closed {d.closed_at:%Y-%m-%d})" if d.closed_at else ""
            echo(f"    #{d.id}  {d.source}  {d.url}{closed}")
    echo("")
    if match is None:
        echo(f"match ({profile}): not available — {note}")
        return
    echo(f"match against profile {profile!r}: {_num(match.score, 0)} of 100")
    rows = _component_rows(match.components)
    if rows:
        name_w = max(len(r[0]) for r in rows)
        echo(f"  {'component':<{name_w}}  score  weight  reason")
        for name, score, weight, reason in rows:
            echo(f"  {name:<{name_w}}  {_num(score):>5}  {_num(weight, 0):>6}  {reason}")
    elif match.reasons:
        for reason in match.reasons:
            echo(f"  - {reason}")


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


# --- export -----------------------------------------------------------------------------------

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
    filtered = any(v for v in kw.values()) or any(kw.get(k) is not None for k in ("on_call", "travel"))
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


# --- browse -----------------------------------------------------------------------------------

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
