"""The unattended scheduler: cron jobs that crawl and send digests, persisted in the database.

``run_scheduler(config)`` runs APScheduler 3 in the foreground. Jobs live in the job database
(table ``apscheduler_jobs``), so a restart keeps their next run times; one scheduler per database
(``SchedulerLock``); SIGINT / SIGTERM stop the running crawl (recorded as interrupted) and exit 0.

Cron expressions have five fields (minute hour day month weekday, weekday 0 or 7 = Sunday as in
crontab) or six, with seconds first (``*/5 * * * * *``: every five seconds, used by tests).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.cron import CronTrigger

from pacsjobs.config import Config, load_config
from pacsjobs.errors import ConfigError, PacsjobsError
from pacsjobs.schedule_lock import LOCK_TABLE as LOCK_TABLE
from pacsjobs.schedule_lock import SchedulerBusy as SchedulerBusy
from pacsjobs.schedule_lock import SchedulerLock

log = logging.getLogger("pacsjobs.schedule")

JOBS_TABLE = "apscheduler_jobs"
STOP_GRACE_SECONDS = 30.0  # how long a stopping crawl may take to record itself before it is killed


# --- cron ---------------------------------------------------------------------------------------

_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def crontab_weekdays(field: str) -> str:
    """A crontab weekday field (0 and 7 = Sunday) in APScheduler 3's terms (0 = Monday): as names."""
    if field in ("*", "?"):
        return "*"
    names: list[str] = []
    for part in field.lower().split(","):
        base, _, step_text = part.partition("/")
        if not any(ch.isdigit() for ch in base) and not step_text:
            names.append(base)  # names ("mon-fri") mean the same in both
            continue
        step = int(step_text) if step_text else 1
        if base == "*":
            start, end = 0, 6
        elif "-" in base:
            first, last = base.split("-", 1)
            start, end = int(first), int(last)
        else:
            start = int(base)
            end = 6 if step_text else start
        if not (0 <= start <= 7 and 0 <= end <= 7 and start <= end and step >= 1):
            raise ValueError(f"invalid weekday field {field!r}")
        names += [_WEEKDAYS[n % 7] for n in range(start, end + 1, step)]
    return ",".join(dict.fromkeys(names))


