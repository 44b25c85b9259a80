"""Tiers on a realistic digest: the 118 labelled postings through the real pipeline and the guide."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pacsjobs.config import load_config
from pacsjobs.digest.build import build_digest
from pacsjobs.digest.sample import fill_labelled
from pacsjobs.profile import load_profile
from pacsjobs.store import open_store
from pacsjobs.understand.match import role_family
from tests.digest_helpers import NOW, config_dir
from tests.helpers import REPO_CONFIG

EVAL = Path(__file__).resolve().parent / "eval" / "postings.jsonl"


@pytest.fixture(scope="module")
def digest(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tiers")
    cfg = load_config(config_dir(tmp))
    fill_labelled(cfg.database_url, EVAL, REPO_CONFIG, NOW)
    with open_store(cfg.database_url) as store, store.session() as session:
        return build_digest(session, cfg, load_profile(REPO_CONFIG, "guide"), "guide", now=NOW)


def _component(r, name):
    return next(c for c in r.match.components if c.name == name)


def test_strong_fit_is_a_shortlist(digest):
    tiers = Counter(r.tier for r in digest.ranked)
    assert digest.count >= 40  # the labelled PACS roles in the US, duplicates folded
    assert 0.1 * digest.count <= tiers["strong"] <= 0.22 * digest.count  # about a fifth
    assert tiers["worth"] and tiers["other"]


def test_every_strong_fit_meets_the_rule(digest):
    profile = load_profile(REPO_CONFIG, "guide")
    for r in digest.ranked:
        if r.tier != "strong":
            continue
        assert r.score >= profile.strong_fit
        assert role_family(r.posting) in ("administrator", "informatics"), r.posting.title
        salary = _component(r, "salary")
        assert salary.score is not None and salary.score >= 0.6, salary.reason


def test_role_family_order(digest):
    by_id = {r.posting.source_id: i for i, r in enumerate(digest.ranked)}
    # "PACS Administrator", $85K-$100K, DICOM/HL7/RIS above "Diagnostic Radiologic Technologist (PACS)"
    assert by_id["pacs-002"] < by_id["pacs-003"]
    fitting_admins = [i for i, r in enumerate(digest.ranked) if role_family(r.posting) == "administrator"
                      and _component(r, "salary").score == 1.0 and _component(r, "skills").score >= 0.6]
    technologists = [i for i, r in enumerate(digest.ranked) if role_family(r.posting) == "technologist"]
    assert fitting_admins and technologists
    assert max(fitting_admins) < min(technologists)


def test_duplicates_come_once(digest):
    ids = [r.posting.source_id for r in digest.ranked]
    assert not {"pacs-001", "pacs-025"} <= set(ids)  # the same job reposted
    assert "trap-001" not in ids and "pacs-035" not in ids  # a CT technologist; Toronto


def test_same_reason_for_every_posting_is_said_once(digest):
    card_reasons = [reason for tier in digest.tiers for item in tier.items for reason in item.reasons]
    assert "any US state suits the guide" not in card_reasons
    assert "any US state suits the guide" in digest.common_reasons
