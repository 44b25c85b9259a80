"""One crawler for many boards (``crawlers.multiplex``): boards of one host share its politeness
(one robots.txt, one delay between requests), and each board keeps its own run, counts and errors."""

from __future__ import annotations

from pacsjobs.config import load_config
from pacsjobs.crawl import run_crawl
from pacsjobs.store import open_store
from tests.helpers import write_config

QUERY = {"content": "true", "pay_transparency": "true"}


def boards(server, n: int) -> list[dict]:
    return [{"name": f"greenhouse:b{i}", "platform": "greenhouse", "board": f"b{i}", "base_url": server.url}
            for i in range(n)]


def listing(i: int, **route) -> dict:
    return {"path": f"/v1/boards/b{i}/jobs", "query": QUERY, "file": "greenhouse/board.json", **route}


def crawl(tmp_path, server, sources, **crawler):
    settings = {"download_delay": 0, "autothrottle": False, "retry_times": 0, **crawler}
    config = load_config(write_config(tmp_path / "config", sources=sources, crawler=settings))
    return {r.source: r for r in run_crawl(config, [s["name"] for s in sources])}


def test_boards_of_one_host_share_its_robots_txt_and_its_delay(tmp_path, server):
    server.routes([listing(i) for i in range(4)])
    results = crawl(tmp_path, server, boards(server, 4), download_delay=0.4, concurrency_per_domain=2)
    assert [r.status for r in results.values()] == ["succeeded"] * 4
    log = server.log()
    assert [r["path"] for r in log].count("/robots.txt") == 1  # once for the host, not once a board
    times = sorted(r["at"] for r in log)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    # DOWNLOAD_DELAY 0.4 with Scrapy's jitter (0.5-1.5x): never two requests within 0.2 s of each other
    assert min(gaps) >= 0.19, gaps
    # every request is some board's: the runs' counts add up to what the host saw
    assert sum(r.requests for r in results.values()) == len(log)


def test_a_failing_board_keeps_its_failure_to_itself(tmp_path, server):
    server.routes([listing(0, status=500, text="down", file=None), listing(1)])
    results = crawl(tmp_path, server, boards(server, 2))
    bad, good = results["greenhouse:b0"], results["greenhouse:b1"]
    assert bad.status in ("partial", "failed") and bad.errors >= 1 and bad.closed == 0
    assert "request failed" in (bad.message or "")
    assert (good.status, good.errors, good.found, good.new) == ("succeeded", 0, 5, 5)
    assert good.cause is None and bad.cause is not None  # the failure's cause is in the failing board's stats


def test_more_boards_than_run_at_once_all_finish(tmp_path, server):
    server.routes([listing(i) for i in range(7)])
    results = crawl(tmp_path, server, boards(server, 7), sources_at_once=2, sources_per_host=1)
    assert [(r.status, r.found) for r in results.values()] == [("succeeded", 5)] * 7
    # one board at a time on the host: each board's run ended before the next one's started
    config = load_config(tmp_path / "config")
    with open_store(config.database_url) as store:
        runs = sorted(store.runs(limit=20), key=lambda r: r.id)
    assert [r.source for r in runs] == [f"greenhouse:b{i}" for i in range(7)]
    assert all(a.finished_at <= b.started_at for a, b in zip(runs, runs[1:], strict=False))


class _Engine:
    """What BoardsSpider reads of Scrapy's engine to tell that nothing is left to do."""

    def __init__(self, busy: bool):
        class Slot:
            inprogress: set = set()
            scheduler = type("S", (), {"has_pending_requests": lambda self: False})()

        self.downloader = type("D", (), {"active": {"request"} if busy else set()})()
        self.scraper = type("Sc", (), {"slot": type("SS", (), {"is_idle": lambda self: True})()})()
        self._slot = Slot()


def test_a_board_whose_work_went_unreported_is_ended_once_the_crawler_is_idle(tmp_path):
    """A request of a board that no callback reports (a bug) must not keep the crawl waiting for ever."""
    import asyncio

    from crawlers.multiplex import Board, BoardsSpider

    folder = write_config(tmp_path / "config", sources=[{"name": "greenhouse:b0", "platform": "greenhouse",
                                                         "board": "b0"}])
    ended: list[str] = []

    class Hooks:
        def begin(self, name): return None
        def end(self, name): ended.append(name)
        def failed(self, name, line): raise AssertionError(line)

    class Signals:
        async def send_catch_log_async(self, signal, **kwargs):
            return []

    async def scenario(busy: bool) -> list[str]:
        ended.clear()
        spider = BoardsSpider(sources=["greenhouse:b0"], config=str(folder), hooks=Hooks(), at_once=2, per_host=1)
        spider.crawler = type("C", (), {"engine": _Engine(busy), "signals": Signals(), "crawling": True})()
        src = spider.config.source("greenhouse:b0")
        spider.boards[src.name] = Board(src, spider=object(), open=1, started=True)
        spider._end_forgotten()
        for _ in range(5):
            await asyncio.sleep(0)
        return list(ended)

    assert asyncio.run(scenario(busy=True)) == []  # a request is still being downloaded: wait
    assert asyncio.run(scenario(busy=False)) == ["greenhouse:b0"]
