"""Benchmark: a full-text query with two filters against the same SELECT without the text match.

    python bench/query.py [--sizes 10000 100000] [--repeat 40]

For each size, fills a SQLite file in a temp folder with generated postings (bulk insert, then
one FTS5 rebuild), and times, in the same run and interleaved:
  baseline  the search statement for --state OH --min-salary 80000 (indexed filters, no text)
  text      the same statement with the text "dicom" (FTS5 MATCH, bm25 ranking)
both through ``pacsjobs.store.search.search_statement`` and fetched (50 rows of every column).
Prints both medians and their ratio per size (target: text <= 5x baseline, flat as N grows).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parent.parent
TARGET = 5.0

PACS_TITLES = ["PACS Administrator", "PACS Administrator II", "Senior PACS Administrator", "PACS Analyst",
               "Imaging Informatics Specialist", "Radiology Systems Analyst", "PACS/RIS Administrator",
               "Enterprise Imaging Analyst", "Clinical Applications Analyst - Radiology"]
OTHER_TITLES = ["Registered Nurse - ICU", "Radiologic Technologist", "CT Technologist", "Help Desk Analyst",
                "Network Engineer", "Epic Ambulatory Analyst", "Medical Assistant", "Systems Administrator",
                "Data Analyst", "Patient Access Representative", "MRI Technologist", "Pharmacist",
                "Interface Analyst", "Security Engineer", "Revenue Cycle Specialist"]
EMPLOYERS = ["Riverside Regional Medical Center", "St. Luke's Health System", "Mercy General Hospital",
             "Lakeshore University Health", "Summit Imaging Partners", "Veterans Health Administration",
             "Northwest Children's Hospital", "Bayview Community Hospital", "Granite State Radiology",
             "Prairie Health Network", "Coastal Medical Group", "Sunbelt Diagnostic Imaging",
             "Cleveland Clinic", "OhioHealth", "Intermountain Health", "Sectra", "Philips Healthcare"]
STATES = ["OH", "TX", "CA", "NY", "FL", "PA", "IL", "MA", "GA", "NC", "MI", "WA", "AZ", "CO", "TN",
          "MN", "WI", "MO", "IN", "VA"]
CITIES = {"OH": "Columbus", "TX": "Houston", "CA": "Sacramento", "NY": "Rochester", "FL": "Tampa"}
PACS_SENTENCES = [
    "Administer the PACS and vendor neutral archive across the enterprise.",
    "Troubleshoot DICOM routing, modality worklists and HL7 interfaces with the RIS.",
    "Coordinate upgrades with Sectra, GE Centricity or Fujifilm Synapse vendors.",
    "Maintain image quality control, study merges and patient demographic corrections.",
    "Support radiologists and technologists on PowerScribe and the viewing workstations.",
    "Write SQL reports on study volumes and archive storage growth.",
    "ARRT registration preferred; CIIP certification is a plus.",
]
OTHER_SENTENCES = [
    "Provide direct patient care according to unit policies and procedures.",
    "Resolve tickets for workstation, printer and account issues within service levels.",
    "Configure switches, firewalls and wireless access points across campuses.",
    "Build and maintain reports for clinical and operational leaders.",
    "Schedule patients, verify insurance and collect copays at registration.",
    "Perform imaging exams following radiation safety and ALARA principles.",
    "Monitor servers, patch operating systems and maintain backups.",
    "Collaborate with physicians, nurses and managers on workflow improvements.",
]
COMMON = ["We offer medical, dental and vision coverage from day one.",
          "Equal opportunity employer; all qualified applicants will be considered.",
          "Shifts may include evenings, weekends and on-call rotation as needed.",
          "A bachelor's degree or equivalent experience is required."]


def generate(n: int, seed: int = 11, now: datetime | None = None) -> list[dict]:
    """``n`` posting rows (postings table columns) with a realistic mix of PACS and other roles."""
    rng = random.Random(seed)
    now = now or datetime(2026, 11, 28, 7, 0)
    rows = []
    for i in range(n):
        pacs = rng.random() < 0.35
        title = rng.choice(PACS_TITLES if pacs else OTHER_TITLES)
        sentences = rng.sample(PACS_SENTENCES if pacs else OTHER_SENTENCES, k=4)
        # Some non-PACS postings mention DICOM too (CT / MRI technologists, interface analysts).
        if not pacs and rng.random() < 0.08:
            sentences.append("Familiarity with DICOM modalities is helpful.")
        description = " ".join(sentences + rng.sample(COMMON, k=3)) * 2
        state = rng.choice(STATES)
        low = rng.randrange(45_000, 120_000, 1_000)
        has_pay = rng.random() < 0.7
        first_seen = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 120))
        rows.append({
            "source": rng.choice(["jsonld:riverside", "greenhouse:summit", "usajobs", "workday:mercy"]),
            "source_id": f"B{i}", "url": f"https://jobs.example.org/{i}", "title": title,
            "employer": rng.choice(EMPLOYERS), "city": CITIES.get(state, "Springfield"), "state": state,
            "country": "US", "locations": [], "workplace": rng.choice(["onsite", "hybrid", "remote", None]),
            "salary_annual_min": float(low) if has_pay else None,
            "salary_annual_max": float(low + rng.randrange(5_000, 30_000, 1_000)) if has_pay else None,
            "date_posted": (first_seen - timedelta(days=rng.randrange(0, 5))).date(),
            "description_text": description, "description_html": f"<p>{description}</p>",
            "is_pacs_role": pacs, "relevance": 0.9 if pacs else 0.1, "relevance_reasons": [],
            "skills": [], "certifications": [], "degree_or_experience": False, "is_staffing_agency": False,
            "first_seen_at": first_seen, "last_seen_at": now,
            "closed_at": now if rng.random() < 0.1 else None, "content_hash": f"{i:064x}",
        })
    return rows


def fill(store, rows: list[dict]) -> float:
    """Bulk insert without the FTS triggers, then one FTS rebuild; returns seconds."""
    from pacsjobs.store.models import PostingRow

    started = time.perf_counter()
    with store.engine.begin() as conn:
        triggers = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                     "AND tbl_name = 'postings'")).all()
        for name, _ in triggers:
            conn.execute(text(f'DROP TRIGGER "{name}"'))
        for start in range(0, len(rows), 5000):
            conn.execute(insert(PostingRow.__table__), rows[start:start + 5000])
        conn.execute(text("INSERT INTO postings_fts(postings_fts) VALUES ('rebuild')"))
        for _, sql in triggers:
            conn.execute(text(sql))
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


def timed(conn, stmt) -> tuple[float, int]:
    started = time.perf_counter()
    count = len(conn.execute(stmt).all())
    return time.perf_counter() - started, count


def run_size(n: int, repeat: int) -> dict:
    from pacsjobs.store import open_store
    from pacsjobs.store.search import SearchFilters, search_statement

    with tempfile.TemporaryDirectory(prefix="pacsjobs-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        with open_store(url) as store:
            seconds = fill(store, generate(n))
            base = search_statement(SearchFilters(states=["OH"], min_salary=80_000), "sqlite")
            fts = search_statement(SearchFilters(text="dicom", states=["OH"], min_salary=80_000), "sqlite")
            times: dict[str, list[float]] = {"baseline": [], "text": []}
            counts = {}
            with store.engine.connect() as conn:
                for stmt in (base, fts):  # warm the page cache once
                    conn.execute(stmt).all()
                for _ in range(repeat):
                    for name, stmt in (("baseline", base), ("text", fts)):
                        took, counts[name] = timed(conn, stmt)
                        times[name].append(took)
    med = {k: statistics.median(v) for k, v in times.items()}
    return {"n": n, "fill": seconds, "baseline": med["baseline"], "text": med["text"],
            "ratio": med["text"] / med["baseline"], "rows": counts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))

    results = [run_size(n, args.repeat) for n in args.sizes]
    print(f"{'postings':>9}  {'fill s':>7}  {'baseline ms':>11}  {'text ms':>8}  {'ratio':>6}  rows")
    for r in results:
        print(f"{r['n']:>9,}  {r['fill']:>7.1f}  {r['baseline'] * 1000:>11.2f}  {r['text'] * 1000:>8.2f}  "
              f"{r['ratio']:>5.2f}x  {r['rows']['baseline']}/{r['rows']['text']}")
    worst = max(r["ratio"] for r in results)
    growth = results[-1]["ratio"] / results[0]["ratio"] if len(results) > 1 else 1.0
    print(f"target: text <= {TARGET:.0f}x baseline -> {'met' if worst <= TARGET else 'NOT met'} "
          f"(worst {worst:.2f}x); ratio growth {results[0]['n']:,} -> {results[-1]['n']:,}: {growth:.2f}x")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
