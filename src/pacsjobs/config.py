"""Load and validate the TOML config folder.

The folder is chosen by ``--config DIR``, else ``PACSJOBS_CONFIG``, else ``./config``, else the
user's config folder (``pacsjobs.paths``). The packaged defaults (``pacsjobs/defaults/``) are read
first and the user's files override them key by key; relative data paths are taken from the data
folder, never the working directory. ``PACSJOBS_DATABASE_URL`` overrides the database URL. Every
problem becomes one ``ConfigError`` naming the file, the key and what is wrong.

Sources come from ``sources.toml`` and then every ``sources.d/*.toml`` in name order (the
registry: one file per platform or group); a name used twice, in one file or two, is an error
naming both files. A folder with neither uses the packaged registry.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pacsjobs import __version__
from pacsjobs.config_sources import SOURCES_DIR as SOURCES_DIR
from pacsjobs.config_sources import US_STATES as US_STATES
from pacsjobs.config_sources import SourceConfig as SourceConfig
from pacsjobs.config_sources import _load_sources as _load_sources
from pacsjobs.config_sources import registry_files as registry_files
from pacsjobs.config_sources import source_entry as source_entry
from pacsjobs.config_sources import source_files as source_files
from pacsjobs.config_sources import source_from_entry as source_from_entry
from pacsjobs.config_toml import read_toml as read_toml
from pacsjobs.config_toml import reject_unknown as reject_unknown
from pacsjobs.config_toml import take as take
from pacsjobs.errors import ConfigError
from pacsjobs.paths import CONFIG_ENV as CONFIG_ENV  # re-exported: callers import it from here
from pacsjobs.paths import (
    DEFAULTS,
    PLACEHOLDER_CONTACT,
    Places,
    find_places,
    resolve_data_path,
)
from pacsjobs.store.urls import absolute_sqlite_url

DATABASE_ENV = "PACSJOBS_DATABASE_URL"
SMTP_PASSWORD_ENV = "PACSJOBS_SMTP_PASSWORD"
SCRAPYD_USERNAME_ENV = "PACSJOBS_SCRAPYD_USERNAME"
SCRAPYD_PASSWORD_ENV = "PACSJOBS_SCRAPYD_PASSWORD"
DEFAULT_DATABASE_URL = "sqlite:///pacsjobs.db"  # in the data folder


@dataclass
class CrawlerSettings:
    contact: str = PLACEHOLDER_CONTACT
    user_agent: str = ""  # built from the contact when empty
    download_delay: float = 1.0
    concurrency_per_domain: int = 2
    autothrottle: bool = True
    timeout: float = 30.0
    retry_times: int = 3
    max_retry_after: float = 300.0  # longest Retry-After we wait for before giving up on a URL
    obey_robots: bool = True
    time_limit: int = 3600  # seconds a crawl child process may run
    sources_at_once: int = 32  # crawlers one crawl process runs together (memory stays bounded)
    sources_per_host: int = 2  # of them at most this many on one host (politeness across boards)
    max_close_share: float = 0.5  # a crawl closing more of a source's open postings closes none
    close_after_missing: int = 1  # complete crawls in a row a posting must be missing from to close
    # A description longer than this (characters of HTML) is cut before it is cleaned and
    # classified; a 12 MB one took 25 s through the classifier. Real ones are 2-30 KB.
    max_text_chars: int = 200_000

    def agent(self) -> str:
        return self.user_agent or f"pacsjobs/{__version__} (+mailto:{self.contact})"

    @property
    def placeholder_contact(self) -> bool:
        """True while requests would name the placeholder contact, not the person running them."""
        return not self.user_agent and self.contact == PLACEHOLDER_CONTACT


@dataclass
class DigestSettings:
    output_dir: str = "digests"
    profile: str = "guide"
    min_relevance: float = 0.5
    closes_soon_days: int = 7
    send_empty: bool = False
    include_non_us: bool = False
    public_url: str | None = None  # where output_dir is published; the email links to the page there


@dataclass
class MailSettings:
    host: str | None = None
    port: int = 587
    security: str = "starttls"  # starttls | ssl | none
    username: str | None = None
    sender: str | None = None
    to: list[str] = field(default_factory=list)
    timeout: float = 30.0
    # Logging in with security = "none" sends the password in clear text: only to this machine,
    # unless this is set (a relay on a trusted network).
    allow_plaintext_login: bool = False

    @property
    def password(self) -> str | None:
        """The SMTP password, only ever from the environment."""
        return os.environ.get(SMTP_PASSWORD_ENV) or None


@dataclass
class ScheduleSettings:
    timezone: str = "UTC"
    crawl: str = "0 */6 * * *"
    digest: str = "0 7 * * *"
    misfire_grace_time: int = 3600
    # optional per-group / per-profile schedules: {"vendors": "0 3 * * *"}
    crawl_groups: dict[str, str] = field(default_factory=dict)
    digest_profiles: dict[str, str] = field(default_factory=dict)


@dataclass
class ClusterSettings:
    """Scrapyd nodes that crawl for this scheduler (``pacsjobs.cluster``); empty: crawl here."""

    nodes: list[str] = field(default_factory=list)
    project: str = "pacsjobs"
    retries: int = 2  # times a source is dispatched again after its node failed it
    poll_seconds: float = 2.0
    node_timeout: float = 30.0  # a node unreachable this long has lost its jobs

    @property
    def username(self) -> str | None:
        """Basic-auth user of the nodes, only ever from the environment."""
        return os.environ.get(SCRAPYD_USERNAME_ENV) or None

    @property
    def password(self) -> str | None:
        return os.environ.get(SCRAPYD_PASSWORD_ENV) or None


@dataclass
class Config:
    dir: Path
    database_url: str = DEFAULT_DATABASE_URL
    crawler: CrawlerSettings = field(default_factory=CrawlerSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    mail: MailSettings = field(default_factory=MailSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    sources: list[SourceConfig] = field(default_factory=list)
    places: Places | None = None

    @property
    def own_dir(self) -> Path:
        """The user's config folder (what pacsjobs writes for review, e.g. discovered boards)."""
        if self.places is not None and self.places.config is None:
            from pacsjobs.paths import user_config_dir

            return user_config_dir()
        return Path(self.dir)

    @property
    def home(self) -> Path:
        """The data folder: relative paths of the config are taken from here."""
        return self.places.home if self.places else Path.cwd()

    def source(self, name: str) -> SourceConfig:
        for src in self.sources:
            if src.name == name:
                return src
        from pacsjobs.errors import SourceError

        known = ", ".join(s.name for s in self.sources) or "none configured"
        raise SourceError(f"unknown source {name!r} (known: {known})")

    def enabled_sources(self) -> list[SourceConfig]:
        return [s for s in self.sources if s.enabled]

    def path(self, name: str) -> Path:
        return self.dir / name


