"""Benchmark: a digest of the newest 500 postings out of 50,000, against a bare SELECT of them.

    python bench/digest.py [--postings 50000] [--digest 500] [--repeat 5]

Fills a SQLite file in a temp folder with generated postings (the store's own batch upsert),
then times, in the same run and on the same rows:
  baseline  a bare SELECT of the digest's rows (same WHERE, ORDER BY and LIMIT), fetched
  digest    selection + "also posted on" + match scoring + summary + rendering of the HTML page,
            the email HTML (CSS inlined) and the text part
and prints both medians and their ratio (target: digest <= 10x baseline).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import event, insert, text

ROOT = Path(__file__).resolve().parent.parent
TARGET = 10.0


def fill(url: str, total: int, now: datetime) -> float:
    """Bulk-insert ``total`` generated postings, each batch first seen a minute after the last."""
    from pacsjobs.digest.sample import sample_postings
    from pacsjobs.store import content_hash, open_store
    from pacsjobs.store.models import PostingRow
    from pacsjobs.understand.dedupe import employer_block

    columns = [c.name for c in PostingRow.__table__.columns if c.name != "id"]
    started = time.perf_counter()
    batch = 5000
    with open_store(url) as store:
        for i, start in enumerate(range(0, total, batch)):
            seen = now - timedelta(minutes=total // batch - i)
            rows = []
            for posting in sample_postings(min(batch, total - start), seed=1000 + i, now=now):
                posting.first_seen_at = posting.last_seen_at = seen
                posting.content_hash = content_hash(posting)
                row = {name: getattr(posting, name, None) for name in columns}
                row["employer_block"] = employer_block(posting.employer)  # a store column, not a field
                rows.append(row)
            with store.engine.begin() as conn:
                conn.execute(insert(PostingRow), rows)  # one executemany per batch
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=50_000)
    parser.add_argument("--digest", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))

    from pacsjobs.config import load_config
    from pacsjobs.digest.build import build_digest
    from pacsjobs.digest.render import render_email_html, render_page, render_text
    from pacsjobs.digest.run import load_profile
    from pacsjobs.digest.select import selection_query
    from pacsjobs.store import open_store
    from pacsjobs.store.models import PostingRow

    now = datetime(2026, 11, 28, 7, 0)
    with tempfile.TemporaryDirectory(prefix="pacsjobs-bench-") as tmp:
        config = load_config(ROOT / "config")
        config.database_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        fill_s = fill(config.database_url, args.postings, now)
        print(f"filled {args.postings:,} postings in {fill_s:.1f}s "
              f"({args.postings / fill_s:,.0f} postings/s, bulk insert)")
        profile = load_profile(config, config.digest.profile)
        min_rel = config.digest.min_relevance

        with open_store(config.database_url) as store:
            statements: list[str] = []
            event.listen(store.engine, "before_cursor_execute",
                         lambda conn, cur, stmt, *a: statements.append(stmt))
            # the bare SELECT: the digest's own WHERE / ORDER BY / LIMIT, plain rows, nothing else
            bare = selection_query(profile.name, min_rel, limit=args.digest).with_only_columns(
                *PostingRow.__table__.columns)

            def baseline() -> int:
                with store.engine.connect() as conn:
                    return len(conn.execute(bare).all())

            def digest() -> int:
                with store.session() as session:
                    d = build_digest(session, config, profile, profile.name, now=now, limit=args.digest)
                page, mail, text_part = render_page(d), render_email_html(d), render_text(d)
                assert page and mail and text_part
                return d.count

            def measure(label: str) -> float:
                assert baseline() == digest() == args.digest  # warm both (templates compiled); same rows
                statements.clear()
                digest()
                queries = len(statements)
                base_times, digest_times = [], []
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    baseline()
                    base_times.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    digest()
                    digest_times.append(time.perf_counter() - t)
                base = statistics.median(base_times)
                full = statistics.median(digest_times)
                ratio = full / base
                print(f"[{label}]")
                print(f"  bare SELECT of {args.digest} rows:    {base * 1000:8.1f} ms (median of {args.repeat})")
                print(f"  digest of the same {args.digest} rows: {full * 1000:8.1f} ms (select + duplicates + "
                      f"score + summary + page/email/text; {queries} SQL statements)")
                print(f"  ratio: {ratio:.1f}x (target <= {TARGET:g}x)")
                return ratio

            first = measure("database as created (no planner statistics)")
            with store.engine.begin() as conn:
                conn.execute(text("ANALYZE"))  # what PRAGMA optimize does on a long-lived database
            second = measure("after ANALYZE")
    worst = max(first, second)
    print(f"worst ratio {worst:.1f}x -> {'OK' if worst <= TARGET else 'OVER TARGET'}")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
