"""Derive the committed negative set (tests/data/negatives.jsonl.gz) from a git snapshot of
jdoner02/cybersecurity-job-scraper (MIT; USAJOBS announcements, US federal works: public domain).

That repository's daily job commits rewrite ``docs/data/ai_jobs.json`` and
``docs/data/cyber_jobs.json`` (title, agency, the announcement's summary as ``description``); every
version in its history together holds a few thousand distinct announcements. This script reads
every version with ``git`` (no network), keeps each announcement once (its newest version), sets
aside the ones that are PACS / imaging-informatics postings by their own words (they would be
positives, not negatives) and writes the rest, sorted by id, as gzipped JSON Lines of
``{"id", "title", "description", "organization", "posted_at"}``.

    python scripts/derive_negatives.py /path/to/cybersecurity-job-scraper.git tests/data/negatives.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

FILES = ("docs/data/ai_jobs.json", "docs/data/cyber_jobs.json")
# A posting that names these is (or may be) a PACS / imaging-informatics role: not a negative.
IMAGING_IT = re.compile(
    r"\bPACS\b|picture archiving|imaging informatics|radiology information system|\bVistA Imaging\b"
    r"|\bDICOM\b|radiology (?:IT|informatics|systems?)\b|imaging (?:IT|systems?) (?:admin|analyst|specialist)",
    re.IGNORECASE)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def iter_versions(repo: Path) -> list[list[dict[str, Any]]]:
    """Every distinct version of the two job files, oldest commit first."""
    seen: set[str] = set()
    versions = []
    for commit in reversed(_git(repo, "rev-list", "--all", "--date-order").split()):
        for path in FILES:
            try:
                blob = _git(repo, "rev-parse", f"{commit}:{path}").strip()
            except subprocess.CalledProcessError:
                continue
            if blob in seen:
                continue
            seen.add(blob)
            try:
                data = json.loads(_git(repo, "cat-file", "-p", blob))
            except ValueError:
                continue
            if isinstance(data, list):
                versions.append([d for d in data if isinstance(d, dict)])
    return versions


def derive(versions: list[list[dict[str, Any]]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(negatives, imaging postings set aside), each announcement once, newest version wins."""
    latest: dict[str, dict[str, str]] = {}
    for items in versions:
        for item in items:
            job_id, title, text = item.get("job_id"), item.get("title"), item.get("description")
            if not (isinstance(job_id, str) and isinstance(title, str) and isinstance(text, str)):
                continue
            if not title.strip() or len(text.strip()) < 40:
                continue  # an empty summary says nothing to a classifier
            latest[job_id] = {"id": f"usajobs-{job_id}", "title": title.strip(), "description": text.strip(),
                              "organization": str(item.get("organization") or ""),
                              "posted_at": str(item.get("posted_at") or "")[:10]}
    negatives, imaging = [], []
    for job_id in sorted(latest, key=lambda j: (len(j), j)):
        rec = latest[job_id]
        (imaging if IMAGING_IT.search(rec["title"] + "\n" + rec["description"]) else negatives).append(rec)
    return negatives, imaging


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, help="git directory of jdoner02/cybersecurity-job-scraper")
    parser.add_argument("out", type=Path, help="where to write the gzipped JSON Lines set")
    args = parser.parse_args(argv)
    try:
        versions = iter_versions(args.repo)
    except (subprocess.CalledProcessError, FileNotFoundError):
        print(f"error: {args.repo} is not a git directory of the source repository", file=sys.stderr)
        return 2
    negatives, imaging = derive(versions)
    # no name, mtime=0: the same input gives the same bytes, so a re-run shows no diff.
    with args.out.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        for rec in negatives:
            gz.write((json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
    print(f"{len(negatives)} negatives written to {args.out}; {len(imaging)} imaging-IT postings set aside")
    for rec in imaging:
        print(f"  set aside {rec['id']}: {rec['title']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
