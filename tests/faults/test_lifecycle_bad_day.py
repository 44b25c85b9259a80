"""Issue 11 §1: a board's bad day closes nothing.

Every source is crawled once on a good day, then once more with one fault each (all sources in
one crawl process, to keep this to two crawls a backend). A fault may make a crawl partial or
failed; it may never close a posting that is open, and the run must say why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pacsjobs.config import load_config
from pacsjobs.crawl import run_crawl
from tests.faults.lifecycle_db import assert_sound, open_postings
from tests.helpers import write_config
from tests.test_e2e_oracle import details as oracle_details
from tests.test_e2e_oracle import listing as oracle_listing
from tests.test_e2e_workday import BOARD_URL
from tests.test_e2e_workday import details as workday_details
from tests.test_e2e_workday import listing as workday_listing

FIX = Path(__file__).resolve().parent.parent / "fixtures"
GREENHOUSE = "/v1/boards/meridianimaging/jobs"
GH_QUERY = {"content": "true", "pay_transparency": "true"}
ASHBY = "/posting-api/job-board/lumenrad"
LEVER = "/v0/postings/northstar-rad"
SITE = FIX / "jsonld" / "site"
HTML = "text/html; charset=utf-8"
MALFORMED = [None, 1, "x", {"id": None}]
MAINTENANCE = ("<!DOCTYPE html><html><head><title>Down for maintenance</title></head><body>"
               "<h1>We'll be back soon</h1><p>Our careers site is being updated.</p></body></html>")


@dataclass
class Case:
    name: str
    platform: str
    options: dict[str, Any]
    good: list[dict[str, Any]]
    bad: list[dict[str, Any]]
    why: str  # a piece of the run's message
    extra: dict[str, Any] = field(default_factory=dict)

    def source(self, base: str) -> dict[str, Any]:
        entry = {"name": self.name, "platform": self.platform, **self.options}
        if self.platform != "jsonld":
            entry["base_url"] = f"{base}/{self.name}"
        return entry


def _greenhouse(name: str, bad: dict[str, Any], why: str) -> Case:
    path = f"/{name}{GREENHOUSE}"
    return Case(name, "greenhouse", {"board": "meridianimaging"},
                [{"path": path, "query": GH_QUERY, "file": "greenhouse/board.json"}],
                [{"path": path, "query": GH_QUERY, **bad}], why)


def _lever_page(name: str, skip: int, **route: Any) -> dict[str, Any]:
    return {"path": f"/{name}{LEVER}", "query": {"mode": "json", "skip": skip, "limit": 2}, **route}


def _site(name: str, base: str, **replace: str) -> list[dict[str, Any]]:
    """The fixture site (a listing, three posting pages) under /<name>/, pages replaced by text."""
    routes = []
    for rel in ("careers.html", "jobs/pacs-administrator.html", "jobs/imaging-informatics-analyst.html",
                "jobs/registered-nurse.html"):
        path = f"/{name}/{rel}"
        if rel in replace:
            routes.append({"path": path, "text": replace[rel], "content_type": HTML})
            continue
        page = (SITE / rel).read_text().replace("{{BASE_URL}}", base).replace("/jsonld/site/", f"/{name}/")
        routes.append({"path": path, "text": page, "content_type": HTML})
    return routes


def _jsonld(name: str, base: str, why: str, **replace: str) -> Case:
    return Case(name, "jsonld", {"urls": [f"{base}/{name}/careers.html"], "follow": "/jobs/"},
                _site(name, base), _site(name, base, **replace), why)


def _workday(name: str, why: str, total: int | None = None, malformed: bool = False,
             binary_detail: bool = False) -> Case:
    prefix = f"/{name}"
    good = [workday_listing("PACS", 0, "jobs_pacs_offset0.json", prefix),
            workday_listing("PACS", 20, "jobs_pacs_offset20.json", prefix), *workday_details(prefix)]
    bad = [dict(r) for r in good]
    first = json.loads((FIX / "workday" / "jobs_pacs_offset0.json").read_text())
    if total is not None:  # the first page states more than the board holds
        first["total"] = total
    if binary_detail:  # the first posting changed (its detail is fetched again) ...
        first["jobPostings"][0]["title"] += " (Nights)"
    if total is not None or binary_detail:
        bad[0] = {**{k: v for k, v in bad[0].items() if k != "file"}, "text": json.dumps(first),
                  "content_type": "application/json"}
    if malformed:  # the second page's entries cannot be read
        bad[1] = {**{k: v for k, v in bad[1].items() if k != "file"}, "content_type": "application/json",
                  "text": json.dumps({"total": 0, "jobPostings": MALFORMED})}
    if binary_detail:  # ... and its detail answers 200 with binary bytes
        bad[2] = {"path": bad[2]["path"], "file": "faults/analyst.html.gz", "content_type": "application/json"}
    return Case(name, "workday", {"url": BOARD_URL, "keywords": ["PACS"]}, good, bad, why)


def _smartrecruiters() -> Case:
    """Two listing pages of two (and a detail each); on the bad day page two's entries are unreadable."""
    name, company = "sr-malformed", "LakesideHealthSystem"
    path = f"/{name}/v1/companies/{company}/postings"
    ids = ["744000091234567", "744000091299881", "744000090871200", "744000090911455"]
    details = [{"path": f"{path}/{i}", "file": f"smartrecruiters/posting_{i}.json"} for i in ids]
    page = {"path": path, "query": {"limit": 2, "offset": 2}}
    second = json.loads((FIX / "smartrecruiters" / "postings_offset2.json").read_text())
    second["content"] = MALFORMED[:2]
    return Case(name, "smartrecruiters", {"company": company, "page_size": 2},
                [{"path": path, "query": {"limit": 2, "offset": 0}, "file": "smartrecruiters/postings_offset0.json"},
                 {**page, "file": "smartrecruiters/postings_offset2.json"}, *details],
                [{"path": path, "query": {"limit": 2, "offset": 0}, "file": "smartrecruiters/postings_offset0.json"},
                 {**page, "text": json.dumps(second), "content_type": "application/json"}, *details],
                "unreadable entries")


