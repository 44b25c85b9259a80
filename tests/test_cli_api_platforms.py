"""The CLI on the UKG, Taleo, HealthcareSource and NEOGOV platforms: ``extract`` and ``sources --check``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pacsjobs.cli import main
from tests.helpers import write_config

UKG_BOARD = "/BAP1001BAPT/JobBoard/5b9e2c1f-7a3d-4c1e-9f60-2d8a41b7c3e5"
FIX = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("platform, file, count, first", [
    ("ukg", "ukg/search_pacs_skip0.json", 50, "PACS Administrator"),
    ("ukg", "ukg/detail/87751d4c-a850-4e2c-84dc-da6a797d76de.html", 1, "PACS Administrator"),
    ("taleo", "taleo/search_pacs_page1.json", 25, "PACS Administrator"),
    ("taleo", "taleo/detail/260012A.html", 1, "PACS Administrator"),
    ("healthcaresource", "healthcaresource/jobs_pacs_page1.json", 2, "PACS Administrator - Imaging Services"),
    ("healthcaresource", "healthcaresource/detail/pqV8ib8HDy88YtDtXbiufM.json", 1, "PACS Administrator - Imaging Services"),
    ("neogov", "neogov/jobsfeed.xml", 5, "PACS Administrator - Arrowhead Regional Medical Center"),
])
def test_extract_reads_listings_and_detail_pages(platform, file, count, first, tmp_path):
    cfg = write_config(tmp_path / "config", sources=[])
    result = CliRunner().invoke(main, ["--config", str(cfg), "extract", "--source", platform, str(FIX / file)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == count and first in [r["title"] for r in records]
    if count == 1:  # a detail page: the description is there and the posting is a PACS role
        assert "PACS" in records[0]["description_text"] and records[0]["is_pacs_role"]


def test_check_reads_each_platforms_first_page(server, tmp_path):
    server.routes([
        {"method": "POST", "path": f"/ukg{UKG_BOARD}/JobBoardView/LoadSearchResults", "file": "ukg/search_pacs_skip0.json"},
        {"path": "/taleo/careersection/10000/jobsearch.ftl", "file": "taleo/jobsearch.html"},
        {"path": "/unpub/careersection/10000/jobsearch.ftl", "content_type": "text/html",
         "text": "<html><head><title>Career Section Unavailable</title></head></html>"},
        {"path": "/hcs/jobs", "file": "healthcaresource/jobs.html"},
        {"path": "/hcsmoved/jobs", "status": 302, "headers": {"Location": "/elsewhere"}},
        {"path": "/neogov/SearchEngine/JobsFeed", "file": "neogov/jobsfeed.xml"},
    ])
    cfg = write_config(tmp_path / "config", sources=[
        {"name": "ukg", "platform": "ukg", "base_url": f"{server.url}/ukg",
         "url": f"https://recruiting2.ultipro.com{UKG_BOARD}"},
        {"name": "taleo", "platform": "taleo", "base_url": f"{server.url}/taleo",
         "url": "https://tenet.taleo.net/careersection/10000"},
        {"name": "unpub", "platform": "taleo", "base_url": f"{server.url}/unpub",
         "url": "https://tenet.taleo.net/careersection/10000"},
        {"name": "hcs", "platform": "healthcaresource", "base_url": f"{server.url}/hcs",
         "url": "https://redlandshospital.hcshiring.com"},
        {"name": "hcsmoved", "platform": "healthcaresource", "base_url": f"{server.url}/hcsmoved",
         "url": "https://redlandshospital.hcshiring.com"},
        {"name": "neogov", "platform": "neogov", "base_url": f"{server.url}/neogov", "agency": "sanbernardino"},
    ])
    result = CliRunner().invoke(main, ["--config", str(cfg), "sources", "--check"])
    assert result.exit_code == 1, result.output
    verdicts = {}  # the check's lines after the listing: "name  VERDICT  detail"
    for line in result.output.splitlines():
        words = line.split()
        if len(words) > 2 and words[1] in ("OK", "MOVED", "FAILED"):
            verdicts[words[0]] = " ".join(words[1:])
    assert verdicts["ukg"] == "OK 52 postings"
    assert verdicts["taleo"] == "OK board page answered (postings are counted when crawled)"
    assert verdicts["unpub"].startswith("FAILED HTTP 200 but not a taleo answer")
    assert "Career Section Unavailable" in verdicts["unpub"]
    assert verdicts["hcs"].startswith("OK board page answered")
    assert verdicts["hcsmoved"] == "MOVED HTTP 302 -> /elsewhere"
    assert verdicts["neogov"] == "OK 5 postings"
