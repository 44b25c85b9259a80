"""``pacsjobs sources [--check]`` through click's CliRunner, against a real SQLite file and the local server."""

from __future__ import annotations

from datetime import datetime

import pytest
from click.testing import CliRunner

from pacsjobs.cli import main
from pacsjobs.config import load_config
from pacsjobs.record import Posting
from pacsjobs.sources import oracle, usajobs
from tests.helpers import write_config

BOARD = "https://ccf.wd1.myworkdayjobs.com/ClevelandClinicCareers"


def run(cfg, *args):
    return CliRunner().invoke(main, ["--config", str(cfg), "sources", *args])


def test_lists_every_source_with_last_crawl_and_counts(tmp_path):
    cfg = write_config(
        tmp_path / "config",
        sources=[
            {"name": "usajobs", "platform": "usajobs", "employer": "U.S. federal government"},
            {
                "name": "workday:cleveland-clinic",
                "platform": "workday",
                "employer": "Cleveland Clinic",
                "state": "OH",
                "group": "health-systems",
                "url": BOARD,
            },
            {
                "name": "oracle:providence",
                "platform": "oracle",
                "employer": "Providence",
                "enabled": False,
                "host": "evac.fa.us2.oraclecloud.com",
            },
        ],
    )
    from pacsjobs.store import open_store

    config = load_config(cfg)
    with open_store(config.database_url) as store:
        run_id = store.start_run("workday:cleveland-clinic", now=datetime(2026, 11, 27, 6, 0))
        store.upsert_postings(
            [
                Posting(
                    source="workday:cleveland-clinic",
                    source_id=f"R{i}",
                    url=f"{BOARD}/job/{i}",
                    title=f"PACS Administrator {i}",
                )
                for i in range(3)
            ],
            run_id=run_id,
        )
        store.close_missing("workday:cleveland-clinic", ["R0", "R1"], run_id=run_id)
        store.finish_run(
            run_id, "succeeded", True, now=datetime(2026, 11, 27, 6, 2), fetched=21, reported=22
        )
    result = run(cfg)
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    assert out[0].split() == [
        "SOURCE",
        "PLATFORM",
        "EMPLOYER",
        "STATE",
        "GROUP",
        "ENABLED",
        "LAST",
        "CRAWL",
        "STATUS",
        "OPEN",
        "CLOSED",
        "FETCHED/REPORTED",
    ]
    assert out[1].split() == [
        "usajobs",
        "usajobs",
        "U.S.",
        "federal",
        "government",
        "-",
        "-",
        "yes",
        "never",
        "-",
        "0",
        "0",
        "-",
    ]
    assert out[2].split() == [
        "workday:cleveland-clinic",
        "workday",
        "Cleveland",
        "Clinic",
        "OH",
        "health-systems",
        "yes",
        "2026-11-27",
        "06:02",
        "succeeded",
        "2",
        "1",
        "21/22",
    ]
    assert out[3].split()[:6] == ["oracle:providence", "oracle", "Providence", "-", "-", "no"]
    assert out[4] == "3 sources, 2 enabled"
    assert len(out) == 5


def test_no_sources_is_said_plainly(tmp_path):
    cfg = write_config(tmp_path / "config", sources=[])
    result = run(cfg)
    assert result.exit_code == 0
    assert result.output == f"no sources configured in {cfg / 'sources.toml'}\n"


@pytest.fixture
def keyed(monkeypatch):
    monkeypatch.setenv("USAJOBS_API_KEY", "k-9")
    monkeypatch.setenv("USAJOBS_EMAIL", "seeker@example.org")


