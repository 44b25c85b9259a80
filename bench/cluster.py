"""One Scrapyd node against two: the same crawl of a local site fleet, with politeness delays.

    python bench/cluster.py [--sites 8] [--pages 30] [--delay 0.5] [--max-proc 2] [--rounds 1]

Each site is one jsonld source (a careers page linking to N JobPosting pages) served on loopback;
every request waits the per-domain DOWNLOAD_DELAY, as on the web, so a node's crawl time is set by
politeness, not CPU. Each node runs at most ``--max-proc`` crawls at once (a node's capacity).
The shared store is a fresh schema of the local PostgreSQL (127.0.0.1:5432, database ``test``).
Prints both wall times, their ratio (target: two nodes at least 1.8x faster), and checks that
both crawls made the same requests and stored the same postings.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench")]

from crawl import make_site, serve  # noqa: E402  (bench/crawl.py: the site and its server)

from tests.helpers import write_config  # noqa: E402
from tests.scrapyd_nodes import ScrapydProcess  # noqa: E402

PG = "host=127.0.0.1 port=5432 dbname=test user=postgres"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def make_fleet(folder: Path, sites: int, pages: int) -> None:
    for k in range(sites):
        site = folder / f"site{k}"
        make_site(site, pages)
        listing = (site / "careers.html").read_text().replace('href="/jobs/', f'href="/site{k}/jobs/')
        (site / "careers.html").write_text(listing)
    (folder / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")


def one_round(work: Path, url: str, n_nodes: int, args: argparse.Namespace) -> tuple[float, int, int]:
    import psycopg
    from sqlalchemy import func, select

    from pacsjobs.cluster.deploy import deploy
    from pacsjobs.cluster.dispatch import dispatch
    from pacsjobs.config import load_config
    from pacsjobs.store import open_store
    from pacsjobs.store.models import PostingRow

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(PG, autocommit=True)
    admin.execute(f'CREATE SCHEMA "{schema}"')
    db_url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    nodes = [ScrapydProcess(work / f"n{n_nodes}-{i}-{uuid.uuid4().hex[:6]}", max_proc=args.max_proc)
             for i in range(n_nodes)]
    try:
        sources = [{"name": f"site{k}", "platform": "jsonld", "urls": [f"{url}/site{k}/careers.html"],
                    "follow": "/jobs/"} for k in range(args.sites)]
        folder = write_config(work / f"config-{schema}", sources=sources, database_url=db_url,
                              crawler={"download_delay": args.delay, "autothrottle": False,
                                       "concurrency_per_domain": 1},
                              cluster={"nodes": [n.url for n in nodes], "poll_seconds": 0.3})
        config = load_config(folder)
        assert all(r.ok for r in deploy(config)), "deploy failed"
        started = time.perf_counter()
        results = dispatch(config)
        seconds = time.perf_counter() - started
        assert all(r.status == "succeeded" for r in results), [(r.source, r.status, r.message) for r in results]
        with open_store(db_url) as store, store.session() as s:
            postings = s.scalar(select(func.count()).select_from(PostingRow))
        return seconds, sum(r.requests for r in results), int(postings)
    finally:
        for node in nodes:
            node.stop()
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=8)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--max-proc", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pacsjobs-bench-cluster-"))
    make_fleet(work / "site", args.sites, args.pages)
    server, url = serve(work / "site")
    try:
        times: dict[int, list[float]] = {1: [], 2: []}
        seen: set[tuple[int, int]] = set()
        for _ in range(args.rounds):
            for n in (1, 2):  # alternating: the machine's noise falls on both
                seconds, requests, postings = one_round(work, url, n, args)
                times[n].append(seconds)
                seen.add((requests, postings))
                print(f"{n} node(s): {seconds:6.1f} s, {requests} requests, {postings} postings", flush=True)
        one, two = sorted(times[1])[len(times[1]) // 2], sorted(times[2])[len(times[2]) // 2]
        print(f"sites {args.sites} x {args.pages} pages, delay {args.delay} s, {args.max_proc} crawls per node")
        print(f"one node {one:.1f} s, two nodes {two:.1f} s: ratio {one / two:.2f} (target >= 1.8)")
        print("requests and postings identical" if len(seen) == 1 else f"DIFFERENT requests/postings: {seen}")
    finally:
        server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
