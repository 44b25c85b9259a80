"""The crawl's terminal output at registry size: one progress bar, and a summary of what failed."""

from __future__ import annotations

import io

from click.testing import CliRunner
from rich.console import Console

from pacsjobs.cli.crawl import _progress_printer, print_summary, totals_line
from pacsjobs.crawl import CrawlResult


def results(n: int, failing: dict[int, str]) -> list[CrawlResult]:
    out = []
    for i in range(n):
        status = failing.get(i, "succeeded")
        out.append(CrawlResult(f"board-{i:03d}", i, status, requests=3, found=2, new=1,
                               message=None if status == "succeeded" else f"why {i}",
                               cause="dns" if status == "failed" else None))
    return out


def summary(rs: list[CrawlResult]) -> str:
    runner = CliRunner()
    console = Console(file=io.StringIO(), width=160)

    def run() -> None:
        print_summary(console, rs)

    import click

    @click.command()
    def cmd() -> None:
        run()

    out = runner.invoke(cmd).output
    return out + console.file.getvalue()


def test_a_large_crawl_prints_totals_and_only_the_boards_that_failed_or_moved():
    rs = results(500, {7: "failed", 42: "partial", 99: "failed"})
    text = summary(rs)
    assert text.splitlines()[0] == ("500 boards: 497 succeeded, 2 failed, 1 partial; 1,000 found, 500 new, "
                                    "0 updated, 0 closed, 1,500 requests")
    assert "boards that failed or moved" in text
    assert {"board-007", "board-042", "board-099"} <= set(text.split())
    assert "board-001" not in text and "board-498" not in text
    assert "2 boards: DNS lookup failed — is this machine online? (board-007, board-099)" in text
    assert "board-042: partial: why 42" in text


def test_a_small_crawl_keeps_a_row_per_board():
    text = summary(results(5, {2: "failed"}))
    assert all(f"board-00{i}" in text for i in range(5)) and "boards:" not in text


def test_failures_past_the_table_size_are_counted_not_listed():
    text = summary(results(300, {i: "failed" for i in range(120)}))
    assert "(+70 more: pacsjobs status)" in text and "board-119" not in text.split("(+70")[0]


def test_one_progress_bar_counts_finished_boards():
    console = Console(file=io.StringIO(), force_terminal=True, width=100)
    show, bar = _progress_printer(console, 10)
    show(results(3, {}) + [CrawlResult("board-x", None, "waiting"), CrawlResult("board-y", 5, "running", found=4)])
    bar.refresh()
    rendered = console.file.getvalue()
    bar.stop()
    assert "3/10" in rendered and "10 found" in rendered


def test_totals_line():
    assert totals_line(results(2, {})) == ("2 boards: 2 succeeded; 4 found, 2 new, 0 updated, 0 closed, "
                                           "6 requests")
