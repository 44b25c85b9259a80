"""The pay-position label on every card and every chart bar, checked against the right answer."""

from __future__ import annotations

import re

import pytest

from pacsjobs.config import load_config
from pacsjobs.digest.build import build_digest
from pacsjobs.digest.render import render_email_html, render_page, render_text
from pacsjobs.pay import money, money_range, position
from pacsjobs.profile import load_profile
from pacsjobs.store import open_store
from pacsjobs.understand.match import score_posting
from tests.digest_helpers import NOW, Page, add, config_dir, posting
from tests.helpers import REPO_CONFIG

GUIDE_BAND = (80_615.0, 100_189.0)
# (title, annual low, annual high, the right answer against the guide's $80,615-$100,189)
CASES = [
    ("Pay Below One", 60_000.0, 70_000.0, "below"),
    ("Pay Within Two", 85_000.0, 95_000.0, "within"),
    ("Pay Overlaps Three", 75_000.0, 90_000.0, "overlaps"),
    ("Pay Above Four", 110_000.0, 130_000.0, "above"),
]
# written out here, not taken from the code under test
WORDS = {"below": "below guide pay", "within": "within guide pay", "overlaps": "overlaps guide pay",
         "above": "above guide pay"}
COLOURS = {"below": "#d97706", "within": "#15803d", "overlaps": "#0e7490", "above": "#1d4ed8"}


@pytest.mark.parametrize(("low", "high", "answer"), [
    (60_000, 70_000, "below"), (80_614, 80_614, "below"), (85_000, 95_000, "within"),
    (80_615, 100_189, "within"), (75_000, 90_000, "overlaps"), (95_000, 105_000, "overlaps"),
    (70_000, 120_000, "overlaps"), (100_190, 120_000, "above"), (130_000, 110_000, "above"),
])
def test_position(low, high, answer):
    assert position(low, high, GUIDE_BAND) == answer


def test_money_formatting():
    assert money(85000) == "$85,000" and money(38.5) == "$38.50" and money(45) == "$45.00"
    assert money(900) == "$900" and money(1200, "EUR") == "1,200 EUR"
    assert money_range(38.5, 52) == "$38.50–$52.00"  # both ends alike
    assert money_range(80000, None) == "from $80,000" and money_range(None, 9e4) == "up to $90,000"


@pytest.fixture
def digest(tmp_path):
    cfg = load_config(config_dir(tmp_path))
    add(cfg.database_url, [
        posting(f"case-{i}", title=title, salary_min=low, salary_max=high, salary_period="year",
                salary_currency="USD", salary_annual_min=low, salary_annual_max=high,
                salary_source="structured")
        for i, (title, low, high, _) in enumerate(CASES)
    ])
    profile = load_profile(REPO_CONFIG, "guide")
    with open_store(cfg.database_url) as store, store.session() as session:
        return build_digest(session, cfg, profile, "guide", now=NOW)


def _cards(text: str) -> dict[str, str]:
    """The text of each case's card: from its title to the next case's title."""
    starts = sorted((text.index(title), title) for title, *_ in CASES)
    return {title: text[at:(starts[i + 1][0] if i + 1 < len(starts) else len(text))]
            for i, (at, title) in enumerate(starts)}


@pytest.mark.parametrize("render", [render_page, render_email_html, render_text])
def test_each_card_names_the_right_position(digest, render):
    out = render(digest)
    text = Page(out).all_text() if render is not render_text else " ".join(out.split())  # unwrapped
    cards = _cards(text)
    for title, _, _, answer in CASES:
        card = cards[title]
        assert WORDS[answer] in card, (title, answer)
        others = [w for k, w in WORDS.items() if k != answer]
        assert not any(w in card for w in others), (title, answer)


def test_page_chart_bars_have_the_right_colour(digest):
    html = render_page(digest)
    bars = re.findall(r'<g><title>([^<]*?): [^<]*\((\w+) the guide range\)</title>.*?<rect [^>]*fill="([^"]+)"',
                      html, re.S)
    got = {label.split(" — ")[0]: (where, colour) for label, where, colour in bars}
    for title, _, _, answer in CASES:
        assert got[title] == (answer, COLOURS[answer]), title


def test_email_chart_bars_have_the_right_colour(digest):
    html = render_email_html(digest)
    # each bar row: its label cell, then the row holding the coloured cell
    rows = re.findall(r'class="barlabel"[^>]*>[^<]*· ([^<]*?)(?: — [^<]*)?</td></tr>\s*<tr><td>(.*?)</td></tr>',
                      html, re.S)
    got = {label: re.findall(r'bgcolor="(#[0-9a-f]{6})"', cells) for label, cells in rows}
    for title, _, _, answer in CASES:
        assert COLOURS[answer] in got[title], title
        assert not set(got[title]) & (set(COLOURS.values()) - {COLOURS[answer]}), title


def test_summary_counts_and_matcher_agree_with_the_card(digest):
    assert digest.summary.pay.counts == {"below": 1, "overlaps": 1, "within": 1, "above": 1}
    profile = load_profile(REPO_CONFIG, "guide")
    words = {"below": "is below the guide range", "within": "sits inside the guide range",
             "overlaps": "overlaps the guide range", "above": "is above the guide range"}
    for r in digest.ranked:
        answer = next(a for t, _, _, a in CASES if t == r.posting.title)
        salary = next(c for c in score_posting(r.posting, profile).components if c.name == "salary")
        assert words[answer] in salary.reason, (r.posting.title, salary.reason)
