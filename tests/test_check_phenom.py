"""``pacsjobs sources --check`` on Phenom boards: the sitemap, which is what the crawl reads first.

A board is OK when its sitemap answers and is a sitemap read to its end (a sitemap of job pages
counts those the crawl would fetch); it moved when the sitemap redirects or is gone; it failed
when the site answers an HTML page, or a sitemap cut short, in its place.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner

from pacsjobs.cli import main
from pacsjobs.errors import ParseError
from pacsjobs.sources import phenom
from tests.helpers import write_config

SITE = "https://careers.example-health.org"
FIXTURES = Path(__file__).parent / "fixtures" / "phenom"
SITEMAP1 = (FIXTURES / "sitemap1.xml").read_bytes()


def _board(server, name: str, prefix: str, **options) -> dict:
    return {"name": name, "platform": "phenom", "url": SITE, "base_url": f"{server.url}{prefix}", **options}


def test_check_reads_each_phenom_board_by_its_sitemap(server, tmp_path):
    pages = SITEMAP1.decode()
    server.routes([
        {"path": "/index/sitemap.xml", "file": "phenom/sitemap.xml"},
        {"path": "/pages/us/en/sitemap1.xml", "file": "phenom/sitemap1.xml"},
        {"path": "/pacs/us/en/sitemap1.xml", "file": "phenom/sitemap1.xml"},
        {"path": "/gz/us/en/sitemap2.xml.gz", "file": "phenom/sitemap2.xml.gz"},
        {"path": "/moved/sitemap.xml", "status": 301,
         "headers": {"Location": "https://jobs.example-health.org/sitemap.xml"}},
        {"path": "/home/sitemap.xml", "status": 302, "headers": {"Location": "/"}},
        {"path": "/gone/sitemap.xml", "status": 404, "text": "Not Found"},
        {"path": "/html/sitemap.xml", "content_type": "text/html",
         "text": "<!DOCTYPE html><html><body><h1>Welcome to Northwest Health</h1></body></html>"},
        {"path": "/cut/sitemap.xml", "content_type": "application/xml",
         "text": pages[:pages.index("R24-120511") - 60]},
    ])
    cfg = write_config(tmp_path / "config", sources=[
        _board(server, "phenom:index", "/index"),
        _board(server, "phenom:pages", "/pages", sitemap="/us/en/sitemap1.xml"),
        _board(server, "phenom:pacs", "/pacs", sitemap=f"{SITE}/us/en/sitemap1.xml",
               slug_keywords=["pacs", "imaging informatics"]),
        _board(server, "phenom:gz", "/gz", sitemap="/us/en/sitemap2.xml.gz"),
        _board(server, "phenom:moved", "/moved"),
        _board(server, "phenom:home", "/home"),
        _board(server, "phenom:gone", "/gone"),
        _board(server, "phenom:html", "/html"),
        _board(server, "phenom:cut", "/cut"),
    ])
    result = CliRunner().invoke(main, ["--config", str(cfg), "sources", "--check"])
    assert result.exit_code == 1, result.output
    check = result.output.split("checking 9 enabled sources...\n", 1)[1].splitlines()
    got = {line.split()[0]: line.split(None, 2)[1:] for line in check[1:-2]}
    assert got["phenom:index"] == ["OK", "board page answered (postings are counted when crawled)"]
    assert got["phenom:pages"] == ["OK", "3 postings"]  # the job pages, not home, search or category
    assert got["phenom:pacs"] == ["OK", "2 postings"]  # slug_keywords: PACS-Administrator, Imaging-Informatics
    assert got["phenom:gz"] == ["OK", "2 postings"]  # a .xml.gz served as it is
    assert got["phenom:moved"] == ["MOVED", "HTTP 301 -> https://jobs.example-health.org/sitemap.xml"]
    assert got["phenom:home"] == ["MOVED", "HTTP 302 -> /"]
    assert got["phenom:gone"][0] == "MOVED" and got["phenom:gone"][1].startswith("HTTP 404 (gone): ")
    assert got["phenom:html"][0] == "FAILED" and "expected a sitemap, got an HTML page" in got["phenom:html"][1]
    assert got["phenom:cut"][0] == "FAILED" and "the sitemap is cut short" in got["phenom:cut"][1]
    assert check[-2] == ("by cause: 404 1, HTML instead of a sitemap 1, moved 1, not a phenom answer 1, "
                         "redirect to home page 1")
    assert check[-1] == "4 ok, 3 moved, 2 failed, 0 skipped"
    # one request a board: its sitemap, as the crawl asks for it (an index is not followed here)
    log = server.log()
    assert sorted(r["path"] for r in log) == sorted([
        "/index/sitemap.xml", "/pages/us/en/sitemap1.xml", "/pacs/us/en/sitemap1.xml",
        "/gz/us/en/sitemap2.xml.gz", "/moved/sitemap.xml", "/home/sitemap.xml", "/gone/sitemap.xml",
        "/html/sitemap.xml", "/cut/sitemap.xml"])
    assert all(r["headers"]["user-agent"] == "pacsjobs/0.1.0 (+mailto:tests@example.org)" for r in log)


@pytest.mark.parametrize(("payload", "problem"), [
    (b"\x1f\x8b\x08\x00" + b"no deflate stream" * 8, "got a broken or oversized gzip file"),
    (gzip.compress(SITEMAP1)[:300], "the sitemap is cut short"),  # gunzips to what it holds
    (b"", "got an empty answer"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Jobs</title></channel></rss>',
     "got no sitemap XML"),
    (b"<html><body>Maintenance</body></html>", "got an HTML page"),
])
def test_what_is_no_whole_sitemap(payload, problem):
    with pytest.raises(ParseError, match=problem):
        phenom.check_page(payload, "https://careers.example-health.org/sitemap.xml")


def test_a_gzipped_sitemap_of_pages_counts_what_the_crawl_fetches():
    assert phenom.check_page(gzip.compress(SITEMAP1)) == 3
    assert phenom.check_page(SITEMAP1, options={"url_pattern": r"/job/R24-11"}) == 2
    assert phenom.check_page((FIXTURES / "sitemap.xml").read_bytes()) is None  # an index
