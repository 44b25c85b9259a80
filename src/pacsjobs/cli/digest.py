"""``pacsjobs digest``: write (and email) a profile's digest of new PACS postings."""

from __future__ import annotations

from datetime import date

import click

from pacsjobs.cli.app import AppContext, fail, main, pass_app
from pacsjobs.cli.terminal import clean


class DateParam(click.ParamType):
    """A calendar date written YYYY-MM-DD."""

    name = "DATE"

    def convert(self, value, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date (use YYYY-MM-DD, e.g. 2026-11-01)", param, ctx)


@main.command("digest")
@click.option("--profile", metavar="NAME", help="Profile to match against (default: [digest] profile).")
@click.option("--html", "html_path", metavar="PATH", type=click.Path(dir_okay=False),
              help="Write the page here (default: <output_dir>/<date>-<profile>.html).")
@click.option("--email", is_flag=True, help="Also send it by email ([mail] settings).")
@click.option("--since", type=DateParam(), help="Every posting first seen since DATE, sent or not.")
@click.option("--dry-run", is_flag=True, help="Write the page and print the digest; send and mark nothing.")
@pass_app
def digest_command(app: AppContext, profile: str | None, html_path: str | None, email: bool,
                   since: date | None, dry_run: bool) -> None:
    """Write the digest of new PACS postings for a profile, best fit first.

    \b
    Example:
        pacsjobs digest --email
        pacsjobs digest --profile remote-ohio --since 2026-11-01 --dry-run
    """
    from pacsjobs.digest import run_digest

    result = run_digest(app.config, profile=profile, html_path=html_path, email=email, since=since,
                        dry_run=dry_run)
    if dry_run:
        click.echo(clean(result.text.rstrip()))
        click.echo("")
    what = f"{result.count} new PACS job{'s' if result.count != 1 else ''}"
    if result.strong:
        what += f", {result.strong} strong fit{'s' if result.strong != 1 else ''}"
    click.echo(f"digest for {result.profile}: {what}")
    if result.html_path is not None:
        click.echo(f"page: {result.html_path}")
    if result.email_sent:
        click.echo(f"emailed to {', '.join(result.recipients)}: {result.subject}")
    if result.refused:  # the server took the email for some recipients only
        fail(result.message)
    elif not result.email_sent and (email or dry_run):
        click.echo(result.message)
