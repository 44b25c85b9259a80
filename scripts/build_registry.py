"""Regenerate the board registry (src/pacsjobs/defaults/sources.d/*.toml) from public lists of ATS tenants.

Two steps, both reproducible:

1. ``--openroles DIR`` reads the per-ATS tenant files of a checkout of the public repository
   datascry/openroles (``data/tenants/*.json``, CC BY-SA 4.0) and prints, as CSV rows, the
   records whose slug or display name passes the health keyword filter and not the exclusion
   list. Those rows are what a person reviews (employer name, group, state) into
   ``scripts/registry/candidates.csv``. Only files whose records hold every option a spider
   needs are read: Workday (host + site), Greenhouse, Lever, Ashby, SmartRecruiters, Jobvite
   (the slug is the company) and iCIMS (the slug is the portal's host name). Its Taleo records
   have no career section and its UltiPro records no host (recruiting or recruiting2) nor
   employer name: none of them is a board, and none is guessed.
2. Without ``--openroles`` it reads the reviewed ``candidates.csv`` (rows from openroles and from
   the other public lists credited in SOURCES), applies the same filter and the hand-review
   lists below, drops boards already listed (same platform and board), and writes one TOML file
   per platform and group into ``src/pacsjobs/defaults/sources.d/``.

No address in the output was requested from the web by this script: every entry says where it was
seen (``evidence``). ``pacsjobs sources --check`` is how a user checks which boards answer.

    python scripts/build_registry.py                       # write src/pacsjobs/defaults/sources.d/
    python scripts/build_registry.py --openroles ~/openroles > new-candidates.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = ROOT / "scripts" / "registry" / "candidates.csv"
OUT_DIR = ROOT / "src" / "pacsjobs" / "defaults" / "sources.d"  # the packaged registry
# Platforms whose spiders are not in this version yet: their entries wait in sources.pending/.
PENDING: set[str] = set()  # every platform of the registry has its spider now
READ_ON = "2026-12-04"

# Where each candidate row was seen: the evidence written into every entry.
SOURCES = {
    "pacsjobs-issue3": "hand-picked in pacsjobs issue 3 from public repositories' configuration files and "
                       "probes (see docs/SOURCES.md)",
    "openroles-workday": "datascry/openroles data/tenants/workday.json (CC BY-SA 4.0), record status live, "
                         f"read {READ_ON}",
    "dvskr-workday": "dvskr/PMHNP-Job-Board lib/aggregators/tenants/workday.ts and "
                     f"public/resume/workday_healthcare_slugs_2026.csv (public repository, no licence stated), read {READ_ON}",
    "dvskr-greenhouse": "dvskr/PMHNP-Job-Board lib/aggregators/tenants/greenhouse.ts (public repository, no licence "
                        f"stated), read {READ_ON}",
    "dvskr-lever": "dvskr/PMHNP-Job-Board lib/aggregators/tenants/lever.ts (public repository, no licence stated), "
                   f"read {READ_ON}",
    "dvskr-ashby": "dvskr/PMHNP-Job-Board lib/aggregators/tenants/ashby.ts (public repository, no licence stated), "
                   f"read {READ_ON}",
    "dvskr-smartrecruiters": "dvskr/PMHNP-Job-Board lib/aggregators/tenants/smartrecruiters.ts (public repository, "
                             f"no licence stated), read {READ_ON}",
    "dvskr-healthcare-csv": "dvskr/PMHNP-Job-Board public/resume/final_healthcare_ats_all_sources_2026.csv (public "
                            f"repository, no licence stated), read {READ_ON}",
    "dvskr-icims": f"dvskr/PMHNP-Job-Board lib/aggregators/icims.ts (public repository, no licence stated), read {READ_ON}",
    "openroles-jobvite": "datascry/openroles data/tenants/jobvite.json (CC BY-SA 4.0), record status live, "
                         f"read {READ_ON}",
    "techiepihu-icims": "TechiePihu90/job_scraper scratch/verified_icims.json, portal probed with status OK "
                        f"(public repository, no licence stated), read {READ_ON}",
}
# Lists that are already about healthcare employers: their rows need no keyword hit.
CURATED = {"pacsjobs-issue3", "dvskr-workday", "dvskr-greenhouse", "dvskr-lever", "dvskr-ashby",
           "dvskr-smartrecruiters", "dvskr-icims"}

HEALTH_WORDS = re.compile(
    r"health|hospital|medic|clinic|care\b|rehab|hospice|imaging|radiolog|oncolog|cancer|children|"
    r"surgical|therap|behavioral|nursing|physician|dialysis|kidney|mental|pediatric|treatment|"
    r"diagnost|x-ray|cardi|heart|neuro|psych|anesthesia|pharmacy|telemed|wellness|senior",
    re.I,
)
# Not US health employers for this registry: drug makers, insurers, animal and dental care, staffing.
EXCLUDE = re.compile(
    r"\bpharma(ceuticals?)?\b|therapeutics|biotech|bioscience|\bbio\b|insurance|blue ?cross|"
    r"\bvet(erinary)?\b|animal|\bpet\b|dental|orthodont|staffing|recruit",
    re.I,
)
EXCLUDED_GROUPS = {"insurance"}
# Hand review, by board key: kept without a keyword hit (the reason), and dropped despite one.
REVIEWED_IN = {
    "akumincorp": "imaging-center chain", "baxter": "medical devices", "intuitive": "surgical robotics",
    "irhythmtech": "cardiac monitoring devices", "integer": "medical device maker", "labcorp": "clinical laboratories",
    "mckesson": "health-care distribution and IT", "elekta": "radiation-therapy and oncology software",
    "cpsi": "hospital EHR vendor (TruBridge)", "lumeris": "value-based care services", "availity": "health-care IT",
    "hospicecom": "hospice and home health (Compassus)", "centerstone": "behavioral health provider",
    "catalight": "autism and developmental care", "brightli": "behavioral health provider", "monarch": "behavioral health provider",
    "docgo": "mobile health and ambulance services", "healogics": "wound-care centers", "merative": "imaging and health data software",
    "ntst": "behavioral-health EHR vendor", "davita": "dialysis provider", "medtronic": "medical devices",
    "merit": "medical devices", "globusmedical": "medical devices", "cardinalhealth": "health-care distribution",
    "onehealthineers": "imaging equipment and IT vendor", "medline": "medical supplies", "evolent": "health-care services",
    "ensemblehp": "hospital revenue cycle", "curemd": "EHR vendor", "nextgen": "EHR vendor", "clarioclinical": "medical imaging core lab",
    "bracco": "imaging contrast and devices", "lifestance": "mental health provider", "modivcare": "patient transportation and home care",
    "chenmed": "primary-care provider", "memorialhermann": "health system", "houstonmethodist": "health system",
    "mercy": "health system", "entandallergy": "ENT and allergy physician group", "cerebral": "mental health provider",
    "alma": "mental health provider network", "evergreennephrology": "kidney-care provider", "henrymeds": "telehealth provider",
    "himshers": "telehealth provider", "hims": "telehealth provider", "medarrive": "home-based care", "medeanalytics": "health-care analytics",
    "thirtymadison": "telehealth provider", "transcarent": "health-care navigation", "truepill": "pharmacy and telehealth platform",
    "truveta": "health-system data", "uniteus": "health and social care network", "waymark": "community health provider",
    "zocdoc": "patient scheduling platform", "getlabs": "at-home lab draws", "tendo": "health-system software",
    "akasa": "hospital revenue-cycle AI", "anterior": "health-plan clinical AI", "commure": "health-system software",
    "hippocraticai": "clinical AI", "zimmerbiomet": "medical devices", "medlineindustries": "medical supplies",
    "ezra": "full-body MRI imaging provider", "clario": "clinical-trial imaging core lab (Clario)",
    "childserve": "pediatric medical and therapy care provider",
}
REVIEWED_OUT = {
    "cgm": "German HQ; US postings are rare", "dedalus": "Italian HQ; US postings are rare",
    "mvphealthcare": "health insurer", "genedx": "genetic testing lab, no imaging roles",
    "clearviewhealthcarepartners": "strategy consulting firm", "clipboardhealth": "gig shift app for nurses",
    "rightwayhealthcare": "pharmacy benefits navigation", "paramedicservices": "ambulance crews, no imaging roles",
    "deximaging": "office printers and document imaging, not medical", "careers-hcsgcorp": "housekeeping and dining "
    "contractor to care facilities", "learningexperiences-bassett": "student placement portal, not the hospital's jobs",
    "uscareers-sunriseseniorliving": "senior living, no imaging roles",
    "external-bmcjax": "the list names it only 'BMC Jacksonville': which employer is not known",
}
PLATFORM_KEYS = {"workday": "url", "greenhouse": "board", "lever": "site", "ashby": "org", "smartrecruiters": "company",
                 "icims": "url", "jobvite": "company", "phenom": "url", "successfactors": "url", "ukg": "url",
                 "taleo": "url", "healthcaresource": "url", "neogov": "agency"}
SEARCH_TERMS = ["PACS", "imaging informatics", "radiology"]  # SmartRecruiters boards are searched server-side


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", " and ").replace("'", "")).strip("-")


def board_id(platform: str, key: str) -> tuple[str, str]:
    """Identity of a board: one Workday tenant host, one Oracle host, else the key, case-blind."""
    if platform == "workday":
        return platform, key.split("//", 1)[-1].split("/", 1)[0].lower()
    if platform == "oracle":
        return platform, key.split("|", 1)[0].lower()
    return platform, key.lower()


def short_key(platform: str, key: str) -> str:
    """The tenant or board name a reviewer recognises (for REVIEWED_IN / REVIEWED_OUT)."""
    return board_id(platform, key)[1].split("//", 1)[-1].split(".", 1)[0]


def keep(row: dict[str, str]) -> bool:
    text = f"{row['employer']} {row['key']}"
    key = short_key(row["platform"], row["key"])
    if key in REVIEWED_OUT or row["group"] in EXCLUDED_GROUPS or EXCLUDE.search(row["employer"]):
        return False
    return bool(HEALTH_WORDS.search(text)) or key in REVIEWED_IN or row["source"] in CURATED


def select(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Filtered rows, first seen wins per board, with unique names."""
    seen: set[tuple[str, str]] = set()
    names: set[str] = set()
    out = []
    for row in rows:
        ident = board_id(row["platform"], row["key"])
        if ident in seen or not keep(row):
            continue
        seen.add(ident)
        name = row.get("name") or f"{row['platform']}:{slug(row['employer'])}"
        if name in names:
            name = f"{name}-{slug(short_key(row['platform'], row['key']))}"
        names.add(name)
        out.append({**row, "name": name})
    return out


def toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def entry_lines(row: dict[str, str]) -> list[str]:
    platform = row["platform"]
    lines = ["[[sources]]", f"name = {toml_str(row['name'])}", f"platform = {toml_str(platform)}",
             f"employer = {toml_str(row['employer'])}", f"group = {toml_str(row['group'])}"]
    if row.get("state"):
        lines.append(f"state = {toml_str(row['state'])}")
    lines.append(f"evidence = {toml_str(SOURCES[row['source']])}")
    if platform == "oracle":
        host, site = row["key"].split("|", 1)
        lines += [f"host = {toml_str(host)}", f"site = {toml_str(site)}"]
    else:
        lines.append(f"{PLATFORM_KEYS[platform]} = {toml_str(row['key'])}")
    if platform == "smartrecruiters":
        lines.append("keywords = [" + ", ".join(toml_str(k) for k in SEARCH_TERMS) + "]")
    return lines + [""]


def header(platform: str, group: str, rows: list[dict[str, str]]) -> list[str]:
    used = sorted({r["source"] for r in rows})
    what = f"group {group!r}" if group else "waiting for this platform's spider (moved into sources.d/ when it exists)"
    lines = [f"# {platform} boards, {what}: generated by scripts/build_registry.py; edit candidates.csv, not this file.",
             "#", "# Seen in (source, licence, date read):"]
    lines += [f"#   - {SOURCES[s]}" for s in used]
    lines += ["#", "# Filter: health keywords on employer and board name, minus drug makers, insurers, animal and",
              "# dental care, staffing, then a hand review (REVIEWED_IN / REVIEWED_OUT in the script).",
              "# These addresses were not checked live when the file was written: run `pacsjobs sources --check`.", ""]
    return lines


