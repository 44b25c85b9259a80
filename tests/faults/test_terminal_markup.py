"""Scraped text on the terminal is plain text: no Rich markup, no escape sequences (issue 11 §3)."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner
from rich.console import Console

from pacsjobs.cli import crawl as crawl_cli
from pacsjobs.cli import main
from pacsjobs.cli import query as query_cli
from pacsjobs.cli.terminal import clean, one_line, plain
from pacsjobs.crawl import CrawlResult
from pacsjobs.record import Posting
from tests.helpers import write_config

store_mod = pytest.importorskip("pacsjobs.store")

LINK = "[link=http://evil.example]Click[/link]"
TITLE = f"{LINK} PACS Administrator [bold red]URGENT[/bold red] :warning:"
OSC8 = "\x1b]8;;http://evil.example\x1b\\"  # a terminal hyperlink, sent raw
EMPLOYER = f"{OSC8}Evil Health\x1b]8;;\x1b\\ [blink]x[/blink]"
NOW = datetime(2026, 11, 20, 12, 0, 0)


def hostile_postings() -> list[Posting]:
    common = dict(source="jsonld:evil", is_pacs_role=True, relevance=0.9, date_posted=date(2026, 11, 18))
    return [
        Posting(source_id="1", url="https://jobs.example.org/1", title=TITLE, employer=EMPLOYER,
                city="[italic]Cleveland[/italic]", state="OH", skills=["[link=http://evil.example]DICOM[/link]"],
                salary_annual_min=85000, salary_annual_max=95000,
                description_text=f"Line one {LINK}\n\x1b[2J\x1b[Hcleared \u202eeslaf", **common),
        Posting(source_id="2", url="https://jobs.example.org/2", title="PACS Analyst", employer=EMPLOYER,
                state="OH", **common),
    ]


@pytest.fixture
def run(tmp_path, db_url):
    cfg = write_config(tmp_path / "cfg", database_url=db_url)
    with store_mod.open_store(db_url) as store:
        ids = store.upsert_postings(hostile_postings(), now=NOW - timedelta(days=1)).ids
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(main, ["--config", str(cfg), *args], env={"COLUMNS": "250"})
        assert result.exit_code == 0, result.output
        return result.stdout

    invoke.ids = ids  # type: ignore[attr-defined]
    return invoke


def assert_plain(out: str) -> None:
    """The markup shows as typed; no escape sequence reached the output."""
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out
    assert "evil.example" in out  # shown as text, not swallowed by Rich as a link target


def terminal(monkeypatch) -> None:
    """Make the commands' Rich console a colour terminal, so a style or a link would be emitted."""
    monkeypatch.setattr(query_cli, "_console", lambda: Console(force_terminal=True, color_system="truecolor",
                                                               width=250, highlight=False))


def assert_no_injected_codes(out: str) -> None:
    assert "\x1b]8;" not in out  # OSC 8: a clickable hyperlink
    for code in ("\x1b[31m", "\x1b[1;31m", "\x1b[5m"):  # red, bold red, blink
        assert code not in out
    for line in out.splitlines():  # our own titles are italic; nothing in a row of scraped text is
        if "evil" in line.lower() or "Cleveland" in line:
            assert "\x1b[3m" not in line, line


def test_query_table_prints_titles_as_typed(run):
    out = run("query", "--state", "OH")
    assert_plain(out)
    assert LINK in out and "[bold red]URGENT[/bold red]" in out and ":warning:" in out
    assert "[italic]Cleveland[/italic]" in out


def test_query_on_a_colour_terminal_emits_no_link_or_style_from_the_posting(run, monkeypatch):
    terminal(monkeypatch)
    out = run("query", "--state", "OH")
    assert "\x1b[" in out  # it is a colour terminal: our own header style is there
    assert_no_injected_codes(out)
    assert LINK in out


def test_show_prints_plain_lines_without_escape_sequences(run):
    out = run("show", str(run.ids[0]))
    assert_plain(out)
    assert TITLE in out and "Evil Health [blink]x[/blink]" in out
    assert "cleared eslaf" in out  # the screen-clearing and bidi codes are gone, the words stay


def test_stats_on_a_colour_terminal_shows_employer_and_skill_markup_as_text(run, monkeypatch):
    terminal(monkeypatch)
    out = run("stats")
    assert_no_injected_codes(out)
    assert "Evil Health [blink]x[/blink]" in out
    assert "[link=http://evil.example]DICOM[/link]" in out


def test_crawl_summary_rendered_as_ansi_and_html_has_no_link_or_style():
    # A source name is the operator's, but the table must not trust any cell.
    results = [CrawlResult(source=TITLE, run_id=1, status="partial", found=3)]
    console = Console(record=True, force_terminal=True, color_system="truecolor", width=200,
                      file=io.StringIO())
    console.print(crawl_cli.results_table(results))
    ansi = console.export_text(styles=True, clear=False)
    text = console.export_text(styles=False, clear=False)
    html = console.export_html()
    assert_no_injected_codes(ansi)
    assert "<a " not in html and "href" not in html
    assert LINK in text and "[bold red]URGENT[/bold red]" in text
    assert "\x1b[33mpartial" in ansi  # the status keeps our own colour


def test_crawl_summary_messages_are_plain(monkeypatch, tmp_path):
    message = f"{TITLE} {OSC8}"
    monkeypatch.setattr(crawl_cli, "run_crawl", lambda *a, **k: [
        CrawlResult(source="jsonld:evil", run_id=1, status="partial", message=message)])
    cfg = write_config(tmp_path / "cfg", sources=[{"name": "jsonld:evil", "platform": "jsonld",
                                                  "urls": ["https://jobs.example.org/"]}])
    result = CliRunner().invoke(main, ["--config", str(cfg), "crawl", "--quiet"])
    assert "\x1b" not in result.stdout
    assert f"jsonld:evil: partial: {TITLE}" in result.stdout


@pytest.mark.parametrize("text", [TITLE, EMPLOYER, "[/]", "[", "x[/link]", "\x9b31m", ":smile:"])
def test_plain_renders_exactly_the_text_without_controls(text):
    console = Console(record=True, force_terminal=True, color_system="truecolor", width=400,
                      file=io.StringIO())
    console.print(plain(text))
    shown = console.export_text(styles=False).rstrip("\n")
    assert shown == clean(text)
    assert "\x1b" not in shown and "\x9b" not in shown


def test_an_error_line_is_one_clean_line_cut_to_its_limit():
    message = f"cannot parse {EMPLOYER}:\n\tline 2\r\n\u202eeslaf\x00 " + "x" * 500
    line = one_line(message)
    assert line.startswith("cannot parse Evil Health [blink]x[/blink]: line 2 eslaf x")
    assert len(line) == 400 and line.endswith("x…")
    assert all(ch.isprintable() for ch in line)
    assert one_line("short\n") == "short"
