"""The benchmarks still run (at toy sizes): a schema or API change must not leave them broken."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def bench(script: str, *args: str) -> str:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], capture_output=True,
                         text=True, cwd=ROOT, timeout=240, check=False)
    assert out.returncode in (0, 1), out.stderr[-3000:]  # 1: a target missed at toy sizes is no error
    assert "Traceback" not in out.stderr, out.stderr[-3000:]
    return out.stdout


def test_digest_bench_runs():
    out = bench("digest.py", "--postings", "600", "--digest", "50", "--repeat", "1")
    assert "ratio:" in out


def test_query_bench_runs():
    out = bench("query.py", "--sizes", "300", "600", "--repeat", "2")
    assert "ratio growth" in out


@pytest.mark.timeout(300)
def test_crawl_bench_runs():
    out = bench("crawl.py", "--pages", "30", "--rounds", "1")
    assert "N=30: median pages/s bare" in out and "full/bare rate ratio" in out
    assert "peak RSS of the full crawl" in out


def test_quality_bench_meets_its_targets():
    out = bench("quality.py")
    assert out.rstrip().endswith("all targets met")


@pytest.mark.timeout(300)
def test_registry_bench_runs():
    out = bench("registry.py", "--boards", "10", "20", "--hosts", "4", "--delay", "0.1")
    assert "10 boards, " in out and "20 boards, " in out and "ratio" in out
    assert "robots.txt 1.0 a host" in out and "without politeness (delay 0)" in out
    assert "peak RSS" in out.splitlines()[-1]


@pytest.mark.timeout(300)
def test_cluster_bench_runs(pg_url):
    out = bench("cluster.py", "--sites", "2", "--pages", "2", "--delay", "0", "--max-proc", "1")
    assert "requests and postings identical" in out and "ratio" in out
