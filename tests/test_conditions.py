"""The job's conditions, read from wordings real postings use, stored, and shown on digest cards."""

from __future__ import annotations

from datetime import datetime

import pytest

from pacsjobs.config import load_config
from pacsjobs.digest.render import render_page, render_text
from pacsjobs.record import RawPosting
from pacsjobs.store import open_store
from pacsjobs.understand.conditions import condition_words, extract_conditions, flags
from pacsjobs.understand.process import build_posting
from pacsjobs.understand.vocabulary import load_vocabulary
from tests.digest_helpers import add, config_dir, posting
from tests.test_digest_render import _build

NOW = datetime(2026, 12, 4, 8, 0)


@pytest.mark.parametrize("text, name, expected", [
    ("Participates in the PACS on-call rotation, one week in every four, providing after-hours support.",
     "on_call", {"value": True, "rotation": "one week in every four"}),
    ("This position requires participation in a 24/7 on-call rotation.", "on_call",
     {"value": True, "rotation": "on-call rotation"}),
    ("Provides after-hours support on a weekly rotation for imaging systems.", "on_call",
     {"value": True, "rotation": "weekly rotation"}),
    ("Must be available for on call every 3rd weekend.", "on_call", {"value": True, "rotation": "every 3rd weekend"}),
    ("No on-call required.", "on_call", {"value": False}),
    ("Travel: Up to 25%", "travel", {"value": True, "percent": 25}),
    ("Ability to travel to other facilities within the health system approximately 10% of the time.",
     "travel", {"value": True, "percent": 10}),
    ("Some travel between hospital sites is required.", "travel", {"value": True}),
    ("Relevant consulting or industry experience. Travel involved.", "travel", {"value": True}),
    ("This responsibility includes both workday and night/weekend on-call support for all environments.",
     "on_call", {"value": True}),
    ("No travel required.", "travel", {"value": False}),
    ("Shift: Night (United States of America)", "shift", {"value": ["night"]}),
    ("Works rotating shifts; 12-hour shifts on the weekend.", "shift", {"value": ["rotating", "12-hour"]}),
    ("Weekends and holidays as needed for system upgrades.", "weekends", {"value": True}),
    ("Monday through Friday, no weekends.", "weekends", {"value": False}),
    ("Sign-On Bonus: $5,000 for eligible external candidates.", "sign_on_bonus", {"value": True, "amount": 5000.0}),
    ("A $10K sign-on bonus is available for this position.", "sign_on_bonus", {"value": True, "amount": 10000.0}),
    ("Relocation assistance available for qualified candidates.", "relocation", {"value": True}),
    ("Relocation assistance is not available for this position.", "relocation", {"value": False}),
    ("This position requires a Public Trust background investigation.", "clearance",
     {"value": True, "level": "Public Trust"}),
    ("Candidates must hold an active Secret clearance.", "clearance", {"value": True, "level": "Secret"}),
    ("Must obtain CIIP certification within 18 months of hire.", "credential_by_date",
     {"value": True, "within": "within 18 months of hire"}),
    ("PARCA certification (CPAS) required within one year of employment.", "credential_by_date",
     {"value": True, "within": "within one year of employment"}),
])
def test_real_wordings(text, name, expected):
    found = extract_conditions(text)
    assert name in found, found
    got = found[name]
    for key, value in expected.items():
        assert got.get(key) == value, (key, got)
    assert got["evidence"] and got["evidence"] in " ".join(text.split())  # the sentence it came from


@pytest.mark.parametrize("text", [
    "We are a travel nurse agency placing nurses nationwide.",  # travel nursing is not job travel
    "Travel reimbursement provided for mileage.",
    "Answers calls from the help line and routes them to the right team.",
    "Secretary to the department; keeps secret ballots.",
    "Certification preferred.",  # no date: not "required by a date"
])
def test_no_condition_where_none_is_stated(text):
    found = extract_conditions(text)
    assert "travel" not in found and "on_call" not in found and "clearance" not in found
    assert "credential_by_date" not in found


def test_workplace_comes_with_its_sentence():
    found = extract_conditions("This is a hybrid role: three days on site in Dallas.", "hybrid")
    assert found["workplace"] == {"value": "hybrid", "evidence": "This is a hybrid role: three days on site in Dallas."}


def test_flags_and_card_words():
    c = extract_conditions("Participates in the on-call rotation (1 week in 4). Travel up to 20%. "
                           "Night shift. Sign-on bonus of $7,500.")
    assert flags(c) == (True, True, "night")
    assert condition_words(c) == ["on-call (1 week in 4)", "night shift", "travel up to 20%", "sign-on bonus $7,500"]
    assert flags({}) == (False, False, None) and condition_words(None) == []


def test_build_posting_stores_conditions(db_url):
    raw = RawPosting(source_id="r1", url="https://x.example/r1", title="PACS Administrator",
                     description_html="<p>Supports the PACS.</p><ul><li>Participates in the on-call rotation, "
                                      "one week in six.</li><li>Travel: up to 15%</li></ul>")
    p = build_posting(raw, "jsonld:test", NOW, load_vocabulary("config"))
    assert p.on_call and p.travel and p.shift is None
    assert p.conditions["on_call"]["rotation"] == "one week in six"
    with open_store(db_url) as st:
        st.upsert_postings([p], now=NOW)
        got = st.get_posting(1)
    assert got.on_call is True and got.travel is True
    assert got.conditions["travel"] == {"value": True, "percent": 15, "evidence": "Travel: up to 15%"}


def test_digest_card_shows_conditions(tmp_path):
    cfg = load_config(config_dir(tmp_path))
    c = extract_conditions("On-call rotation one week in four. Travel up to 25%.")
    add(cfg.database_url, [posting("s85-a", conditions=c, on_call=True, travel=True),
                           posting("s80-b", title="PACS Analyst")])
    digest = _build(cfg)
    page, text = render_page(digest), render_text(digest)
    assert "Conditions: on-call (one week in four) · travel up to 25%" in text
    assert "on-call (one week in four) · travel up to 25%" in page
    assert text.count("Conditions:") == 1  # only the posting that states some