def _usajobs() -> Case:
    """Two pages of a search; on the bad day page two answers 200 with a maintenance page."""
    name = "usajobs"
    pages = [{"path": f"/{name}/api/Search", "query": {"Keyword": "PACS", "Page": str(n)},
              "file": f"usajobs/search_pacs_page{n}.json"} for n in (1, 2)]
    bad = [pages[0], {**{k: v for k, v in pages[1].items() if k != "file"}, "text": MAINTENANCE,
                      "content_type": HTML}]
    return Case(name, "usajobs", {"keywords": ["PACS"], "results_per_page": 2}, pages, bad, "bad payload")


def _oracle() -> Case:
    """Two listing pages of a search; on the bad day the second page's requisitions are unreadable."""
    name = "oracle-malformed"
    good = [oracle_listing("PACS", 0, "reqs_pacs_offset0.json", f"/{name}"),
            oracle_listing("PACS", 25, "reqs_pacs_offset25.json", f"/{name}"), *oracle_details(f"/{name}")]
    second = json.loads((FIX / "oracle" / "reqs_pacs_offset25.json").read_text())
    second["items"][0]["requisitionList"] = MALFORMED
    bad = [good[0], {**{k: v for k, v in good[1].items() if k != "file"}, "text": json.dumps(second),
                     "content_type": "application/json"}, *good[2:]]
    return Case(name, "oracle", {"host": "evac.fa.us2.oraclecloud.com", "site": "CX_1", "keywords": ["PACS"]},
                good, bad, "unreadable entries")


