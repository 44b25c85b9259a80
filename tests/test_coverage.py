"""``pacsjobs coverage`` and the digest's coverage section: counts by state, the empty states, the
kinds of source, the employers only nationwide search found, and the US tile map."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pacsjobs.cli import main
from pacsjobs.config import load_config
from pacsjobs.digest.build import build_digest
from pacsjobs.digest.render import render_email_html, render_page, render_text
from pacsjobs.digest.usmap import EMPTY, SHADES, TILES, shade
from pacsjobs.profile import load_profile
from pacsjobs.store import open_store
from pacsjobs.store.coverage import AREAS, coverage
from tests.digest_helpers import NOW, add, posting, set_fields
from tests.helpers import write_config

SOURCES = [
    {"name": "jsonld:harbor-valley", "platform": "jsonld", "employer": "Harbor Valley Health",
     "urls": ["https://careers.harborvalley.example/jobs/1"]},
    {"name": "greenhouse:desert-sun", "platform": "greenhouse", "employer": "Desert Sun Imaging", "board": "desertsun"},
    {"name": "greenhouse:acme", "platform": "greenhouse", "employer": "Acme Imaging", "board": "acme"},
    {"name": "usajobs", "platform": "usajobs", "keywords": ["PACS"]},
    {"name": "careeronestop", "platform": "careeronestop"},
    {"name": "adzuna", "platform": "adzuna"},
]


def _database(tmp_path: Path, database_url: str | None = None) -> tuple[Path, str]:
    cfg = write_config(tmp_path / "config", sources=SOURCES, database_url=database_url,
                       digest={"output_dir": str(tmp_path / "digests")})
    url = database_url or f"sqlite:///{cfg / 'pacsjobs.db'}"
    where = {"OH": ("Columbus", "OH"), "FL": ("Tampa", "FL"), "WI": ("Madison", "WI"),
             "AZ": ("Tucson", "AZ"), "PR": ("San Juan", "PR"), "TX": ("Houston", "TX"), "CA": ("Fresno", "CA")}

    def job(source: str, sid: str, employer: str, state: str | None, **fields):
        city, code = where.get(state or "", (None, None))
        return posting(sid, source=source, employer=employer, city=city, state=code,
                       location_text=f"{city}, {code}" if city else None,
                       country="PR" if code == "PR" else "US", **fields)

    ids = add(url, [
        job("jsonld:harbor-valley", "h1", "Harbor Valley Health", "OH"),           # 0 the employer's copy
        job("careeronestop", "c-h1", "Harbor Valley Health System", "OH"),        # 1 its copies
        job("adzuna", "a-h1", "Harbor Valley Health", "OH"),                       # 2
        job("usajobs", "v1", "Veterans Health Administration", "FL"),              # 3 federal
        job("careeronestop", "c-v1", "Department of Veterans Affairs", "FL"),     # 4 its copy
        job("careeronestop", "c-l1", "Lakeshore Medical Center", "WI"),            # 5 only nationwide
        job("adzuna", "a-d1", "Desert Sun Imaging", "AZ"),                         # 6 a registry employer
        job("adzuna", "a-p1", "Hospital Auxilio Mutuo", "PR"),                      # 7 Puerto Rico
        job("greenhouse:acme", "g1", "Acme Imaging", None, workplace="remote"),    # 8 no state
        job("careeronestop", "c-h2", "Harbor Valley Health", "OH", title="PACS Analyst"),  # 9
        job("adzuna", "a-x1", "Closed Clinic", "TX"),                              # 10 closed
        job("careeronestop", "c-n1", "Fresno Dental", "CA", is_pacs_role=False),   # 11 not PACS
    ], now=NOW)
    for member, head in ((1, 0), (2, 0), (4, 3)):
        set_fields(url, ids[member], duplicate_of=ids[head])
    set_fields(url, ids[10], closed_at=NOW)
    return cfg, url


@pytest.fixture
def db(tmp_path) -> tuple[Path, str]:
    return _database(tmp_path)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_coverage_counts_openings_not_copies(engine, tmp_path, request):
    cfg, url = _database(tmp_path, request.getfixturevalue("pg_url") if engine == "postgresql" else None)
    config = load_config(cfg)
    with open_store(url) as store, store.session() as session:
        cov = coverage(session, {s.name: s.platform for s in config.sources},
                       [s.employer for s in config.sources if s.employer])
    assert len(cov.areas) == 52 and {a.code for a in cov.areas} == set(AREAS)
    assert (cov.total, cov.unplaced) == (7, 1)
    counts = {a.code: (a.openings, a.employers) for a in cov.areas if a.openings}
    assert counts == {"OH": (2, 1), "FL": (1, 1), "WI": (1, 1), "AZ": (1, 1), "PR": (1, 1)}
    assert len(cov.empty) == 47 and "TX" in cov.empty and "CA" in cov.empty and "OH" not in cov.empty
    assert [(k.kind, k.openings, round(k.share, 3)) for k in cov.kinds] == [
        ("employer", 2, 0.286), ("nationwide", 6, 0.857), ("federal", 1, 0.143)]
    # Harbor Valley has its own board, Desert Sun is in the registry: neither is a board to add
    assert cov.nationwide_only == [("Hospital Auxilio Mutuo", 1), ("Lakeshore Medical Center", 1)]


def test_coverage_command_table_and_json(db):
    cfg, _ = db
    runner = CliRunner()
    result = runner.invoke(main, ["--config", str(cfg), "coverage"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Open PACS openings: 7 (5 of 52 states and territories; 1 without a state)"
    assert "  OH Ohio                         2         1" in lines
    assert "  PR Puerto Rico                  1         1" in lines
    empty = next(line for line in lines if line.startswith("No openings"))
    assert empty.startswith("No openings (47): AK, AL, AR, CA, CO, CT, DC, DE, GA, HI,")
    assert "  nationwide search        6   86%" in lines
    assert "  federal (USAJOBS)        1   14%" in lines
    assert lines[-2:] == ["  Hospital Auxilio Mutuo (1)", "  Lakeshore Medical Center (1)"]

    data = json.loads(runner.invoke(main, ["--config", str(cfg), "coverage", "--format", "json"]).output)
    assert data["states"]["OH"] == {"name": "Ohio", "openings": 2, "employers": 1}
    assert len(data["states"]) == 52 and len(data["states_without_openings"]) == 47


def test_digest_page_draws_the_map_and_the_email_gives_the_table(db):
    cfg, url = db
    config = load_config(cfg)
    with open_store(url) as store, store.session() as session:
        digest = build_digest(session, config, load_profile(cfg, "guide"), "guide", now=NOW)
    page = render_page(digest)
    svg = re.search(r"<svg class=\"usmap\".*?</svg>", page, re.S).group(0)
    tiles = dict(re.findall(r'<g class="tile" data-state="([A-Z]{2})" data-count="(\d+)">', svg))
    assert len(tiles) == 52 and set(tiles) == set(TILES)
    assert {k: int(v) for k, v in tiles.items() if v != "0"} == {"OH": 2, "FL": 1, "WI": 1, "AZ": 1, "PR": 1}
    assert 'fill="#08519c"' in svg and "<title>Ohio: 2 open PACS openings</title>" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # no external resources
    assert "Lakeshore Medical Center (1)" in page
    email = render_email_html(digest)
    assert "<svg" not in email and "Coverage of the US" in email and "Ohio" in email
    text = render_text(digest)
    assert "== Coverage of the US ==" in text and "OH 2 (1 employer)" in text
    assert "No openings (47): AK, AL," in text


def test_adzuna_copies_carry_its_credit_in_the_digest(db):
    cfg, url = db
    config = load_config(cfg)
    with open_store(url) as store, store.session() as session:
        digest = build_digest(session, config, load_profile(cfg, "guide"), "guide", now=NOW)
    credited = {item.employer for tier in digest.tiers for item in tier.items if item.credits}
    # its own posting and the employer's copy that Adzuna also lists (the digest leaves PR out)
    assert credited == {"Harbor Valley Health", "Desert Sun Imaging"}
    page, text = render_page(digest), render_text(digest)
    assert page.count('<a href="https://www.adzuna.com" rel="noopener noreferrer">Jobs by Adzuna</a>') == 2
    assert text.count("Jobs by Adzuna <https://www.adzuna.com>") == 2


def test_tile_shades():
    assert shade(0, 5) == EMPTY and shade(5, 5) == SHADES[-1] and shade(1, 100) == SHADES[0]
    assert len(set(TILES.values())) == 52  # no two states on one tile


def test_show_credits_adzuna_for_its_copies_only(db):
    cfg, url = db
    runner = CliRunner()
    with open_store(url) as store, store.session() as session:
        from sqlalchemy import select

        from pacsjobs.store.models import PostingRow

        ids = dict(session.execute(select(PostingRow.source_id, PostingRow.id)).all())
    shown = runner.invoke(main, ["--config", str(cfg), "show", str(ids["h1"])])  # Adzuna lists it too
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines()[-1] == "Jobs by Adzuna <https://www.adzuna.com>"
    alone = runner.invoke(main, ["--config", str(cfg), "show", str(ids["c-l1"])])
    assert "Adzuna" not in alone.output
    data = json.loads(runner.invoke(main, ["--config", str(cfg), "show", str(ids["a-d1"]), "--format", "json"]).output)
    assert data["credits"] == [{"text": "Jobs by Adzuna", "url": "https://www.adzuna.com"}]
