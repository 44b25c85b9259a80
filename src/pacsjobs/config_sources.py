"""The source registry of the config: ``sources.toml`` and ``sources.d/*.toml``, one
``[[sources]]`` table per board, read into ``SourceConfig`` (and written back as a table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pacsjobs.config_toml import read_toml, reject_unknown, take
from pacsjobs.errors import ConfigError
from pacsjobs.paths import DEFAULTS

if TYPE_CHECKING:
    from pacsjobs.config import Config


@dataclass
class SourceConfig:
    name: str
    platform: str
    employer: str | None = None
    enabled: bool = True
    group: str | None = None
    base_url: str | None = None  # override of the platform's public endpoint (tests, mirrors)
    options: dict[str, Any] = field(default_factory=dict)  # the platform's own keys
    evidence: str | None = None  # where the board's address was seen (a public file, URL, dataset)
    state: str | None = None  # two-letter US state of the employer's headquarters, where known
    file: Path | None = field(default=None, compare=False)  # the TOML file the entry came from


SOURCES_DIR = "sources.d"
US_STATES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "PR", "GU", "VI",
})


def source_files(folder: Path) -> list[Path]:
    """The files sources are read from: sources.toml, then sources.d/*.toml in name order."""
    extra = folder / SOURCES_DIR
    return [folder / "sources.toml", *(sorted(extra.glob("*.toml")) if extra.is_dir() else [])]


def _load_sources(cfg: Config, file: Path, seen: dict[str, Path] | None = None) -> None:
    """Append the [[sources]] of one file; ``seen`` maps names already loaded to their file."""
    data = dict(read_toml(file, required=False))
    entries = data.pop("sources", [])
    reject_unknown(data, file)
    if not isinstance(entries, list):
        raise ConfigError(str(file), "sources", "must be an array of [[sources]] tables")
    seen = {} if seen is None else seen
    for i, entry in enumerate(entries):
        src = source_from_entry(entry, file, i)
        if src.name in seen:
            other = "" if seen[src.name] == file else f" (also in {seen[src.name]})"
            raise ConfigError(str(file), f"sources[{src.name}].name", f"is used by more than one source{other}")
        seen[src.name] = file
        cfg.sources.append(src)


def source_from_entry(entry: Any, file: Path | str, i: int = 0) -> SourceConfig:
    """One ``[[sources]]`` table, validated (also how a cluster node reads the source it is sent)."""
    from pacsjobs.sources import PLATFORMS, check_source_options

    file = Path(file)
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
        evidence=take(entry, "evidence", str, None, file, where),
        state=take(entry, "state", str, None, file, where),
        file=file,
    )
    if src.state is not None and src.state not in US_STATES:
        raise ConfigError(str(file), f"{where}state", f"{src.state!r} is not a two-letter US state code")
    try:
        src.options = check_source_options(platform, entry)
    except ValueError as exc:
        key, _, problem = str(exc).partition(": ")
        raise ConfigError(str(file), f"{where}{key}", problem or str(exc)) from None
    return src


def source_entry(src: SourceConfig) -> dict[str, Any]:
    """A source as a ``[[sources]]`` table again (what ``source_from_entry`` reads)."""
    entry: dict[str, Any] = {"name": src.name, "platform": src.platform, "enabled": src.enabled}
    for key in ("employer", "group", "base_url", "evidence", "state"):
        if getattr(src, key) is not None:
            entry[key] = getattr(src, key)
    entry.update({k: v for k, v in src.options.items() if v is not None})
    return entry


def registry_files(folder: Path) -> list[Path]:
    """The registry: the folder's own sources when it has any, else the packaged ones."""
    own = source_files(folder)
    if own[0].exists() or len(own) > 1:
        return own
    return source_files(DEFAULTS)
