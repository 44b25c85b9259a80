"""The packaged boards on the page-read and hospital platforms load, start their spider, and are listed.

The registry's entries for iCIMS, Jobvite, Taleo, UKG, HealthcareSource, Phenom, SuccessFactors and
NEOGOV carry only the options their spider needs (a portal, a company, a section, an agency); a
missing or malformed one must fail here, in the config loader or the spider's constructor, not on
the first crawl. No request is sent: only the spider's first requests are built.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import scrapy
from click.testing import CliRunner

from crawlers.spiders.base import PlatformSpider
from pacsjobs.cli import main
from pacsjobs.paths import DEFAULTS
from pacsjobs.sources import platform_module

REPO_CONFIG = Path(__file__).resolve().parent.parent / "config"
PLATFORMS = ("icims", "jobvite", "taleo", "ukg", "healthcaresource", "phenom", "successfactors", "neogov")
PACKAGED = sorted(
    (entry["platform"], entry["name"])
    for path in (DEFAULTS / "sources.d").glob("*.toml")
    for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("sources", [])
    if entry["platform"] in PLATFORMS
)


def spider_class(platform: str) -> type[PlatformSpider]:
    module = importlib.import_module(f"crawlers.spiders.{platform}")
    found = [c for _, c in inspect.getmembers(module, inspect.isclass)
             if issubclass(c, PlatformSpider) and c.name == platform]
    assert len(found) == 1, found
    return found[0]


async def first_requests(spider: PlatformSpider) -> list[scrapy.Request]:
    return [request async for request in spider.start()]


def test_the_registry_has_boards_on_the_page_read_platforms():
    assert {"icims", "jobvite"} <= {platform for platform, _ in PACKAGED}


@pytest.mark.parametrize(("platform", "name"), PACKAGED, ids=[n for _, n in PACKAGED])
def test_each_packaged_board_loads_and_builds_its_first_requests(platform, name):
    spider = spider_class(platform)(source=name, config=str(REPO_CONFIG))
    requests = asyncio.run(first_requests(spider))
    assert requests and all(isinstance(r, scrapy.Request) for r in requests)
    # the same host `pacsjobs sources --check` asks: the board's own address, not a default
    _, check_url, _, _ = platform_module(platform).first_page_request(spider.source_cfg)
    assert {urlsplit(r.url).netloc for r in requests} == {urlsplit(check_url).netloc}


@pytest.mark.parametrize("platform", sorted({p for p, _ in PACKAGED}))
def test_sources_lists_the_packaged_boards_of_a_platform(platform):
    result = CliRunner().invoke(main, ["--config", str(REPO_CONFIG), "sources", "--platform", platform])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    expected = sorted(n for p, n in PACKAGED if p == platform)
    assert sorted(line.split()[0] for line in lines[1:-1]) == expected
    assert lines[-1].startswith(f"{len(expected)} of ") and lines[-1].endswith(f", {len(expected)} enabled")
