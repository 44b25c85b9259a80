"""``pacsjobs extract``: run a platform's parser on a saved payload, print JSON Lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from pacsjobs.cli.app import AppContext, fail, main, pass_app
from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting
from pacsjobs.sources import platform_module


def parse_file(platform: str, payload: bytes, url: str, detail: bool | None) -> tuple[list[RawPosting], list[str]]:
    """Parse a saved payload with ``platform``'s parser: ``(raw postings, warnings)``.

    ``detail`` True forces ``parse_detail``; None tries the listing parser first and falls back
    to ``parse_detail`` when the payload is not a listing.
    """
    module = platform_module(platform)
    warnings: list[str] = []
    detail_parser = getattr(module, "parse_detail", None)
    if detail:
        if detail_parser is None:
            raise ParseError(f"platform {platform!r} has no detail responses")
        return [detail_parser(payload, url)], warnings
    if hasattr(module, "parse_page"):  # pages that can be partly read say how much was not
        raws, broken = module.parse_page(payload, url)
        if broken:
            warnings.append(f"{broken} unreadable JSON-LD block(s) skipped")
        return raws, warnings
    try:
        return module.parse(payload, url), warnings
    except ParseError:
        if detail_parser is None or detail is False:
            raise
        try:
            return [detail_parser(payload, url)], warnings
        except ParseError:
            pass
        raise


def posting_line(raw: RawPosting, platform: str, processor: Any, profile: Any, score: Any) -> str:
    posting = processor.build(raw, platform)
    record = posting.to_dict(bookkeeping=False)
    match = score(posting, profile)
    record["match_score"] = match.score
    record["match_reasons"] = list(match.reasons)
    return json.dumps(record, ensure_ascii=False, default=str)


@main.command("extract")
@click.option("--source", "platform", required=True, metavar="PLATFORM",
              help="The platform whose parser reads FILE (jsonld, usajobs, workday, ...).")
@click.option("--url", default="", help="The address the payload came from (ids and links of pages).")
@click.option("--detail/--listing", default=None,
              help="FILE is a detail (or listing) response; by default the listing parser is tried first.")
@click.argument("file", metavar="FILE")
@pass_app
def extract_command(app: AppContext, platform: str, url: str, detail: bool | None, file: str) -> None:
    """Print the postings a platform's parser finds in a saved payload, one JSON object a line.

    Each line has the posting-record fields plus match_score and match_reasons against the guide.

    \b
    Example:
        pacsjobs extract --source jsonld saved-page.html --url https://careers.example.org/job/123
    """
    path = Path(file)
    if path.is_dir():
        fail(f"{file} is a directory: name a saved payload file")
    if not path.is_file():
        fail(f"file not found: {file}")
    try:
        platform_module(platform)
    except ValueError as exc:
        fail(str(exc))
    except ImportError:
        fail(f"platform {platform!r} has no parser installed yet")
    try:
        payload = path.read_bytes()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror}")
    try:
        # A saved page without --url is known by its file's address (jsonld ids fall back to it).
        page_url = url or (path.resolve().as_uri() if platform == "jsonld" else "")
        raws, warnings = parse_file(platform, payload, page_url, detail)
    except ParseError as exc:
        fail(f"cannot parse {file} as {platform}: {exc}")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        fail(f"cannot parse {file} as {platform}: {type(exc).__name__}: {exc}")
    for warning in warnings:
        click.echo(f"warning: {file}: {warning}", err=True)
    if not raws:
        if warnings:
            fail(f"no posting could be read from {file} ({'; '.join(warnings)})")
        click.echo(f"no postings found in {file}", err=True)
        return

    from pacsjobs.profile import load_profile
    from pacsjobs.understand.match import score_posting
    from pacsjobs.understand.process import Processor

    config = app.config
    processor = Processor(config)
    profile = load_profile(config.dir, "guide")
    for raw in raws:
        click.echo(posting_line(raw, platform, processor, profile, score_posting))
