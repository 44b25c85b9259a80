"""The page parsers (iCIMS, Jobvite, Phenom, SuccessFactors) on damaged payloads: postings with ids
and titles, or ParseError; never another exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacsjobs.errors import ParseError
from pacsjobs.sources import icims, jobvite, phenom, successfactors

FIX = Path(__file__).parent / "fixtures"
CASES = [
    (icims.parse, FIX / "icims" / "search_pacs_pr0.html"),
    (icims.parse_detail, FIX / "icims" / "jobs" / "4101.html"),
    (icims.parse_detail, FIX / "icims" / "jobs" / "4125.html"),
    (jobvite.parse, FIX / "jobvite" / "search_pacs_p0.html"),
    (jobvite.parse_detail, FIX / "jobvite" / "job" / "oLr2xfwB.html"),
    (phenom.parse, FIX / "phenom" / "jobs" / "R24-120511.html"),
    (phenom.parse, FIX / "phenom" / "jobs" / "R24-121340.html"),
    (successfactors.parse, FIX / "successfactors" / "googlefeed.xml"),
    (successfactors.parse_detail, FIX / "successfactors" / "job" / "1167811500.html"),
]
URL = "https://careers.example.org/jobs/4101/pacs-administrator/job/"


def check(parse, payload: bytes) -> None:
    try:
        result = parse(payload, URL)
    except ParseError:
        return
    for raw in result if isinstance(result, list) else [result]:
        assert isinstance(raw.source_id, str) and raw.source_id and raw.title


damage = st.tuples(st.floats(0, 1), st.floats(0, 1), st.binary(max_size=12))


@pytest.mark.parametrize(("parse", "path"), CASES, ids=[f"{p.__module__.rsplit('.', 1)[1]}-{f.name}" for p, f in CASES])
@settings(max_examples=40, deadline=None)
@given(damage)
def test_damaged_payloads(parse, path, cut):
    data = path.read_bytes()
    start, end, junk = int(cut[0] * len(data)), int(cut[1] * len(data)), cut[2]
    lo, hi = min(start, end), max(start, end)
    check(parse, data[:lo] + junk + data[hi:])  # a slice replaced by junk
    check(parse, data[:hi])  # a truncated answer


@given(st.binary(max_size=200))
@settings(max_examples=60, deadline=None)
def test_any_bytes(payload):
    for parse, _ in CASES:
        check(parse, payload)
