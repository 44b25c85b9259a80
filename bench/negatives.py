"""False positives of the PACS-role classifier on a large set of real postings that are not PACS roles.

Run: ``python bench/negatives.py [PATH]`` (or through ``bench/quality.py [--negatives PATH]``). PATH
is a JSON Lines file (gzipped when it ends in ``.gz``) of ``{"title", "description"}`` objects, or a
folder of files each holding one JSON object with those keys (a schema.org JobPosting saved from a
page qualifies); without PATH, the set in tests/data/ (DEFAULT_SET). The figure is false positives
per thousand postings; the target is 0. See tests/data/README.md for the sets.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from pacsjobs.understand.classify import classify_role  # noqa: E402
from pacsjobs.understand.vocabulary import Vocabulary, load_vocabulary  # noqa: E402

# Data derived from a fetched repository is kept in the steering repo's shared/ (beside this
# checkout, and beside CI's clone), not committed here; tests/data/ takes precedence if present.
_CANDIDATES = (ROOT / "tests" / "data" / "negatives.jsonl.gz", ROOT.parent / "shared" / "data" / "negatives.jsonl.gz")
DEFAULT_SET = next((p for p in _CANDIDATES if p.exists()), _CANDIDATES[0])


@dataclass
class NegativeReport:
    """How many postings were read, how many the classifier called PACS roles, and which."""

    postings: int = 0
    unreadable: int = 0
    false_positives: list[str] = field(default_factory=list)

    @property
    def per_thousand(self) -> float | None:
        return 1000 * len(self.false_positives) / self.postings if self.postings else None


def _record(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, dict):
        return None
    title, text = value.get("title"), value.get("description")
    if not isinstance(title, str) or not isinstance(text, str):
        return None
    return title, text


def iter_negatives(path: Path) -> Iterator[tuple[str, tuple[str, str] | None]]:
    """(name, (title, description) or None when unreadable) for every posting of the set."""
    if path.is_dir():
        for file in sorted(path.iterdir()):
            if not file.is_file():
                continue
            try:
                value = json.loads(file.read_text(encoding="utf-8", errors="replace"))
            except ValueError:
                yield file.name, None
                continue
            yield file.name, _record(value)
        return
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError:
                yield f"line {number}", None
                continue
            yield str(value.get("id") or f"line {number}") if isinstance(value, dict) else f"line {number}", \
                _record(value)


def evaluate_negatives(path: Path, vocab: Vocabulary) -> NegativeReport:
    """Classify every posting of a negative set; each one called a PACS role is a false positive."""
    rep = NegativeReport()
    for name, record in iter_negatives(path):
        if record is None:
            rep.unreadable += 1
            continue
        rep.postings += 1
        title, text = record
        verdict = classify_role(title, text, vocab)
        if verdict.is_pacs:
            rep.false_positives.append(f"{name}: {title!r} ({verdict.score}: {'; '.join(verdict.reasons)})")
    return rep


def render_negatives(rep: NegativeReport, path: Path) -> str:
    per = rep.per_thousand
    lines = [f"negative set {path}: {rep.postings} real non-PACS postings ({rep.unreadable} unreadable); "
             f"false positives {len(rep.false_positives)}"
             + (f" = {per:.2f} per 1000 (target 0)" if per is not None else "")]
    lines += [f"  {fp}" for fp in rep.false_positives]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT_SET
    if not path.exists():
        print(f"no negative set at {path} (see tests/data/README.md)")
        return 2
    rep = evaluate_negatives(path, load_vocabulary(ROOT / "config"))
    print(render_negatives(rep, path))
    return 1 if rep.false_positives else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
