"""The ``show`` command: one posting in full, with its duplicates and match breakdown."""

from __future__ import annotations

import json
from typing import Any

import click

from pacsjobs.cli.app import main, pass_app
from pacsjobs.cli.formatting import (
    _component_rows,
    _load_profile,
    _num,
    _scorer,
    location_text,
)
from pacsjobs.cli.terminal import clean
from pacsjobs.errors import PacsjobsError
from pacsjobs.export import posting_dict
from pacsjobs.record import Posting
from pacsjobs.sources.nationwide import credits_for
from pacsjobs.store.marks import get_mark
from pacsjobs.store.search import (
    POSTING_FIELDS,
)
from pacsjobs.understand.conditions import condition_lines

SNIPPET_ONLY_LINE = "snippet only: its full text could not be fetched; open the link to read the whole posting"


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
    if p.partial:
        echo(SNIPPET_ONLY_LINE)
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
