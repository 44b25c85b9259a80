"""Benchmark: the full jsonld spider + pipeline into SQLite against a bare Scrapy crawl.

    python bench/crawl.py --pages 2000

Generates N posting pages from a real-format template (tests/fixtures/jsonld/
phenom_pacs_administrator.html, a Phenom-style hospital page) and a listing page linking to all of
them, serves them from a local Twisted web server, and crawls them in child processes:

- bare: a Scrapy spider that follows the listing and yields a raw dict per page, no pipeline;
- full: ``JsonldSpider`` + ``PostingPipeline`` (parse, normalize, classify, upsert into SQLite);
- both again with 2N pages, to show peak memory does not grow with N.

Bare and full crawls alternate ``--rounds`` times (default 5) and their median rates are compared:
on a small, shared machine one pair of crawls can differ by a third either way. Prints pages/second
of each crawl, the ratio full/bare (target >= 0.8), the peak RSS of each child, and the CPU seconds
the crawler spent while crawling, its build worker and the web server.

The full crawl runs as ``pacsjobs crawl`` runs it (``crawlers.run``): the build worker starts with
the crawl process, so its start-up, like the crawler's own imports, is outside both rates.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "tests" / "fixtures" / "jsonld" / "phenom_pacs_administrator.html"
TITLES = ["PACS Administrator", "Imaging Informatics Analyst", "Radiology IT Specialist",
          "PACS Systems Analyst", "Registered Nurse", "Clinical Applications Analyst - Radiology",
          "CT Technologist", "MRI Technologist", "Radiology Scheduler", "Enterprise Imaging Engineer",
          "HL7 Interface Analyst", "Epic Radiant Analyst", "Sonographer", "Nuclear Medicine Technologist",
          "Mammography Technologist", "Help Desk Analyst", "Network Engineer", "Medical Assistant"]
EMPLOYERS = [f"{place} {kind}" for place in ("Harbor Valley", "Lakeside", "Northwest", "Mercy", "Riverside",
                                             "St. Luke's", "Summit", "Cedar Ridge")
             for kind in ("Health", "Medical Center", "Imaging", "Hospital", "Clinic")]
CITIES = [("Valparaiso", "IN", "46383"), ("Portland", "ME", "04102"), ("Madison", "WI", "53703"),
          ("Cleveland", "OH", "44195"), ("Tucson", "AZ", "85719"), ("Nashville", "TN", "37232"),
          ("Boise", "ID", "83702"), ("Omaha", "NE", "68198"), ("Richmond", "VA", "23219"),
          ("Albany", "NY", "12208"), ("Fresno", "CA", "93701"), ("Tulsa", "OK", "74104"),
          ("Savannah", "GA", "31401"), ("Spokane", "WA", "99204"), ("Wichita", "KS", "67214")]


# -- the site -------------------------------------------------------------------------------
def make_site(folder: Path, pages: int) -> None:
    """N posting pages (the template with id, title, place and pay varied) and one listing page."""
    template = TEMPLATE.read_text()
    jobs = folder / "jobs"
    jobs.mkdir(parents=True, exist_ok=True)
    links = []
    for i in range(pages):
        title = TITLES[i % len(TITLES)]
        city, state, postal = CITIES[(i // len(TITLES)) % len(CITIES)]
        employer = EMPLOYERS[(i // 7) % len(EMPLOYERS)]
        page = (template.replace("R24-118273", f"R24-{100000 + i}")
                .replace('"title":"PACS Administrator"', f'"title":"{title}"')
                .replace('"name":"Northwest Health"', f'"name":"{employer}"')
                .replace("Job Summary", f"Job Summary (requisition {100000 + i}, {employer})")
                .replace('"addressLocality":"Valparaiso","addressRegion":"IN","postalCode":"46383"',
                         f'"addressLocality":"{city}","addressRegion":"{state}","postalCode":"{postal}"')
                .replace('"minValue":82000', f'"minValue":{70000 + (i % 40) * 500}'))
        (jobs / f"{i}.html").write_text(page)
        links.append(f'<li><a href="/jobs/{i}.html">{title}</a></li>')
    (folder / "careers.html").write_text(
        "<!DOCTYPE html><html><head><title>Careers</title></head><body><ul>"
        + "\n".join(links) + "</ul></body></html>")
    (folder / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def serve(folder: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(folder)], stdout=subprocess.PIPE,
                            text=True)
    url = proc.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise SystemExit("bench: the web server did not start")
    return proc, url


def serve_main(folder: str) -> None:
    from twisted.internet import reactor
    from twisted.web.server import Site
    from twisted.web.static import File

    site = Site(File(folder))
    site.noisy = False
    port = reactor.listenTCP(0, site, interface="127.0.0.1")
    print(f"http://127.0.0.1:{port.getHost().port}", flush=True)
    reactor.run()


# -- the crawl children ---------------------------------------------------------------------
# Both crawls run with the same Scrapy settings, CONCURRENT_ITEMS included (pacsjobs lowers it from
# 100 to 4; giving the bare crawl the same keeps the ratio about our parsing and pipeline only).
CRAWL_SETTINGS = {"CONCURRENT_ITEMS": 4,
                  "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "DOWNLOAD_DELAY": 0,
                  "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": True,
                  "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False}


_CPU_AT_OPEN = [0.0]


def count_cpu_from_open(crawler) -> None:
    """Remember the process's CPU seconds when the spider opens: imports and set-up are not the crawl."""
    from scrapy import signals

    def opened(spider) -> None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        _CPU_AT_OPEN[0] = usage.ru_utime + usage.ru_stime

    crawler.signals.connect(opened, signal=signals.spider_opened, weak=False)


