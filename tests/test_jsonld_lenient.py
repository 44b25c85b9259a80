"""JSON-LD broken the ways real career pages break it: the posting is recovered, not skipped."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from pacsjobs.sources import jsonld
from pacsjobs.sources.jsonld_lenient import _load_lenient, _repair_quotes
from pacsjobs.understand.process import build_posting
from pacsjobs.understand.vocabulary import load_vocabulary

FIXTURES = Path(__file__).parent / "fixtures" / "jsonld"
PAGE = (FIXTURES / "broken_quotes_graph.html").read_bytes()
URL = "https://careers.stanne.example/jobs/4471/"


def test_graph_with_raw_quotes_newlines_tabs_and_trailing_commas():
    postings, broken = jsonld.parse_page(PAGE, URL)
    assert broken == 0
    assert [(p.source_id, p.title, p.employer, p.locations) for p in postings] == [
        ("4471", "PACS Administrator", "St. Anne Health", ["Sioux Falls, SD"]),  # @id reference resolved
        ("4480", 'Imaging Informatics Analyst "Enterprise Imaging"', "St. Anne Health", ["Fargo, ND"]),
    ]
    assert 'Runs the "Sectra" PACS' in postings[0].description_html
    assert "\t<li>Travel between sites" in postings[0].description_html  # raw tab kept as text


def test_recovered_posting_reaches_conditions_and_pay():
    raw = jsonld.parse(PAGE, URL)[0]
    p = build_posting(raw, "jsonld:stanne", datetime(2026, 12, 4), load_vocabulary("config"))
    assert p.is_pacs_role and "Sectra" in p.skills
    assert p.on_call and p.conditions["on_call"]["rotation"] == "one week in four"
    assert p.conditions["travel"]["percent"] == 15
    assert (p.salary_min, p.salary_max, p.salary_period) == (38.20, 52.00, "hour")  # the midpoint is not the top


@pytest.mark.parametrize("broken, expected", [
    ('{"d": "the "Sectra" PACS", "n": 1}', {"d": 'the "Sectra" PACS', "n": 1}),
    ('{"d": "He said "hi", then left", "b": 1}', {"d": 'He said "hi", then left', "b": 1}),
    ('{"l": ["a "quoted" word", "b"], "k": "v"}', {"l": ['a "quoted" word', "b"], "k": "v"}),
    ('{"d": "ends with a "quote"", "x": [1, 2,],}', {"d": 'ends with a "quote"', "x": [1, 2]}),
])
def test_unescaped_quotes_inside_strings(broken, expected):
    with pytest.raises(ValueError):
        json.loads(broken)
    assert _load_lenient(broken) == [expected]


@pytest.mark.parametrize("value", [
    {"a": "plain", "b": ["x", "y, z"], "c": {"d": 'already \\"escaped\\"', "e": None}},
    [{"@type": "JobPosting", "title": 'Say "hi"', "n": -1.5, "t": True}],
    "top-level string",
])
def test_valid_json_is_left_alone(value):
    text = json.dumps(value)
    assert _repair_quotes(text) == text