def test_check_reports_which_boards_answer_moved_or_fail(server, tmp_path, keyed):
    u = server.url
    cfg = write_config(
        tmp_path / "config",
        sources=[
            {"name": "usajobs", "platform": "usajobs", "base_url": u, "keywords": ["PACS"]},
            {
                "name": "wd-ok",
                "platform": "workday",
                "base_url": u,
                "url": BOARD,
                "keywords": ["PACS"],
            },
            {
                "name": "oracle-ok",
                "platform": "oracle",
                "base_url": u,
                "host": "evac.fa.us2.oraclecloud.com",
                "keywords": ["PACS"],
            },
            {"name": "wd-moved", "platform": "workday", "base_url": f"{u}/moved", "url": BOARD},
            {
                "name": "oracle-gone",
                "platform": "oracle",
                "base_url": f"{u}/gone",
                "host": "x.fa.us6.oraclecloud.com",
            },
            {"name": "wd-html", "platform": "workday", "base_url": f"{u}/html", "url": BOARD},
            {"name": "wd-500", "platform": "workday", "base_url": f"{u}/err", "url": BOARD},
            {
                "name": "off",
                "platform": "workday",
                "base_url": f"{u}/off",
                "url": BOARD,
                "enabled": False,
            },
        ],
    )
    api = "/wday/cxs/ccf/ClevelandClinicCareers/jobs"
    server.routes(
        [
            {"path": "/api/Search", "file": "usajobs/search_pacs_page1.json"},
            {
                "method": "POST",
                "path": api,
                "body": {"searchText": "PACS", "offset": 0},
                "file": "workday/jobs_pacs_offset0.json",
            },
            {
                "path": f"{oracle.API_PATH}/recruitingCEJobRequisitions",
                "file": "oracle/reqs_pacs_offset0.json",
            },
            {
                "method": "POST",
                "path": f"/moved{api}",
                "status": 301,
                "headers": {"Location": "https://ccf.wd1.myworkdayjobs.com/en-US/ClevelandClinic"},
            },
            {
                "method": "POST",
                "path": f"/html{api}",
                "content_type": "text/html",
                "text": "<html><body>Workday is down for maintenance</body></html>",
            },
            {"method": "POST", "path": f"/err{api}", "status": 500, "text": "oops"},
        ]
    )
    result = run(cfg, "--check")
    assert result.exit_code == 1, result.output
    check = result.output.split("checking 7 enabled sources...\n", 1)[1].splitlines()
    assert check[0].split() == ["SOURCE", "CHECK", "ANSWER"]
    got = {line.split()[0]: line.split(None, 2)[1:] for line in check[1:-1]}
    assert got["usajobs"] == ["OK", "4 postings"]
    assert got["wd-ok"] == ["OK", "22 postings"]
    assert got["oracle-ok"] == ["OK", "27 postings"]
    assert got["wd-moved"] == [
        "MOVED",
        "HTTP 301 -> https://ccf.wd1.myworkdayjobs.com/en-US/ClevelandClinic",
    ]
    assert got["oracle-gone"][0] == "MOVED" and got["oracle-gone"][1].startswith(
        "HTTP 404 (gone): "
    )
    assert (
        got["wd-html"][0] == "FAILED" and "HTTP 200 but not a workday answer" in got["wd-html"][1]
    )
    assert got["wd-500"][0] == "FAILED" and got["wd-500"][1].startswith("HTTP 500: ")
    assert "off" not in got
    assert check[-1] == "3 ok, 2 moved, 2 failed, 0 skipped"
    # one request per enabled board, each as its spider sends it
    log = server.log()
    assert len(log) == 7
    search = next(r for r in log if r["path"] == "/api/Search")
    assert (search["headers"]["user-agent"], search["headers"]["authorization-key"]) == (
        "seeker@example.org",
        "k-9",
    )
    wd = next(r for r in log if r["path"] == api)
    assert wd["headers"]["user-agent"] == "pacsjobs/0.1.0 (+mailto:tests@example.org)"
    assert wd["body"] == {"appliedFacets": {}, "limit": 20, "offset": 0, "searchText": "PACS"}


def test_check_skips_usajobs_without_a_key_and_exits_0_when_the_rest_answer(
    server, tmp_path, monkeypatch
):
    monkeypatch.delenv("USAJOBS_API_KEY", raising=False)
    cfg = write_config(
        tmp_path / "config",
        sources=[
            {"name": "usajobs", "platform": "usajobs", "base_url": server.url},
            {
                "name": "wd",
                "platform": "workday",
                "base_url": server.url,
                "url": BOARD,
                "keywords": ["imaging informatics"],
            },
        ],
    )
    server.routes(
        [
            {
                "method": "POST",
                "path": "/wday/cxs/ccf/ClevelandClinicCareers/jobs",
                "file": "workday/jobs_imaging_informatics.json",
            }
        ]
    )
    result = run(cfg, "--check")
    assert result.exit_code == 0, result.output
    assert f"usajobs  SKIPPED  {usajobs.MISSING_KEY}" in result.output
    assert "wd       OK       2 postings" in result.output
    assert result.output.endswith("1 ok, 0 moved, 0 failed, 1 skipped\n")
    assert [r["path"] for r in server.log()] == ["/wday/cxs/ccf/ClevelandClinicCareers/jobs"]


def test_help_shows_an_example():
    result = CliRunner().invoke(main, ["sources", "--help"])
    assert result.exit_code == 0
    assert "  Example:\n      pacsjobs sources\n      pacsjobs sources --check\n" in result.output


def test_check_a_jsonld_career_page(server, tmp_path):
    """A jsonld source is checked by its first page; a page that is gone is reported as moved."""
    page = server.url + "/jsonld/site/jobs/pacs-administrator.html"
    cfg = write_config(tmp_path / "config", sources=[
        {"name": "harbor", "platform": "jsonld", "urls": [page]},
        {"name": "gone", "platform": "jsonld", "urls": [server.url + "/jsonld/site/no-such-page.html"]},
    ])
    result = run(cfg, "--check")
    assert result.exit_code == 1, result.output
    assert "harbor  OK     1 posting\n" in result.output
    assert "gone    MOVED  HTTP 404 (gone)" in result.output
