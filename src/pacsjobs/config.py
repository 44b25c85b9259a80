"""Load and validate the TOML config folder.

The folder is chosen by ``--config DIR``, else ``PACSJOBS_CONFIG``, else ``./config``.
``PACSJOBS_DATABASE_URL`` overrides the database URL. Every problem becomes one
``ConfigError`` naming the file, the key and what is wrong.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pacsjobs import __version__
from pacsjobs.errors import ConfigError

CONFIG_ENV = "PACSJOBS_CONFIG"
DATABASE_ENV = "PACSJOBS_DATABASE_URL"
SMTP_PASSWORD_ENV = "PACSJOBS_SMTP_PASSWORD"
DEFAULT_DATABASE_URL = "sqlite:///data/pacsjobs.db"

_MISSING = object()


@dataclass
class CrawlerSettings:
    contact: str = "pacsjobs-operator@example.org"
    user_agent: str = ""  # built from the contact when empty
    download_delay: float = 1.0
    concurrency_per_domain: int = 2
    autothrottle: bool = True
    timeout: float = 30.0
    retry_times: int = 3
    max_retry_after: float = 300.0  # longest Retry-After we wait for before giving up on a URL
    obey_robots: bool = True
    time_limit: int = 3600  # seconds a crawl child process may run
    # A description longer than this (characters of HTML) is cut before it is cleaned and
    # classified; a 12 MB one took 25 s through the classifier. Real ones are 2-30 KB.
    max_text_chars: int = 200_000

    def agent(self) -> str:
        return self.user_agent or f"pacsjobs/{__version__} (+mailto:{self.contact})"


@dataclass
class DigestSettings:
    output_dir: str = "digests"
    profile: str = "guide"
    min_relevance: float = 0.5
    closes_soon_days: int = 7
    send_empty: bool = False
    include_non_us: bool = False


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
class SourceConfig:
    name: str
    platform: str
    employer: str | None = None
    enabled: bool = True
    group: str | None = None
    base_url: str | None = None  # override of the platform's public endpoint (tests, mirrors)
    options: dict[str, Any] = field(default_factory=dict)  # the platform's own keys


@dataclass
class Config:
    dir: Path
    database_url: str = DEFAULT_DATABASE_URL
    crawler: CrawlerSettings = field(default_factory=CrawlerSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    mail: MailSettings = field(default_factory=MailSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    sources: list[SourceConfig] = field(default_factory=list)

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


def config_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Which config folder to use: explicit, then $PACSJOBS_CONFIG, then ./config."""
    chosen = explicit or os.environ.get(CONFIG_ENV) or "config"
    path = Path(chosen)
    if not path.is_dir():
        raise ConfigError(str(path), None, "config folder not found (use --config DIR or set PACSJOBS_CONFIG)")
    return path


def read_toml(path: Path, required: bool = True) -> dict[str, Any]:
    """Parse one TOML file, turning syntax errors into a ConfigError with line and column."""
    if not path.exists():
        if required:
            raise ConfigError(str(path), None, "file not found")
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), None, f"invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(str(path), None, f"cannot read: {exc.strerror}") from None


_TYPE_NAMES = {str: "a string", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list", dict: "a table"}


def take(table: dict[str, Any], key: str, kind: type, default: Any, file: Path, prefix: str = "") -> Any:
    """Pop ``key`` from ``table`` checking its type; report file and dotted key when wrong."""
    value = table.pop(key, _MISSING)
    if value is _MISSING:
        return default
    ok = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise ConfigError(str(file), f"{prefix}{key}", f"must be {_TYPE_NAMES.get(kind, kind.__name__)}, got {value!r}")
    return value


def reject_unknown(table: dict[str, Any], file: Path, prefix: str = "") -> None:
    for key in table:
        raise ConfigError(str(file), f"{prefix}{key}", "unknown key")


def _table(data: dict[str, Any], key: str, file: Path) -> dict[str, Any]:
    value = data.pop(key, {})
    if not isinstance(value, dict):
        raise ConfigError(str(file), key, "must be a table")
    return dict(value)


def _load_main(cfg: Config, file: Path) -> None:
    data = dict(read_toml(file, required=False))

    db = _table(data, "database", file)
    cfg.database_url = take(db, "url", str, DEFAULT_DATABASE_URL, file, "database.")
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
    c.max_text_chars = take(cr, "max_text_chars", int, c.max_text_chars, file, "crawler.")
    reject_unknown(cr, file, "crawler.")
    if c.download_delay < 0:
        raise ConfigError(str(file), "crawler.download_delay", "must not be negative")
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

    reject_unknown(data, file)


def _load_sources(cfg: Config, file: Path) -> None:
    from pacsjobs.sources import PLATFORMS, check_source_options

    data = dict(read_toml(file, required=False))
    entries = data.pop("sources", [])
    reject_unknown(data, file)
    if not isinstance(entries, list):
        raise ConfigError(str(file), "sources", "must be an array of [[sources]] tables")
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ConfigError(str(file), f"sources[{i}]", "must be a table")
        entry = dict(entry)
        where = f"sources[{i}]."
        name = take(entry, "name", str, None, file, where)
        if not name:
            raise ConfigError(str(file), f"{where}name", "is required")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.:-]*", name):
            raise ConfigError(str(file), f"{where}name", f"{name!r} may hold only letters, digits and _ . : -")
        where = f"sources[{name}]."
        if name in seen:
            raise ConfigError(str(file), f"{where}name", "is used by more than one source")
        seen.add(name)
        platform = take(entry, "platform", str, None, file, where)
        if platform not in PLATFORMS:
            raise ConfigError(str(file), f"{where}platform",
                              f"unknown platform {platform!r} (known: {', '.join(sorted(PLATFORMS))})")
        src = SourceConfig(
            name=name,
            platform=platform,
            employer=take(entry, "employer", str, None, file, where),
            enabled=take(entry, "enabled", bool, True, file, where),
            group=take(entry, "group", str, None, file, where),
            base_url=take(entry, "base_url", str, None, file, where),
        )
        try:
            src.options = check_source_options(platform, entry)
        except ValueError as exc:
            key, _, problem = str(exc).partition(": ")
            raise ConfigError(str(file), f"{where}{key}", problem or str(exc)) from None
        cfg.sources.append(src)


def load_config(explicit_dir: str | os.PathLike | None = None) -> Config:
    """Read ``pacsjobs.toml`` and ``sources.toml`` of the chosen folder into a ``Config``."""
    folder = config_dir(explicit_dir)
    cfg = Config(dir=folder)
    _load_main(cfg, folder / "pacsjobs.toml")
    _load_sources(cfg, folder / "sources.toml")
    if os.environ.get(DATABASE_ENV):
        cfg.database_url = os.environ[DATABASE_ENV]
    return cfg
