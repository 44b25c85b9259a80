"""``pacsjobs sources discover`` end to end: links in, one line each, boards checked on the local server,
new entries appended to the review file; the digest footer counts what discovery proposes."""

from __future__ import annotations

import tomllib
from types import SimpleNamespace

from click.testing import CliRunner

from pacsjobs.cli import main
from pacsjobs.config import load_config
from pacsjobs.digest.build import build_digest
from pacsjobs.digest.render import render_page, render_text
from pacsjobs.sources.discover import count_proposed
from pacsjobs.store import open_store
from tests.digest_helpers import NOW, add, posting
from tests.helpers import write_config

REGISTRY = [{"name": "greenhouse:viz-ai", "platform": "greenhouse", "employer": "Viz.ai", "board": "vizai"}]
JOB_PAGE = ('<html><head><script type="application/ld+json">{"@context": "https://schema.org/", "@type": '
            '"JobPosting", "title": "PACS Administrator", "datePosted": "2026-11-20", "description": "<p>Run PACS</p>",'
            ' "hiringOrganization": {"@type": "Organization", "name": "Harbor Radiology"}, "jobLocation": '
            '{"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Toledo", "addressRegion": '
            '"OH", "addressCountry": "US"}}}</script></head><body><h1>PACS Administrator</h1></body></html>')


def run(cfg, *args):
    return CliRunner().invoke(main, ["--config", str(cfg), "sources", "discover", *args])


def table(output: str) -> dict[str, list[str]]:
    """LINK -> [PLATFORM, BOARD, ANSWER..., REGISTRY...] split on runs of two spaces."""
    import re

    rows = output.splitlines()[1:-1]
    return {cells[0]: cells[1:] for cells in (re.split(r"\s{2,}", r.strip()) for r in rows)}


def test_links_are_recognised_checked_and_new_boards_proposed(server, tmp_path):
    cfg = write_config(tmp_path / "config", sources=REGISTRY)
    out = tmp_path / "review" / "discovered.toml"
    u = server.url
    server.routes([
        {"path": "/v1/boards/lakesideimaging/jobs", "file": "greenhouse/board.json"},
        {"path": "/v1/boards/vizai/jobs", "file": "greenhouse/board.json"},
        {"path": "/harbor/jobs/pacs-administrator", "content_type": "text/html", "text": JOB_PAGE},
        {"path": "/plain/careers", "content_type": "text/html", "text": "<html><body><h1>Careers</h1></body></html>"},
    ])
    links = [
        "https://boards.greenhouse.io/lakesideimaging/jobs/4409817005",
        "https://job-boards.greenhouse.io/lakesideimaging/jobs/4409817006",  # same board: one check, one entry
        "https://jobs.lever.co/northstar-rad/5f3c6a1e-8a44-4b1e-9d0e-2f6c1b7a9e10",  # no route: the board 404s
        "https://boards.greenhouse.io/vizai/jobs/1",
        f"{u}/harbor/jobs/pacs-administrator",
        f"{u}/plain/careers",
    ]
    result = run(cfg, *links, "--base-url", u, "--output", str(out))
    assert result.exit_code == 0, result.output
    rows = table(result.output)
    assert rows[links[0]] == ["greenhouse", "board=lakesideimaging", "ok: 5 postings", "new: greenhouse:lakesideimaging"]
    assert rows[links[1]] == ["greenhouse", "board=lakesideimaging", "ok: 5 postings",
                              "already proposed (greenhouse:lakesideimaging)"]
    assert rows[links[2]][:2] == ["lever", "site=northstar-rad"]
    assert rows[links[2]][2].startswith("moved: HTTP 404 (gone)") and rows[links[2]][3] == "new: lever:northstar-rad"
    assert rows[links[3]] == ["greenhouse", "board=vizai", "ok: 5 postings", "in registry (greenhouse:viz-ai)"]
    assert rows[links[4]] == ["jsonld", f"urls={links[4]}", "ok: 1 posting", "new: jsonld:127.0.0.1"]
    assert rows[links[5]] == ["-", "-", "-", "not a supported platform: 127.0.0.1"]
    assert result.output.splitlines()[-1] == \
        f"6 links: 5 recognised, 1 not supported; 3 new boards written to {out}"
    board_checks = [r["path"] for r in server.log() if r["path"].startswith("/v1/boards/lakesideimaging")]
    assert board_checks == ["/v1/boards/lakesideimaging/jobs"]

    entries = tomllib.loads(out.read_text())["sources"]
    assert [(e["name"], e["platform"], e["enabled"]) for e in entries] == [
        ("greenhouse:lakesideimaging", "greenhouse", False), ("lever:northstar-rad", "lever", False),
        ("jsonld:127.0.0.1", "jsonld", False)]
    assert entries[0]["evidence"].startswith(f"discovered from {links[0]} on ")
    assert out.read_text().startswith("# Boards proposed by `pacsjobs sources discover`, disabled.")
    # a second run proposes nothing twice
    again = run(cfg, links[0], "--no-check", "--output", str(out))
    assert "already proposed (greenhouse:lakesideimaging)" in again.output
    assert len(tomllib.loads(out.read_text())["sources"]) == 3
    # the review file is made of valid sources entries: moved into sources.d they load
    (cfg / "sources.d").mkdir()
    (cfg / "sources.d" / "discovered.toml").write_text(out.read_text())
    loaded = load_config(cfg)
    assert [s.name for s in loaded.sources if not s.enabled] == [e["name"] for e in entries]
    assert "in registry (greenhouse:lakesideimaging)" in run(cfg, links[0], "--no-check").output


