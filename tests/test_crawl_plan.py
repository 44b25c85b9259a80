"""Which sources one crawl process runs at once: bounded in all, and per host."""

from __future__ import annotations

from pacsjobs.config import SourceConfig
from pacsjobs.crawl_plan import Plan, source_host


def src(name: str, platform: str = "greenhouse", **options) -> SourceConfig:
    base_url = options.pop("base_url", None)
    return SourceConfig(name=name, platform=platform, base_url=base_url, options=options)


def test_the_host_of_a_source():
    assert source_host(src("g", board="acme")) == "boards-api.greenhouse.io"
    assert source_host(src("g", board="acme", base_url="http://127.0.0.1:8080")) == "127.0.0.1:8080"
    assert source_host(src("w", "workday", url="https://CCF.wd1.myworkdayjobs.com/Careers")) == "ccf.wd1.myworkdayjobs.com"
    assert source_host(src("o", "oracle", host="evac.fa.us2.oraclecloud.com")) == "evac.fa.us2.oraclecloud.com"
    assert source_host(src("j", "jsonld", urls=["https://careers.example.org/jobs"])) == "careers.example.org"
    assert source_host(src("u", "usajobs")) == "data.usajobs.gov"


def test_at_most_so_many_at_once_and_per_host():
    sources = [src(f"g{i}", board=f"b{i}") for i in range(5)] + [
        src(f"w{i}", "workday", url=f"https://t{i}.wd1.myworkdayjobs.com/S") for i in range(5)]
    plan = Plan(sources, at_once=4, per_host=2)
    first = plan.next_batch()
    assert [s.name for s in first] == ["g0", "g1", "w0", "w1"]  # two Greenhouse boards, then others
    assert plan.next_batch() == []  # full
    plan.done(first[0])
    running = first[1:] + plan.next_batch()
    assert [s.name for s in running][-1] == "g2"  # the freed Greenhouse slot
    plan.done(running.pop(1))  # w0
    running += plan.next_batch()
    assert running[-1].name == "w2"
    started = 6
    while running:
        plan.done(running.pop(0))
        batch = plan.next_batch()
        running += batch
        started += len(batch)
    assert started == 10 and not len(plan)
