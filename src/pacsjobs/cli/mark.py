"""``pacsjobs mark``: keep track of the postings a person works through."""

from __future__ import annotations

import click

from pacsjobs.cli.app import main, pass_app
from pacsjobs.errors import PacsjobsError
from pacsjobs.profile import list_profiles
from pacsjobs.store.marks import STATUSES, set_note, set_status
from pacsjobs.timeutil import utcnow

ACTIONS = (*STATUSES, "note", "clear")


@main.command()
@click.argument("posting_id", metavar="ID", type=int)
@click.argument("action", metavar="|".join(ACTIONS))
@click.argument("text", required=False)
@click.option("--profile", metavar="NAME", help="Whose mark (default: the digest's profile).")
@pass_app
def mark(app, posting_id: int, action: str, text: str | None, profile: str | None) -> None:
    """Mark a posting applied, interested or ignored, keep a note on it, or clear its mark.

    Ignored postings (and their copies on other boards) never come back in a digest; applied ones
    come back in "your applications" when they close, change pay or are reposted.

    Example: pacsjobs mark 42 applied; pacsjobs mark 42 note "phone screen Tuesday"
    """
    name = profile or app.config.digest.profile
    known = list_profiles(app.config.dir)
    if name not in known:
        raise PacsjobsError(f"unknown profile {name!r} (known: {', '.join(known)})")
    if action not in ACTIONS:
        raise PacsjobsError(f"unknown mark {action!r} (use {', '.join(ACTIONS)})")
    if action == "note" and text is None:
        raise PacsjobsError('a note needs its text: pacsjobs mark ID note "text"')
    if action != "note" and text is not None:
        raise PacsjobsError(f"unexpected text after {action!r} (only a note takes text)")
    now = utcnow()
    with app.store() as store:
        if action == "note":
            result = set_note(store, posting_id, name, text or "", now)
        else:
            result = set_status(store, posting_id, name, None if action == "clear" else action, now)
    click.echo(f"#{posting_id} ({name}): {result.describe() or 'no mark'}")
