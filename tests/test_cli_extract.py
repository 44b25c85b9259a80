"""``pacsjobs extract`` through click's CliRunner: exit codes and exact messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pacsjobs.cli import main
from pacsjobs.record import Posting
from pacsjobs.sources import PLATFORMS
from tests.helpers import write_config

FIX = Path(__file__).parent / "fixtures" / "jsonld"
RECORD_FIELDS = set(Posting.__dataclass_fields__) - set(Posting.BOOKKEEPING)


@pytest.fixture
def cfg(tmp_path):
    return str(write_config(tmp_path / "config"))


def extract(cfg, *args):
    return CliRunner().invoke(main, ["--config", cfg, "extract", *args])


def test_extract_prints_one_json_line_per_posting(cfg):
    result = extract(cfg, "--source", "jsonld", str(FIX / "graph_listing.html"),
                     "--url", "https://jobs.lakeside-imaging.example/radiology-it/")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["title"] for line in lines] == ["PACS Systems Administrator",
                                                 "Radiology Information Systems Analyst"]
    first = lines[0]
    assert set(first) == RECORD_FIELDS | {"match_score", "match_reasons"}
    assert first["source"] == "jsonld"
    assert first["source_id"] == "https://jobs.lakeside-imaging.example/jobs/pacs-systems-administrator"
    assert (first["salary_annual_min"], first["salary_annual_max"]) == (85000, 99000)
    assert first["date_posted"] == "2026-11-15"
    assert isinstance(first["match_score"], int | float) and first["match_reasons"]


def test_extract_microdata_page(cfg):
    result = extract(cfg, "--source", "jsonld", str(FIX / "microdata.html"))
    assert result.exit_code == 0
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["employment_type"] == "per_diem"


def test_extract_partly_broken_page_warns(cfg):
    path = str(FIX / "broken_lenient.html")
    result = extract(cfg, "--source", "jsonld", path)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 3
    assert result.stderr == f"warning: {path}: 1 unreadable JSON-LD block(s) skipped\n"


def test_missing_file(cfg):
    result = extract(cfg, "--source", "jsonld", "no-such-page.html")
    assert result.exit_code == 1
    assert result.stderr == "error: file not found: no-such-page.html\n"
    assert result.stdout == ""


def test_unknown_platform(cfg):
    result = extract(cfg, "--source", "myspace", str(FIX / "microdata.html"))
    assert result.exit_code == 1
    known = ", ".join(sorted(PLATFORMS))  # every registered platform, whichever are merged
    assert {"ashby", "jsonld", "workday", "ukg", "taleo"} <= set(PLATFORMS)
    assert result.stderr == f"error: unknown platform 'myspace' (known: {known})\n"


def test_unreadable_payload(cfg, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text('<script type="application/ld+json">{"@type": "JobPosting", "title": </script>')
    result = extract(cfg, "--source", "jsonld", str(page))
    assert result.exit_code == 1
    assert result.stderr.endswith(
        f"error: no posting could be read from {page} (1 unreadable JSON-LD block(s) skipped)\n")


def test_html_page_given_to_an_api_platform(cfg):
    result = extract(cfg, "--source", "greenhouse", str(FIX / "microdata.html"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot parse {FIX / 'microdata.html'} as greenhouse: ")
    assert len(result.stderr.splitlines()) == 1


def test_page_without_postings(cfg, tmp_path):
    page = tmp_path / "about.html"
    page.write_text("<html><body><p>About us</p></body></html>")
    result = extract(cfg, "--source", "jsonld", str(page))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"no postings found in {page}\n")


def test_bad_config_folder(tmp_path):
    missing = str(tmp_path / "nowhere")
    result = CliRunner().invoke(main, ["--config", missing, "extract", "--source", "jsonld",
                                       str(FIX / "microdata.html")])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {missing}: config folder not found "
                             "(named by --config; `pacsjobs init DIR` writes one)\n")


def test_detail_response_detected(cfg):
    detail = Path(__file__).parent / "fixtures" / "oracle" / "detail" / "25030000.json"
    if not detail.exists():
        pytest.skip("the oracle fixtures are not in this checkout")
    result = extract(cfg, "--source", "oracle", str(detail))
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["source_id"] == "25030000"
    forced = extract(cfg, "--source", "oracle", "--listing", str(detail))
    assert forced.exit_code == 1 and forced.stderr.startswith(f"error: cannot parse {detail} as oracle: ")