def write_files(rows: list[dict[str, str]], out_dir: Path) -> dict[str, int]:
    """sources.d/PLATFORM-GROUP.toml; platforms not in this version to ../sources.pending/PLATFORM.toml."""
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        pending = row["platform"] in PENDING
        groups[(row["platform"], "" if pending else row["group"])].append(row)
    counts = {}
    for (platform, group), members in sorted(groups.items()):
        folder = out_dir.parent / "sources.pending" if not group else out_dir
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (f"{platform}-{group}.toml" if group else f"{platform}.toml")
        lines = header(platform, group, members)
        for row in members:
            lines += entry_lines(row)
        path.write_text("\n".join(lines), encoding="utf-8")
        counts[f"{folder.name}/{path.name}"] = len(members)
    return counts


def openroles_candidates(folder: Path) -> list[dict[str, str]]:
    """Rows of openroles tenant files that pass the filter (for a person to review)."""
    rows = []
    for platform, fname in [("workday", "workday.json"), ("greenhouse", "greenhouse.json"), ("lever", "lever.json"),
                            ("ashby", "ashby.json"), ("smartrecruiters", "smartrecruiters.json"),
                            ("jobvite", "jobvite.json"), ("icims", "icims.json")]:
        path = folder / "data" / "tenants" / fname
        if not path.exists():
            continue
        for rec in json.loads(path.read_text(encoding="utf-8")):
            meta = rec.get("metadata") or {}
            if rec.get("status") != "live":
                continue
            if platform == "workday":
                if not meta.get("host") or not meta.get("site"):
                    continue  # a Workday board needs its site; never guessed
                key = f"https://{meta['host']}/{meta['site']}"
            elif platform == "icims":
                key = f"https://{rec.get('slug', '')}.icims.com"
            else:
                key = rec.get("slug", "")
            row = {"platform": platform, "key": key, "employer": rec.get("display_name") or rec.get("slug", ""),
                   "group": "", "state": "", "source": f"openroles-{platform}", "name": ""}
            text = f"{row['employer']} {key}"
            if HEALTH_WORDS.search(text) and not EXCLUDE.search(row["employer"]):
                rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openroles", type=Path, help="a checkout of datascry/openroles: print candidates to review")
    parser.add_argument("--candidates", type=Path, default=CANDIDATES)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    if args.openroles:
        writer = csv.DictWriter(sys.stdout, fieldnames=["platform", "key", "employer", "group", "state", "source", "name"])
        writer.writeheader()
        writer.writerows(openroles_candidates(args.openroles))
        return 0
    with args.candidates.open(encoding="utf-8", newline="") as fh:
        rows = select(list(csv.DictReader(fh)))
    for name, n in write_files(rows, args.out).items():
        print(f"{name}: {n}")
    print(f"total: {len(rows)} boards")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
