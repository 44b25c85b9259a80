"""The packaged registry (pacsjobs/defaults/sources.toml + sources.d/*.toml) loads and is what it claims to be."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from pacsjobs.paths import DEFAULTS
from pacsjobs.sources import PLATFORMS
from pacsjobs.sources.discover import board_key

REPO_CONFIG = Path(__file__).resolve().parent.parent / "config"
FILES = [DEFAULTS / "sources.toml", *sorted((DEFAULTS / "sources.d").glob("*.toml"))]
ENTRIES = [(f.name, e) for f in FILES for e in tomllib.loads(f.read_text(encoding="utf-8")).get("sources", [])]
REGISTRY = [(f, e) for f, e in ENTRIES if f != "sources.toml"]
PENDING = [(f.name, e) for f in sorted((DEFAULTS / "sources.pending").glob("*.toml"))
           for e in tomllib.loads(f.read_text(encoding="utf-8")).get("sources", [])]
GROUPS = {"health-systems", "providers", "imaging", "vendors", "federal"}
# The platform keys of a board, well-formed (what each platform's address looks like).
KEY_FORMS = {
    "workday": {"url": r"https://[a-z0-9-]+\.wd\d+\.myworkdayjobs\.com/[A-Za-z0-9_.-]+"},
    "oracle": {"host": r"[a-z0-9-]+(\.[a-z0-9-]+)*\.oraclecloud\.com", "site": r"[A-Za-z0-9_]+"},
    "greenhouse": {"board": r"[a-z0-9][a-z0-9_-]*"},
    "lever": {"site": r"[a-z0-9][a-z0-9_.-]*"},
    "smartrecruiters": {"company": r"[A-Za-z0-9][A-Za-z0-9_-]*"},
    "ashby": {"org": r"[a-z0-9][a-z0-9_.-]*"},
    "usajobs": {},
    "icims": {"url": r"https://[a-z0-9-]+\.icims\.com"},
    "jobvite": {"company": r"[a-z0-9][a-z0-9_-]*"},
    "phenom": {"url": r"https://[a-z0-9.-]+"},
    "successfactors": {"url": r"https://[a-z0-9.-]+(/career\?company=\w+)?"},
    "ukg": {"url": r"https://recruiting\d*\.ultipro\.com/\w+/JobBoard/[0-9a-f-]{36}"},
    "taleo": {"url": r"https://[a-z0-9-]+\.taleo\.net/careersection/[\w-]+"},
    "healthcaresource": {"url": r"https://[a-z0-9-]+\.hcshiring\.com"},
    "neogov": {"agency": r"[a-z0-9][a-z0-9_-]*"},
}


def _ids(entries):
    return [f"{f}:{e.get('name')}" for f, e in entries]


@pytest.fixture(scope="module")
def config():
    from pacsjobs.config import load_config

    return load_config(REPO_CONFIG)


def test_every_entry_validates_and_loads(config):
    assert len(config.sources) == len(ENTRIES)
    assert {s.platform for s in config.sources} <= set(PLATFORMS)


def test_at_least_500_enabled_us_health_employers_boards(config):
    enabled = [s for s in config.sources if s.enabled and s.group not in ("federal", "nationwide")]
    assert len(enabled) >= 500
    assert len({s.employer for s in enabled}) >= 450  # distinct employers, not one employer's many boards


def test_names_are_unique_and_say_the_platform():
    names = [e["name"] for _, e in ENTRIES + PENDING]
    assert [n for n, k in Counter(names).items() if k > 1] == []
    assert all(e["name"] == e["platform"] or e["name"].startswith(e["platform"] + ":") for _, e in ENTRIES + PENDING)


def test_no_board_is_listed_twice():
    keys = Counter(board_key(e["platform"], e) for _, e in ENTRIES + PENDING)
    assert [k for k, n in keys.items() if n > 1] == []


@pytest.mark.parametrize(("file", "entry"), REGISTRY + PENDING, ids=_ids(REGISTRY + PENDING))
def test_every_registry_entry_has_evidence_group_employer_and_well_formed_keys(file, entry):
    assert entry.get("evidence", "").strip(), "where was this address seen?"
    assert entry.get("group") in GROUPS and entry.get("employer")
    assert entry.get("enabled", True) is True
    assert "base_url" not in entry  # the shipped registry points at the real endpoints
    forms = KEY_FORMS[entry["platform"]]
    assert forms, f"no key forms for {entry['platform']}"
    for key, form in forms.items():
        assert re.fullmatch(form, str(entry.get(key, "CX_1" if key == "site" else ""))), (key, entry.get(key))


def test_each_file_holds_one_platform_and_credits_its_sources():
    for path in FILES[1:]:
        text = path.read_text(encoding="utf-8")
        platforms = {e["platform"] for e in tomllib.loads(text)["sources"]}
        assert platforms == {path.name.split("-")[0]}, path.name
        assert "Seen in (source, licence, date read)" in text and "not checked live" in text, path.name
        if "datascry/openroles" in text:
            assert "CC BY-SA 4.0" in text.split("[[sources]]")[0], path.name


def test_states_are_us_states_where_given(config):
    from pacsjobs.config import US_STATES

    assert {s.state for s in config.sources if s.state} <= US_STATES
    assert sum(1 for s in config.sources if s.state) >= 350


def test_the_generator_reproduces_the_shipped_files(tmp_path):
    """scripts/build_registry.py run on the reviewed candidates gives exactly sources.d and sources.pending."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_registry", REPO_CONFIG.parent / "scripts" / "build_registry.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--out", str(tmp_path / "sources.d")]) == 0
    for folder in ("sources.d", "sources.pending"):
        built = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / folder).glob("*.toml")}
        shipped = {p.name: p.read_text(encoding="utf-8") for p in (DEFAULTS / folder).glob("*.toml")}
        assert built == shipped, folder


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
