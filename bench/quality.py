"""How well pacsjobs understands postings, measured on the labelled set in tests/eval/.

Run: ``python bench/quality.py [--negatives PATH]`` (from the project root). Prints precision /
recall / F1 of the PACS-role classifier, micro precision / recall / F1 of skills (all, technical and
non-technical apart), of the job's conditions, accuracy of salary, degree and years, pay and
experience on the harder wordings of issue 15, how many labelled postings per field are real, then
the postings it got wrong, and false positives per thousand on a large set of real non-PACS postings
(bench/negatives.py: the set in tests/data/ unless ``--negatives PATH`` names another). Exits 1 when a target is missed, so CI can gate on it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))  # negatives.py beside this file

from negatives import DEFAULT_SET, evaluate_negatives, render_negatives  # noqa: E402

from pacsjobs.understand.classify import classify_role, extract_requirements, extract_years, plain  # noqa: E402
from pacsjobs.understand.conditions import extract_conditions  # noqa: E402
from pacsjobs.understand.vocabulary import Vocabulary, load_vocabulary  # noqa: E402

CONDITIONS = ("on_call", "shift", "weekends", "travel", "sign_on_bonus", "relocation", "clearance",
              "credential_by_date")
# Issue 15's harder wordings, each quoted there from a real posting: (text, min, max, period).
PAY_FORMATS = [
    ("Pay Minimum23.10 Pay Midpoint27.50 Pay Maximum31.90", 23.10, 31.90, "hour"),
    ("Pay Range Minimum:\n$31.26\nPay Range Midpoint:\n$39.86\nPay Range Maximum:\n$48.45", 31.26, 48.45, "hour"),
    ("$58 400 - 96 250 per year", 58400.0, 96250.0, "year"),
    ("$58\u00a0400 - $96\u00a0250 per year", 58400.0, 96250.0, "year"),
    ("This is an hourly position. Pay Range: 23.10 - 31.90", 23.10, 31.90, "hour"),
    ("Boston, MA: $85,000 - $110,000 per year\nRemote: $75,000 - $95,000 per year", 85000.0, 110000.0, "year"),
]
YEARS_FORMATS = [
    ("5+ years of clinical systems implementation experience", 5.0),
    ("a minimum of three (3) years in a hospital imaging environment", 3.0),
    ("5+ years of experience in healthcare IT, clinical informatics, or EHR implementation/project management "
     "(required)", 5.0),
    ("3 years managing radiology information systems required.", 3.0),
]

EVAL_FILE = ROOT / "tests" / "eval" / "postings.jsonl"
CONFIG_DIR = ROOT / "config"
TARGETS = {"classifier_f1": 0.95, "skills_f1": 0.90, "salary_accuracy": 0.95,
           "degree_accuracy": 0.90, "years_accuracy": 0.90, "conditions_f1": 0.90,
           "pay_formats_accuracy": 1.0, "years_formats_accuracy": 1.0}


@dataclass
class Report:
    """The figures of one evaluation run and what went wrong."""

    counts: dict[str, int] = field(default_factory=dict)
    metrics: dict[str, float | None] = field(default_factory=dict)
    misclassified: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    salary_available: bool = True

    def missed(self) -> list[str]:
        """Targets not met (a metric that could not be measured is not a miss)."""
        return [f"{k} {self.metrics[k]:.3f} < {t}" for k, t in TARGETS.items()
                if self.metrics.get(k) is not None and self.metrics[k] < t]


def load_eval(path: Path = EVAL_FILE) -> list[dict[str, Any]]:
    """The labelled postings, one JSON object a line."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _salary_parser() -> Any:
    try:
        from pacsjobs.normalize.salary import parse_salary_text
    except ImportError:
        return None
    return parse_salary_text


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 0.005