def parse_timezone(name: str, file: str) -> zoneinfo.ZoneInfo:
    """The IANA time zone ``name``; ConfigError naming ``schedule.timezone`` otherwise."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(file, "schedule.timezone", f"unknown time zone {name!r} (e.g. America/New_York)") from None


def parse_cron(expr: str, timezone: Any, file: str, key: str) -> CronTrigger:
    """A CronTrigger from a 5-field crontab (or 6 fields, seconds first); ConfigError naming file/key."""
    if not isinstance(expr, str):
        raise ConfigError(file, key, f"must be a cron expression string, got {expr!r}")
    fields = expr.split()
    try:
        if len(fields) == 5:
            minute, hour, day, month, dow = fields
            second = "0"
        elif len(fields) == 6:
            second, minute, hour, day, month, dow = fields
        else:
            raise ValueError(f"has {len(fields)} fields; expected 5 (minute hour day month weekday) "
                             "or 6 (with seconds first)")
        return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month,
                           day_of_week=crontab_weekdays(dow), timezone=timezone)
    except ValueError as exc:
        raise ConfigError(file, key, f"invalid cron expression {expr!r}: {exc}") from None


# --- jobs ---------------------------------------------------------------------------------------

@dataclass
class JobSpec:
    """One scheduled job as the config asks for it."""

    id: str  # stable across restarts: the job store's key
    kind: str  # crawl | digest
    target: str | None  # source group (None: the sources no group schedule covers) or profile
    cron: str
    key: str  # where in pacsjobs.toml the schedule comes from
    trigger: CronTrigger
    sources: tuple[str, ...] = ()

    @property
    def description(self) -> str:
        if self.kind == "digest":
            return f"digest for profile {self.target}"
        what = f"group {self.target}" if self.target else "sources"
        return f"crawl {what}: {', '.join(self.sources)}"


def job_specs(config: Config) -> list[JobSpec]:
    """The jobs ``config`` asks for: a crawl per scheduled source group, the rest, and digests."""
    file = str(Path(config.dir) / "pacsjobs.toml")
    sched = config.schedule
    tz = parse_timezone(sched.timezone, file)
    specs: list[JobSpec] = []
    enabled = config.enabled_sources()
    grouped: set[str] = set()
    for group, expr in sorted(sched.crawl_groups.items()):
        key = f"schedule.crawl_groups.{group}"
        trigger = parse_cron(expr, tz, file, key)
        members = tuple(s.name for s in enabled if s.group == group)
        if not any(s.group == group for s in config.sources):
            raise ConfigError(file, key, f"no source in sources.toml has group = {group!r}")
        grouped.add(group)
        if members:
            specs.append(JobSpec(f"crawl:group:{group}", "crawl", group, expr, key, trigger, members))
    rest = tuple(s.name for s in enabled if s.group not in grouped)
    trigger = parse_cron(sched.crawl, tz, file, "schedule.crawl")
    if rest:
        specs.append(JobSpec("crawl:default", "crawl", None, sched.crawl, "schedule.crawl", trigger, rest))
    profiles = {config.digest.profile: (sched.digest, "schedule.digest")}
    for profile, expr in sched.digest_profiles.items():
        profiles[profile] = (expr, f"schedule.digest_profiles.{profile}")
    known = _known_profiles(config)
    for profile, (expr, key) in sorted(profiles.items()):
        if known is not None and profile not in known and key != "schedule.digest":
            raise ConfigError(file, key, f"unknown profile {profile!r} (known: {', '.join(known)})")
        specs.append(JobSpec(f"digest:{profile}", "digest", profile, expr, key, parse_cron(expr, tz, file, key)))
    return specs


def _known_profiles(config: Config) -> list[str] | None:
    """The profile names of the config folder, or None when profiles are not available."""
    try:
        from pacsjobs.profile import list_profiles
    except ImportError:
        return None
    return list_profiles(config.dir)


def _job_args(config: Config, spec: JobSpec) -> list[Any]:
    # Plain strings only: jobs are pickled into the job store and outlive this process.
    return [str(Path(config.dir).resolve()), spec.target]


def crawl_job(config_dir: str, group: str | None) -> None:
    """Job: crawl a source group (None: every enabled source no group schedule covers), in a child process."""
    from pacsjobs.crawl import run_crawl

    try:
        config = load_config(config_dir)
        specs = {s.id: s for s in job_specs(config)}
        spec = specs.get(f"crawl:group:{group}" if group else "crawl:default")
        if spec is None:
            log.warning("crawl of %s: no enabled sources any more; nothing to do", group or "sources")
            return
        log.info("crawl starting: %s", ", ".join(spec.sources))
        if config.cluster.nodes:  # crawl on the Scrapyd nodes, recorded in the shared database
            from pacsjobs.cluster.dispatch import dispatch as crawl
        else:
            crawl = run_crawl
        for result in crawl(config, list(spec.sources)):
            log.info("crawl %s: %s (found %s, new %s, updated %s, closed %s, errors %s)%s", result.source,
                     result.status, result.found, result.new, result.updated, result.closed, result.errors,
                     f" — {result.message}" if result.message else "")
    except PacsjobsError as exc:
        log.error("crawl of %s failed: %s", group or "sources", exc)


def digest_job(config_dir: str, profile: str) -> None:
    """Job: build the profile's digest, and email it when a mail host is configured."""
    from pacsjobs.digest import run_digest

    try:
        config = load_config(config_dir)
        result = run_digest(config, profile=profile, email=bool(config.mail.host))
        # a send the server took for some recipients only needs a person (the line says who)
        log.log(logging.WARNING if result.refused else logging.INFO, "digest %s: %s", profile, result.message)
    except PacsjobsError as exc:
        log.error("digest %s failed: %s", profile, exc)


JOB_FUNCS = {"crawl": crawl_job, "digest": digest_job}


class _Scheduler(BackgroundScheduler):
    """APScheduler's background scheduler, minus one race of its shutdown.

    While ``shutdown(wait=True)`` waits for running jobs, the stock main loop may wake up and
    "process" due jobs: the executor refuses them, yet their next run time is advanced in the job
    store, so a run due during the stop would be lost. Here only a running scheduler processes.
    """

    def _process_jobs(self):
        if self.state != STATE_RUNNING:
            return None
        return super()._process_jobs()


def _scheduler(config: Config, store, tz) -> BackgroundScheduler:
    jobstore = SQLAlchemyJobStore(engine=store.engine, tablename=JOBS_TABLE)
    return _Scheduler(
        jobstores={"default": jobstore},
        executors={"default": ThreadPoolExecutor(max_workers=8)},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": config.schedule.misfire_grace_time},
        timezone=tz,
    )


def _same_job(job, spec: JobSpec, args: list[Any]) -> bool:
    """Whether a stored job already is ``spec`` (then its stored next run time is kept)."""
    trigger = job.trigger
    return (job.func_ref == f"{__name__}:{JOB_FUNCS[spec.kind].__name__}" and list(job.args) == args
            and isinstance(trigger, CronTrigger) and str(trigger) == str(spec.trigger)
            and str(trigger.timezone) == str(spec.trigger.timezone))