def _cut_json_ld(page: str) -> str:
    """The page whole, but its JSON-LD cut off in the middle (the template ran out, the tags did not)."""
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    end = page.index("</script>", start)
    return page[:start] + page[start:(start + end) // 2] + page[end:]


def _cut(text: str, after: str) -> str:
    return text[:text.index(after) + len(after)]


def cases(base: str) -> list[Case]:
    board = (FIX / "greenhouse" / "board.json").read_text()
    pacs = (SITE / "jobs" / "pacs-administrator.html").read_text()
    listing = (SITE / "careers.html").read_text().replace("/jsonld/site/", "/cut-listing/")
    binary_route = {"file": "faults/analyst.html.gz", "content_type": HTML}
    out = [
        _greenhouse("gh-total", {"text": json.dumps({"jobs": [], "meta": {"total": 5}}),
                                 "content_type": "application/json"}, "reports 5 postings, fetched 0"),
        _greenhouse("gh-malformed", {"text": json.dumps({"jobs": MALFORMED, "meta": {"total": 4}}),
                                     "content_type": "application/json"}, "unreadable entries"),
        _greenhouse("gh-maintenance", {"text": MAINTENANCE, "content_type": HTML}, "bad payload"),
        _greenhouse("gh-binary", {"file": "faults/analyst.html.gz", "content_type": "application/json"},
                    "bad payload"),
        _greenhouse("gh-truncated", {"text": board[:len(board) // 2], "content_type": "application/json"},
                    "bad payload"),
        Case("ashby-malformed", "ashby", {"org": "lumenrad"},
             [{"path": f"/ashby-malformed{ASHBY}", "file": "ashby/board.json"}],
             [{"path": f"/ashby-malformed{ASHBY}", "text": json.dumps({"apiVersion": "1", "jobs": MALFORMED}),
               "content_type": "application/json"}], "unreadable entries"),
        # Lever states no count: a first page of four unreadable entries is still a full page
        Case("lever-malformed", "lever", {"site": "northstar-rad", "page_size": 2},
             [_lever_page("lever-malformed", s, file=f"lever/postings_skip{s}.json") for s in (0, 2, 4)],
             [_lever_page("lever-malformed", 0, text=json.dumps(MALFORMED), content_type="application/json"),
              *[_lever_page("lever-malformed", s, file=f"lever/postings_skip{s}.json") for s in (2, 4)]],
             "unreadable entries"),
        _jsonld("page-maintenance", base, "no posting and no job link",
                **{"jobs/pacs-administrator.html": MAINTENANCE}),
        _jsonld("page-truncated-jsonld", base, "cut off",
                **{"jobs/pacs-administrator.html": _cut(pacs, '"title"')}),
        _jsonld("cut-listing", base, "cut off",
                **{"careers.html": _cut(listing.replace("{{BASE_URL}}", base), "</a>")}),
    ]
    out += [_workday("wd-total", "reports 25 postings, fetched 22", total=25),
            _workday("wd-malformed", "unreadable entries", malformed=True),
            _workday("wd-detail-binary", "bad payload", binary_detail=True),
            _smartrecruiters(), _usajobs(), _oracle(),
            _jsonld("page-broken-jsonld", base, "unreadable JSON-LD",
                    **{"jobs/pacs-administrator.html": _cut_json_ld(pacs)})]
    binary = _jsonld("page-binary", base, "binary content")
    binary.bad = [r if not r["path"].endswith("analyst.html") else {"path": r["path"], **binary_route}
                  for r in binary.bad]
    return [*out, binary]


def test_a_bad_day_closes_nothing_and_says_why(db_url, tmp_path, server, monkeypatch):
    monkeypatch.setenv("USAJOBS_API_KEY", "test-key-123")  # the crawl process inherits them
    monkeypatch.setenv("USAJOBS_EMAIL", "seeker@example.org")
    all_cases = cases(server.url)
    config = load_config(write_config(tmp_path / "config", database_url=db_url,
                                      sources=[c.source(server.url) for c in all_cases]))
    server.routes([r for c in all_cases for r in c.good])
    good = {r.source: r for r in run_crawl(config, log_dir=tmp_path / "logs")}
    for case in all_cases:
        assert good[case.name].status == "succeeded", (case.name, good[case.name].message)
        assert good[case.name].found >= 3, case.name
    before = open_postings(db_url)

    server.routes([r for c in all_cases for r in c.bad])
    bad = {r.source: r for r in run_crawl(config, log_dir=tmp_path / "logs")}
    wrong = [(c.name, r.status, r.closed, r.message) for c in all_cases if (r := bad[c.name])
             and (r.status not in ("partial", "failed") or r.closed or c.why not in (r.message or ""))]
    assert wrong == []
    assert_sound(db_url, still_open=before)
    assert open_postings(db_url) == before