def child_bare(url: str) -> dict:
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class BareSpider(scrapy.Spider):
        name = "bare"
        start_urls = [url + "/careers.html"]

        def parse(self, response):
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href, self.parse_page)

        def parse_page(self, response):
            yield {"url": response.url, "status": response.status, "size": len(response.body)}

    process = CrawlerProcess({**CRAWL_SETTINGS, "ITEM_PIPELINES": {}})
    crawler = process.create_crawler(BareSpider)
    count_cpu_from_open(crawler)
    process.crawl(crawler)
    process.start()
    return crawler.stats.get_stats()


def child_full(config_dir: str) -> dict:
    from scrapy.crawler import CrawlerProcess

    from crawlers import worker
    from crawlers.run import build_settings
    from crawlers.spiders.jsonld import JsonldSpider
    from pacsjobs.config import load_config

    config = load_config(config_dir)
    settings = build_settings(config)
    for key, value in CRAWL_SETTINGS.items():
        settings.set(key, value, priority="cmdline")
    if worker.workers_enabled(settings):  # as crawlers.run does: the worker starts with the process
        worker.start_worker(str(config.dir), config.database_url)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(JsonldSpider)
    count_cpu_from_open(crawler)
    process.crawl(crawler, source="bench", config=config_dir)
    process.start()
    worker.stop_workers()
    return crawler.stats.get_stats()


def child_main(kind: str, arg: str) -> None:
    import multiprocessing

    stats = child_bare(arg) if kind == "bare" else child_full(arg)
    for worker in multiprocessing.active_children():  # the pipeline does not wait for its worker
        worker.join(timeout=60)  # (to exit); its CPU and memory are counted once it is reaped
    elapsed = stats.get("elapsed_time_seconds") or 0.0
    pages = stats.get("response_received_count", 0)
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = own.ru_maxrss  # KiB on Linux
    worker_kb = workers.ru_maxrss  # the largest worker
    seconds = {k.rsplit("/", 1)[1]: round(v, 2) for k, v in stats.items() if k.startswith("pacsjobs/seconds/")}
    print(json.dumps({"pages": pages, "items": stats.get("item_scraped_count", 0),
                      "elapsed": elapsed, "peak_rss_mb": peak_kb / 1024, "worker_rss_mb": worker_kb / 1024,
                      "seconds": seconds, "errors": stats.get("log_count/ERROR", 0),
                      # CPU seconds of the crawling process and of its worker processes: on a small
                      # machine the crawler, the workers and the web server share the cores.
                      "cpu": own.ru_utime + own.ru_stime - _CPU_AT_OPEN[0], "worker_cpu": workers.ru_utime + workers.ru_stime}))


def run_child(kind: str, arg: str, env: dict | None = None) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, arg], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=False)
    lines = [x for x in out.stdout.splitlines() if x.startswith("{")]
    if out.returncode != 0 or not lines:
        raise SystemExit(f"bench: {kind} crawl failed:\n{out.stderr[-3000:]}")
    return json.loads(lines[-1])


