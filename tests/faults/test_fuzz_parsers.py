"""Fuzz every platform parser with mutated real fixtures (issue 11 §4).

Every platform of ``pacsjobs.sources.PLATFORMS`` (later ones included, automatically) is fed its own
saved payloads (``tests/fixtures/<platform>/`` and ``tests/fixtures/real/<platform>/``) with one
hostile mutation each: byte flips, truncation, insertions, huge strings, deep nesting, type swaps,
dropped fields, other encodings. Each listing and detail entry point must return or raise
``ParseError`` (nothing else) within a second. ``PACSJOBS_FUZZ_EXAMPLES`` raises the example count.
"""

from __future__ import annotations

import inspect
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting
from pacsjobs.sources import PLATFORMS, platform_module
from tests.conftest import FIXTURES
from tests.json_fuzz import mutated_payload

EXAMPLES = int(os.environ.get("PACSJOBS_FUZZ_EXAMPLES") or 60)
SECONDS_PER_PAYLOAD = 1.0
URL = "https://jobs.example.org/careers/listing?page=1"
# The entry points that read a fetched payload; a platform has some of them.
ENTRY_POINTS = ("parse", "parse_detail", "parse_page", "reported_total", "number_of_pages", "links",
                "sitemap_entries", "sitemap_urls")
PAYLOAD_SUFFIXES = {".json", ".html", ".htm", ".xml"}


def fixtures_of(platform: str) -> list[Path]:
    folders = [FIXTURES / platform, FIXTURES / "real" / platform]
    return sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*")
                  if p.suffix.lower() in PAYLOAD_SUFFIXES and p.is_file())


def payloads_of(platform: str) -> dict[str, bytes]:
    """Its fixtures by name, plus each listing's first entry on its own (a detail endpoint often
    answers one listing entry, with more fields), so detail parsers get shapes they accept."""
    out: dict[str, bytes] = {}
    for path in fixtures_of(platform):
        name, raw = path.relative_to(FIXTURES).as_posix(), path.read_bytes()
        out[name] = raw
        try:
            doc = json.loads(raw)
        except ValueError:
            continue
        lists = doc.items() if isinstance(doc, dict) else ()
        for key, value in lists:
            if isinstance(value, list) and value and isinstance(value[0], dict):
                out[f"{name}#{key}[0]"] = json.dumps(value[0]).encode()
    return out


def call(entry: Any, payload: bytes) -> Any:
    """Call an entry point with the payload, the page URL where it takes one, None for other
    required options (a sitemap's ``follow`` pattern)."""
    kwargs: dict[str, Any] = {}
    for param in list(inspect.signature(entry).parameters.values())[1:]:
        if param.name == "url":
            kwargs["url"] = URL
        elif param.default is inspect.Parameter.empty:
            kwargs[param.name] = None
    return entry(payload, **kwargs)


def check_result(result: Any) -> None:
    """What a parser returns holds postings with ids (the store keys on them), or counts."""
    raws = result if isinstance(result, list) else [result] if isinstance(result, RawPosting) else \
        result[0] if isinstance(result, tuple) and result and isinstance(result[0], list) else []
    for raw in raws:
        if isinstance(raw, RawPosting):
            assert isinstance(raw.source_id, str) and raw.source_id, raw
            assert isinstance(raw.title, str), raw


CASES = [(platform, name) for platform in sorted(PLATFORMS)
         for name in ENTRY_POINTS if hasattr(platform_module(platform), name)]


def test_every_platform_has_fixtures_to_fuzz():
    assert all(fixtures_of(platform) for platform in PLATFORMS), \
        [p for p in PLATFORMS if not fixtures_of(p)]


@pytest.mark.parametrize(("platform", "entry_name"), CASES, ids=[f"{p}.{e}" for p, e in CASES])
def test_mutated_real_payloads_raise_only_parse_error_within_a_second(platform, entry_name):
    entry = getattr(platform_module(platform), entry_name)
    payloads = payloads_of(platform)
    assert payloads, f"no fixtures for {platform}"
    runs = {"payloads": 0, "parse_errors": 0, "slowest": 0.0}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(payloads)), label="fixture")
        payload = data.draw(mutated_payload(payloads[name]), label="mutation")
        started = time.perf_counter()
        try:
            result = call(entry, payload)
        except ParseError:
            result = None
            runs["parse_errors"] += 1
        took = time.perf_counter() - started
        runs["payloads"] += 1
        runs["slowest"] = max(runs["slowest"], took)
        assert took < SECONDS_PER_PAYLOAD, f"{platform}.{entry_name}: {name}, {payload!r}: {took:.2f}s"
        check_result(result)

    fuzz()
    # The figures (pytest -s shows them): payloads tried, how many were refused, the slowest.
    print(f"\n{platform}.{entry_name}: {runs['payloads']} payloads, {runs['parse_errors']} ParseError, "
          f"slowest {runs['slowest']:.3f}s")


# -- what the fuzz found, kept as plain regression tests ---------------------------------------
def _json_fixture(rel: str) -> Any:
    return json.loads((FIXTURES / rel).read_bytes())


def test_ashby_components_of_another_type_are_no_pay_not_a_crash():
    board = _json_fixture("ashby/board.json")
    expected = [r.source_id for r in platform_module("ashby").parse(json.dumps(board))]
    job = next(j for j in board["jobs"] if isinstance(j.get("compensation"), dict))
    job["compensation"]["compensationTiers"] = [{"components": True}]
    job["compensation"]["summaryComponents"] = 7
    raws = platform_module("ashby").parse(json.dumps(board))
    assert [r.source_id for r in raws] == expected


@pytest.mark.parametrize("user_area", ["A" * 1000, True, 3, ["x"]])
def test_usajobs_user_area_of_another_type_is_ignored(user_area):
    usajobs = platform_module("usajobs")
    page = _json_fixture("usajobs/search_imaging_informatics.json")
    page["SearchResult"]["UserArea"] = user_area
    for item in page["SearchResult"]["SearchResultItems"]:
        item["MatchedObjectDescriptor"]["UserArea"] = user_area
    payload = json.dumps(page)
    assert usajobs.number_of_pages(payload) == 1  # computed from the total instead
    assert [r.source_id for r in usajobs.parse(payload)] == ["853377700", "854410200"]


@pytest.mark.parametrize("blank", [" ", "\n", "\t"])
def test_a_jsonld_block_with_a_megabyte_of_blanks_is_read_in_linear_time(blank):
    """The wrapper regex was quadratic in a run of blanks: 40 KB took 9 s, 1 MB hours."""
    # A wrapped block (so the wrappers are stripped) with blanks between two JSON members.
    page = ('<script type="application/ld+json"><!--{"@type": "JobPosting",' + blank * 1_000_000
            + '"title": "PACS Administrator", "identifier": "A1"}--></script>').encode()
    started = time.perf_counter()
    raws = platform_module("jsonld").parse(page, URL)
    assert time.perf_counter() - started < SECONDS_PER_PAYLOAD
    assert [r.title for r in raws] == ["PACS Administrator"]


@pytest.mark.parametrize("value", [True, 12, {"href": "x"}])
def test_smartrecruiters_detail_urls_of_another_type_are_not_a_crash(value):
    detail = _json_fixture("smartrecruiters/posting_744000090871200.json")
    detail["postingUrl"], detail["applyUrl"] = value, value
    raw = platform_module("smartrecruiters").parse_detail(json.dumps(detail))
    assert raw.source_id == str(detail["id"]) and isinstance(raw.url, str)