def _table(data: dict[str, Any], key: str, file: Path) -> dict[str, Any]:
    value = data.pop(key, {})
    if not isinstance(value, dict):
        raise ConfigError(str(file), key, "must be a table")
    return dict(value)


def _load_main(cfg: Config, file: Path) -> None:
    data = dict(read_toml(file, required=False))

    db = _table(data, "database", file)
    cfg.database_url = take(db, "url", str, cfg.database_url, file, "database.")
    reject_unknown(db, file, "database.")

    cr = _table(data, "crawler", file)
    c = cfg.crawler
    c.contact = take(cr, "contact", str, c.contact, file, "crawler.")
    c.user_agent = take(cr, "user_agent", str, c.user_agent, file, "crawler.")
    c.download_delay = take(cr, "download_delay", float, c.download_delay, file, "crawler.")
    c.concurrency_per_domain = take(cr, "concurrency_per_domain", int, c.concurrency_per_domain, file, "crawler.")
    c.autothrottle = take(cr, "autothrottle", bool, c.autothrottle, file, "crawler.")
    c.timeout = take(cr, "timeout", float, c.timeout, file, "crawler.")
    c.retry_times = take(cr, "retry_times", int, c.retry_times, file, "crawler.")
    c.max_retry_after = take(cr, "max_retry_after", float, c.max_retry_after, file, "crawler.")
    c.obey_robots = take(cr, "obey_robots", bool, c.obey_robots, file, "crawler.")
    c.time_limit = take(cr, "time_limit", int, c.time_limit, file, "crawler.")
    c.sources_at_once = take(cr, "sources_at_once", int, c.sources_at_once, file, "crawler.")
    c.sources_per_host = take(cr, "sources_per_host", int, c.sources_per_host, file, "crawler.")
    c.max_close_share = take(cr, "max_close_share", float, c.max_close_share, file, "crawler.")
    c.close_after_missing = take(cr, "close_after_missing", int, c.close_after_missing, file, "crawler.")
    c.max_text_chars = take(cr, "max_text_chars", int, c.max_text_chars, file, "crawler.")
    reject_unknown(cr, file, "crawler.")
    if c.download_delay < 0:
        raise ConfigError(str(file), "crawler.download_delay", "must not be negative")
    if c.sources_at_once < 1 or c.sources_per_host < 1:
        raise ConfigError(str(file), "crawler.sources_at_once", "sources_at_once and sources_per_host must be at least 1")
    if not 0 < c.max_close_share <= 1:
        raise ConfigError(str(file), "crawler.max_close_share", "must be more than 0 and at most 1")
    if c.close_after_missing < 1:
        raise ConfigError(str(file), "crawler.close_after_missing", "must be at least 1")
    if c.max_text_chars < 1_000:
        raise ConfigError(str(file), "crawler.max_text_chars", "must be at least 1000")
    if c.concurrency_per_domain < 1:
        raise ConfigError(str(file), "crawler.concurrency_per_domain", "must be at least 1")
    if not c.user_agent and not re.search(r"@|https?://", c.contact):
        raise ConfigError(str(file), "crawler.contact", "must be an email address or URL people can reach")

    dg = _table(data, "digest", file)
    d = cfg.digest
    d.output_dir = take(dg, "output_dir", str, d.output_dir, file, "digest.")
    d.profile = take(dg, "profile", str, d.profile, file, "digest.")
    d.min_relevance = take(dg, "min_relevance", float, d.min_relevance, file, "digest.")
    d.closes_soon_days = take(dg, "closes_soon_days", int, d.closes_soon_days, file, "digest.")
    d.send_empty = take(dg, "send_empty", bool, d.send_empty, file, "digest.")
    d.include_non_us = take(dg, "include_non_us", bool, d.include_non_us, file, "digest.")
    d.public_url = take(dg, "public_url", str, d.public_url, file, "digest.") or None
    if d.public_url and not re.match(r"https?://[^/\s]+", d.public_url):
        raise ConfigError(str(file), "digest.public_url", f"must be an http(s) URL, got {d.public_url!r}")
    reject_unknown(dg, file, "digest.")
    if not 0 <= d.min_relevance <= 1:
        raise ConfigError(str(file), "digest.min_relevance", "must be between 0 and 1")

    ml = _table(data, "mail", file)
    m = cfg.mail
    m.host = take(ml, "host", str, m.host, file, "mail.")
    m.port = take(ml, "port", int, m.port, file, "mail.")
    m.security = take(ml, "security", str, m.security, file, "mail.")
    m.username = take(ml, "username", str, m.username, file, "mail.")
    m.sender = take(ml, "sender", str, m.sender, file, "mail.")
    m.to = take(ml, "to", list, m.to, file, "mail.")
    m.timeout = take(ml, "timeout", float, m.timeout, file, "mail.")
    m.allow_plaintext_login = take(ml, "allow_plaintext_login", bool, m.allow_plaintext_login, file, "mail.")
    if "password" in ml:
        raise ConfigError(str(file), "mail.password", f"passwords are read only from ${SMTP_PASSWORD_ENV}, never from a file")
    reject_unknown(ml, file, "mail.")
    if m.security not in ("starttls", "ssl", "none"):
        raise ConfigError(str(file), "mail.security", f"must be starttls, ssl or none, got {m.security!r}")
    if not all(isinstance(a, str) and "@" in a for a in m.to):
        raise ConfigError(str(file), "mail.to", "must be a list of email addresses")

    sc = _table(data, "schedule", file)
    s = cfg.schedule
    s.timezone = take(sc, "timezone", str, s.timezone, file, "schedule.")
    s.crawl = take(sc, "crawl", str, s.crawl, file, "schedule.")
    s.digest = take(sc, "digest", str, s.digest, file, "schedule.")
    s.misfire_grace_time = take(sc, "misfire_grace_time", int, s.misfire_grace_time, file, "schedule.")
    s.crawl_groups = take(sc, "crawl_groups", dict, s.crawl_groups, file, "schedule.")
    s.digest_profiles = take(sc, "digest_profiles", dict, s.digest_profiles, file, "schedule.")
    reject_unknown(sc, file, "schedule.")

    cl = _table(data, "cluster", file)
    k = cfg.cluster
    k.nodes = take(cl, "nodes", list, k.nodes, file, "cluster.")
    k.project = take(cl, "project", str, k.project, file, "cluster.")
    k.retries = take(cl, "retries", int, k.retries, file, "cluster.")
    k.poll_seconds = take(cl, "poll_seconds", float, k.poll_seconds, file, "cluster.")
    k.node_timeout = take(cl, "node_timeout", float, k.node_timeout, file, "cluster.")
    if "password" in cl or "username" in cl:
        raise ConfigError(str(file), "cluster.password", f"node credentials are read only from "
                          f"${SCRAPYD_USERNAME_ENV} / ${SCRAPYD_PASSWORD_ENV}, never from a file")
    reject_unknown(cl, file, "cluster.")
    if not all(isinstance(n, str) and re.match(r"https?://[^/\s]+", n) for n in k.nodes):
        raise ConfigError(str(file), "cluster.nodes", "must be a list of Scrapyd URLs such as \"http://host:6800\"")
    if k.retries < 0 or k.poll_seconds <= 0 or k.node_timeout <= 0:
        raise ConfigError(str(file), "cluster", "retries must not be negative, poll_seconds and node_timeout positive")

    reject_unknown(data, file)


