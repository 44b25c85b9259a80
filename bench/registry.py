"""A registry-sized crawl: N boards of several platforms served from many loopback hosts.

    python bench/registry.py [--boards 100 1000] [--hosts 32] [--delay SECONDS]

Boards cycle through Greenhouse, Ashby, Lever, NEOGOV (one request each, real-shaped fixtures of
tests/fixtures/) and JobPosting career sites (a listing and three job pages), spread over
127.0.0.2..127.0.0.(hosts+1) so per-domain politeness applies as on the web. For each size:

- the full crawl: ``pacsjobs crawl -q`` of every board (one crawl process, its build worker,
  SQLite), wall time and peak RSS of its largest process;
- the bare crawl: one plain Scrapy spider making exactly the requests the full crawl made (read
  from the server's request log, robots.txt included), with the same politeness settings and
  nothing done with the answers.

Both crawl with the same politeness: ``DOWNLOAD_DELAY`` (the default config's ``download_delay``,
1 s, unless ``--delay`` says otherwise; AutoThrottle off in both so the two are comparable), two
requests at a time per host. Prints per size the full/bare time ratio (target <= 1.25), how polite
the full crawl was (robots.txt fetches per host, the closest two requests to one host), and the
same ratio with no delay at all: the pipeline's own cost per board, which politeness hides on the
web. Then the peak memory from the smallest to the largest size (target: flat).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
PLATFORMS = ("greenhouse", "ashby", "lever", "neogov", "jsonld")
JOB_PAGE = FIX / "jsonld" / "phenom_pacs_administrator.html"


# -- the fleet ------------------------------------------------------------------------------------
def fleet(boards: int, hosts: int, port: int) -> tuple[dict[str, tuple[bytes, str]], list[dict]]:
    """Routes (path -> body, content type) and the [[sources]] entries of ``boards`` boards."""
    routes: dict[str, tuple[bytes, str]] = {}
    sources: list[dict] = []
    bodies = {
        "greenhouse": (FIX / "greenhouse" / "board.json").read_bytes(),
        "ashby": (FIX / "ashby" / "board.json").read_bytes(),
        "lever": (FIX / "lever" / "postings_skip0.json").read_bytes(),
        "neogov": (FIX / "neogov" / "jobsfeed.xml").read_bytes(),
    }
    page = JOB_PAGE.read_text()
    for i in range(boards):
        platform = PLATFORMS[i % len(PLATFORMS)]
        base = f"http://127.0.0.{2 + i % hosts}:{port}"
        name = f"{platform}:b{i}"
        if platform == "greenhouse":
            routes[f"/v1/boards/b{i}/jobs"] = (bodies["greenhouse"], "application/json")
            sources.append({"name": name, "platform": platform, "board": f"b{i}", "base_url": base})
        elif platform == "ashby":
            routes[f"/posting-api/job-board/b{i}"] = (bodies["ashby"], "application/json")
            sources.append({"name": name, "platform": platform, "org": f"b{i}", "base_url": base})
        elif platform == "lever":
            routes[f"/v0/postings/b{i}"] = (bodies["lever"], "application/json")
            sources.append({"name": name, "platform": platform, "site": f"b{i}", "base_url": base})
        elif platform == "neogov":
            routes["/SearchEngine/JobsFeed"] = (bodies["neogov"], "application/rss+xml")
            sources.append({"name": name, "platform": platform, "agency": f"b{i}", "base_url": base})
        else:
            links = []
            for j in range(3):
                path = f"/site{i}/job/{j}.html"
                routes[path] = (page.replace("R24-118273", f"R24-{i}-{j}").encode(), "text/html; charset=utf-8")
                links.append(f'<li><a href="{path}">PACS Administrator {j}</a></li>')
            routes[f"/site{i}/careers.html"] = (f"<!DOCTYPE html><html><body><ul>{''.join(links)}</ul></body></html>"
                                               .encode(), "text/html; charset=utf-8")
            sources.append({"name": name, "platform": "jsonld", "urls": [f"{base}/site{i}/careers.html"],
                            "follow": "/job/"})
    return routes, sources


def serve_main(routes_file: str, hosts: int, log_file: str) -> None:
    """The fleet's server: every route on every host, any method; a line per request in the log."""
    from twisted.internet import reactor
    from twisted.web.resource import Resource
    from twisted.web.server import Site

    raw = json.loads(Path(routes_file).read_text())
    routes = {path: (body.encode("latin-1"), ctype) for path, (body, ctype) in raw.items()}
    log = open(log_file, "a", buffering=1)  # noqa: SIM115 - the server's lifetime

    class Fleet(Resource):
        isLeaf = True

        def render(self, request):  # noqa: N802 - twisted's name
            path = request.path.decode()
            body = request.content.read().decode("latin-1") if request.content else ""
            log.write(json.dumps([request.method.decode(), request.getHeader("host"), request.uri.decode(), body,
                                  time.time()]) + "\n")
            found = routes.get(path)
            if found is None:
                request.setResponseCode(404)
                return b"not found"
            request.setHeader("Content-Type", found[1])
            return found[0]

    site = Site(Fleet())
    site.noisy = False
    first = reactor.listenTCP(0, site, interface="127.0.0.2")
    port = first.getHost().port
    for k in range(3, hosts + 2):
        reactor.listenTCP(port, site, interface=f"127.0.0.{k}")
    print(port, flush=True)
    reactor.run()


