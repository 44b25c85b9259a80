"""Deeply nested JSON is one clear line, never a RecursionError; a UTF-8 BOM is read (issue 11 §3)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pacsjobs.cli import main
from pacsjobs.config import load_config
from pacsjobs.errors import ParseError
from pacsjobs.sources import PLATFORMS, platform_module
from pacsjobs.sources.common import load_json
from tests.api_crawl_helpers import crawl, crawl_log, rows
from tests.conftest import FIXTURES
from tests.helpers import write_config

LEVELS = 10_000
DEEP_ARRAY = "[" * LEVELS + "]" * LEVELS
DEEP_OBJECT = '{"jobs": ' + '{"a": ' * LEVELS + "1" + "}" * LEVELS + "}"
BOARD = (FIXTURES / "greenhouse" / "board.json").read_text(encoding="utf-8")
GH_PATH = "/v1/boards/meridianimaging/jobs"
GH_SOURCE = "greenhouse:meridian"


@pytest.mark.parametrize("payload", [DEEP_ARRAY, DEEP_OBJECT, DEEP_OBJECT.encode()])
def test_load_json_names_deep_nesting_as_a_parse_error(payload):
    with pytest.raises(ParseError, match="https://x.example/jobs: JSON nested too deeply to read"):
        load_json(payload, "https://x.example/jobs")


@pytest.mark.parametrize("encoded", [
    b"\xef\xbb\xbf" + BOARD.encode(),  # UTF-8 with a byte-order mark
    "\ufeff" + BOARD,  # the same, already decoded
    BOARD.encode("utf-16"),  # UTF-16 with its BOM
    BOARD.encode("utf-16-le"),  # UTF-16 without a BOM (RFC 8259 readers detect it)
])
def test_load_json_reads_a_byte_order_mark_and_utf16(encoded):
    assert load_json(encoded) == json.loads(BOARD)


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
@pytest.mark.parametrize("payload", [DEEP_ARRAY, DEEP_OBJECT,
                                     f'<script type="application/ld+json">{DEEP_OBJECT}</script>'])
def test_every_parser_turns_deep_nesting_into_a_parse_error_or_nothing(platform, payload):
    module = platform_module(platform)
    for entry in ("parse", "parse_detail"):
        parse = getattr(module, entry, None)
        if parse is None:
            continue
        try:
            result = parse(payload.encode(), "https://x.example/p")
        except ParseError:
            continue
        assert result in ([], None) or (isinstance(result, list) and not result), (platform, entry)


def test_extract_deep_json_is_one_line(tmp_path):
    cfg = write_config(tmp_path / "cfg")
    deep = tmp_path / "deep.json"
    deep.write_text(DEEP_OBJECT)
    result = CliRunner().invoke(main, ["--config", str(cfg), "extract", "--source", "greenhouse", str(deep)])
    assert result.exit_code != 0
    assert result.stderr.count("\n") == 1, result.stderr
    assert "nested too deeply" in result.stderr
    assert "RecursionError" not in result.output + result.stderr and result.exception.__class__ is SystemExit


def test_extract_reads_a_payload_with_a_bom(tmp_path):
    cfg = write_config(tmp_path / "cfg")
    saved = tmp_path / "board.json"
    saved.write_bytes(b"\xef\xbb\xbf" + BOARD.encode())
    result = CliRunner().invoke(main, ["--config", str(cfg), "extract", "--source", "greenhouse", str(saved)])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == len(json.loads(BOARD)["jobs"])


def greenhouse_config(tmp_path, server, database_url=None):
    source = {"name": GH_SOURCE, "platform": "greenhouse", "board": "meridianimaging",
              "employer": "Meridian Imaging Informatics", "base_url": server.url}
    return load_config(write_config(tmp_path / "cfg", sources=[source], database_url=database_url))


def test_crawl_counts_deep_json_as_one_bad_payload_and_closes_nothing(tmp_path, server, db_url):
    config = greenhouse_config(tmp_path, server, db_url)
    server.routes([{"path": GH_PATH, "file": "greenhouse/board.json"}])
    assert crawl(config, tmp_path, [GH_SOURCE])[GH_SOURCE].status == "succeeded"
    server.routes([{"path": GH_PATH, "text": DEEP_OBJECT, "content_type": "application/json"}])
    bad = crawl(config, tmp_path, [GH_SOURCE])[GH_SOURCE]
    assert bad.status in ("partial", "failed") and bad.closed == 0, bad
    assert bad.errors >= 1 and "bad payload" in (bad.message or "")
    log = crawl_log(tmp_path)
    assert log.count("JSON nested too deeply to read") == 1
    assert "RecursionError" not in log and "Traceback" not in log
    assert all(r.closed_at is None for r in rows(config, GH_SOURCE).values())


def test_crawl_reads_a_listing_with_a_utf8_bom(tmp_path, server):
    config = greenhouse_config(tmp_path, server)
    server.routes([{"path": GH_PATH, "text": "\ufeff" + BOARD, "content_type": "application/json"}])
    result = crawl(config, tmp_path, [GH_SOURCE])[GH_SOURCE]
    assert result.status == "succeeded", result.message
    assert len(rows(config, GH_SOURCE)) == len(json.loads(BOARD)["jobs"])
