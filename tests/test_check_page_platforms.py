"""``pacsjobs sources --check`` on iCIMS, Jobvite and SuccessFactors boards (their first_page_request)."""

from __future__ import annotations

from click.testing import CliRunner

from pacsjobs.cli import main
from tests.helpers import write_config


def test_check_asks_each_board_for_its_first_page(server, tmp_path):
    server.routes([
        {"path": "/ic/jobs/search", "query": {"searchKeyword": "PACS", "pr": 0, "in_iframe": 1},
         "file": "icims/search_pacs_pr0.html"},
        {"path": "/jv/harborvalley/search", "query": {"q": "PACS", "p": 0}, "file": "jobvite/search_pacs_p0.html"},
        {"path": "/sf/googlefeed.xml", "file": "successfactors/googlefeed.xml"},
        {"path": "/sfhtml/googlefeed.xml", "content_type": "text/html", "text": "<html><body>Careers</body></html>"},
        {"path": "/jvgone/harborvalley/search", "status": 302, "headers": {"Location": "https://www.jobvite.com/"}},
    ])
    cfg = write_config(tmp_path / "config", sources=[
        {"name": "icims:harbor", "platform": "icims", "url": "https://careers-harborvalley.icims.com",
         "base_url": f"{server.url}/ic"},
        {"name": "jobvite:harbor", "platform": "jobvite", "company": "harborvalley", "base_url": f"{server.url}/jv"},
        {"name": "successfactors:lakeshore", "platform": "successfactors",
         "url": "https://careers.lakeshorehealth.example", "base_url": f"{server.url}/sf"},
        {"name": "successfactors:html", "platform": "successfactors",
         "url": "https://careers.lakeshorehealth.example", "base_url": f"{server.url}/sfhtml"},
        {"name": "jobvite:gone", "platform": "jobvite", "company": "harborvalley", "base_url": f"{server.url}/jvgone"},
    ])
    result = CliRunner().invoke(main, ["--config", str(cfg), "sources", "--check"])
    lines = {line.split()[0]: line.split(None, 2)[1:] for line in result.output.splitlines()
             if line.split() and ":" in line.split()[0]}
    assert lines["icims:harbor"] == ["OK", "3 postings"]  # the cards of the first page
    assert lines["jobvite:harbor"] == ["OK", "4 postings"]  # "1-3 of 4"
    assert lines["successfactors:lakeshore"] == ["OK", "5 postings"]
    assert lines["successfactors:html"][0] == "FAILED" and "got an HTML page" in lines["successfactors:html"][1]
    assert lines["jobvite:gone"][0] == "MOVED" and "https://www.jobvite.com/" in lines["jobvite:gone"][1]