def test_no_check_never_fetches_and_refuses_what_it_cannot_read_from_the_address(server, tmp_path):
    cfg = write_config(tmp_path / "config", sources=REGISTRY)
    links_file = tmp_path / "links.txt"
    links_file.write_text("From the recruiter:\nhttps://careers-lakeside.icims.com/jobs/10452/pacs-administrator/job\n"
                          f"{server.url}/plain/careers and https://www.indeed.com/viewjob?jk=1\n")
    result = CliRunner().invoke(main, ["--config", str(cfg), "sources", "discover", str(links_file),
                                       str(tmp_path / "missing.txt"), "--no-check"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"error: {tmp_path / 'missing.txt'}: cannot read: No such file or directory\n"
    rows = table(result.stdout)
    assert rows["https://careers-lakeside.icims.com/jobs/10452/pacs-administrator/job"] == [
        "icims", "url=https://careers-lakeside.icims.com", "not checked", "new: icims:careers-lakeside"]
    assert rows[f"{server.url}/plain/careers"][-1] == "not a supported platform: 127.0.0.1"
    assert rows["https://www.indeed.com/viewjob?jk=1"][-1] == "not a supported platform: www.indeed.com"
    assert server.log() == []
    assert (cfg / "discovered.toml").exists()  # default: beside the config, outside sources.d


def test_from_db_reads_the_links_of_stored_postings(tmp_path):
    cfg = write_config(tmp_path / "config", sources=REGISTRY)
    config = load_config(cfg)
    add(config.database_url, [
        posting("a", url="https://ochsner.wd1.myworkdayjobs.com/en-US/Ochsner/job/New-Orleans/PACS-Analyst_R1"),
        posting("b", url="https://www.usajobs.gov/job/812345600"),
    ])
    result = run(cfg, "--from-db", "--no-check")
    assert result.exit_code == 0, result.output
    rows = table(result.output)
    assert rows["https://ochsner.wd1.myworkdayjobs.com/en-US/Ochsner/job/New-Orleans/PACS-Analyst_R1"] == [
        "workday", "url=https://ochsner.wd1.myworkdayjobs.com/Ochsner", "not checked", "new: workday:ochsner"]
    assert rows["https://www.usajobs.gov/job/812345600"][-1] == "not a supported platform: www.usajobs.gov"


def test_nothing_to_discover_is_a_usage_error(tmp_path):
    result = run(write_config(tmp_path / "config"))
    assert result.exit_code == 2 and "give career-page or job links" in result.output


def test_the_digest_footer_counts_proposed_boards_not_yet_in_the_registry(tmp_path):
    cfg = write_config(tmp_path / "config", sources=REGISTRY, digest={"output_dir": str(tmp_path / "d")})
    config = load_config(cfg)
    assert count_proposed(config) == 0
    (cfg / "discovered.toml").write_text(
        '[[sources]]\nname = "greenhouse:a"\nplatform = "greenhouse"\nenabled = false\nboard = "a"\n\n'
        '[[sources]]\nname = "lever:b"\nplatform = "lever"\nenabled = false\nsite = "b"\n\n'
        '[[sources]]\nname = "greenhouse:viz"\nplatform = "greenhouse"\nenabled = false\nboard = "VizAI"\n')
    assert count_proposed(config) == 2  # VizAI is already in the registry
    add(config.database_url, [posting("p1")])
    profile = SimpleNamespace(name="guide", skills=["PACS"], certifications=[], salary_min=80615.0,
                              salary_max=100189.0, include_non_us=False, to=[])
    with open_store(config.database_url) as store, store.session() as session:
        digest = build_digest(session, config, profile, "guide", now=NOW,
                              scorer=lambda p, prof: SimpleNamespace(score=80.0, components=[], reasons=[]))
    assert digest.summary.proposed_boards == 2
    assert "Discovery proposes 2 new boards to review in discovered.toml." in render_text(digest)
    assert "Discovery proposes 2 new boards to review in discovered.toml." in render_page(digest)
