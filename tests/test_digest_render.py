"""Rendering: escaping of hostile postings, a self-contained page, what each posting shows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

from pacsjobs.config import load_config
from pacsjobs.digest.build import build_digest, safe_url
from pacsjobs.digest.render import render_email_html, render_page, render_text, subject
from pacsjobs.store import open_store
from tests.digest_helpers import (
    NOW,
    XSS_DESCRIPTION,
    XSS_EMPLOYER,
    XSS_TITLE,
    XSS_URL,
    Page,
    add,
    assert_no_active_content,
    config_dir,
    posting,
    set_fields,
)

PROFILE = SimpleNamespace(name="guide", skills=["PACS", "DICOM", "HL7"], certifications=["ARRT"],
                          salary_min=80615.0, salary_max=100189.0, include_non_us=False, to=[])


@dataclass
class FakeMatch:
    score: float
    components: list = field(default_factory=list)
    reasons: list = field(default_factory=list)


def scorer(p, profile):
    """Scores from the source id ("s85-..." scores 85), with a reason to show."""
    m = re.match(r"s(\d+)", p.source_id)
    return FakeMatch(float(m.group(1)) if m else 40.0, reasons=[f"asks for {', '.join(p.skills)}"])


def _digest(tmp_path, postings, since=None, **digest_settings):
    cfg = load_config(config_dir(tmp_path, **digest_settings))
    add(cfg.database_url, postings)
    return cfg, _build(cfg, since)


def _build(cfg, since=None):
    with open_store(cfg.database_url) as store, store.session() as session:
        return build_digest(session, cfg, PROFILE, "guide", since=since, now=NOW, scorer=scorer)


def test_hostile_fields_are_escaped_everywhere(tmp_path):
    _, digest = _digest(tmp_path, [posting("s80-x", title=XSS_TITLE, employer=XSS_EMPLOYER, url=XSS_URL,
                                           description_html=XSS_DESCRIPTION,
                                           description_text='Run PACS. <script>alert("d")</script>')])
    page_html, mail_html = render_page(digest), render_email_html(digest)
    for html in (page_html, mail_html):
        page = assert_no_active_content(html)
        text = page.all_text()
        assert XSS_TITLE in text  # shown as the words it is, not run
        assert XSS_EMPLOYER in text
        assert not any(XSS_URL in u for u in page.attrs("href"))  # no link at all, not a dead one
    # the description is shown sanitized: its words survive, its script and handlers do not
    assert "Run PACS." in Page(page_html).all_text()
    assert 'alert("d")' not in page_html.split("<details>")[1].split("</details>")[0]
    text = render_text(digest)
    assert XSS_TITLE in text and XSS_URL not in text


def test_safe_url():
    assert safe_url("https://jobs.example.org/1?a=b") == "https://jobs.example.org/1?a=b"
    assert safe_url(" http://x.example/ ") == "http://x.example/"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
                "\x01javascript:alert(1)", "data:text/html,<b>", "/relative", "", None, "http://"):
        assert safe_url(bad) is None, bad


def test_page_is_self_contained_and_fits_phones(tmp_path):
    _, digest = _digest(tmp_path, [
        posting("s85-a", salary_min=40.0, salary_max=48.0, salary_period="hour", salary_currency="USD",
                salary_annual_min=83200.0, salary_annual_max=99840.0, salary_source="structured",
                description_html='<p>Hi</p><img src="https://tracker.example.com/p.gif">'
                                 '<link rel="stylesheet" href="https://cdn.example.com/x.css">'),
        posting("s40-b", salary_min=60000.0, salary_max=65000.0, salary_period="year",
                salary_annual_min=60000.0, salary_annual_max=65000.0, salary_source="description"),
    ])
    html = render_page(digest)
    page = Page(html)
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in page.tags
    assert not [t for t, a in page.tags if t in ("link", "script", "img", "iframe", "object")]
    # only <a> may point elsewhere; nothing is loaded from outside
    loaded = [a.get("src") for t, a in page.tags if a.get("src")]
    assert loaded == []
    assert not re.search(r"url\(|@import|@font-face", html)
    assert [t for t, _ in page.tags].count("svg") == 2  # the pay chart and the coverage map
    # one bar per paid posting, one tile per state of the map
    assert len([1 for t, a in page.tags if t == "rect" and a.get("rx")]) == 2 + 52


def test_posting_details_and_summary_numbers(tmp_path):
    cfg = load_config(config_dir(tmp_path))
    ids = add(cfg.database_url, [
        posting("s90-strong", title="PACS Administrator II", salary_min=40.0, salary_max=48.0,
                salary_period="hour", salary_currency="USD", salary_annual_min=83200.0,
                salary_annual_max=99840.0, salary_source="structured", salary_raw="$40 - $48/hr",
                valid_through=(NOW + timedelta(days=3)).date(), workplace="hybrid",
                skills=["PACS", "Epic Radiant"]),
        posting("s80-worth", title="Imaging Informatics Analyst", state="MA", city="Boston",
                salary_min=110000.0, salary_max=120000.0, salary_period="year", salary_currency="USD",
                salary_annual_min=110000.0, salary_annual_max=120000.0, salary_source="description",
                valid_through=(NOW + timedelta(days=30)).date(), skills=["PACS", "SQL"]),
        posting("s20-other", title="Radiology Systems Analyst", date_posted=None, skills=["Epic Radiant"]),
        posting("dup", source="greenhouse:mercy", url="https://boards.example.com/mercy/77"),
    ])
    set_fields(cfg.database_url, ids[3], duplicate_of=ids[0])
    digest = _build(cfg)
    assert (digest.count, digest.strong) == (3, 1)
    assert subject(digest) == "3 new PACS jobs, 1 strong fit — pacsjobs"

    page = Page(render_page(digest)).all_text()
    assert "Strong fit" in page and "Worth a look" in page and "Other new PACS roles" in page
    assert page.index("PACS Administrator II") < page.index("Imaging Informatics Analyst") \
        < page.index("Radiology Systems Analyst")
    assert "$40.00–$48.00 an hour ≈ $83,200–$99,840 a year within guide pay" in page
    assert "from the posting's pay field" in page
    assert "$110,000–$120,000 a year above guide pay found in the description" in page
    assert "Pay not posted" in page
    assert "Houston, TX · Hybrid · Full time" in page
    assert "Posted Nov 20, 2026 · apply by Dec 1, 2026 closes soon" in page
    assert page.count("closes soon") == 1  # the 30-day one is not
    assert "asks for PACS, Epic Radiant" in page
    assert "Also posted on: greenhouse:mercy" in page
    assert "Epic Radiant 2 not in profile" in page and "PACS 2" in page  # skills, gaps marked
    assert "TX 2" in page and "MA 1" in page
    assert "guide pay $80,615–$100,189 a year" in page
    hrefs = Page(render_page(digest)).attrs("href")
    assert "https://boards.example.com/mercy/77" in hrefs and "https://jobs.example.org/s90-strong" in hrefs


def test_email_html_has_one_style_block_and_a_table_bar_chart(tmp_path):
    _, digest = _digest(tmp_path, [
        posting("s90-a", salary_min=85000.0, salary_max=95000.0, salary_period="year",
                salary_annual_min=85000.0, salary_annual_max=95000.0),
        posting("s50-b", salary_min=60000.0, salary_max=70000.0, salary_period="year",
                salary_annual_min=60000.0, salary_annual_max=70000.0),
    ])
    html = render_email_html(digest)
    page = Page(html)
    assert [t for t, _ in page.tags].count("style") == 1  # each class's CSS once, in the head
    assert "svg" not in [t for t, _ in page.tags]  # mail clients drop SVG
    assert "h1{font-size:22px" in html
    strong_card = next(a for t, a in page.tags if t == "td" and "job strong" in (a.get("class") or ""))
    assert "border-left:4px solid #15803d" in strong_card["style"]  # survives a client without <style>
    bars = [a for t, a in page.tags if t == "td" and a.get("bgcolor") in ("#15803d", "#d97706")]
    assert len(bars) == 2  # one coloured cell per paid posting: within (green), below (orange)
    assert all(a.get("width", "").endswith("%") for a in bars)
    # the fully inlined variant, for clients that ignore <style>
    inlined = Page(render_email_html(digest, inline_css=True))
    assert "style" not in [t for t, _ in inlined.tags]
    h1 = next(a for t, a in inlined.tags if t == "h1")
    assert "font-size: 22px" in h1["style"]


def test_empty_digest_says_so(tmp_path):
    cfg, _ = _digest(tmp_path, [])
    digest = _build(cfg, since=date(2026, 11, 27))
    assert digest.count == 0
    assert subject(digest) == "No new PACS jobs since Nov 27, 2026 — pacsjobs"
    assert "No new postings since Nov 27, 2026." in Page(render_page(digest)).all_text()
    assert "No new postings since Nov 27, 2026." in render_text(digest)
    assert "No new postings since Nov 27, 2026." in Page(render_email_html(digest)).all_text()
