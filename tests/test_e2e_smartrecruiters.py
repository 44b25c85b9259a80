"""SmartRecruiters end to end: listing pages and detail requests, first crawl and incremental re-crawls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("pacsjobs.crawl", reason="pacsjobs.crawl (run_crawl) is not written yet")

from sqlalchemy import select  # noqa: E402

from pacsjobs.config import load_config  # noqa: E402
from pacsjobs.crawl import run_crawl  # noqa: E402
from pacsjobs.store import open_store  # noqa: E402
from pacsjobs.store.models import PostingRow  # noqa: E402
from tests.helpers import write_config  # noqa: E402

FIX = Path(__file__).parent / "fixtures" / "smartrecruiters"
LIST = "/v1/companies/LakesideHealthSystem/postings"
SOURCE = "smartrecruiters:lakeside"
IDS = ["744000091234567", "744000091299881", "744000090871200", "744000090911455"]
ADMIN, RN = IDS[0], IDS[2]


def _page(offset: int, name: str, **route):
    return {"path": LIST, "query": {"limit": 2, "offset": offset}, "file": f"smartrecruiters/{name}", **route}


def _details():
    return [{"path": f"{LIST}/{pid}", "file": f"smartrecruiters/posting_{pid}.json"} for pid in IDS]


def _config(tmp_path, server, **options):
    folder = write_config(tmp_path / "config", sources=[{
        "name": SOURCE, "platform": "smartrecruiters", "employer": "Lakeside Health System", "group": "health-systems",
        "company": "LakesideHealthSystem", "page_size": 2, "base_url": server.url, **options}])
    return load_config(folder)


def _rows(config):
    with open_store(config.database_url) as store, store.session() as s:
        return {r.source_id: r for r in s.scalars(select(PostingRow).where(PostingRow.source == SOURCE))}


def _requests(server, start: int = 0):
    log = server.log()[start:]
    return ([r for r in log if r["path"] == LIST], [r for r in log if r["path"].startswith(LIST + "/")])


def test_first_crawl_unchanged_recrawl_and_closing(tmp_path, server):
    server.routes([_page(0, "postings_offset0.json", times=2), _page(2, "postings_offset2.json", times=2),
                   _page(0, "later_offset0.json"), _page(2, "later_offset2.json"), *_details()])
    config = _config(tmp_path, server)

    [first] = run_crawl(config, [SOURCE])
    assert first.status == "succeeded", first.message
    pages, details = _requests(server)
    assert [int(p["query"]["offset"]) for p in pages] == [0, 2]  # paged to totalFound
    assert sorted(d["path"].rsplit("/", 1)[1] for d in details) == sorted(IDS)
    assert (first.reported, first.fetched, first.new) == (4, 4, 4)
    assert first.requests == len(server.log())
    admin = _rows(config)[ADMIN]
    assert admin.url.endswith(f"/LakesideHealthSystem/{ADMIN}-pacs-administrator")
    assert "CIIP or PARCA" in admin.description_text and admin.workplace == "hybrid"
    assert (admin.salary_min, admin.salary_max, admin.salary_period) == (38.75, 52.31, "hour")
    assert admin.is_pacs_role and not _rows(config)[RN].is_pacs_role

    mark = len(server.log())
    [again] = run_crawl(config, [SOURCE])  # nothing changed: listing pages only, no detail request
    assert again.status == "succeeded", again.message
    pages, details = _requests(server, mark)
    assert (len(pages), len(details), again.requests_saved, again.closed) == (2, 0, 4, 0)
    assert again.requests == len(server.log()) - mark

    mark = len(server.log())
    [later] = run_crawl(config, [SOURCE])  # the RN job is gone: closed after this complete crawl
    assert later.status == "succeeded", later.message
    assert (later.reported, later.fetched, later.closed) == (3, 3, 1)
    assert _requests(server, mark)[1] == []
    assert _rows(config)[RN].closed_at is not None


def test_count_mismatch_and_bad_detail_then_the_detail_is_fetched_again(tmp_path, server):
    short = json.loads((FIX / "postings_offset0.json").read_text())
    short["totalFound"] = 3  # the source under-reports: fetched 4 != reported 3
    server.routes([{"path": LIST, "query": {"limit": 2, "offset": 0}, "text": json.dumps(short),
                    "content_type": "application/json"},
                   _page(2, "postings_offset2.json"),
                   {"path": f"{LIST}/{ADMIN}", "text": "<html><body>Oops</body></html>",
                    "content_type": "text/html", "times": 1},
                   *_details()])
    config = _config(tmp_path, server)
    [first] = run_crawl(config, [SOURCE])
    assert first.status == "partial"  # one detail was an HTML page: counted, nothing closed
    assert (first.reported, first.fetched, first.found) == (3, 4, 4)
    admin = _rows(config)[ADMIN]
    assert admin.description_text in (None, "") and admin.source_updated is None  # stored from its listing

    mark = len(server.log())
    [second] = run_crawl(config, [SOURCE])
    assert second.status == "succeeded", second.message
    details = [d["path"].rsplit("/", 1)[1] for d in _requests(server, mark)[1]]
    assert details == [ADMIN]  # only the posting whose detail failed is fetched again
    assert "CIIP or PARCA" in _rows(config)[ADMIN].description_text


def test_keywords_search_the_company_board(tmp_path, server):
    server.routes([{"path": LIST, "query": {"q": "PACS", "offset": 0}, "file": "smartrecruiters/search_pacs.json"},
                   *_details()])
    config = _config(tmp_path, server, keywords=["PACS"], page_size=100)
    [result] = run_crawl(config, [SOURCE])
    assert result.status == "succeeded", result.message
    assert (result.reported, result.fetched, result.found) == (1, 1, 1)
    assert list(_rows(config)) == [ADMIN]
