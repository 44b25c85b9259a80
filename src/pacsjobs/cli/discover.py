"""``pacsjobs sources discover``: which board each link belongs to, whether it answers, and new entries.

Recognition is ``pacsjobs.sources.discover`` (pure). This module does the I/O: reads links from
arguments, files and the database, fetches pages for page markers, checks boards the way
``sources --check`` does, and appends new disabled entries to the file a person reviews
(``discovered.toml`` beside the config, outside ``sources.d`` so nothing is enabled by accident).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import click

from pacsjobs.cli.app import AppContext
from pacsjobs.cli.sources import CHECK_WORKERS, _columns, check_source, sources_command
from pacsjobs.config import Config, SourceConfig
from pacsjobs.sources import PLATFORMS, check_source_options
from pacsjobs.sources.discover import (
    DISCOVERED_FILE,
    Board,
    board_key,
    entry_toml,
    host_of,
    links_in,
    proposed_entries,
    recognise_page,
    recognise_url,
)

PAGE_LIMIT = 2_000_000  # bytes of a career page read for markers
HEADER = (
    "# Boards proposed by `pacsjobs sources discover`, disabled. Review each one, then move it into\n"
    "# sources.d/ (and delete `enabled = false`) to crawl it. Every entry says where it was seen.\n\n"
)
# Where a board of a platform without a first-page check in this version answers.
_BOARD_PAGE = {"jobvite": "https://jobs.jobvite.com/{company}", "neogov": "https://www.governmentjobs.com/careers/{agency}"}


@dataclass
class Finding:
    link: str
    board: Board | None
    answer: str
    registry: str
    note: str = ""


def _get(url: str, config: Config) -> tuple[int, bytes, str]:
    """GET a page (redirects followed): status, first PAGE_LIMIT bytes, final URL."""
    request = urllib.request.Request(url, headers={"User-Agent": config.crawler.agent()})
    try:
        with urllib.request.urlopen(request, timeout=config.crawler.timeout) as resp:
            return resp.status, resp.read(PAGE_LIMIT), resp.geturl()
    except urllib.error.HTTPError as exc:
        return exc.code, b"", url


def _rebase(url: str, base_url: str | None) -> str:
    if not base_url:
        return url
    base, parts = urlsplit(base_url), urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + parts.path, parts.query, ""))


def _answer(board: Board, config: Config, base_url: str | None) -> str:
    """Whether the board answers: the platform's first-page check, else a GET of its page."""
    if board.platform in PLATFORMS:
        try:
            options = check_source_options(board.platform, dict(board.options))
        except ValueError as exc:
            return f"not checked: {exc}"
        result = check_source(SourceConfig(name=board.name, platform=board.platform, options=options,
                                           base_url=base_url), config)
        return f"{result.verdict}: {result.detail}"
    url = board.options.get("url") or _BOARD_PAGE[board.platform].format(**board.options)
    try:
        status, _, _ = _get(_rebase(url, base_url), config)
    except (urllib.error.URLError, OSError) as exc:
        return f"failed: {getattr(exc, 'reason', exc)}"
    return f"ok: HTTP {status}" if status < 400 else f"moved: HTTP {status}"


def _recognise(link: str, config: Config, check: bool) -> tuple[Board | None, str]:
    board = recognise_url(link)
    if board is not None or not check:
        return board, ""
    try:
        status, page, final = _get(link, config)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, f"page did not answer: {getattr(exc, 'reason', exc)}"
    if status >= 400:
        return None, f"page answered HTTP {status}"
    return recognise_page(final, page.decode("utf-8", "replace")), ""


