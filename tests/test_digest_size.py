"""An email that arrives whole: a 300-posting digest stays under 90 KB; text lines wrap at 78."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from pacsjobs.config import load_config
from pacsjobs.digest.build import EMAIL_CARDS, EMAIL_LINES, build_digest
from pacsjobs.digest.mail import build_message
from pacsjobs.digest.render import render_email_html, render_text, wrap_text
from pacsjobs.digest.sample import sample_postings
from pacsjobs.profile import load_profile
from pacsjobs.store import open_store
from tests.digest_helpers import NOW, Page, config_dir
from tests.helpers import REPO_CONFIG

LIMIT = 90 * 1024  # Gmail clips a message whose HTML passes about 102 KB
PAGE_URL = "https://jobs.example.org/digests/2026-11-28-guide.html"


@dataclass
class Strong:
    score: float = 95.0
    components: list = field(default_factory=list)
    reasons: list = field(default_factory=lambda: [
        "asks for PACS, DICOM, HL7, RIS, modality worklist (5 of 17 guide skills)",
        "pay $85,000-$95,000 a year sits inside the guide range"])


def _digest(tmp_path, scorer=None):
    cfg = load_config(config_dir(tmp_path, public_url="https://jobs.example.org/digests/"))
    with open_store(cfg.database_url) as store:
        store.upsert_postings(sample_postings(300, seed=3, now=NOW), now=NOW)
        with store.session() as session:
            digest = build_digest(session, cfg, load_profile(REPO_CONFIG, "guide"), "guide", now=NOW,
                                  scorer=scorer)
    digest.page_url = PAGE_URL
    return digest


@pytest.mark.parametrize("everything_strong", [False, True])
def test_300_postings_stay_under_the_clipping_size(tmp_path, everything_strong):
    digest = _digest(tmp_path, (lambda p, profile: Strong()) if everything_strong else None)
    assert digest.count == 300
    html, text = render_email_html(digest), render_text(digest)
    inlined = render_email_html(digest, inline_css=True)
    sizes = {"html": len(html.encode()), "inline": len(inlined.encode()), "text": len(text.encode())}
    print(f"300 postings, {digest.strong} strong: {sizes}")
    assert sizes["html"] < LIMIT and sizes["text"] < LIMIT
    assert sizes["html"] < sizes["inline"]  # a <style> block is smaller than CSS on every element
    page = Page(html)
    cards = [a for t, a in page.tags if t == "td" and "job" in (a.get("class") or "").split()]
    assert len(cards) == min(digest.strong, EMAIL_CARDS)  # full cards for the strong fits only
    rest = digest.count - min(digest.strong, EMAIL_CARDS) - EMAIL_LINES
    assert f"{rest} more new postings are on the full page" in page.all_text()
    assert PAGE_URL in page.attrs("href") and PAGE_URL in text
    message = build_message("s", "me@example.org", ["you@example.org"], text, html, NOW)
    assert len(message.as_bytes()) < 2 * LIMIT


def test_text_lines_wrap_at_78(tmp_path):
    text = render_text(_digest(tmp_path))
    long = [line for line in text.splitlines() if len(line) > 78]
    assert all(len(line.split()) == 1 for line in long), long[:3]  # only a lone unbreakable word (a URL)


def test_wrap_text_keeps_indent_and_links():
    reason = "  - asks for PACS, DICOM, HL7, RIS, modality worklist (5 of 17 guide skills); also wants Epic Radiant"
    url = "  https://careers.example.org/jobs/" + "x" * 80
    out = wrap_text("\n".join([reason, url, "short"])).splitlines()
    assert out[0].startswith("  - asks for") and all(len(line) <= 78 for line in out[:-2])
    assert out[1].startswith("    ") and not out[1].startswith("    -")  # hanging indent under the text
    assert url in out and out[-1] == "short"


def test_public_url_makes_the_page_link(tmp_path):
    from pathlib import Path

    from pacsjobs.digest.run import page_url
    from pacsjobs.errors import ConfigError

    cfg = load_config(config_dir(tmp_path, public_url="https://jobs.example.org/digests/"))
    assert page_url(cfg, Path("digests/2026-11-28 guide.html")) == \
        "https://jobs.example.org/digests/2026-11-28%20guide.html"
    assert page_url(load_config(config_dir(tmp_path / "none")), Path("x.html")) is None
    with pytest.raises(ConfigError, match="digest.public_url"):
        load_config(config_dir(tmp_path / "bad", public_url="javascript:alert(1)"))