def full_crawl(workdir: Path, url: str, label: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from tests.helpers import write_config

    folder = write_config(workdir / f"config-{label}", sources=[
        {"name": "bench", "platform": "jsonld", "urls": [url + "/careers.html"], "follow": r"/jobs/\d+"}],
        crawler={"concurrency_per_domain": 16, "time_limit": 3600, "retry_times": 1})
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]))
    from pacsjobs.config import load_config
    from pacsjobs.store import open_store

    with open_store(load_config(folder).database_url):  # migrate first, as pacsjobs crawl does
        pass
    env["PACSJOBS_SCHEMA_READY"] = "1"
    result = run_child("full", str(folder), env)
    with open_store(load_config(folder).database_url) as store:
        (run,) = store.runs("bench", limit=1)
        result.update(status=run.status, stored=run.new)
    return result


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="posting pages to serve (default 2000)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="bare and full crawls alternate this many times per size; medians are "
                             "compared (default 5)")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve_main(args.serve)
    if args.child:
        return child_main(*args.child)

    n, rounds = args.pages, max(1, args.rounds)
    workdir = Path(tempfile.mkdtemp(prefix="pacsjobs-bench-"))
    results: dict[tuple[str, int], list[dict]] = {}
    try:
        for size in (n, 2 * n):
            site = workdir / f"site-{size}"
            make_site(site, size)
            server, url = serve(site)
            try:
                # Alternating bare and full crawls meet the same load on a noisy machine.
                for round_ in range(rounds):
                    for kind in ("bare", "full"):
                        before = cpu_seconds(server.pid)
                        r = (run_child("bare", url) if kind == "bare"
                             else full_crawl(workdir, url, f"{size}-{round_}"))
                        r["server_cpu"] = cpu_seconds(server.pid) - before
                        r["rate"] = r["pages"] / r["elapsed"] if r["elapsed"] else 0.0
                        results.setdefault((kind, size), []).append(r)
            finally:
                server.terminate()
                server.wait()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"pacsjobs crawl benchmark: {n} and {2 * n} generated posting pages from {TEMPLATE.name}, "
          f"{rounds} alternating round(s) of each crawl")
    print(f"{'crawl':<6} {'pages':>6} {'stored':>6} {'seconds':>8} {'pages/s':>8} {'peak RSS MB':>12} "
          f"{'worker RSS MB':>14} {'CPU s crawler/worker/server':>28}  pipeline seconds")
    for (kind, _size), runs in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        for r in runs:
            stored = r.get("stored", "-")
            worker = f"{r['worker_rss_mb']:.1f}" if kind == "full" and r.get("worker_rss_mb") else "-"
            parts = ", ".join(f"{k} {v}" for k, v in sorted(r.get("seconds", {}).items())) or "-"
            cpu = f"{r.get('cpu', 0):.1f}/{r.get('worker_cpu', 0):.1f}/{r.get('server_cpu', 0):.1f}"
            print(f"{kind:<6} {r['pages']:>6} {stored!s:>6} {r['elapsed']:>8.2f} {r['rate']:>8.1f} "
                  f"{r['peak_rss_mb']:>12.1f} {worker:>14} {cpu:>28}  {parts}")
    for size in (n, 2 * n):
        bare = median([r["rate"] for r in results[("bare", size)]])
        full = median([r["rate"] for r in results[("full", size)]])
        each = ", ".join(f"{f['rate'] / b['rate']:.2f}" for b, f in
                         zip(results[("bare", size)], results[("full", size)], strict=True) if b["rate"])
        print(f"N={size}: median pages/s bare {bare:.1f}, full {full:.1f}: full/bare rate ratio "
              f"{full / bare:.2f} (target >= 0.80; per round: {each})")
    peak = {size: max(r["peak_rss_mb"] for r in results[("full", size)]) for size in (n, 2 * n)}
    print(f"peak RSS of the full crawl: {peak[n]:.1f} MB at N={n}, {peak[2 * n]:.1f} MB at N={2 * n} "
          f"({peak[2 * n] - peak[n]:+.1f} MB)")
    bad = sorted({k for k, runs in results.items() for r in runs
                  if r.get("errors") or r.get("status", "succeeded") != "succeeded"})
    if bad:
        print(f"warning: crawls with errors or not succeeded: {bad}")


if __name__ == "__main__":
    main()