_SHARED: dict[tuple[Any, ...], Config] = {}


def _stamp(folder: Path) -> tuple[Any, ...]:
    """What a change to a config folder changes: its TOML files' modification times (not the
    database's, which may sit beside them and changes all the time)."""
    stamps: list[Any] = []
    for path in (folder, folder / SOURCES_DIR):
        try:
            stamps += sorted((e.name, e.stat().st_mtime_ns) for e in os.scandir(path) if e.name.endswith(".toml"))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def shared_config(explicit_dir: str | os.PathLike | None = None) -> Config:
    """``load_config`` once per process for the same folder (a crawl of a thousand boards starts a
    thousand spiders): a shallow copy each time, so a spider may set its own database or sources."""
    import copy

    places = find_places(explicit_dir)
    key = (str(places.config), os.environ.get(DATABASE_ENV), _stamp(places.config_dir), _stamp(DEFAULTS))
    config = _SHARED.get(key)
    if config is None:
        if len(_SHARED) > 16:
            _SHARED.clear()
        config = _SHARED[key] = load_config(explicit_dir)
    copied = copy.copy(config)
    copied.sources = list(config.sources)
    return copied


def load_config(explicit_dir: str | os.PathLike | None = None) -> Config:
    """The packaged defaults overlaid by the chosen folder's ``pacsjobs.toml`` and registry."""
    places = find_places(explicit_dir)
    folder = places.config_dir
    cfg = Config(dir=folder, places=places)
    _load_main(cfg, DEFAULTS / "pacsjobs.toml")
    if folder != DEFAULTS:
        _load_main(cfg, folder / "pacsjobs.toml")
    seen: dict[str, Path] = {}
    for file in registry_files(folder):
        _load_sources(cfg, file, seen)
    if os.environ.get(DATABASE_ENV):
        cfg.database_url = os.environ[DATABASE_ENV]
    cfg.database_url = absolute_sqlite_url(cfg.database_url, places.home)
    cfg.digest.output_dir = str(resolve_data_path(cfg.digest.output_dir, places.home))
    return cfg

