"""The shipped default registry (config/sources.toml) loads and is what it claims to be."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from pacsjobs.paths import DEFAULTS
from pacsjobs.sources import PLATFORMS

REPO_CONFIG = Path(__file__).resolve().parent.parent / "config"
ENTRIES = tomllib.loads((DEFAULTS / "sources.toml").read_text())["sources"]
REQUIRED = {"workday": {"url"}, "oracle": {"host", "site"}, "usajobs": {"keywords"}, "greenhouse": {"board"},
            "lever": {"site"}, "smartrecruiters": {"company"}, "ashby": {"org"}}
GROUPS = {"health-systems", "vendors", "federal"}


def _missing_modules() -> list[str]:
    import importlib.util

    return [p for p in REQUIRED if importlib.util.find_spec(PLATFORMS[p]) is None]


@pytest.fixture(scope="module")
def config():
    if missing := _missing_modules():
        pytest.skip(f"platform modules not written yet: {', '.join(missing)}")
    from pacsjobs.config import load_config

    return load_config(REPO_CONFIG)


def test_registry_loads_with_every_platforms_checks(config):
    assert len(config.sources) == len(ENTRIES)
    assert {s.platform for s in config.sources} == set(REQUIRED)


def test_at_least_25_distinct_employers(config):
    employers = {s.employer for s in config.sources}
    assert None not in employers and len(employers) >= 25


def test_names_are_unique_and_say_the_platform():
    names = [e["name"] for e in ENTRIES]
    assert len(names) == len(set(names))
    assert all(n == e["platform"] or n.startswith(e["platform"] + ":") for n, e in zip(names, ENTRIES, strict=True))


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["name"] for e in ENTRIES])
def test_every_entry_is_enabled_with_its_platforms_keys_and_a_group(entry):
    assert entry.get("enabled", True) is True
    assert REQUIRED[entry["platform"]] <= set(entry)
    assert entry.get("group") in GROUPS and entry.get("employer")


def test_shipped_file_points_at_the_real_endpoints():
    assert not [e["name"] for e in ENTRIES if "base_url" in e]


def test_every_source_is_enabled_after_loading(config):
    assert config.enabled_sources() == config.sources


def test_boards_name_real_hosts(config):
    for src in config.sources:
        if src.platform == "workday":
            assert ".myworkdayjobs.com/" in src.options["url"]
        if src.platform == "oracle":
            assert src.options["host"].endswith(".oraclecloud.com")


CHECKS = [  # platform, options, the route answering its first page, postings it reports
    ("greenhouse", {"board": "meridianimaging"},
     {"path": "/v1/boards/meridianimaging/jobs", "file": "greenhouse/board.json"}, 5),
    ("lever", {"site": "northstar-rad", "page_size": 2},
     {"path": "/v0/postings/northstar-rad", "query": {"skip": 0, "limit": 2}, "file": "lever/postings_skip0.json"}, 2),
    ("smartrecruiters", {"company": "LakesideHealthSystem"},
     {"path": "/v1/companies/LakesideHealthSystem/postings", "query": {"offset": 0, "limit": 100},
      "file": "smartrecruiters/postings_offset0.json"}, 4),
    ("ashby", {"org": "lumenrad"}, {"path": "/posting-api/job-board/lumenrad", "file": "ashby/board.json"}, 4),
]


@pytest.mark.parametrize(("platform", "options", "route", "count"), CHECKS, ids=[c[0] for c in CHECKS])
def test_sources_check_reads_the_first_page(tmp_path, server, platform, options, route, count):
    sources_cli = pytest.importorskip("pacsjobs.cli.sources")
    if not hasattr(sources_cli, "check_source"):
        pytest.skip("pacsjobs sources --check is not written yet")
    from pacsjobs.config import load_config
    from tests.helpers import write_config

    config = load_config(write_config(tmp_path, sources=[
        {"name": f"{platform}:x", "platform": platform, "base_url": server.url, **options},
        {"name": f"{platform}:moved", "platform": platform, "base_url": server.url + "/gone", **options}]))
    server.routes([route])
    ok = sources_cli.check_source(config.source(f"{platform}:x"), config)
    assert (ok.verdict, ok.count) == ("ok", count), ok.detail
    moved = sources_cli.check_source(config.source(f"{platform}:moved"), config)
    assert moved.verdict == "moved", moved.detail  # 404: the board has moved