def _read_links(inputs: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Links from URL arguments and files of links; one error line per unreadable file."""
    links, errors = [], []
    for item in inputs:
        if item.startswith(("http://", "https://")):
            links.append(item)
            continue
        try:
            links += links_in(Path(item).read_text(encoding="utf-8", errors="replace").splitlines())
        except OSError as exc:
            errors.append(f"{item}: cannot read: {exc.strerror or exc}")
    return links, errors


def _db_links(app: AppContext) -> list[str]:
    from sqlalchemy import select

    from pacsjobs.store.models import PostingRow

    with app.store() as store, store.session() as session:
        return [u for (u,) in session.execute(select(PostingRow.url).distinct()) if u]


@sources_command.command("discover")
@click.argument("inputs", nargs=-1, metavar="[URL | FILE]...")
@click.option("--from-db", is_flag=True, help="Also the links of postings already in the database.")
@click.option("--check/--no-check", default=True, show_default=True,
              help="Ask each recognised board whether it answers (and read pages for markers).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File for new entries (default: discovered.toml in the config folder).")
@click.option("--base-url", metavar="URL", hidden=True, help="Send every check to this base URL (tests, mirrors).")
@click.pass_obj
def discover_command(app: AppContext, inputs: tuple[str, ...], from_db: bool, check: bool,
                     output: Path | None, base_url: str | None) -> None:
    """Recognise the platform and board of career-page and job links; propose new boards.

    One line per link: the platform and board key recognised (or "not a supported platform:
    HOST", never guessed), whether the board answered, and whether it is already in the
    registry. New boards are appended, disabled and with their evidence, to discovered.toml.

    \b
    Example:
        pacsjobs sources discover https://boards.greenhouse.io/vizai/jobs/4001
        pacsjobs sources discover links.txt --no-check
        pacsjobs sources discover --from-db
    """
    config = app.config
    links, errors = _read_links(inputs)
    for error in errors:
        click.echo(f"error: {error}", err=True)
    if from_db:
        links += _db_links(app)
    links = list(dict.fromkeys(link.strip() for link in links))
    if not links:
        raise click.UsageError("give career-page or job links, files of links, or --from-db")
    target = output or config.own_dir / DISCOVERED_FILE
    registry = {board_key(s.platform, s.options): s.name for s in config.sources}
    proposed = proposed_entries(target)
    taken = set(registry.values()) | {e.get("name", "") for e in proposed}
    known = {board_key(e["platform"], e): e.get("name", "") for e in proposed if "platform" in e}

    with ThreadPoolExecutor(max_workers=min(CHECK_WORKERS, len(links))) as pool:
        recognised = list(pool.map(lambda link: _recognise(link, config, check), links))
    # One check per distinct board, however many of its links were given.
    boards = {b.key: b for b, _ in recognised if b is not None}
    with ThreadPoolExecutor(max_workers=max(1, min(CHECK_WORKERS, len(boards)))) as pool:
        answers = dict(zip(boards, pool.map(lambda b: _answer(b, config, base_url) if check else "not checked",
                                            boards.values()), strict=True))
    findings, new_entries = [], []
    for link, (board, note) in zip(links, recognised, strict=True):
        if board is None:
            findings.append(Finding(link, None, note or "-", f"not a supported platform: {host_of(link)}"))
            continue
        if board.key in registry:
            where = f"in registry ({registry[board.key]})"
        elif board.key in known:
            where = f"already proposed ({known[board.key]})"
        else:
            name = board.name
            while name in taken:
                name = f"{name}-2"
            taken.add(name)
            known[board.key] = name
            where = f"new: {name}"
            new_entries.append(entry_toml(board, name, f"discovered from {link} on {date.today().isoformat()}"))
        findings.append(Finding(link, board, answers[board.key], where))

    rows = [[f.link, f.board.platform if f.board else "-", f.board.describe() if f.board else "-", f.answer,
             f.registry] for f in findings]
    for line in _columns(["LINK", "PLATFORM", "BOARD", "ANSWER", "REGISTRY"], rows):
        click.echo(line)
    if new_entries:
        fresh = not target.exists()
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as fh:
            if fresh:
                fh.write(HEADER)
            fh.write("\n".join(new_entries) + "\n")
    unsupported = sum(1 for f in findings if f.board is None)
    click.echo(f"{len(findings)} links: {len(findings) - unsupported} recognised, {unsupported} not supported; "
               f"{len(new_entries)} new boards" + (f" written to {target}" if new_entries else ""))