def bare_main(requests_file: str, settings_json: str) -> None:
    """A plain Scrapy crawl of exactly these requests (method, URL, body), answers discarded."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    requests = json.loads(Path(requests_file).read_text())

    class Bare(scrapy.Spider):
        name = "bare"

        async def start(self):
            for method, url, body in requests:
                yield scrapy.Request(url, method=method, body=body or None, dont_filter=True,
                                     callback=self.parse, errback=self.parse)

        def parse(self, response):
            return None

    process = CrawlerProcess(json.loads(settings_json))
    process.crawl(Bare)
    process.start()


# -- measuring ------------------------------------------------------------------------------------
def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of the largest process of ``cmd``'s tree."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "rc = subprocess.run(sys.argv[1:]).returncode; "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, rc)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], env=env, cwd=cwd, capture_output=True, text=True,
                         timeout=3600)
    seconds, rss, rc = out.stdout.split()[-3:]
    if rc not in ("0", "1"):
        raise SystemExit(f"bench: {' '.join(cmd[:3])} failed ({rc}): {out.stderr[-2000:]}")
    return float(seconds), float(rss)


def politeness(lines: list[list]) -> tuple[float, float]:
    """robots.txt fetches per host, and the closest two requests to one host (seconds)."""
    by_host: dict[str, list[float]] = {}
    robots = 0
    for _method, host, uri, _body, at in lines:
        by_host.setdefault(host, []).append(at)
        robots += uri == "/robots.txt"
    gaps = [b - a for times in by_host.values() for a, b in zip(sorted(times), sorted(times)[1:], strict=False)]
    return robots / max(1, len(by_host)), min(gaps, default=float("inf"))


def one_size(work: Path, boards: int, hosts: int, delay: float) -> tuple[float, float, float, int, tuple]:
    sys.path[:0] = [str(ROOT)]
    from tests.helpers import write_config

    folder = work / f"n{boards}-d{delay:g}"
    folder.mkdir()
    routes, _ = fleet(boards, hosts, 0)  # the paths do not depend on the port
    (folder / "routes.json").write_text(json.dumps({p: (b.decode("latin-1"), c) for p, (b, c) in routes.items()}))
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(folder / "routes.json"), str(hosts),
                               str(folder / "requests.log")], stdout=subprocess.PIPE, text=True)
    try:
        _, sources = fleet(boards, hosts, int(server.stdout.readline()))
        config = write_config(folder / "config", sources=sources,
                              crawler={"download_delay": delay, "autothrottle": False, "retry_times": 0,
                                       "time_limit": 3000, "concurrency_per_domain": 2})
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
        full, full_rss = timed([sys.executable, "-m", "pacsjobs", "--config", str(config), "crawl", "-q"],
                               env, folder)
        lines = [json.loads(line) for line in (folder / "requests.log").read_text().splitlines()]
        requests = [(m, f"http://{host}{uri}", body) for m, host, uri, body, _ in lines]
        (folder / "requests.json").write_text(json.dumps(requests))
        (folder / "requests.log").write_text("")
        settings = {"CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 2, "DOWNLOAD_DELAY": delay,
                    "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": False, "RETRY_ENABLED": False,
                    "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False,
                    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
                    "HTTPERROR_ALLOW_ALL": True}
        bare, _ = timed([sys.executable, __file__, "--bare", str(folder / "requests.json"), json.dumps(settings)],
                        env, folder)
        replayed = len((folder / "requests.log").read_text().splitlines())
        if replayed != len(requests):
            print(f"  warning: the bare crawl made {replayed} requests, the full one {len(requests)}")
        return full, bare, full_rss, len(requests), politeness(lines)
    finally:
        server.kill()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--boards", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--hosts", type=int, default=32)
    parser.add_argument("--delay", type=float, default=None,
                        help="seconds between requests to one host (default: the config's download_delay)")
    parser.add_argument("--serve", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--bare", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_main(args.serve[0], int(args.serve[1]), args.serve[2])
        return
    if args.bare:
        bare_main(*args.bare)
        return
    delay = args.delay
    if delay is None:
        sys.path[:0] = [str(ROOT / "src")]
        from pacsjobs.config import CrawlerSettings

        delay = CrawlerSettings().download_delay
    work = Path(tempfile.mkdtemp(prefix="pacsjobs-bench-registry-"))
    try:
        rows = []
        for n in args.boards:
            started = time.perf_counter()
            full, bare, rss, requests, (robots, closest) = one_size(work, n, args.hosts, delay)
            rows.append((n, full, bare, rss))
            print(f"{n} boards, {requests} requests, delay {delay:g} s: full {full:.1f} s, bare {bare:.1f} s, "
                  f"ratio {full / bare:.2f} (target <= 1.25); peak RSS {rss:.0f} MB; robots.txt {robots:.1f} "
                  f"a host; closest two requests to a host {closest:.2f} s", flush=True)
            if delay > 0:
                full0, bare0, _, _, _ = one_size(work, n, args.hosts, 0.0)
                print(f"  without politeness (delay 0): full {full0:.1f} s, bare {bare0:.1f} s, "
                      f"ratio {full0 / bare0:.2f} (the pipeline's own cost) ({time.perf_counter() - started:.0f} s)",
                      flush=True)
        if len(rows) > 1:
            print(f"peak RSS {rows[0][3]:.0f} MB at {rows[0][0]} boards, {rows[-1][3]:.0f} MB at {rows[-1][0]} "
                  f"boards: x{rows[-1][3] / rows[0][3]:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
