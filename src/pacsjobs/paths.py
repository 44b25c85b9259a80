"""Where pacsjobs finds its configuration and keeps its data, and why.

Configuration is looked up in ``--config DIR``, then ``$PACSJOBS_CONFIG``, then ``./config`` (a
project folder, as in the checkout), then the user's config folder (``pacsjobs init`` writes it).
Any file a folder lacks comes from the defaults shipped inside the package
(``pacsjobs/defaults/``), so a wheel install works with no checkout and a user's folder holds only
what it changes.

Data (the SQLite file, digests, logs) lives in the project's ``data/`` when the config folder
sits in a project folder with a ``data/`` beside it; otherwise in the user's data folder. Relative paths in the
config are taken from there, never from the working directory, so every command finds the same
database from anywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from platformdirs import user_config_path, user_data_path

from pacsjobs.errors import ConfigError

APP = "pacsjobs"
CONFIG_ENV = "PACSJOBS_CONFIG"
DEFAULTS = Path(str(resources.files("pacsjobs") / "defaults"))
# What `pacsjobs init` offers as the contact until the user gives theirs.
PLACEHOLDER_CONTACT = "pacsjobs-operator@example.org"


@dataclass(frozen=True)
class Places:
    """The folders in use: ``config`` (None: the packaged defaults alone) and ``home`` (data)."""

    config: Path | None
    config_why: str
    home: Path
    home_why: str

    @property
    def config_dir(self) -> Path:
        """The folder whose files are read first (the packaged defaults when there is none)."""
        return self.config or DEFAULTS


def user_config_dir() -> Path:
    return user_config_path(APP, appauthor=False)


def user_data_dir() -> Path:
    return user_data_path(APP, appauthor=False)


def find_config(explicit: str | os.PathLike | None = None) -> tuple[Path | None, str]:
    """The config folder and why it was chosen; a named folder that does not exist is an error."""
    if explicit:
        return _must_exist(Path(explicit), "--config"), "--config"
    if os.environ.get(CONFIG_ENV):
        return _must_exist(Path(os.environ[CONFIG_ENV]), f"${CONFIG_ENV}"), f"${CONFIG_ENV}"
    if Path("config").is_dir():
        return Path("config").resolve(), "./config of the current folder"
    user = user_config_dir()
    if user.is_dir():
        return user, "the user's config folder"
    return None, "none found: the packaged defaults (pacsjobs init writes a config folder)"


def _must_exist(path: Path, how: str) -> Path:
    if path.is_file():
        raise ConfigError(str(path), None, f"is a file, not a config folder (named by {how})")
    if not path.is_dir():
        raise ConfigError(str(path), None, f"config folder not found (named by {how}; "
                                           "`pacsjobs init DIR` writes one)")
    return path.resolve()


def find_home(config: Path | None) -> tuple[Path, str]:
    """Where data lives: the project folder around ``config`` if it has ``data/``, else the user's."""
    if config is not None and (config.parent / "data").is_dir():
        return config.parent / "data", f"the project's data/ beside {config.name}/"
    return user_data_dir(), "the user's data folder"


def find_places(explicit: str | os.PathLike | None = None) -> Places:
    config, config_why = find_config(explicit)
    home, home_why = find_home(config)
    return Places(config, config_why, home, home_why)


def config_file(folder: Path | str | None, name: str) -> Path:
    """``folder/name`` when the user has it, else the packaged default of that name."""
    if folder is not None:
        own = Path(folder) / name
        if own.exists():
            return own
    return DEFAULTS / name


def default_file(name: str) -> Path:
    return DEFAULTS / name


def resolve_data_path(value: str, home: Path) -> Path:
    """A path from the config: ``~`` expanded, relative ones taken from the data folder."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else home / path

