"""Scheduler pieces in process: cron parsing, jobs from config, the job store sync, the lock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pacsjobs.config import load_config
from pacsjobs.errors import ConfigError
from pacsjobs.schedule import (
    SchedulerBusy,
    SchedulerLock,
    _scheduler,
    crontab_weekdays,
    job_specs,
    parse_cron,
    sync_jobs,
)
from tests.helpers import write_config

store_mod = pytest.importorskip("pacsjobs.store", reason="pacsjobs.store (store helper) not present")

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize("field, expected", [
    ("*", "*"), ("1-5", "mon,tue,wed,thu,fri"), ("0", "sun"), ("7", "sun"), ("0,6", "sun,sat"),
    ("*/2", "sun,tue,thu,sat"), ("mon-fri", "mon-fri"), ("5-7", "fri,sat,sun"), ("1/3", "mon,thu"),
])
def test_crontab_weekdays(field, expected):
    assert crontab_weekdays(field) == expected


def test_cron_weekdays_mean_what_crontab_means():
    # "0 7 * * 1-5" is Monday to Friday in crontab; APScheduler 3 alone would read Tuesday to Saturday.
    trigger = parse_cron("0 7 * * 1-5", NY, "f", "k")
    friday = datetime(2026, 11, 27, 8, 0, tzinfo=NY)
    assert trigger.get_next_fire_time(None, friday) == datetime(2026, 11, 30, 7, 0, tzinfo=NY)  # Monday


def test_cron_with_seconds_and_timezone():
    trigger = parse_cron("*/5 * * * * *", NY, "f", "k")
    start = datetime(2026, 11, 27, 8, 0, 1, tzinfo=NY)
    assert trigger.get_next_fire_time(None, start) == datetime(2026, 11, 27, 8, 0, 5, tzinfo=NY)
    six_hourly = parse_cron("0 */6 * * *", NY, "f", "k")
    assert six_hourly.get_next_fire_time(None, start) == datetime(2026, 11, 27, 12, 0, tzinfo=NY)


@pytest.mark.parametrize("expr, problem", [
    ("every day", "has 2 fields; expected 5 (minute hour day month weekday) or 6 (with seconds first)"),
    ("61 * * * *", "Error validating expression '61'"),
    ("0 7 * * 9", "invalid weekday field '9'"),
])
def test_bad_cron_names_file_and_key(expr, problem):
    with pytest.raises(ConfigError) as err:
        parse_cron(expr, NY, "config/pacsjobs.toml", "schedule.crawl")
    assert str(err.value).startswith(f"config/pacsjobs.toml: schedule.crawl: invalid cron expression {expr!r}: ")
    assert problem in str(err.value)


def _config(tmp_path: Path, **schedule):
    sources = [
        {"name": "jsonld:a", "platform": "jsonld", "urls": ["https://a.example.org/jobs"]},
        {"name": "jsonld:b", "platform": "jsonld", "urls": ["https://b.example.org/jobs"], "group": "vendors"},
        {"name": "jsonld:c", "platform": "jsonld", "urls": ["https://c.example.org/jobs"], "group": "vendors"},
        {"name": "jsonld:d", "platform": "jsonld", "urls": ["https://d.example.org/jobs"], "enabled": False},
        {"name": "jsonld:e", "platform": "jsonld", "urls": ["https://e.example.org/jobs"], "group": "nightly"},
    ]
    return load_config(write_config(tmp_path / "cfg", sources=sources, schedule=schedule))


def test_job_specs_per_group_and_profile(tmp_path):
    config = _config(tmp_path, timezone="America/Chicago", crawl_groups={"vendors": "0 3 * * *"},
                     digest_profiles={"remote-ohio": "30 6 * * 1-5"})
    specs = {s.id: s for s in job_specs(config)}
    assert sorted(specs) == ["crawl:default", "crawl:group:vendors", "digest:guide", "digest:remote-ohio"]
    assert specs["crawl:group:vendors"].sources == ("jsonld:b", "jsonld:c")
    # group "nightly" has no schedule of its own: its source goes with the default crawl
    assert specs["crawl:default"].sources == ("jsonld:a", "jsonld:e")
    assert specs["crawl:default"].cron == "0 */6 * * *" and specs["digest:guide"].cron == "0 7 * * *"
    assert str(specs["digest:remote-ohio"].trigger.timezone) == "America/Chicago"


@pytest.mark.parametrize("schedule, key, problem", [
    ({"crawl_groups": {"vendors": "at three"}}, "schedule.crawl_groups.vendors", "invalid cron expression"),
    ({"crawl_groups": {"nobody": "0 3 * * *"}}, "schedule.crawl_groups.nobody", "no source in sources.toml has group"),
    ({"digest_profiles": {"remote-ohio": "7am"}}, "schedule.digest_profiles.remote-ohio", "invalid cron expression"),
    ({"digest_profiles": {"nobody": "0 7 * * *"}}, "schedule.digest_profiles.nobody", "unknown profile 'nobody'"),
    ({"timezone": "Mars/Olympus"}, "schedule.timezone", "unknown time zone 'Mars/Olympus'"),
    ({"digest": "0 7 * *"}, "schedule.digest", "has 4 fields"),
])
def test_bad_schedules_name_the_key(tmp_path, schedule, key, problem):
    config = _config(tmp_path, **schedule)
    with pytest.raises(ConfigError) as err:
        job_specs(config)
    assert err.value.file == str(config.dir / "pacsjobs.toml") and err.value.key == key
    assert problem in err.value.problem


def test_sync_keeps_stored_next_run_times(tmp_path, sqlite_url):
    config = _config(tmp_path, timezone="America/New_York")
    specs = job_specs(config)
    far = datetime(2030, 1, 2, 3, 4, 5, tzinfo=NY)
    with store_mod.open_store(sqlite_url) as store:
        sched = _scheduler(config, store, NY)
        sched.start(paused=True)
        sync_jobs(sched, config, specs)
        assert {j.id for j in sched.get_jobs()} == {s.id for s in specs}
        sched.modify_job("crawl:default", next_run_time=far)
        sched.shutdown(wait=False)

        # A restart with the same config keeps the stored time (replace_existing would recompute it).
        sched = _scheduler(config, store, NY)
        sched.start(paused=True)
        sync_jobs(sched, config, specs)
        assert sched.get_job("crawl:default").next_run_time == far
        sched.shutdown(wait=False)

        # A changed schedule is a new job: its next run time comes from the new cron.
        changed = _config(tmp_path / "changed", timezone="America/New_York", crawl="15 4 * * *",
                          crawl_groups={"vendors": "0 3 * * *"})
        sched = _scheduler(changed, store, NY)
        sched.start(paused=True)
        sync_jobs(sched, changed, job_specs(changed))
        job = sched.get_job("crawl:default")
        assert (job.next_run_time.hour, job.next_run_time.minute) == (4, 15)
        assert sched.get_job("crawl:group:vendors") is not None
        sched.shutdown(wait=False)

        # Jobs no longer configured are removed from the store.
        sched = _scheduler(config, store, NY)
        sched.start(paused=True)
        sync_jobs(sched, config, job_specs(config))
        assert sched.get_job("crawl:group:vendors") is None
        sched.shutdown(wait=False)


def test_lock_is_exclusive_and_released(db_url):
    with store_mod.open_store(db_url) as one, store_mod.open_store(db_url) as two:
        first, second = SchedulerLock(one), SchedulerLock(two)
        assert second.running() is None
        first.acquire()
        try:
            with pytest.raises(SchedulerBusy, match=r"^another scheduler is running \(pid \d+ on "):
                second.acquire()
            assert second.running().startswith("pid ")
        finally:
            first.release()
        assert second.running() is None
        second.acquire()  # free again
        second.release()


def test_digest_job_builds_the_profiles_digest(tmp_path):
    pytest.importorskip("pacsjobs.digest", reason="pacsjobs.digest (digest helper) not present")
    from pacsjobs.schedule import digest_job
    from pacsjobs.store.stats import last_digest_runs

    config = _config(tmp_path)
    digest_job(str(config.dir), "guide")
    with store_mod.open_store(config.database_url) as store:
        run = last_digest_runs(store)["guide"]
    assert run.status in ("empty", "built")  # no mail host: written, not sent
    assert run.html_path and Path(run.html_path).exists()


def test_jobs_log_a_broken_config_instead_of_dying(tmp_path, caplog):
    from pacsjobs.schedule import crawl_job, digest_job

    config = _config(tmp_path)
    (config.dir / "pacsjobs.toml").write_text("[schedule]\ncrawl = 5\n")
    crawl_job(str(config.dir), None)
    digest_job(str(config.dir), "guide")
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    problem = f"{config.dir / 'pacsjobs.toml'}: schedule.crawl: must be a string, got 5"
    assert errors == [f"crawl of sources failed: {problem}", f"digest guide failed: {problem}"]