def sync_jobs(scheduler: BackgroundScheduler, config: Config, specs: list[JobSpec]) -> None:
    """Make the job store hold exactly ``specs``, keeping next run times of jobs that did not change.

    ``add_job(replace_existing=True)`` would recompute every next run time from now, losing a
    run that was due while the scheduler was down; so unchanged jobs are left alone.
    """
    wanted = {spec.id for spec in specs}
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            log.info("removing job %s (no longer configured)", job.id)
            job.remove()
    for spec in specs:
        args = _job_args(config, spec)
        job = scheduler.get_job(spec.id)
        if job is not None and _same_job(job, spec, args):
            log.info("job %s kept: next run %s", spec.id, job.next_run_time)
            continue
        scheduler.add_job(JOB_FUNCS[spec.kind], spec.trigger, args=args, id=spec.id,
                          name=spec.description, replace_existing=True)
        log.info("job %s scheduled (%s): %s", spec.id, spec.cron, spec.description)


@dataclass
class JobListing:
    spec: JobSpec
    next_run_time: datetime | None
    stored: bool  # the next run time comes from the job store (a restart keeps it)


def list_jobs(config: Config, now: datetime | None = None) -> list[JobListing]:
    """Each configured job with its next run time (stored, else computed), without running anything."""
    from pacsjobs.store import open_store

    specs = job_specs(config)
    tz = specs[0].trigger.timezone if specs else parse_timezone(config.schedule.timezone, "")
    now = now or datetime.now(tz)
    out = []
    with open_store(config.database_url) as store:
        # The job store read directly: a started scheduler, even paused, may advance due jobs.
        jobstore = SQLAlchemyJobStore(engine=store.engine, tablename=JOBS_TABLE)
        jobstore.start(_scheduler(config, store, tz), "default")
        for spec in specs:
            job = jobstore.lookup_job(spec.id)
            if job is not None and _same_job(job, spec, _job_args(config, spec)):
                out.append(JobListing(spec, job.next_run_time, True))
            else:
                out.append(JobListing(spec, spec.trigger.get_next_fire_time(None, now), False))
    return out


def _child_pids() -> list[int]:
    """Our own child processes (Linux /proc), for stopping crawls when pacsjobs.crawl cannot."""
    pids: list[int] = []
    for task in Path("/proc/self/task").glob("*/children"):
        with contextlib.suppress(OSError):
            pids += [int(p) for p in task.read_text().split()]
    return pids


def stop_crawls(force: bool = False, signum: int | None = None) -> None:
    """Stop running crawl children: through pacsjobs.crawl when it offers that, else by signal."""
    import pacsjobs.crawl as crawl

    stopper = getattr(crawl, "stop_running_crawls", None)
    if stopper is not None and not force:
        stopper()
        return
    own_group = os.getpgid(0)
    for pid in _child_pids():
        with contextlib.suppress(ProcessLookupError):
            # Ctrl-C in a terminal already sent SIGINT to every process of the group; a second
            # signal would make Scrapy stop without recording its run.
            if not force and signum == signal.SIGINT and os.getpgid(pid) == own_group:
                continue
            os.kill(pid, signal.SIGKILL if force else signal.SIGTERM)


def run_scheduler(config: Config, stop: threading.Event | None = None) -> int:
    """Run the scheduler until SIGINT / SIGTERM (or ``stop``); returns the exit status (0 when clean)."""
    from pacsjobs.store import open_store

    specs = job_specs(config)  # a bad schedule fails here, before anything starts
    tz = specs[0].trigger.timezone if specs else parse_timezone(config.schedule.timezone, "")
    stop = stop or threading.Event()
    signals: dict[str, Any] = {"count": 0, "first": None}

    def on_signal(signum: int, _frame: Any) -> None:
        signals["count"] += 1
        if signals["count"] == 1:
            signals["first"] = signum
            log.info("%s received: stopping (again to force)", signal.Signals(signum).name)
            stop.set()
        else:
            log.warning("%s received again: killing running crawls", signal.Signals(signum).name)
            stop_crawls(force=True)

    with open_store(config.database_url) as store:
        lock = SchedulerLock(store)
        lock.acquire()
        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            orphans = store.fail_orphaned_runs(time_limit=config.crawler.time_limit + STOP_GRACE_SECONDS)
            if orphans:
                log.warning("marked %d orphaned crawl run(s) failed (their process is gone)", orphans)
            scheduler = _scheduler(config, store, tz)
            scheduler.start(paused=True)
            sync_jobs(scheduler, config, specs)
            scheduler.resume()
            log.info("scheduler started (pid %d): %s", os.getpid(),
                     "; ".join(f"{j.id} next {j.next_run_time}" for j in scheduler.get_jobs()))
            while not stop.wait(1.0):
                pass
            log.info("stopping: waiting for running jobs")
            scheduler.pause()
            with scheduler._jobstores_lock:  # a round of job processing in flight has ended
                pass
            stop_crawls(signum=signals["first"])
            waiter = threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}, daemon=True)
            waiter.start()
            waiter.join(STOP_GRACE_SECONDS)
            if waiter.is_alive():
                log.warning("a job did not stop in %.0f s: killing its crawl", STOP_GRACE_SECONDS)
                stop_crawls(force=True)
                waiter.join(10)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            lock.release()
    log.info("scheduler stopped")
    return 0