def evaluate(records: list[dict[str, Any]], vocab: Vocabulary) -> Report:
    """Run the classifier, extractors and salary parser over the labelled set."""
    rep = Report(errors={"skills": [], "salary": [], "degree": [], "years": [], "certifications": []})
    tp = fp = fn = tn = 0
    s_tp = s_fp = s_fn = 0
    c_tp = c_fp = c_fn = 0
    by_area: dict[str, list[int]] = {}  # area -> [tp, fp, fn]
    deg_ok = yrs_ok = 0
    sal_ok = sal_n = sal_false = 0
    parse_salary = _salary_parser()
    rep.salary_available = parse_salary is not None
    for rec in records:
        rid, title, text = rec["id"], rec["title"], rec["description"]
        rel = classify_role(title, text, vocab)
        label = bool(rec["label_pacs"])
        if rel.is_pacs and label:
            tp += 1
        elif rel.is_pacs:
            fp += 1
            rep.misclassified.append(f"{rid} (false positive, {rel.score}: {'; '.join(rel.reasons)})")
        elif label:
            fn += 1
            rep.misclassified.append(f"{rid} (missed, {rel.score}: {'; '.join(rel.reasons)})")
        else:
            tn += 1
        req = extract_requirements(text, vocab, title)
        want, got = set(rec["skills"]), set(req.skills)
        s_tp += len(want & got)
        s_fp += len(got - want)
        s_fn += len(want - got)
        if want != got:
            rep.errors["skills"].append(f"{rid}: extra {sorted(got - want)} missing {sorted(want - got)}")
        for name in want | got:
            term = vocab.term(name)
            counts = by_area.setdefault(term.area if term is not None else "technical", [0, 0, 0])
            counts[0 if name in want and name in got else 1 if name in got else 2] += 1
        want_c, got_c = set(rec.get("certifications", [])), set(req.certifications)
        c_tp += len(want_c & got_c)
        c_fp += len(got_c - want_c)
        c_fn += len(want_c - got_c)
        if want_c != got_c:
            rep.errors["certifications"].append(f"{rid}: extra {sorted(got_c - want_c)} missing {sorted(want_c - got_c)}")
        if req.degree == rec["degree"]:
            deg_ok += 1
        else:
            rep.errors["degree"].append(f"{rid}: got {req.degree} want {rec['degree']}")
        want_y = rec["years_min"]
        if _same(req.years_min, want_y):
            yrs_ok += 1
        else:
            rep.errors["years"].append(f"{rid}: got {req.years_min} want {want_y}")
        if parse_salary is not None:
            found = parse_salary(plain(text))
            want_s = rec.get("salary")
            if want_s:
                sal_n += 1
                if found is not None and _same(found.min, want_s["min"]) and _same(found.max, want_s["max"]) \
                        and found.period == want_s["period"]:
                    sal_ok += 1
                else:
                    got_s = None if found is None else f"{found.min}-{found.max}/{found.period}"
                    rep.errors["salary"].append(f"{rid}: got {got_s} want {want_s['min']}-{want_s['max']}/{want_s['period']}")
            elif found is not None:
                sal_false += 1
                rep.errors["salary"].append(f"{rid}: found pay {found.min}-{found.max}/{found.period} where none is stated")
    n = len(records)
    rep.counts = {"postings": n, "pacs": tp + fn, "traps": fp + tn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
                  "stating_pay": sal_n, "pay_found_where_none": sal_false}
    p, r, f = _prf(tp, fp, fn)
    sp, sr, sf = _prf(s_tp, s_fp, s_fn)
    cp, cr, cf = _prf(c_tp, c_fp, c_fn)
    rep.metrics = {
        "classifier_precision": p, "classifier_recall": r, "classifier_f1": f,
        "skills_precision": sp, "skills_recall": sr, "skills_f1": sf,
        "certifications_precision": cp, "certifications_recall": cr, "certifications_f1": cf,
        **{f"skills_{area.replace('-', '_')}_{k}": v for area, c in sorted(by_area.items())
           for k, v in zip(("precision", "recall", "f1"), _prf(*c), strict=True)},
        "degree_accuracy": deg_ok / n if n else None,
        "years_accuracy": yrs_ok / n if n else None,
        "salary_accuracy": (sal_ok / sal_n if sal_n else None) if parse_salary else None,
    }
    return rep


def _truthy(value: Any) -> bool:
    return bool(value) and value != []


