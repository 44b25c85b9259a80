"""``pacsjobs sources`` on a large registry: filters, the count line, and --check's summary of causes."""

from __future__ import annotations

import socket
import urllib.error

from click.testing import CliRunner

from pacsjobs.cli import main
from pacsjobs.cli.sources import CheckResult, cause_summary, check_source
from pacsjobs.config import load_config
from pacsjobs.failures import cause_of
from tests.helpers import free_port, write_config

WD = "https://ccf.wd1.myworkdayjobs.com/ClevelandClinicCareers"
ENTRIES = [
    {"name": "workday:ccf", "platform": "workday", "employer": "Cleveland Clinic", "group": "health-systems",
     "state": "OH", "url": WD},
    {"name": "greenhouse:imaging-oh", "platform": "greenhouse", "employer": "Lakeside Imaging", "group": "imaging",
     "state": "OH", "board": "lakeside"},
    {"name": "greenhouse:imaging-oh-off", "platform": "greenhouse", "employer": "Erie Imaging", "group": "imaging",
     "state": "OH", "enabled": False, "board": "erie"},
    {"name": "lever:imaging-tx", "platform": "lever", "employer": "Lone Star Radiology", "group": "imaging",
     "state": "TX", "site": "lonestar"},
    {"name": "ashby:vendor", "platform": "ashby", "employer": "Lumen", "group": "vendors", "org": "lumen"},
]


def run(cfg, *args):
    return CliRunner().invoke(main, ["--config", str(cfg), "sources", *args])


def names(output: str) -> list[str]:
    lines = output.splitlines()
    return [line.split()[0] for line in lines[1:-1]]


def test_filters_narrow_the_list_and_the_count_line_says_how_many(tmp_path):
    cfg = write_config(tmp_path / "config", sources=ENTRIES)
    result = run(cfg, "--group", "imaging", "--state", "oh")
    assert result.exit_code == 0, result.output
    assert names(result.output) == ["greenhouse:imaging-oh", "greenhouse:imaging-oh-off"]
    assert result.output.splitlines()[-1] == "2 of 5 sources, 1 enabled"
    result = run(cfg, "--platform", "greenhouse", "--platform", "lever", "--enabled")
    assert names(result.output) == ["greenhouse:imaging-oh", "lever:imaging-tx"]
    assert run(cfg, "--disabled").output.splitlines()[-1] == "1 of 5 sources, 0 enabled"
    everything = run(cfg)
    assert everything.output.splitlines()[-1] == "5 sources, 4 enabled"
    assert names(everything.output) == [e["name"] for e in ENTRIES]
    assert run(cfg, "--state", "WY").output == "no source matches the filters (of 5 sources)\n"


def test_check_takes_the_same_filters_and_ends_with_causes(server, tmp_path):
    u = server.url
    boards = [
        ("ok", u, "ok"), ("gone", f"{u}/gone", "gone"), ("home", f"{u}/home", "home"),
        ("moved", f"{u}/moved", "moved"), ("html", f"{u}/html", "html"), ("slow", f"{u}/slow", "slow"),
    ]
    sources = [{"name": f"gh-{n}", "platform": "greenhouse", "group": "imaging", "base_url": b, "board": t}
               for n, b, t in boards]
    sources.append({"name": "lever-other-group", "platform": "lever", "group": "vendors", "base_url": f"{u}/x",
                    "site": "x"})
    cfg = write_config(tmp_path / "config", sources=sources, crawler={"timeout": 1.0})
    server.routes([
        {"path": "/v1/boards/ok/jobs", "file": "greenhouse/board.json"},
        {"path": "/home/v1/boards/home/jobs", "status": 302, "headers": {"Location": "/"}},
        {"path": "/moved/v1/boards/moved/jobs", "status": 301,
         "headers": {"Location": "https://boards-api.greenhouse.io/v1/boards/moved-2024/jobs"}},
        {"path": "/html/v1/boards/html/jobs", "content_type": "text/html",
         "text": "<!DOCTYPE html><html><body>Careers have moved</body></html>"},
        {"path": "/slow/v1/boards/slow/jobs", "delay": 3, "file": "greenhouse/board.json"},
    ])
    result = run(cfg, "--group", "imaging", "--check", "--workers", "3")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert "checking 6 enabled sources..." in lines
    assert lines[-2] == ("by cause: 404 1, HTML instead of JSON 1, moved 1, redirect to home page 1, timeout 1")
    assert lines[-1] == "1 ok, 3 moved, 2 failed, 0 skipped"
    assert not any(r["path"].startswith("/x/") for r in server.log())  # the filter applies to --check


def test_cause_summary_counts_only_what_failed_or_moved():
    results = [CheckResult("a", "ok", "5 postings", 5), CheckResult("b", "moved", "HTTP 404", cause="404"),
               CheckResult("c", "moved", "HTTP 410", cause="410"), CheckResult("d", "failed", "x", cause="dns"),
               CheckResult("e", "failed", "y", cause="dns"), CheckResult("f", "skipped", "no key")]
    assert cause_summary(results) == "by cause: dns 2, 404 1, 410 1"
    assert cause_summary(results[:1]) is None


def test_network_causes_use_the_crawl_summarys_words(tmp_path):
    """--check names a network failure as the crawl summary does (failures.cause_of)."""
    port = free_port()  # nothing listens there: the connection is refused
    cfg = write_config(tmp_path / "config", sources=[
        {"name": "greenhouse:down", "platform": "greenhouse", "base_url": f"http://127.0.0.1:{port}",
         "board": "down"}])
    config = load_config(cfg)
    result = check_source(config.source("greenhouse:down"), config)
    assert (result.verdict, result.cause) == ("failed", "refused")
    # what urllib raises for the other two, whatever the system's wording
    dns = urllib.error.URLError(socket.gaierror(-3, "Temporary failure in name resolution")).reason
    assert cause_of(type(dns).__name__, str(dns)) == "dns"
    assert cause_of(type(TimeoutError("timed out")).__name__, "timed out") == "timeout"
