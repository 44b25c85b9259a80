"""Render a digest (page and email HTML) and screenshot it in headless Chromium.

Not part of CI: a person runs it and looks at the PNGs, at phone (390 px) and desktop (1280 px)
widths. Needs /usr/bin/chromium (Debian: apt-get install chromium).

    python scripts/screenshots.py [--out screenshots] [--sample N]

By default the digest is the realistic one: the labelled postings of tests/eval run through the
real pipeline, with an application that changed (closed, pay changed) and an ignored posting.
``--sample N`` uses N generated postings instead, with a hostile title and a duplicate.

Writes screenshots/digest-page-phone.png, digest-page-desktop.png, digest-email-phone.png,
digest-email-desktop.png and the HTML files they were taken of.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import update

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"phone": (390, 16000), "desktop": (1280, 11000)}  # tall enough for the whole digest
EVAL = ROOT / "tests" / "eval" / "postings.jsonl"


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("error: no chromium found (apt-get install chromium)")


def shoot(browser: str, html: Path, png: Path, size: tuple[int, int], profile_dir: Path) -> None:
    """One screenshot of a local file; no network (the page has no external assets anyway)."""
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--hide-scrollbars", f"--user-data-dir={profile_dir}", f"--screenshot={png}",
           f"--window-size={size[0]},{size[1]}", html.as_uri()]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)


def sample_database(url: str, count: int, now: datetime) -> None:
    """Fill a database with sample postings, a duplicate, an XSS attempt and a few crawl runs."""
    from pacsjobs.digest.sample import sample_postings
    from pacsjobs.store import open_store
    from pacsjobs.store.models import PostingRow

    postings = sample_postings(count + 1, seed=11, now=now)
    postings[0].title = "PACS Administrator <script>alert(1)</script>"
    postings[0].description_html = '<p>Great team.</p><img src=x onerror="alert(2)"><a href="javascript:alert(3)">apply</a>'
    postings[1].valid_through = (now + timedelta(days=3)).date()
    with open_store(url) as store:
        counts = store.upsert_postings(postings, now=now)
        with store.session() as session, session.begin():
            # the last sample posting is the same job on another board: "also posted on"
            session.execute(update(PostingRow).where(PostingRow.id == counts.ids[-1])
                            .values(duplicate_of=counts.ids[2], source="indeed-feed:mercy"))
        for source, status, fetched, reported, errors in [
            ("jsonld:riverside", "succeeded", 14, 14, 0), ("greenhouse:summit-imaging", "succeeded", 9, 9, 0),
            ("usajobs", "partial", 180, 250, 3), ("workday:mercy", "failed", 0, None, 1),
        ]:
            run_id = store.start_run(source, now=now - timedelta(hours=2))
            store.finish_run(run_id, status, complete=status == "succeeded", now=now - timedelta(hours=1),
                             fetched=fetched, reported=reported, errors=errors)


def labelled_database(url: str, now: datetime) -> None:
    """The labelled postings, first seen a day ago; one applied (then closed with new pay), one ignored."""
    from pacsjobs.digest.sample import fill_labelled
    from pacsjobs.store import open_store
    from pacsjobs.store.marks import set_status
    from pacsjobs.store.models import PostingRow

    ids = fill_labelled(url, EVAL, ROOT / "config", now - timedelta(days=1))
    with open_store(url) as store:
        applied, ignored = ids[1], ids[7]  # pacs-002 (kept as a sample of a change), pacs-008
        set_status(store, applied, "guide", "applied", now - timedelta(days=1))
        set_status(store, ignored, "guide", "ignored", now - timedelta(days=1))
        with store.session() as session, session.begin():
            session.execute(update(PostingRow).where(PostingRow.id == applied)
                            .values(closed_at=now - timedelta(hours=3), salary_annual_max=104000.0,
                                    salary_max=104000.0))
        for source, status, fetched, reported, errors in [
            ("eval:labelled", "succeeded", 118, 118, 0), ("usajobs", "partial", 180, 250, 3),
        ]:
            run_id = store.start_run(source, now=now - timedelta(hours=2))
            store.finish_run(run_id, status, complete=status == "succeeded", now=now - timedelta(hours=1),
                             fetched=fetched, reported=reported, errors=errors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="folder for the PNGs")
    parser.add_argument("--sample", type=int, metavar="N", help="N generated postings instead of the labelled set")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from pacsjobs.config import load_config
    from pacsjobs.digest.build import build_digest
    from pacsjobs.digest.render import render_email_html, render_page
    from pacsjobs.digest.run import load_profile
    from pacsjobs.store import open_store

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    browser = chromium()
    now = datetime(2026, 11, 28, 7, 0)
    with tempfile.TemporaryDirectory(prefix="pacsjobs-shots-") as tmp:
        tmp_path = Path(tmp)
        config = load_config(ROOT / "config")
        config.database_url = f"sqlite:///{tmp_path / 'sample.db'}"
        config.sources = []  # source health: only the sample's crawl runs, not every configured board
        if args.sample:
            sample_database(config.database_url, args.sample, now)
        else:
            labelled_database(config.database_url, now)
        profile = load_profile(config, config.digest.profile)
        with open_store(config.database_url) as store, store.session() as session:
            digest = build_digest(session, config, profile, config.digest.profile, now=now)
        digest.page_url = "https://jobs.example.org/digests/2026-11-28-guide.html"  # as with public_url
        print(f"{digest.count} postings: " + ", ".join(
            f"{t.title} {len(t.items)} ({len(t.items) / max(digest.count, 1):.0%})" for t in digest.tiers))
        pages = {"page": render_page(digest), "email": render_email_html(digest)}
        for kind, html in pages.items():
            html_file = out / f"digest-{kind}.html"
            html_file.write_text(html, encoding="utf-8")
            for size_name, size in SIZES.items():
                png = out / f"digest-{kind}-{size_name}.png"
                shoot(browser, html_file, png, size, tmp_path / f"chrome-{kind}-{size_name}")
                print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