def evaluate_conditions(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision / recall of the job's conditions over the postings labelled for them."""
    per = {name: [0, 0, 0] for name in CONDITIONS}
    wrong: list[str] = []
    labelled = [r for r in records if isinstance(r.get("conditions"), dict)]
    for rec in labelled:
        found = extract_conditions(rec["description"])
        for name in CONDITIONS:
            want = rec["conditions"].get(name)
            got = (found.get(name) or {}).get("value")
            w, g = _truthy(want), _truthy(got)
            if w and g and (name != "shift" or sorted(want) == sorted(got)):
                per[name][0] += 1
            else:
                if g:
                    per[name][1] += 1
                if w:
                    per[name][2] += 1
                if w or g:
                    wrong.append(f"{rec['id']}: {name} got {got!r} want {want!r}")
    tp, fp, fn = (sum(c[i] for c in per.values()) for i in range(3))
    p, r, f = _prf(tp, fp, fn)
    return {"labelled": len(labelled), "stated": tp + fn, "precision": p, "recall": r, "f1": f,
            "per": {name: _prf(*c) + (c[0] + c[2],) for name, c in per.items()}, "wrong": wrong}


def evaluate_formats() -> dict[str, Any]:
    """Pay and experience on issue 15's wordings."""
    from pacsjobs.normalize.salary import parse_salary_text

    pay_ok, wrong = 0, []
    for text, low, high, period in PAY_FORMATS:
        s = parse_salary_text(text)
        if s is not None and _same(s.min, low) and _same(s.max, high) and s.period == period:
            pay_ok += 1
        else:
            wrong.append(f"pay {text!r}: got {None if s is None else (s.min, s.max, s.period)}")
    yrs_ok = 0
    for text, years in YEARS_FORMATS:
        got = extract_years(text)
        if _same(got, years):
            yrs_ok += 1
        else:
            wrong.append(f"years {text!r}: got {got}")
    return {"pay": (pay_ok, len(PAY_FORMATS)), "years": (yrs_ok, len(YEARS_FORMATS)), "wrong": wrong}


def real_counts(records: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """Per field: (labelled postings taken from real postings, all labelled postings)."""
    fields = {
        "label_pacs": lambda r: True, "skills": lambda r: bool(r["skills"]),
        "certifications": lambda r: bool(r.get("certifications")), "salary": lambda r: r.get("salary") is not None,
        "degree": lambda r: r.get("degree") is not None, "years_min": lambda r: r.get("years_min") is not None,
        "conditions": lambda r: any(_truthy(v) for v in (r.get("conditions") or {}).values()),
        "duplicate_group": lambda r: bool(r.get("duplicate_group")),
    }
    out = {}
    for name, has in fields.items():
        labelled = [r for r in records if has(r)]
        out[name] = (sum(1 for r in labelled if r["origin"].startswith("real:")), len(labelled))
    return out


def evaluate_duplicates(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Every pair of labelled postings through dedupe.is_duplicate, against the duplicate groups."""
    from itertools import combinations

    from pacsjobs.normalize.location import parse_location
    from pacsjobs.record import Posting
    from pacsjobs.understand.dedupe import is_duplicate

    postings = []
    for rec in records:
        loc = parse_location(rec.get("location"))
        postings.append((rec.get("duplicate_group"), rec["id"], Posting(
            source="eval", source_id=rec["id"], url="", title=rec["title"], employer=rec.get("employer"),
            location_text=rec.get("location"), city=loc.city, state=loc.state, country=loc.country,
            workplace=loc.workplace, description_text=plain(rec["description"]))))
    tp = fp = fn = 0
    wrong: list[str] = []
    for (ga, ia, a), (gb, ib, b) in combinations(postings, 2):
        same = ga is not None and ga == gb
        found = is_duplicate(a, b)
        if found and same:
            tp += 1
        elif found:
            fp += 1
            wrong.append(f"{ia} ~ {ib} (linked, not the same job)")
        elif same:
            fn += 1
            wrong.append(f"{ia} ~ {ib} (same job, not linked)")
    precision, recall, f1 = _prf(tp, fp, fn)
    return {"pairs": tp + fn, "checked": len(postings) * (len(postings) - 1) // 2, "precision": precision,
            "recall": recall, "f1": f1, "wrong": wrong}


def render(rep: Report) -> str:
    """The report as text."""
    c, m = rep.counts, rep.metrics
    lines = [
        f"labelled postings: {c['postings']} ({c['pacs']} PACS roles, {c['traps']} not)",
        f"classifier: precision {m['classifier_precision']:.3f}  recall {m['classifier_recall']:.3f}  "
        f"F1 {m['classifier_f1']:.3f}  (target F1 >= {TARGETS['classifier_f1']})",
        f"skills (micro): precision {m['skills_precision']:.3f}  recall {m['skills_recall']:.3f}  "
        f"F1 {m['skills_f1']:.3f}  (target F1 >= {TARGETS['skills_f1']})",
        f"certifications (micro): precision {m['certifications_precision']:.3f}  "
        f"recall {m['certifications_recall']:.3f}  F1 {m['certifications_f1']:.3f}",
    ]
    if rep.salary_available:
        acc = m["salary_accuracy"]
        lines.append(f"salary: exactly right in {acc:.3f} of {c['stating_pay']} postings stating pay "
                     f"(target >= {TARGETS['salary_accuracy']}); pay found where none is stated: "
                     f"{c['pay_found_where_none']}")
    else:
        lines.append("salary: normalize.salary not available")
    for area in ("technical", "non_technical"):
        if f"skills_{area}_f1" in m:
            lines.append(f"skills, {area.replace('_', '-')}: precision {m[f'skills_{area}_precision']:.3f}  "
                         f"recall {m[f'skills_{area}_recall']:.3f}  F1 {m[f'skills_{area}_f1']:.3f}")
    lines.append(f"degree: accuracy {m['degree_accuracy']:.3f}  (target >= {TARGETS['degree_accuracy']})")
    lines.append(f"years: accuracy {m['years_accuracy']:.3f}  (target >= {TARGETS['years_accuracy']})")
    lines.append("misclassified: " + (", ".join(x.split(" ")[0] for x in rep.misclassified) or "none"))
    for item in rep.misclassified:
        lines.append(f"  {item}")
    for kind, errs in rep.errors.items():
        if errs:
            lines.append(f"{kind} errors ({len(errs)}):")
            lines.extend(f"  {e}" for e in errs)
    return "\n".join(lines)


def render_extra(records: list[dict[str, Any]], rep: Report) -> list[str]:
    """Conditions, the harder formats and the real-postings counts; their metrics go into ``rep``."""
    cond = evaluate_conditions(records)
    fmt = evaluate_formats()
    rep.metrics["conditions_f1"] = cond["f1"]
    rep.metrics["pay_formats_accuracy"] = fmt["pay"][0] / fmt["pay"][1]
    rep.metrics["years_formats_accuracy"] = fmt["years"][0] / fmt["years"][1]
    lines = [f"conditions (micro, {cond['labelled']} postings labelled, {cond['stated']} conditions stated): "
             f"precision {cond['precision']:.3f}  recall {cond['recall']:.3f}  F1 {cond['f1']:.3f}  "
             f"(target F1 >= {TARGETS['conditions_f1']})"]
    lines += [f"  {name}: precision {p:.3f}  recall {r:.3f}  ({n} stated)"
              for name, (p, r, _f, n) in cond["per"].items() if n]
    lines.append(f"pay on issue 15 wordings: {fmt['pay'][0]}/{fmt['pay'][1]}; "
                 f"experience on issue 15 wordings: {fmt['years'][0]}/{fmt['years'][1]}")
    lines.append("real postings among the labelled, per field: " + ", ".join(
        f"{name} {real}/{total}" for name, (real, total) in real_counts(records).items()))
    lines += [f"  {w}" for w in cond["wrong"] + fmt["wrong"]]
    return lines


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--negatives", type=Path, help="a negative set (bench/negatives.py); "
                        "default: tests/data/negatives.jsonl.gz")
    args = parser.parse_args(argv)
    records = load_eval()
    vocab = load_vocabulary(CONFIG_DIR)
    rep = evaluate(records, vocab)
    print(render(rep))
    print("\n".join(render_extra(records, rep)))
    negatives = args.negatives or DEFAULT_SET
    if not negatives.exists():
        print(f"no negative set at {negatives} (see tests/data/README.md): false positives not measured")
    else:
        neg = evaluate_negatives(negatives, vocab)
        print(render_negatives(neg, negatives))
        rep.metrics["false_positives_per_1000"] = neg.per_thousand
        if neg.false_positives:
            print("targets missed: false positives on the negative set")
            return 1
    dup = evaluate_duplicates(records)
    print(f"duplicates: precision {dup['precision']:.3f}  recall {dup['recall']:.3f} over "
          f"{dup['pairs']} labelled pairs among {dup['checked']} pairs checked")
    for line in dup["wrong"]:
        print(f"  {line}")
    missed = rep.missed()
    if missed:
        print("targets missed: " + "; ".join(missed))
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
