"""Postings for benchmarks, screenshots, calibration and demos.

``sample_postings``: generated, realistic-looking PACS postings (not tests of truth).
``labelled_postings`` / ``fill_labelled``: the labelled evaluation set (tests/eval/postings.jsonl)
run through the real pipeline (normalize, classify, store, link duplicates): a realistic day.
"""

from __future__ import annotations

import json
import random
import re
from datetime import datetime, timedelta
from pathlib import Path

from pacsjobs.pay import ANNUAL_FACTOR
from pacsjobs.record import Posting, RawPosting

TITLES = [
    "PACS Administrator", "PACS Administrator II", "Senior PACS Administrator", "PACS Analyst",
    "Imaging Informatics Specialist", "Radiology Systems Analyst", "PACS/RIS Administrator",
    "Clinical Applications Analyst - Radiology PACS", "Imaging Systems Administrator",
    "Diagnostic Radiologic Technologist (PACS)", "PACS Technologist", "Enterprise Imaging Analyst",
]
EMPLOYERS = [
    "Riverside Regional Medical Center", "St. Luke's Health System", "Mercy General Hospital",
    "Lakeshore University Health", "Summit Imaging Partners", "Veterans Health Administration",
    "Northwest Children's Hospital", "Bayview Community Hospital", "Granite State Radiology",
    "Prairie Health Network", "Coastal Medical Group", "Sunbelt Diagnostic Imaging",
]
PLACES = [
    ("Houston", "TX", "77030"), ("Boston", "MA", "02114"), ("Columbus", "OH", "43210"),
    ("Denver", "CO", "80204"), ("Atlanta", "GA", "30308"), ("Phoenix", "AZ", "85006"),
    ("Seattle", "WA", "98104"), ("Nashville", "TN", "37203"), ("Minneapolis", "MN", "55455"),
    ("Charlotte", "NC", "28204"), ("Tampa", "FL", "33606"), ("Sacramento", "CA", "95817"),
    ("Topeka", "KS", "66604"), ("Beaumont", "TX", "77701"), ("Worcester", "MA", "01605"),
]
# canonical names of config/skills.toml, as the classifier stores them
SKILLS = ["PACS", "DICOM", "HL7", "RIS", "Epic Radiant", "Sectra", "GE Centricity", "Philips",
          "Fujifilm Synapse", "VNA", "SQL", "Mirth Connect", "HIPAA", "radiology workflow",
          "Windows Server", "Active Directory", "modality worklist", "troubleshooting", "PowerScribe"]
CERTS = ["ARRT", "CIIP", "CPAS", "CompTIA A+"]
_TAG = re.compile(r"<[^>]+>")
SOURCES = ["jsonld:riverside", "greenhouse:summit-imaging", "usajobs", "workday:mercy", "lever:coastal"]


def _description(rng: random.Random, title: str, employer: str, skills: list[str], years: int) -> str:
    return (
        f"<p>{employer} is hiring a <strong>{title}</strong> to keep our Picture Archiving and "
        "Communication System running for radiology and cardiology.</p>"
        "<ul>"
        f"<li>Administer PACS, RIS and interfaces ({', '.join(skills[:3])}).</li>"
        "<li>Troubleshoot image routing, worklists and modality connectivity.</li>"
        "<li>Act as liaison between Radiology, IT and vendors.</li>"
        "</ul>"
        f"<p>Requires {years}+ years of experience in imaging informatics; ARRT preferred.</p>"
    )


def sample_postings(n: int, seed: int = 7, now: datetime | None = None) -> list[Posting]:
    """``n`` PACS postings with the shapes real sources give (hourly and yearly pay, remote, dates)."""
    rng = random.Random(seed)
    now = now or datetime(2026, 11, 28, 7, 0)
    out = []
    for i in range(n):
        title = rng.choice(TITLES)
        employer = rng.choice(EMPLOYERS)
        city, state, zipcode = rng.choice(PLACES)
        skills = rng.sample(SKILLS, rng.randint(2, 7))
        certs = rng.sample(CERTS, rng.randint(0, 2))
        years = rng.choice([1, 2, 3, 3, 5, 5, 7])
        workplace = rng.choice(["onsite", "onsite", "hybrid", "remote", None])
        posting = Posting(
            source=rng.choice(SOURCES), source_id=f"{seed}-{i}", url=f"https://careers.example.org/jobs/{seed}-{i}",
            title=title, employer=employer, location_text=f"{city}, {state}", city=city, state=state,
            postal_code=zipcode, country="US", workplace=workplace,
            employment_type=rng.choice(["full_time", "full_time", "full_time", "contract", "per_diem"]),
            date_posted=(now - timedelta(days=rng.randint(0, 30))).date(),
            valid_through=(now + timedelta(days=rng.randint(1, 45))).date() if rng.random() < 0.5 else None,
            description_html=_description(rng, title, employer, skills, years),
            is_pacs_role=True, relevance=round(rng.uniform(0.55, 0.99), 2),
            relevance_reasons=["title names PACS"], skills=skills, certifications=certs,
            degree=rng.choice(["bachelor", "bachelor", "associate", None]), years_experience_min=years,
        )
        kind = rng.random()
        if kind < 0.35:
            low = round(rng.uniform(31, 46), 2)
            high = round(low + rng.uniform(4, 14), 2)
            posting.salary_min, posting.salary_max, posting.salary_period = low, high, "hour"
            hours = ANNUAL_FACTOR["hour"]
            posting.salary_annual_min, posting.salary_annual_max = low * hours, high * hours
            posting.salary_source = "structured"
            posting.salary_raw = f"${low:.2f} - ${high:.2f} per hour"
        elif kind < 0.75:
            low = float(rng.randrange(62_000, 118_000, 500))
            high = low + rng.randrange(8_000, 40_000, 500)
            posting.salary_min, posting.salary_max, posting.salary_period = low, high, "year"
            posting.salary_annual_min, posting.salary_annual_max = low, high
            posting.salary_source = rng.choice(["structured", "description"])
            posting.salary_raw = f"${low:,.0f} - ${high:,.0f} a year"
        if posting.salary_min is not None:
            posting.salary_currency = "USD"
        posting.description_text = " ".join(_TAG.sub(" ", posting.description_html).split())
        out.append(posting)
    return out


def labelled_postings(path: Path | str, config_dir: Path | str, now: datetime) -> list[Posting]:
    """Every posting of a labelled JSONL file, normalized and classified as a crawl would."""
    from pacsjobs.understand.process import build_posting
    from pacsjobs.understand.vocabulary import load_vocabulary

    vocab = load_vocabulary(Path(config_dir))
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        text = rec["description"]
        html = text if text.lstrip().startswith("<") else "".join(
            f"<p>{block}</p>" for block in (text.replace("&", "&amp;").replace("<", "&lt;")
                                            .split("\n\n")))
        raw = RawPosting(source_id=rec["id"], url=f"https://jobs.example.org/{rec['id']}", title=rec["title"],
                         employer=rec.get("employer"), locations=[rec["location"]] if rec.get("location") else [],
                         description_html=html.replace("\n", "<br>"))
        out.append(build_posting(raw, "eval:labelled", now, vocab))
    return out


def fill_labelled(database_url: str, path: Path | str, config_dir: Path | str, now: datetime) -> list[int]:
    """Store the labelled postings (first seen ``now``) and link their duplicates; returns their ids."""
    from pacsjobs.store import open_store

    with open_store(database_url) as store:
        ids = store.upsert_postings(labelled_postings(path, config_dir, now), now=now).ids
        store.link_duplicates(ids)
    return ids
