"""A profile's on_call rule: postings that state on-call duty are ranked lower or left out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pacsjobs.digest.rank import rank
from pacsjobs.errors import ConfigError
from pacsjobs.paths import DEFAULTS
from pacsjobs.profile import load_profile
from pacsjobs.record import Posting
from pacsjobs.understand.conditions import extract_conditions
from pacsjobs.understand.match import ON_CALL_PENALTY, score_posting

CONFIG = Path(__file__).resolve().parent.parent / "config"
ON_CALL_TEXT = "Participates in the PACS on-call rotation, one week in every four."


@pytest.fixture
def folder(tmp_path):
    shutil.copy(DEFAULTS / "guide.toml", tmp_path / "guide.toml")
    shutil.copy(DEFAULTS / "skills.toml", tmp_path / "skills.toml")
    (tmp_path / "profiles").mkdir()
    for rule in ("lower", "drop"):
        (tmp_path / "profiles" / f"{rule}.toml").write_text(f'on_call = "{rule}"\n', encoding="utf-8")
    return tmp_path


def posting(sid: str, on_call: bool) -> Posting:
    conditions = extract_conditions(ON_CALL_TEXT) if on_call else {}
    return Posting(source="t:x", source_id=sid, url=f"https://example.org/{sid}", title="PACS Administrator",
                   skills=["PACS", "DICOM"], conditions=conditions, on_call=on_call)


def test_guide_accepts_on_call(folder):
    guide = load_profile(folder)
    assert guide.on_call == "ok"
    assert score_posting(posting("a", True), guide).score == score_posting(posting("b", False), guide).score


def test_lower_takes_points_off_with_a_reason(folder):
    lower = load_profile(folder, "lower")
    on, off = score_posting(posting("a", True), lower), score_posting(posting("b", False), lower)
    assert on.score == pytest.approx(off.score - ON_CALL_PENALTY)
    assert any("on-call duty (one week in every four)" in r and "lower" in r for r in on.reasons)
    assert [r.posting.source_id for r in rank([posting("a", True), posting("b", False)], lower)] == ["b", "a"]


def test_drop_leaves_on_call_postings_out_of_the_ranking(folder):
    drop = load_profile(folder, "drop")
    assert [r.posting.source_id for r in rank([posting("a", True), posting("b", False)], drop)] == ["b"]


def test_bad_rule_is_a_config_error(folder):
    (folder / "profiles" / "bad.toml").write_text('on_call = "never"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="on_call"):
        load_profile(folder, "bad")
