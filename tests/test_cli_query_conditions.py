"""``query`` / ``export`` filters on the job's conditions: --on-call, --travel, --shift."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import update

from pacsjobs.store import open_store
from pacsjobs.store.models import PostingRow
from pacsjobs.understand.conditions import extract_conditions, flags
from tests.helpers import json_query, write_config
from tests.test_search import CORPUS, NOW

# real wordings, one per corpus posting id (the rest state no condition)
WORDINGS = {
    "1": "Participates in the on-call rotation, one week in four. Travel: Up to 10%",
    "2": "Shift: Night (United States of America). No on-call required.",
    "3": "Rotating shifts including weekends; after-hours support as assigned.",
}


@pytest.fixture
def run(tmp_path, db_url):
    cfg = write_config(tmp_path / "cfg", database_url=db_url)
    with open_store(db_url) as store:
        counts = store.upsert_postings(CORPUS, now=NOW - timedelta(days=30))
        ids = dict(zip([p.source_id for p in CORPUS], counts.ids, strict=True))
        with store.engine.begin() as conn:
            for sid, text in WORDINGS.items():
                c = extract_conditions(text)
                on_call, travel, shift = flags(c)
                conn.execute(update(PostingRow).where(PostingRow.id == ids[sid])
                             .values(conditions=c, on_call=on_call, travel=travel, shift=shift))
    invoke = json_query(cfg, {v: k for k, v in ids.items()})
    return invoke


def test_on_call_filters(run):
    assert run("query", "--format", "json", "--on-call") == ["1", "3"]
    assert run("query", "--format", "json", "--no-on-call") == ["2", "5", "6"]


def test_travel_and_shift_filters(run):
    assert run("query", "--format", "json", "--travel") == ["1"]
    assert run("query", "--format", "json", "--shift", "night") == ["2"]
    assert run("query", "--format", "json", "--shift", "rotating", "--on-call") == ["3"]
    assert run("query", "--format", "json", "--shift", "day") == []


def test_export_applies_a_no_flag(run):
    # "--no-on-call" alone is a filter: export must not fall back to "everything"
    assert run("export", "--format", "json", "--no-on-call") == ["2", "5", "6"]


def test_unknown_shift_is_one_clear_line(run):
    result = run.raw("query", "--shift", "graveyard")
    assert result.exit_code != 0
    assert "graveyard" in result.output and "Traceback" not in result.output


def test_show_lists_conditions_with_their_sentences(run):
    out = run.raw("query", "--format", "json", "--on-call")
    first = next(p["id"] for p in json.loads(out.stdout) if p["travel"])  # corpus posting "1"
    result = run.raw("show", str(first))
    assert result.exit_code == 0, result.output
    block = result.output.split("\nconditions\n")[1].split("\n\n")[0]
    assert 'on call: yes (rotation one week in four) — "Participates in the on-call rotation, one week in four."' in block
    assert 'travel: yes (percent 10) — "Travel: Up to 10%"' in block
